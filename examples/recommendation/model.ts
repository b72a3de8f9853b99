import * as path from 'path';
import {
  Join, ParameterRange, PipelineParameter, PlatformModel, ProblemType, QualityMetric, ScalingType, ScikitLearnScripts,
} from '../../lib';
import { packageRoot } from '../../lib/private/package-root';

/** Options of the example {@link recommendationModel}. */
export interface RecommendationModelOptions {
  /**
   * The model's name (its stacks are `<platform>-<name>-Training` and `-Serving`).
   * @default 'recommendation'
   */
  readonly name?: string;
  /**
   * Accuracy a model must reach before it is registered.
   * @default 0.7
   */
  readonly minAccuracy?: number;
}

/**
 * The maturity-model example's recommendation model as a platform model: a click model (logistic regression,
 * scikit-learn script mode over this folder's `train.py`/`evaluate.py`, the platform's generic preprocessing) that
 * predicts `target` from `feature1` and `feature2` of the `user-interactions` dataset, gated on accuracy. The single
 * training job reads its regularisation strength from the `RegularizationC` pipeline parameter; at level 4 a Bayesian
 * search chooses `C` and the solver. The bin's app serves it when there is no `mlops.config.json`.
 *
 * @example
 * new MlopsPlatform(app, 'Mlops', { level: MaturityLevel.PRODUCTIONIZATION, models: [recommendationModel()] });
 */
export function recommendationModel(options: RecommendationModelOptions = {}): PlatformModel {
  const regularization = PipelineParameter.float('RegularizationC', { defaultValue: 1.0 });
  return {
    name: options.name ?? 'recommendation',
    problemType: ProblemType.BINARY_CLASSIFICATION,
    dataset: {
      name: 'user-interactions',
      label: 'target',
      features: [{ name: 'feature1' }, { name: 'feature2' }],
      recordIdentifier: 'user_id',
    },
    metric: QualityMetric.accuracy(options.minAccuracy ?? 0.7),
    trainer: new ScikitLearnScripts({
      scriptsDirectory: path.join(packageRoot(), 'examples', 'recommendation'),
      // Hyperparameters are strings: a Float parameter goes in through Std:Join, as the SageMaker SDK writes it.
      hyperparameters: { 'C': Join.on('', [regularization]).asString(), 'max-iter': '200' },
      parameters: [regularization],
      tuningRanges: [
        ParameterRange.continuous('C', 0.01, 100, ScalingType.LOGARITHMIC),
        ParameterRange.categorical('solver', ['lbfgs', 'liblinear']),
      ],
    }),
  };
}
