import { createHash } from 'crypto';

/** `ClientRequestToken` must be 32 to 128 characters long (StartPipelineExecution API reference). */
const MIN = 32;
const MAX = 128;

/**
 * A `ClientRequestToken` derived from the EventBridge event id, so a re-delivered event (EventBridge and Lambda
 * retry at least once) asks SageMaker for the same execution instead of starting a second one.
 *
 * EventBridge ids are UUIDs: `retrain-<id>` is used as is; any id that would not fit 32-128 characters of
 * `[A-Za-z0-9-]` is hashed instead.
 */
export function requestToken(eventId: string, pipelineName: string): string {
  const direct = `retrain-${eventId}`;
  if (/^[A-Za-z0-9-]+$/.test(eventId) && direct.length >= MIN && direct.length <= MAX) return direct;
  const digest = createHash('sha256').update(`${pipelineName}\n${eventId}`).digest('hex');
  return `retrain-${digest}`; // 72 characters
}
