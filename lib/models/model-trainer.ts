import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ModelDataset } from './model-dataset';
import { IModelRegistry } from '../core/model-registry-interface';
import { ProblemType } from '../core/problem-type';
import { QualityMetric } from '../core/quality-metric';
import { DataStore } from '../data/data-store';
import { Dataset } from '../data/dataset';
import { PipelineDefinition } from '../pipeline/definition/pipeline-definition';

/**
 * What a trainer is given when the platform (or a `ModelPipeline`) binds it: the model, where its data and
 * artifacts are, and the platform's settings for its training pipeline.
 */
export interface ModelTrainerBindOptions {
  /** The model's name: the key prefix of its artifacts, `<modelName>/runs/<execution id>/`. */
  readonly modelName: string;
  /** What the model predicts: binary or multiclass classification, or regression. */
  readonly problemType: ProblemType;
  /** The dataset's columns: label and features. */
  readonly schema: ModelDataset;
  /** Where the dataset's CSV files are: a store and prefix. */
  readonly dataset: Dataset;
  /** The quality gate: a model is registered only when `metric.isMetBy(value)` on the test split. */
  readonly metric: QualityMetric;
  /** Where every run writes its splits, manifest, model, evaluation and baselines. */
  readonly artifactStore: DataStore;
  /** The registry the model is registered in. */
  readonly registry: IModelRegistry;
  /** Hyperparameter tuning instead of one training job (level 4), when the trainer has tuning ranges. */
  readonly tuning: boolean;
  /** Default of the `TrainingInstanceType` pipeline parameter. */
  readonly trainingInstanceType: string;
  /** Default of the `ProcessingInstanceType` pipeline parameter. */
  readonly processingInstanceType: string;
  /** Managed spot training, with checkpoints in the artifact store. */
  readonly spotTraining: boolean;
  /** How long cached step results are reused; `Duration.seconds(0)` turns caching off. */
  readonly cacheExpiry: Duration;
}

/**
 * What a bound trainer gives back: the pipeline definition the platform deploys as the model's training pipeline.
 */
export interface ModelTrainerConfig {
  /** The training pipeline, written with the typed definition layer. */
  readonly definition: PipelineDefinition;
  /**
   * Permissions the pipeline role needs beyond what the definition's resources grant (e.g. `s3:GetObject` on a
   * script-mode source archive).
   * @default - none
   */
  readonly policyStatements?: iam.PolicyStatement[];
}

/**
 * How a model is trained: the open seam through which any pipeline written with the typed definition layer becomes
 * a platform model. The ready-made kinds are `ScikitLearnScripts`, `BuiltInXGBoost` and `ContainerTrainer`.
 *
 * @example
 * class MyTrainer implements IModelTrainer {
 *   public bind(scope: Construct, options: ModelTrainerBindOptions): ModelTrainerConfig {
 *     return { definition: new PipelineDefinition({ parameters: [...], steps: [...] }) };
 *   }
 * }
 */
export interface IModelTrainer {
  /**
   * Builds the model's training pipeline definition. `scope` is the construct the trainer may create assets and
   * image references in (called once per model).
   */
  bind(scope: Construct, options: ModelTrainerBindOptions): ModelTrainerConfig;
}
