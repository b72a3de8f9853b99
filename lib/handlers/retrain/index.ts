/**
 * Retraining trigger: starts the training pipeline when a drift or model-quality alarm enters ALARM, or when the
 * retraining schedule fires, unless an execution is still running or the last one started within the cool-down.
 *
 * Environment:
 * - `PIPELINE_NAME` (required): the SageMaker pipeline to start.
 * - `COOLDOWN_SECONDS` (default 86400): no new execution until this long after the last one started.
 * - `REASON_PARAMETER_NAME` (default `TriggerReason`, empty: not passed): String pipeline parameter for the reason.
 * - `ALARM_PARAMETER_NAME` (default `TriggerAlarm`, empty: not passed): String pipeline parameter for the alarm name.
 * - `SDK_MAX_ATTEMPTS` (default 5): attempts of the SageMaker client (adaptive retry mode).
 * - `RETRY_ATTEMPTS` (default 4), `RETRY_BASE_DELAY_MS` (default 500): the handler's own backoff around each call.
 *
 * Every decision is logged as one JSON line: `started`, `skipped-running`, `skipped-cooldown` or `error`.
 */
import {
  ListPipelineExecutionsCommand,
  PipelineExecutionSummary,
  SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { decide } from './execution-guard';
import { requestToken } from './request-token';
import { withRetries } from './retry';
import {
  TriggerEvent, TriggerReason, alarmParameterValue, describeReason, displayName, reasonFromEvent, reasonParameterValue,
} from './trigger-reason';

/** What one invocation decided (also the handler's return value). */
export interface RetrainResult {
  readonly decision: 'started' | 'skipped-running' | 'skipped-cooldown';
  readonly pipelineName: string;
  readonly reason: TriggerReason;
  readonly pipelineExecutionArn?: string;
  readonly clientRequestToken?: string;
  readonly blockingExecutionArn?: string;
  readonly cooldownEndsAt?: string;
}

/** Configuration read from the environment. */
export interface RetrainConfig {
  readonly pipelineName: string;
  readonly cooldownSeconds: number;
  readonly reasonParameterName?: string;
  readonly alarmParameterName?: string;
  readonly sdkMaxAttempts: number;
  readonly retryAttempts: number;
  readonly retryBaseDelayMs: number;
}

/** Upper bound of executions read to find a running one (100 per page). */
const MAX_PAGES = 10;

/** Reads and checks the handler's environment; throws one line naming the variable when it is wrong. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RetrainConfig {
  const pipelineName = env.PIPELINE_NAME;
  if (!pipelineName) throw new Error('PIPELINE_NAME must be set to the name of the pipeline to start');
  return {
    pipelineName,
    cooldownSeconds: numberFromEnv(env, 'COOLDOWN_SECONDS', 86_400, 0),
    reasonParameterName: parameterName(env.REASON_PARAMETER_NAME, 'TriggerReason'),
    alarmParameterName: parameterName(env.ALARM_PARAMETER_NAME, 'TriggerAlarm'),
    sdkMaxAttempts: numberFromEnv(env, 'SDK_MAX_ATTEMPTS', 5, 1),
    retryAttempts: numberFromEnv(env, 'RETRY_ATTEMPTS', 4, 1),
    retryBaseDelayMs: numberFromEnv(env, 'RETRY_BASE_DELAY_MS', 500, 0),
  };
}

let cachedClient: { client: SageMakerClient; maxAttempts: number } | undefined;

/** The SageMaker client, created once per container: adaptive retry mode (client-side rate limiting + backoff). */
export function sageMakerClient(maxAttempts: number): SageMakerClient {
  if (!cachedClient || cachedClient.maxAttempts !== maxAttempts) {
    cachedClient = { client: new SageMakerClient({ maxAttempts, retryMode: 'adaptive' }), maxAttempts };
  }
  return cachedClient.client;
}

/** Lambda entry point (EventBridge target). */
export async function handler(event: TriggerEvent): Promise<RetrainResult> {
  const config = configFromEnv();
  const reason = reasonFromEvent(event);
  const base = { pipelineName: config.pipelineName, eventId: event.id, reason };
  try {
    const result = await retrain(event, reason, config, sageMakerClient(config.sdkMaxAttempts));
    log('INFO', { ...base, ...result });
    return result;
  } catch (error) {
    const failure = explain(error, config.pipelineName);
    log('ERROR', { ...base, decision: 'error', errorName: (error as Error)?.name, error: failure.message });
    throw failure;
  }
}

/** The decision and the StartPipelineExecution call, with the client given (tests pass a mocked one). */
export async function retrain(event: TriggerEvent, reason: TriggerReason, config: RetrainConfig, client: SageMakerClient): Promise<RetrainResult> {
  const retry = {
    attempts: config.retryAttempts,
    baseDelayMs: config.retryBaseDelayMs,
    onRetry: (error: unknown, attempt: number, delayMs: number) =>
      log('WARN', { pipelineName: config.pipelineName, eventId: event.id, retry: attempt, delayMs, errorName: (error as Error)?.name }),
  };
  const summaries = await listExecutions(client, config.pipelineName, retry);
  const guard = decide(summaries, config.cooldownSeconds, new Date());
  if (guard.decision === 'skipped-running') {
    return { decision: guard.decision, pipelineName: config.pipelineName, reason, blockingExecutionArn: guard.executionArn };
  }
  if (guard.decision === 'skipped-cooldown') {
    return {
      decision: guard.decision, pipelineName: config.pipelineName, reason,
      blockingExecutionArn: guard.executionArn, cooldownEndsAt: guard.cooldownEndsAt,
    };
  }

  const clientRequestToken = requestToken(event.id ?? `${reason.kind}-${reason.time}`, config.pipelineName);
  const parameters = [
    ...(config.reasonParameterName ? [{ Name: config.reasonParameterName, Value: reasonParameterValue(reason) }] : []),
    ...(config.alarmParameterName ? [{ Name: config.alarmParameterName, Value: alarmParameterValue(reason) }] : []),
  ];
  const response = await withRetries(() => client.send(new StartPipelineExecutionCommand({
    PipelineName: config.pipelineName,
    ClientRequestToken: clientRequestToken,
    PipelineExecutionDescription: describeReason(reason),
    PipelineExecutionDisplayName: displayName(reason),
    PipelineParameters: parameters.length > 0 ? parameters : undefined,
  })), retry);
  return {
    decision: 'started',
    pipelineName: config.pipelineName,
    reason,
    pipelineExecutionArn: response.PipelineExecutionArn,
    clientRequestToken,
  };
}

async function listExecutions(client: SageMakerClient, pipelineName: string, retry: Parameters<typeof withRetries>[1]): Promise<PipelineExecutionSummary[]> {
  const summaries: PipelineExecutionSummary[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await withRetries(() => client.send(new ListPipelineExecutionsCommand({
      PipelineName: pipelineName,
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 100,
      NextToken: nextToken,
    })), retry);
    summaries.push(...(response.PipelineExecutionSummaries ?? []));
    nextToken = response.NextToken;
    if (!nextToken) break;
  }
  return summaries;
}

/** Turns SDK errors into messages that say what to do; a missing pipeline is the common deployment mistake. */
function explain(error: unknown, pipelineName: string): Error {
  const e = error as Error;
  const name = e?.name ?? '';
  const message = e?.message ?? String(error);
  if (name === 'ResourceNotFound' || name === 'ResourceNotFoundException'
    || (name === 'ValidationException' && /does not exist|not found|cannot be found/i.test(message))) {
    const wrapped = new Error(`pipeline '${pipelineName}' was not found (${name}: ${message}): check that the training pipeline is deployed in this account and region and that PIPELINE_NAME names it`);
    wrapped.name = 'PipelineNotFound';
    return wrapped;
  }
  return e instanceof Error ? e : new Error(message);
}

function log(level: 'INFO' | 'WARN' | 'ERROR', fields: object): void {
  // Written as is (not through console.*, which prefixes text) so CloudWatch Logs Insights reads the JSON fields.
  const line = JSON.stringify({ level, timestamp: new Date().toISOString(), component: 'retraining-trigger', ...fields });
  (level === 'INFO' ? process.stdout : process.stderr).write(`${line}\n`);
}

function numberFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number >= ${min}, got '${raw}'`);
  return value;
}

function parameterName(raw: string | undefined, fallback: string): string | undefined {
  if (raw === undefined) return fallback;
  return raw === '' ? undefined : raw;
}
