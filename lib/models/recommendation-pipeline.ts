import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ModelPipeline } from './model-pipeline';
import { ScikitLearnScripts } from './scikit-learn-scripts';
import { ProblemType } from '../core/problem-type';
import { QualityMetric } from '../core/quality-metric';
import { IModelRegistry } from '../core/model-registry-interface';
import { DataStore } from '../data/data-store';
import { Dataset } from '../data/dataset';
import { packageRoot } from '../private/package-root';
import { checkRange } from '../private/validate';
import { Join, ParameterRange, PipelineParameter, ScalingType } from '../pipeline/definition';

/**
 * Properties of a {@link RecommendationPipeline}.
 */
export interface RecommendationPipelineProps {
  /** The interactions dataset the pipeline trains on (`feature1`, `feature2`, `target`). */
  readonly dataset: Dataset;
  /** Where every run writes its splits, manifest, model, evaluation and baselines (`<modelName>/runs/<execution>/`). */
  readonly artifactStore: DataStore;
  /** The registry the model is registered in (PendingManualApproval by default). */
  readonly registry: IModelRegistry;
  /**
   * The model's name: the key prefix of its artifacts; 1-32 lowercase letters, digits or hyphens, starting with a letter.
   * @default 'recommendation'
   */
  readonly modelName?: string;
  /**
   * Accuracy the model needs before it is registered (default of the `MetricThreshold` pipeline parameter).
   * @default 0.7
   */
  readonly minAccuracy?: number;
  /**
   * Instance type of the training jobs (default of the `TrainingInstanceType` parameter).
   * @default 'ml.m5.large'
   */
  readonly trainingInstanceType?: string;
  /**
   * Instance type of the processing and baseline jobs (default of the `ProcessingInstanceType` parameter).
   * @default 'ml.m5.large'
   */
  readonly processingInstanceType?: string;
  /**
   * Managed spot training (up to ~70% cheaper), with checkpoints in the artifact store.
   * @default true
   */
  readonly spotTraining?: boolean;
  /**
   * How long a spot training job may wait for capacity and run, in all: at least the job's 1-hour maximum
   * runtime; only with `spotTraining`.
   * @default Duration.hours(2)
   */
  readonly spotMaxWait?: Duration;
  /**
   * How long a cached training, evaluation or baseline result is reused by a later execution with the same
   * arguments (preprocessing is never cached); `Duration.seconds(0)` turns caching off.
   * @default Duration.hours(12)
   */
  readonly cacheExpiry?: Duration;
  /**
   * Replace the single training job by a Bayesian hyperparameter tuning job over the regularisation strength `C`
   * and the solver (level 4). The best job's model is evaluated and registered.
   * @default false
   */
  readonly hyperparameterTuning?: boolean;
  /**
   * Training jobs a tuning run may start, in all.
   * @default 8
   */
  readonly tuningMaxJobs?: number;
  /**
   * Training jobs a tuning run may run at once.
   * @default 2
   */
  readonly tuningMaxParallelJobs?: number;
  /**
   * scikit-learn container version (training, processing and serving).
   * @default '1.2-1'
   */
  readonly sklearnVersion?: string;
  /**
   * Folder with `train.py` and `evaluate.py` (and `preprocess.py`, else the platform's generic preprocessing).
   * @default - the package's `examples/recommendation`
   */
  readonly scriptsDirectory?: string;
}

/**
 * The recommendation example's model: a {@link ModelPipeline} with {@link ScikitLearnScripts} over
 * `examples/recommendation` (binary classification of `target` from `feature1` and `feature2`, logistic
 * regression), gated on accuracy >= `MetricThreshold` (default `minAccuracy`). The single training job reads its
 * regularisation strength from the `RegularizationC` parameter; with tuning, a Bayesian search chooses `C` and the
 * solver.
 *
 * @example
 * new RecommendationPipeline(this, 'Training', { dataset: interactions, artifactStore: artifacts, registry });
 */
export class RecommendationPipeline extends ModelPipeline {
  constructor(scope: Construct, id: string, props: RecommendationPipelineProps) {
    checkRange(scope, 'minAccuracy', props.minAccuracy, 0, 1);
    const regularization = PipelineParameter.float('RegularizationC', { defaultValue: 1.0 });
    super(scope, id, {
      model: {
        name: props.modelName ?? 'recommendation',
        problemType: ProblemType.BINARY_CLASSIFICATION,
        dataset: { name: props.dataset.name, label: 'target', features: [{ name: 'feature1' }, { name: 'feature2' }] },
        metric: QualityMetric.accuracy(props.minAccuracy ?? 0.7),
        trainer: new ScikitLearnScripts({
          scriptsDirectory: props.scriptsDirectory ?? path.join(packageRoot(), 'examples', 'recommendation'),
          sklearnVersion: props.sklearnVersion,
          // Hyperparameters are strings: a Float parameter goes in through Std:Join, as the SageMaker SDK writes it.
          hyperparameters: { 'C': Join.on('', [regularization]).asString(), 'max-iter': '200' },
          parameters: [regularization],
          tuningRanges: [
            ParameterRange.continuous('C', 0.01, 100, ScalingType.LOGARITHMIC),
            ParameterRange.categorical('solver', ['lbfgs', 'liblinear']),
          ],
          tuningMaxJobs: props.tuningMaxJobs,
          tuningMaxParallelJobs: props.tuningMaxParallelJobs,
          spotMaxWait: props.spotMaxWait,
        }),
      },
      dataset: props.dataset,
      artifactStore: props.artifactStore,
      registry: props.registry,
      tuning: props.hyperparameterTuning,
      trainingInstanceType: props.trainingInstanceType,
      processingInstanceType: props.processingInstanceType,
      spotTraining: props.spotTraining,
      cacheExpiry: props.cacheExpiry,
    });
  }
}
