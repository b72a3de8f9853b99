import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import {
  Join, ParameterRange, PipelineParameter, PlatformModel, ProblemType, QualityMetric, ScalingType, ScikitLearnScripts,
} from '../../lib';
import { packageRoot } from '../../lib/private/package-root';
import { checkRange } from '../../lib/private/validate';

/** Options of the example {@link recommendationModel}. */
export interface RecommendationModelOptions {
  /**
   * The model's name (its stacks are `<platform>-<name>-Training` and `-Serving`; the key prefix of its artifacts):
   * 1-32 lowercase letters, digits or hyphens, starting with a letter.
   * @default 'recommendation'
   */
  readonly name?: string;
  /**
   * Accuracy a model must reach before it is registered (default of the `MetricThreshold` pipeline parameter), 0-1.
   * @default 0.7
   */
  readonly minAccuracy?: number;
  /**
   * Training jobs a tuning run (level 4) may start, in all.
   * @default 8
   */
  readonly tuningMaxJobs?: number;
  /**
   * Training jobs a tuning run (level 4) may run at once (at most `tuningMaxJobs`).
   * @default 2
   */
  readonly tuningMaxParallelJobs?: number;
  /**
   * How long a spot training job may wait for capacity and run, in all: at least the job's 1-hour maximum runtime;
   * only with spot training.
   * @default Duration.hours(2)
   */
  readonly spotMaxWait?: Duration;
  /**
   * scikit-learn container version (preprocessing, training, evaluation and serving).
   * @default '1.2-1'
   */
  readonly sklearnVersion?: string;
  /**
   * Folder with `train.py` and `evaluate.py` (and `preprocess.py`, else the platform's generic preprocessing).
   * @default - this folder, the package's `examples/recommendation`
   */
  readonly scriptsDirectory?: string;
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
 * // or its pipeline alone:
 * new ModelPipeline(this, 'Training', {
 *   model: recommendationModel(), dataset: datasets.dataset('user-interactions'), artifactStore: artifacts, registry,
 * });
 */
export function recommendationModel(options: RecommendationModelOptions = {}): PlatformModel {
  checkRange(undefined, 'minAccuracy', options.minAccuracy, 0, 1);
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
      scriptsDirectory: options.scriptsDirectory ?? path.join(packageRoot(), 'examples', 'recommendation'),
      sklearnVersion: options.sklearnVersion,
      // Hyperparameters are strings: a Float parameter goes in through Std:Join, as the SageMaker SDK writes it.
      hyperparameters: { 'C': Join.on('', [regularization]).asString(), 'max-iter': '200' },
      parameters: [regularization],
      tuningRanges: [
        ParameterRange.continuous('C', 0.01, 100, ScalingType.LOGARITHMIC),
        ParameterRange.categorical('solver', ['lbfgs', 'liblinear']),
      ],
      tuningMaxJobs: options.tuningMaxJobs,
      tuningMaxParallelJobs: options.tuningMaxParallelJobs,
      spotMaxWait: options.spotMaxWait,
    }),
  };
}
