import type { PipelineExecutionSummary } from '@aws-sdk/client-sagemaker';

/** Statuses of a pipeline execution that still occupies the pipeline. */
export const ACTIVE_STATUSES: ReadonlySet<string> = new Set(['Executing', 'Stopping']);

/** What the guard decided. */
export type GuardDecision =
  | { readonly decision: 'start' }
  | { readonly decision: 'skipped-running'; readonly executionArn?: string; readonly status?: string }
  | { readonly decision: 'skipped-cooldown'; readonly executionArn?: string; readonly lastStartTime: string; readonly cooldownEndsAt: string };

/**
 * Decides whether a new execution may start, from the pipeline's executions (any order):
 * none may be Executing or Stopping, and the most recently started one must be older than the cool-down.
 *
 * ListPipelineExecutions has no status filter, so the summaries are read here.
 */
export function decide(summaries: PipelineExecutionSummary[], cooldownSeconds: number, now: Date): GuardDecision {
  const running = summaries.find((s) => ACTIVE_STATUSES.has(String(s.PipelineExecutionStatus)));
  if (running) {
    return { decision: 'skipped-running', executionArn: running.PipelineExecutionArn, status: running.PipelineExecutionStatus };
  }
  const latest = summaries
    .filter((s) => s.StartTime !== undefined)
    .reduce<PipelineExecutionSummary | undefined>((a, b) => (a === undefined || toDate(b.StartTime!) > toDate(a.StartTime!) ? b : a), undefined);
  if (latest && cooldownSeconds > 0) {
    const started = toDate(latest.StartTime!);
    const endsAt = new Date(started.getTime() + cooldownSeconds * 1000);
    if (now < endsAt) {
      return {
        decision: 'skipped-cooldown',
        executionArn: latest.PipelineExecutionArn,
        lastStartTime: started.toISOString(),
        cooldownEndsAt: endsAt.toISOString(),
      };
    }
  }
  return { decision: 'start' };
}

function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}
