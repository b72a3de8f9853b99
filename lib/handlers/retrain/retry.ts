/**
 * Retries a call that failed with a throttling or transient error, with exponential backoff and full jitter.
 *
 * The SageMaker client already retries in `adaptive` mode; this outer loop covers the case where the client's
 * retry budget is spent (a burst of alarms, an account-wide throttle) and keeps the invocation alive rather than
 * sending the event to the dead-letter queue after a few hundred milliseconds.
 */

/** Options of {@link withRetries}. */
export interface RetryOptions {
  /** Total attempts, the first included. */
  readonly attempts: number;
  /** Base delay in milliseconds: attempt n waits a random time up to `baseDelayMs * 2^n`. */
  readonly baseDelayMs: number;
  /** Upper bound of one wait, in milliseconds. */
  readonly maxDelayMs?: number;
  /** Called before each wait (for logging). */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

const THROTTLING_NAMES = new Set([
  'ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException',
  'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'ProvisionedThroughputExceededException',
  'SlowDown', 'LimitExceededException',
]);
const TRANSIENT_NAMES = new Set([
  'InternalFailure', 'InternalServerError', 'InternalError', 'ServiceUnavailable', 'ServiceUnavailableException',
  'RequestTimeout', 'RequestTimeoutException', 'TimeoutError', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT',
]);

/** True for throttling and transient (5xx, timeout, connection reset) errors, which are worth another attempt. */
export function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (!e || typeof e !== 'object') return false;
  if (e.$retryable) return true;
  const name = e.name ?? e.code ?? '';
  if (THROTTLING_NAMES.has(name) || TRANSIENT_NAMES.has(name)) return true;
  const status = e.$metadata?.httpStatusCode;
  return status === 429 || (status !== undefined && status >= 500);
}

/** Runs `call`, retrying retryable errors up to `options.attempts` times in total; rethrows the last error. */
export async function withRetries<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const maxDelay = options.maxDelayMs ?? 20_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= options.attempts || !isRetryable(error)) throw error;
      const delay = Math.floor(Math.random() * Math.min(maxDelay, options.baseDelayMs * 2 ** attempt));
      options.onRetry?.(error, attempt, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
