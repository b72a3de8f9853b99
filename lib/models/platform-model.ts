import { ModelDataset } from './model-dataset';
import { IModelTrainer } from './model-trainer';
import { ProblemType } from '../core/problem-type';
import { QualityMetric } from '../core/quality-metric';
import { ModelSettings } from '../settings/platform-settings.generated';

/**
 * A model the platform trains and serves: a plain value, so that a JSON config file maps onto it. Its settings
 * (serving, monitoring, retraining, promotion, canary: {@link ModelSettings}) override the platform's for this model.
 *
 * @example
 * const churn: PlatformModel = {
 *   name: 'churn',
 *   problemType: ProblemType.BINARY_CLASSIFICATION,
 *   dataset: { name: 'customer-churn', label: 'churned', features: [{ name: 'tenure' }, { name: 'monthly_charges' }] },
 *   metric: QualityMetric.auc(0.8),
 *   trainer: new BuiltInXGBoost(),
 * };
 */
export interface PlatformModel extends ModelSettings {
  /** The model's name: 1-32 lowercase letters, digits or hyphens, starting with a letter. */
  readonly name: string;
  /** What the model predicts. */
  readonly problemType: ProblemType;
  /** The dataset it trains on. */
  readonly dataset: ModelDataset;
  /** Its quality metric and threshold, in the metric's direction (must fit the problem type). */
  readonly metric: QualityMetric;
  /** How it is trained. */
  readonly trainer: IModelTrainer;
}
