import { ProblemType } from '../core/problem-type';

/**
 * The model-quality metrics Model Monitor publishes to `aws/sagemaker/Endpoints/model-metrics` for a problem type
 * (names as in sagemaker-python-sdk's model-quality dashboard).
 */
export function modelQualityMetricNames(problemType: ProblemType): string[] {
  switch (problemType) {
    case ProblemType.BINARY_CLASSIFICATION:
      return ['accuracy', 'precision', 'recall', 'f0_5', 'f1', 'f2', 'auc', 'au_prc', 'true_positive_rate',
        'true_negative_rate', 'false_positive_rate', 'false_negative_rate'];
    case ProblemType.MULTICLASS_CLASSIFICATION:
      return ['accuracy', 'weighted_precision', 'weighted_recall', 'weighted_f0_5', 'weighted_f1', 'weighted_f2'];
    case ProblemType.REGRESSION:
      return ['mae', 'mse', 'rmse', 'r2'];
  }
}
