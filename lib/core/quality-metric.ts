import { ProblemType } from './problem-type';

/**
 * Which way a quality metric improves.
 */
export enum MetricDirection {
  /** Larger is better: accuracy, precision, recall, F1, AUC, R². A model must reach the threshold. */
  HIGHER_IS_BETTER = 'HigherIsBetter',
  /** Smaller is better: RMSE, MAE, MSE, error rates. A model must stay at or below the threshold. */
  LOWER_IS_BETTER = 'LowerIsBetter',
}

/**
 * The model-quality metrics SageMaker Model Monitor publishes for a problem type (CloudWatch namespace
 * `aws/sagemaker/Endpoints/model-metrics`, names as in sagemaker-python-sdk's model-quality dashboard). The model's
 * evaluation report uses the same names, so one metric name means the same thing in the pipeline's gate, the
 * monitor's alarm and the champion/challenger rule.
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

/** Metrics whose smaller values are better; every other model-quality metric is better when larger. */
const LOWER_IS_BETTER = new Set(['mae', 'mse', 'rmse', 'false_positive_rate', 'false_negative_rate']);

/** The direction of a model-quality metric by its name: `rmse` -> LOWER_IS_BETTER, `auc` -> HIGHER_IS_BETTER. */
export function metricDirection(metricName: string): MetricDirection {
  return LOWER_IS_BETTER.has(metricName) ? MetricDirection.LOWER_IS_BETTER : MetricDirection.HIGHER_IS_BETTER;
}

/** Every problem type, in a stable order. */
const PROBLEM_TYPES = [ProblemType.BINARY_CLASSIFICATION, ProblemType.MULTICLASS_CLASSIFICATION, ProblemType.REGRESSION];

/**
 * A model's quality metric and the threshold a model must meet, in the metric's direction: accuracy, AUC or F1 must
 * reach it; RMSE or MAE must stay at or below it. The same value drives the training pipeline's gate, the
 * model-quality monitor's alarm and the champion/challenger rule.
 *
 * @example
 * QualityMetric.auc(0.8);      // binary classification: register only models with AUC >= 0.8
 * QualityMetric.rmse(12.5);    // regression: register only models with RMSE <= 12.5
 */
export class QualityMetric {
  /** Share of correct predictions (classification); must reach the threshold (0-1). */
  public static accuracy(threshold: number): QualityMetric { return QualityMetric.of('accuracy', threshold); }
  /** Area under the ROC curve (binary classification); must reach the threshold (0-1). */
  public static auc(threshold: number): QualityMetric { return QualityMetric.of('auc', threshold); }
  /** F1 score (binary classification); must reach the threshold (0-1). */
  public static f1(threshold: number): QualityMetric { return QualityMetric.of('f1', threshold); }
  /** Precision (binary classification); must reach the threshold (0-1). */
  public static precision(threshold: number): QualityMetric { return QualityMetric.of('precision', threshold); }
  /** Recall (binary classification); must reach the threshold (0-1). */
  public static recall(threshold: number): QualityMetric { return QualityMetric.of('recall', threshold); }
  /** Support-weighted F1 (multiclass classification); must reach the threshold (0-1). */
  public static weightedF1(threshold: number): QualityMetric { return QualityMetric.of('weighted_f1', threshold); }
  /** Root mean squared error (regression); must stay at or below the threshold. */
  public static rmse(threshold: number): QualityMetric { return QualityMetric.of('rmse', threshold); }
  /** Mean absolute error (regression); must stay at or below the threshold. */
  public static mae(threshold: number): QualityMetric { return QualityMetric.of('mae', threshold); }
  /** Mean squared error (regression); must stay at or below the threshold. */
  public static mse(threshold: number): QualityMetric { return QualityMetric.of('mse', threshold); }
  /** Coefficient of determination (regression); must reach the threshold (at most 1). */
  public static r2(threshold: number): QualityMetric { return QualityMetric.of('r2', threshold); }

  /**
   * Any Model Monitor model-quality metric by name (`accuracy`, `auc`, `weighted_f1`, `rmse`, ...), as a config
   * file names it. An unknown name or a threshold outside the metric's range throws one line naming both.
   */
  public static of(name: string, threshold: number): QualityMetric {
    const problemTypes = PROBLEM_TYPES.filter((p) => modelQualityMetricNames(p).includes(name));
    if (problemTypes.length === 0) {
      const all = [...new Set(PROBLEM_TYPES.flatMap(modelQualityMetricNames))];
      throw new Error(`metric name must be one of ${all.join(', ')}, got '${name}'`);
    }
    const bounded = problemTypes.every((p) => p !== ProblemType.REGRESSION);
    if (typeof threshold !== 'number' || !Number.isFinite(threshold)
      || (bounded && (threshold < 0 || threshold > 1)) || (!bounded && name !== 'r2' && threshold < 0) || (name === 'r2' && threshold > 1)) {
      const allowed = bounded ? 'a number from 0 to 1' : name === 'r2' ? 'a number at most 1' : 'a number >= 0';
      throw new Error(`metric threshold for '${name}' must be ${allowed}, got ${JSON.stringify(threshold)}`);
    }
    return new QualityMetric(name, threshold, metricDirection(name), problemTypes);
  }

  private constructor(
    /** The metric's name in the evaluation report, the model-quality monitor and CloudWatch (`auc`, `rmse`, ...). */
    public readonly name: string,
    /** The value a model must meet, in {@link direction}. */
    public readonly threshold: number,
    /** Which way the metric improves. */
    public readonly direction: MetricDirection,
    /** The problem types that report this metric. */
    public readonly problemTypes: ProblemType[],
  ) {}

  /** True when larger values are better. */
  public get higherIsBetter(): boolean {
    return this.direction === MetricDirection.HIGHER_IS_BETTER;
  }

  /** Whether a problem type reports this metric (`rmse` fits regression only). */
  public fits(problemType: ProblemType): boolean {
    return this.problemTypes.includes(problemType);
  }

  /** Whether a measured value meets the threshold: `>=` when higher is better, `<=` otherwise. */
  public isMetBy(value: number): boolean {
    return this.higherIsBetter ? value >= this.threshold : value <= this.threshold;
  }

  /** `auc >= 0.8` or `rmse <= 12.5`: the rule in words, for descriptions and errors. */
  public toString(): string {
    return `${this.name} ${this.higherIsBetter ? '>=' : '<='} ${this.threshold}`;
  }
}
