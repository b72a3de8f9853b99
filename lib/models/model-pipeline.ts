import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PlatformModel } from './platform-model';
import { checkModel } from './private/model-checks';
import { IModelRegistry } from '../core/model-registry-interface';
import { DataStore } from '../data/data-store';
import { Dataset } from '../data/dataset';
import { checkInstanceType, invalid } from '../private/validate';
import { PipelineDefinition } from '../pipeline/definition/pipeline-definition';
import { TrainingPipeline } from '../pipeline/training-pipeline';

/**
 * Properties of a {@link ModelPipeline}.
 */
export interface ModelPipelineProps {
  /** The model: its name, problem type, dataset columns, metric and trainer. */
  readonly model: PlatformModel;
  /** Where the model's dataset is: a store and the prefix of its CSV files (named as `model.dataset.name`). */
  readonly dataset: Dataset;
  /** Where every run writes its splits, manifest, model, evaluation and baselines (`<model name>/runs/<execution>/`). */
  readonly artifactStore: DataStore;
  /** The registry the model is registered in (PendingManualApproval by default). */
  readonly registry: IModelRegistry;
  /**
   * Hyperparameter tuning instead of one training job (level 4), when the trainer has tuning ranges.
   * @default false
   */
  readonly tuning?: boolean;
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
   * How long a cached training, evaluation or baseline result is reused by a later execution with the same
   * arguments (preprocessing, which reads the dataset, is never cached). Keep it below the retraining cool-down;
   * `Duration.seconds(0)` turns caching off.
   * @default Duration.hours(12)
   */
  readonly cacheExpiry?: Duration;
}

/**
 * A model's training pipeline: binds the model's trainer and deploys the definition it returns as a
 * `TrainingPipeline` (child `Pipeline`), whose role also gets the trainer's extra permissions. The model is checked
 * first: each bad value stops synth with one line naming the model and the key (a metric that does not fit the
 * problem type, the label listed as a feature, no or duplicate features, ...).
 *
 * Every ready-made trainer builds the same pipeline: preprocess -> train (or tune, at level 4) -> evaluate ->
 * data-quality baseline -> the metric against the `MetricThreshold` parameter in the metric's direction ? register :
 * fail. Parameters a run can override: `MetricThreshold`, `TrainingInstanceType`, `ProcessingInstanceType`,
 * `ModelApprovalStatus`, and `TriggerReason`/`TriggerAlarm` (set by the retraining trigger).
 *
 * @example
 * new ModelPipeline(this, 'Churn', {
 *   model: {
 *     name: 'churn', problemType: ProblemType.BINARY_CLASSIFICATION, metric: QualityMetric.auc(0.8),
 *     dataset: { name: 'customer-churn', label: 'churned', features: [{ name: 'tenure' }, { name: 'monthly_charges' }] },
 *     trainer: new BuiltInXGBoost(),
 *   },
 *   dataset: datasets.dataset('customer-churn'), artifactStore: artifacts, registry,
 * });
 */
export class ModelPipeline extends Construct {
  /** The SageMaker pipeline (an `IPipeline`). */
  public readonly pipeline: TrainingPipeline;
  /** The definition the trainer built. */
  public readonly definition: PipelineDefinition;
  /** The model it trains. */
  public readonly model: PlatformModel;

  constructor(scope: Construct, id: string, props: ModelPipelineProps) {
    super(scope, id);
    const model = props.model;
    checkModel(this, model);
    if (props.dataset.name !== model.dataset.name) {
      invalid(this, `model '${model.name}': dataset.name`, `the name of the dataset given ('${props.dataset.name}')`, model.dataset.name);
    }
    checkInstanceType(this, 'trainingInstanceType', props.trainingInstanceType);
    checkInstanceType(this, 'processingInstanceType', props.processingInstanceType);
    this.model = model;
    const config = model.trainer.bind(this, {
      modelName: model.name,
      problemType: model.problemType,
      schema: model.dataset,
      dataset: props.dataset,
      metric: model.metric,
      artifactStore: props.artifactStore,
      registry: props.registry,
      tuning: props.tuning ?? false,
      trainingInstanceType: props.trainingInstanceType ?? 'ml.m5.large',
      processingInstanceType: props.processingInstanceType ?? 'ml.m5.large',
      spotTraining: props.spotTraining ?? true,
      cacheExpiry: props.cacheExpiry ?? Duration.hours(12),
    });
    this.definition = config.definition;
    this.pipeline = new TrainingPipeline(this, 'Pipeline', {
      definition: this.definition,
      description: `Trains, evaluates and registers the ${model.name} model`,
    });
    for (const statement of config.policyStatements ?? []) this.pipeline.role.addToPrincipalPolicy(statement);
  }
}
