import { ProblemType } from '../../core/problem-type';
import { QualityMetric } from '../../core/quality-metric';
import { FeatureColumnType, ModelDataset } from '../model-dataset';

/** How preprocessing writes the train and test splits: with a header row, or label first without one (built-in XGBoost). */
export type CsvLayout = 'header' | 'xgboost';

/** The `--problem-type` value of the script contract. */
export function problemTypeArgument(problemType: ProblemType): string {
  switch (problemType) {
    case ProblemType.BINARY_CLASSIFICATION: return 'binary';
    case ProblemType.MULTICLASS_CLASSIFICATION: return 'multiclass';
    case ProblemType.REGRESSION: return 'regression';
  }
}

/** The features' names, comma-separated, as `--features` takes them. */
function featureList(schema: ModelDataset): string {
  return schema.features.map((f) => f.name).join(',');
}

/**
 * The contract's arguments every script gets: `--label L --features f1,f2 --problem-type P`, then `--metric M` for
 * training and evaluation.
 */
export function datasetArguments(schema: ModelDataset, problemType: ProblemType): string[] {
  return ['--label', schema.label, '--features', featureList(schema), '--problem-type', problemTypeArgument(problemType)];
}

/**
 * `preprocess.py --input-s3-uri URI --label L --features f1,f2 --problem-type P --layout header|xgboost
 * [--categorical c1,c2]`.
 */
export function preprocessArguments(inputS3Uri: string, schema: ModelDataset, problemType: ProblemType, layout: CsvLayout): string[] {
  const categorical = schema.features.filter((f) => f.type === FeatureColumnType.CATEGORICAL).map((f) => f.name);
  return [
    '--input-s3-uri', inputS3Uri, ...datasetArguments(schema, problemType), '--layout', layout,
    ...(categorical.length > 0 ? ['--categorical', categorical.join(',')] : []),
  ];
}

/** `evaluate.py --label L --features f1,f2 --problem-type P --metric M --layout header|xgboost`. */
export function evaluateArguments(schema: ModelDataset, problemType: ProblemType, metric: QualityMetric, layout: CsvLayout): string[] {
  return [...datasetArguments(schema, problemType), '--metric', metric.name, '--layout', layout];
}

/**
 * Script mode's hyperparameters of the contract (`--label L --features f1,f2 --problem-type P --metric M` on train.py's
 * command line), JSON-encoded as the SageMaker SDK writes string hyperparameters.
 */
export function scriptModeContract(schema: ModelDataset, problemType: ProblemType, metric: QualityMetric): { [key: string]: string } {
  return {
    'label': JSON.stringify(schema.label),
    'features': JSON.stringify(featureList(schema)),
    'problem-type': JSON.stringify(problemTypeArgument(problemType)),
    'metric': JSON.stringify(metric.name),
  };
}

/** Name of the metric a training script prints as `validation:<metric>=<value>` (and a tuning job optimizes). */
export function validationMetricName(metric: QualityMetric): string {
  return `validation:${metric.name}`;
}

/** Regular expression capturing the value of `validation:<metric>=<value>` (signed, decimal or scientific). */
export function validationMetricRegex(metric: QualityMetric): string {
  return `validation:${metric.name}=([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)`;
}
