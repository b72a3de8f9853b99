import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DataStore } from '../data/data-store';
import { Dataset } from '../data/dataset';
import { CodeConnectionSourceProps, DeliverySource } from '../delivery/delivery-source';
import { DeployOnApproval } from '../delivery/deploy-on-approval';
import { DeploymentStageTarget } from '../delivery/deployment-stage-target';
import { MlCodePipeline } from '../delivery/ml-code-pipeline';
import { ChampionChallengerApproval } from '../experimentation/champion-challenger-approval';
import { ModelPipeline } from '../models/model-pipeline';
import { PlatformModel } from '../models/platform-model';
import { guardMetrics } from './private/guard-metrics';
import { TrainingPipeline } from '../pipeline/training-pipeline';
import { MaturityLevel } from '../core/maturity-level';
import { PlatformFeatures } from '../core/platform-features';
import { metricDirection, MetricDirection } from '../core/quality-metric';
import { PlatformSettings } from '../settings/platform-settings.generated';
import { resolveSettings } from '../settings/resolve-settings';
import { ModelRegistry } from '../registry/model-registry';

/** Key of the ML code bundle in the source bucket (without a code repository): upload a zip there to start CI/CD. */
export const ML_CODE_OBJECT_KEY = 'source/ml-code.zip';

/**
 * Properties of a {@link TrainingStack}.
 */
export interface TrainingStackProps extends StackProps {
  /** The maturity level (2 or more). */
  readonly level: MaturityLevel;
  /** The model this stack trains: its name, dataset columns, metric and trainer. */
  readonly model: PlatformModel;
  /**
   * `cdk deploy` selectors of the stacks the deploy-on-approval pipeline deploys: their construct paths, e.g.
   * `['Mlops/churn-Serving']` under the App or `['Prod/Mlops/churn-Serving']` in a Stage.
   * The CI/CD pipeline of the ML code deploys this stack, selected by its own construct path.
   */
  readonly servingStackSelectors: string[];
  /**
   * The context key deploy-on-approval passes the approved package in (`modelPackageArn.<model>` with several models).
   * @default 'modelPackageArn'
   */
  readonly modelPackageArnContextKey?: string;
  /** Context the delivery pipelines pass to `cdk deploy` (the platform's own settings). */
  readonly deliveryContext: { [key: string]: string };
  /** The model's dataset in the platform's dataset store (named as `model.dataset.name`). */
  readonly dataset: Dataset;
  /** Artifacts, models, baselines and evaluation reports. */
  readonly artifactStore: DataStore;
  /**
   * The platform's settings (training instance type, spot training, quality bar, champion/challenger, retraining
   * cool-down, ML code pipeline); the settings table's defaults apply to what is not given.
   * @default - every default
   */
  readonly settings?: PlatformSettings;
  /** The ML code repository. @default - a versioned S3 source bucket: upload the code as `source/ml-code.zip` */
  readonly codeRepository?: CodeConnectionSourceProps;
  /** @default - deploy to this stack's account and region */
  readonly stageAccounts?: DeploymentStageTarget[];
}

/**
 * The training side of one model (level 2+): the model registry, the SageMaker training pipeline, CI/CD for the ML
 * code (test, then update the pipeline and start a run), and deploy-on-approval; at level 4 the pipeline tunes
 * hyperparameters and a champion/challenger judge approves better models by itself.
 */
export class TrainingStack extends Stack {
  /** The model registry (retained). */
  public readonly registry: ModelRegistry;
  /** The training pipeline. */
  public readonly pipeline: TrainingPipeline;
  /** The model's pipeline construct (definition and pipeline). */
  public readonly modelPipeline: ModelPipeline;
  /** Versioned bucket for ML code bundles when no code repository is connected. */
  public readonly sourceStore?: DataStore;
  /** CI/CD for the ML code (unless `mlCodePipeline` is false). */
  public readonly mlCodePipeline?: MlCodePipeline;
  /** Deploys approved model packages through CloudFormation. */
  public readonly deployOnApproval: DeployOnApproval;
  /** Champion/challenger approval (level 4). */
  public readonly championChallenger?: ChampionChallengerApproval;

  constructor(scope: Construct, id: string, props: TrainingStackProps) {
    const model = props.model;
    super(scope, id, { description: `cdk-mlops-maturity: training and delivery of model '${model.name}'`, ...props });
    const features = PlatformFeatures.forLevel(props.level);
    const settings = resolveSettings(props.settings);

    this.registry = new ModelRegistry(this, 'Registry', { description: `Versions of the ${model.name} model` });
    this.modelPipeline = new ModelPipeline(this, 'Training', {
      model,
      dataset: props.dataset,
      artifactStore: props.artifactStore,
      registry: this.registry,
      trainingInstanceType: settings.trainingInstanceType,
      spotTraining: settings.spotTraining,
      tuning: features.tuning,
      // Cached step results never outlive the retraining cool-down: a retraining run trains afresh.
      cacheExpiry: Duration.hours(Math.min(12, settings.retrainCooldownHours)),
    });
    this.pipeline = this.modelPipeline.pipeline;

    if (!props.codeRepository) this.sourceStore = new DataStore(this, 'Source', { purpose: 'ML code bundles' });
    const source = props.codeRepository
      ? DeliverySource.codeConnection(props.codeRepository)
      : DeliverySource.s3({ bucket: this.sourceStore!.bucket, objectKey: ML_CODE_OBJECT_KEY });
    if (settings.mlCodePipeline) {
      this.mlCodePipeline = new MlCodePipeline(this, 'MlCode', {
        source,
        trainingPipeline: this.pipeline,
        // This stack, selected by its construct path: what `cdk deploy` matches, under the App or in a Stage.
        trainingStacks: [this.node.path],
        // A code change redeploys the training stack at this platform's level, with the same settings.
        context: { ...props.deliveryContext, level: String(props.level) },
      });
    }
    this.deployOnApproval = new DeployOnApproval(this, 'DeployOnApproval', {
      registry: this.registry,
      source,
      servingStacks: props.servingStackSelectors,
      modelPackageArnContextKey: props.modelPackageArnContextKey,
      level: props.level,
      context: props.deliveryContext,
      stageAccounts: props.stageAccounts,
    });

    if (features.championChallenger) {
      const promotionMetric = settings.promotionMetric ?? model.metric.name;
      this.championChallenger = new ChampionChallengerApproval(this, 'ChampionChallenger', {
        registry: this.registry,
        reportsBucket: props.artifactStore.bucket,
        reportsKeyPrefix: `${model.name}/runs/`,
        promotionMetric,
        promotionMargin: settings.promotionMargin,
        higherIsBetter: metricDirection(promotionMetric) === MetricDirection.HIGHER_IS_BETTER,
        guardMetrics: guardMetrics(model.problemType, promotionMetric),
        // The first champion clears the model's own bar when it is promoted on that metric; on another metric, no bar.
        minimumValue: promotionMetric === model.metric.name ? model.metric.threshold
          : metricDirection(promotionMetric) === MetricDirection.HIGHER_IS_BETTER ? 0 : Number.MAX_SAFE_INTEGER,
      });
    }
  }
}
