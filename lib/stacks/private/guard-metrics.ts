import { ProblemType } from '../../core/problem-type';
import { metricDirection, MetricDirection } from '../../core/quality-metric';

/**
 * The metrics champion/challenger never lets a challenger get worse on, beside the promotion metric: precision and
 * recall for binary classification, their weighted forms for multiclass, none for regression (its error metrics
 * move together). Every evaluation report of the script contract carries them. Champion/challenger compares guards in
 * the promotion metric's direction, so a lower-is-better promotion metric (an error rate) gets none.
 */
export function guardMetrics(problemType: ProblemType, promotionMetric: string): string[] {
  if (metricDirection(promotionMetric) === MetricDirection.LOWER_IS_BETTER) return [];
  const guards = problemType === ProblemType.BINARY_CLASSIFICATION ? ['precision', 'recall']
    : problemType === ProblemType.MULTICLASS_CLASSIFICATION ? ['weighted_precision', 'weighted_recall'] : [];
  return guards.filter((g) => g !== promotionMetric);
}
