import { createHash } from 'crypto';
import { PIPELINE_CLIENT_REQUEST_TOKEN } from '../shared/api-limits';

/** `ClientRequestToken` must be 32 to 128 characters long (StartPipelineExecution API reference, IdempotencyToken). */
const MIN = PIPELINE_CLIENT_REQUEST_TOKEN.min!;
const MAX = PIPELINE_CLIENT_REQUEST_TOKEN.max!;

/**
 * A `ClientRequestToken` derived from the EventBridge event id and the pipeline, so a re-delivered event (EventBridge
 * and Lambda retry at least once) asks SageMaker for the same execution instead of starting a second one, while one
 * alarm event that reaches the triggers of two pipelines starts both (the API reference does not say whether a token
 * is scoped to the pipeline, so the token names it).
 *
 * EventBridge ids are UUIDs: `retrain-<id>-<12 hex digits of the pipeline name's SHA-256>` (57 characters); any id
 * that would not fit 32-128 characters of `[A-Za-z0-9-]` is hashed with the pipeline name instead.
 */
export function requestToken(eventId: string, pipelineName: string): string {
  const pipeline = createHash('sha256').update(pipelineName).digest('hex').slice(0, 12);
  const direct = `retrain-${eventId}-${pipeline}`;
  if (/^[A-Za-z0-9-]+$/.test(eventId) && direct.length >= MIN && direct.length <= MAX) return direct;
  const digest = createHash('sha256').update(`${pipelineName}\n${eventId}`).digest('hex');
  return `retrain-${digest}`; // 72 characters
}
