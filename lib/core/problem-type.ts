/**
 * The machine-learning problem a model-quality monitor evaluates (Model Monitor's `ProblemType`).
 */
export enum ProblemType {
  /** Two classes: accuracy, precision, recall, f1, auc, ... */
  BINARY_CLASSIFICATION = 'BinaryClassification',
  /** More than two classes: accuracy, weighted_f1, ... */
  MULTICLASS_CLASSIFICATION = 'MulticlassClassification',
  /** Numeric predictions: mae, mse, rmse, r2. */
  REGRESSION = 'Regression',
}
