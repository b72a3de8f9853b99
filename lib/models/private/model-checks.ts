import { IConstruct } from 'constructs';
import { ProblemType } from '../../core/problem-type';
import { modelQualityMetricNames, QualityMetric } from '../../core/quality-metric';
import { InputError, invalid, isUnresolved } from '../../private/validate';
import { FeatureColumnType, ModelDataset } from '../model-dataset';

/** What a model's name may be: it names stacks, key prefixes and SageMaker resources. */
const MODEL_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** What a column name may be: it travels comma-separated on script command lines and into CSV headers and baselines. */
const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const COLUMN_ALLOWED = "1-64 letters, digits, '_', '.' or '-', starting with a letter or '_'";

/** The parts of a model the checks read. */
export interface CheckedModel {
  readonly name: string;
  readonly problemType: ProblemType;
  readonly dataset: ModelDataset;
  readonly metric: QualityMetric;
}

/** Checks a model's name: 1-32 lowercase letters, digits or hyphens, starting with a letter, not ending with one. */
export function checkModelName(scope: IConstruct, name: string): void {
  if (isUnresolved(name)) return;
  if (typeof name !== 'string' || !MODEL_NAME.test(name) || name.endsWith('-')) {
    invalid(scope, 'model name', '1-32 lowercase letters, digits or hyphens, starting with a letter', name);
  }
}

/**
 * Checks a model as a value, each finding one line naming the model and the key: its problem type, that the metric
 * fits it, and the dataset's label and features (non-empty, unique, the label not among them).
 */
export function checkModel(scope: IConstruct, model: CheckedModel): void {
  checkModelName(scope, model.name);
  const key = (k: string) => `model '${model.name}': ${k}`;
  const problemTypes = Object.values(ProblemType) as string[];
  if (!problemTypes.includes(model.problemType)) invalid(scope, key('problemType'), `one of ${problemTypes.join(', ')}`, model.problemType);
  if (!(model.metric instanceof QualityMetric)) {
    throw new InputError(scope, `${key('metric')} must be a QualityMetric (QualityMetric.auc(0.8), QualityMetric.of('rmse', 12.5), ...)`);
  }
  if (!model.metric.fits(model.problemType)) {
    invalid(scope, key('metric'), `one of ${modelQualityMetricNames(model.problemType).join(', ')} for problemType ${model.problemType}`, model.metric.name);
  }
  checkDataset(scope, model.name, model.dataset);
}

/** Checks a model's dataset columns: label and features named well, features non-empty and unique, the label not a feature. */
export function checkDataset(scope: IConstruct, modelName: string, dataset: ModelDataset): void {
  const key = (k: string) => `model '${modelName}': ${k}`;
  if (typeof dataset?.label !== 'string' || !COLUMN_NAME.test(dataset.label)) invalid(scope, key('dataset.label'), COLUMN_ALLOWED, dataset?.label);
  if (!Array.isArray(dataset.features) || dataset.features.length === 0) {
    invalid(scope, key('dataset.features'), 'a non-empty list of feature columns', dataset.features);
  }
  const seen = new Set<string>();
  dataset.features.forEach((feature, i) => {
    if (typeof feature?.name !== 'string' || !COLUMN_NAME.test(feature.name)) invalid(scope, key(`dataset.features[${i}].name`), COLUMN_ALLOWED, feature?.name);
    const types = Object.values(FeatureColumnType) as string[];
    if (feature.type !== undefined && !types.includes(feature.type)) invalid(scope, key(`dataset.features[${i}].type`), `one of ${types.join(', ')}`, feature.type);
    if (feature.name === dataset.label) invalid(scope, key('dataset.features'), `columns other than the label '${dataset.label}'`, feature.name);
    if (seen.has(feature.name)) invalid(scope, key('dataset.features'), 'unique column names', feature.name);
    seen.add(feature.name);
  });
}
