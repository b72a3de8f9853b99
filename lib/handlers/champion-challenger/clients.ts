/** Attempts per SDK call (first try included) before an error reaches the handler. */
export const MAX_ATTEMPTS = 6;

/**
 * Client configuration shared by the SageMaker and S3 clients: adaptive retry mode (exponential backoff with
 * jitter plus client-side rate limiting once the service throttles) with {@link MAX_ATTEMPTS} attempts.
 */
export function retryingClientConfig(): { retryMode: string; maxAttempts: number } {
  return { retryMode: 'adaptive', maxAttempts: MAX_ATTEMPTS };
}
