import { APPROVAL_DESCRIPTION } from '../shared/api-limits';
import { singleLine } from '../shared/fit-text';
import { MetricCheck } from './comparison';
import { Metrics } from './evaluation-report';

/** Prefix of every approval description the handler writes; also marks packages it deferred to a person. */
export const DESCRIPTION_PREFIX = '[champion-challenger]';

/** Prefix of the description of a package left for manual review (the handler does not decide it again). */
export const MANUAL_REVIEW_PREFIX = `${DESCRIPTION_PREFIX} Manual review:`;

/** SageMaker's limit on `ApprovalDescription` (UpdateModelPackage API reference: 0-1024 characters, `.*`). */
export const MAX_APPROVAL_DESCRIPTION = APPROVAL_DESCRIPTION.max!;

/** What the handler did with one model package; written as one JSON log line. */
export interface DecisionRecord {
  /** `Approved` / `Rejected`: the package's new status. `ManualReview`: left pending for a person. `Skipped`: not touched. */
  readonly decision: 'Approved' | 'Rejected' | 'ManualReview' | 'Skipped';
  readonly reason: string;
  readonly modelPackageArn: string;
  readonly modelPackageGroupName?: string;
  readonly promotionMetric?: string;
  readonly championArn?: string;
  readonly challengerReport?: string;
  readonly championReport?: string;
  readonly challengerMetrics?: Metrics;
  readonly championMetrics?: Metrics;
  readonly promotion?: MetricCheck;
  readonly guards?: MetricCheck[];
  /** The approval description written to the package, when one was written. */
  readonly approvalDescription?: string;
}

/**
 * `[champion-challenger] Approved: <reason>`, within `ApprovalDescription`'s limits: one line (`.*` matches no line
 * terminator, and the reason may quote a report that is not JSON, newlines included), at most 1024 characters, cut
 * with `...` and never inside a surrogate pair.
 */
export function approvalDescription(decision: 'Approved' | 'Rejected' | 'ManualReview', reason: string, championArn?: string): string {
  const head = decision === 'ManualReview' ? MANUAL_REVIEW_PREFIX : `${DESCRIPTION_PREFIX} ${decision}:`;
  const champion = championArn ? ` Champion: ${championArn}.` : '';
  return singleLine(`${head} ${reason}.${champion}`, MAX_APPROVAL_DESCRIPTION);
}

/** The structured log line (one JSON object) for a decision. */
export function logLine(record: DecisionRecord): string {
  return JSON.stringify({ level: 'INFO', message: 'champion-challenger decision', ...record });
}
