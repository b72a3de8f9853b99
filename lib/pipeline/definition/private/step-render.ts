import { checkInteger, checkRange, invalid } from '../../../private/validate';
import type { CacheConfig, RetryPolicy } from '../step';

/** Written where a role ARN is needed but none is known; the definition reports it as an error. */
export const MISSING_ROLE = '<no role: render the definition with a role>';

/** Renders a cache config (`CacheConfig`). */
export function renderCacheConfig(cache: CacheConfig | undefined): any {
  if (!cache) return undefined;
  const out: { [key: string]: any } = { Enabled: cache.enabled ?? true };
  if (cache.expireAfter) out.ExpireAfter = cache.expireAfter.toIsoString();
  return out;
}

/** Checks and renders retry policies; `jobKinds` says whether `SageMaker.*` kinds are allowed. */
export function renderRetryPolicies(stepName: string, policies: RetryPolicy[] | undefined, jobKinds: boolean): any {
  if (!policies || policies.length === 0) return undefined;
  return policies.map((p, i) => {
    const name = `step '${stepName}' retryPolicies[${i}]`;
    if (p.exceptionTypes.length === 0) invalid(undefined, `${name}.exceptionTypes`, 'a non-empty list', p.exceptionTypes);
    for (const type of p.exceptionTypes) {
      if (!jobKinds && type.startsWith('SageMaker.')) {
        invalid(undefined, `${name}.exceptionTypes`, 'Step.SERVICE_FAULT or Step.THROTTLING for this step type (it starts no job)', type);
      }
    }
    if ((p.maxAttempts === undefined) === (p.expireAfter === undefined)) {
      invalid(undefined, `${name}`, 'given exactly one of maxAttempts or expireAfter', { maxAttempts: p.maxAttempts, expireAfter: p.expireAfter?.toMinutes() });
    }
    checkInteger(undefined, `${name}.maxAttempts`, p.maxAttempts, 1, 20);
    const expireMinutes = p.expireAfter?.toMinutes();
    checkInteger(undefined, `${name}.expireAfter (minutes)`, expireMinutes, 1, 14400);
    checkRange(undefined, `${name}.backoffRate`, p.backoffRate, 1, 1e6);
    const out: { [key: string]: any } = {
      ExceptionType: p.exceptionTypes,
      IntervalSeconds: p.interval?.toSeconds() ?? 1,
      BackoffRate: p.backoffRate ?? 2.0,
    };
    if (p.maxAttempts !== undefined) out.MaxAttempts = p.maxAttempts;
    if (expireMinutes !== undefined) out.ExpireAfterMin = expireMinutes;
    return out;
  });
}
