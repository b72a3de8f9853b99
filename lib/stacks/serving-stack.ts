import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { DataStore } from '../data/data-store';
import { OperatedResources, OperatedResourcesTag } from '../governance/operated-resources';
import { EndpointAlarms } from '../monitoring/endpoint-alarms';
import { MlopsDashboard } from '../monitoring/mlops-dashboard';
import { ModelMonitor } from '../monitoring/model-monitor';
import { ModelPackageBaselines } from '../monitoring/model-package-baselines';
import { SnsAlarmActionStrategy } from '../monitoring/alarm-action-strategy';
import { MaturityLevel } from '../core/maturity-level';
import { invalid } from '../private/validate';
import { PlatformFeatures } from '../core/platform-features';
import { PlatformModel } from '../models/platform-model';
import { PlatformSettings } from '../settings/platform-settings.generated';
import { resolveSettings } from '../settings/resolve-settings';
import { RetrainingTrigger } from '../retraining/retraining-trigger';
import { EndpointDeploymentConfig } from '../serving/endpoint-options';
import { ModelEndpoint } from '../serving/model-endpoint';
import { ServedModelGuard } from '../serving/served-model-guard';

/** Daily at midnight UTC: the `monitorSchedule: 'daily'` setting. */
const DAILY_SCHEDULE = 'cron(0 0 ? * * *)';

/**
 * Properties of a {@link ServingStack}.
 */
export interface ServingStackProps extends StackProps {
  /** The maturity level (2 or more). */
  readonly level: MaturityLevel;
  /** The model the stack serves: its features (one drift alarm each), problem type and quality metric. */
  readonly model: PlatformModel;
  /** The registry model package the endpoint serves (a new ARN is an in-place endpoint update). */
  readonly modelPackageArn: string;
  /** Where the model artifacts live, data capture lands and monitoring writes its reports. */
  readonly artifactStore: DataStore;
  /** Where ground-truth labels land (`ground-truth/<model>/`), read by the model-quality monitor (level 3+). */
  readonly datasetStore?: DataStore;
  /** The training pipeline, restarted by the retraining trigger and watched by the alarms (level 3+). */
  readonly pipeline: sagemaker.IPipeline;
  /**
   * The platform's settings (endpoint size, data capture, thresholds, retraining, canary, autoscaling, shadow
   * challenger); the settings table's defaults apply to what is not given.
   * @default - every default
   */
  readonly settings?: PlatformSettings;
  /**
   * Tag put on the stack's alarms and endpoint, through which the governance stack's operators reach them (level 3+).
   * @default - no tag
   */
  readonly operatedResourcesTag?: OperatedResourcesTag;
}

/**
 * The serving side of one model: a real-time endpoint serving a registry model package, behind a
 * {@link ServedModelGuard} that refuses a package that is not Approved or older than the approved one served (level 2); data capture,
 * monitors against the pipeline's baselines, alarms, a dashboard and drift-triggered retraining (level 3); canary
 * updates with automatic rollback, autoscaling and an optional shadow challenger (level 4).
 */
export class ServingStack extends Stack {
  /** The endpoint. */
  public readonly endpoint: ModelEndpoint;
  /** The deploy-time guard every model of the endpoint waits for. */
  public readonly modelGuard: ServedModelGuard;
  /** Monitors (level 3+). */
  public readonly monitor?: ModelMonitor;
  /** Alarms (level 3+). */
  public readonly alarms?: EndpointAlarms;
  /** The dashboard (level 3+). */
  public readonly dashboard?: MlopsDashboard;
  /** The retraining trigger (level 3+). */
  public readonly retraining?: RetrainingTrigger;

  constructor(scope: Construct, id: string, props: ServingStackProps) {
    super(scope, id, { description: `cdk-mlops-maturity: serving of model '${props.model.name}'`, ...props });
    const model = props.model;
    const modelName = model.name;
    const featureNames = model.dataset.features.map((f) => f.name);
    const features = PlatformFeatures.forLevel(props.level);
    const settings = resolveSettings(props.settings);
    const artifacts = props.artifactStore;
    const serverless = settings.serverless;
    if (serverless && features.dataCapture) {
      invalid(this, 'settings.serverless', `false at level ${props.level}: serverless endpoints have no data capture, which the level-3 monitors need (use it at level 2)`, serverless);
    }

    this.endpoint = new ModelEndpoint(this, 'Endpoint', {
      modelPackageArn: props.modelPackageArn,
      // Serverless is a level-2 option: the platform refuses it from level 3, where the monitors need data capture.
      serverless: serverless ? {} : undefined,
      instanceType: serverless ? undefined : settings.endpointInstanceType,
      initialInstanceCount: serverless ? undefined : settings.endpointInstanceCount,
      artifactBucket: artifacts.bucket,
      artifactKeyPrefix: `${modelName}/`,
      dataCapture: features.dataCapture ? {
        destinationBucket: artifacts.bucket,
        prefix: `data-capture/${modelName}`,
        samplingPercentage: settings.dataCapturePercent,
      } : undefined,
      deploymentConfig: features.canary ? EndpointDeploymentConfig.canary({
        canarySizePercent: settings.canaryPercent,
        wait: Duration.minutes(settings.canaryWaitMinutes),
      }) : undefined,
      autoScaling: features.autoscaling ? { minCapacity: settings.minCapacity, maxCapacity: settings.maxCapacity } : undefined,
      shadowVariant: features.shadowTesting && settings.shadowPercent > 0 && settings.shadowModelPackageArn
        ? { modelPackageArn: settings.shadowModelPackageArn, samplingPercentage: settings.shadowPercent } : undefined,
    });
    // Whoever deploys this stack (deploy-on-approval, a team pipeline, a plain cdk deploy), an older or unapproved
    // model never replaces the approved one: the guard runs before any model of the endpoint changes.
    this.modelGuard = new ServedModelGuard(this, 'ModelGuard', { modelPackageArn: props.modelPackageArn });
    this.modelGuard.protect(this.endpoint);
    if (props.operatedResourcesTag) OperatedResources.tag(this, props.operatedResourcesTag);
    if (!features.monitoring) return;

    const baselines = new ModelPackageBaselines(this, 'Baselines', { modelPackageArn: props.modelPackageArn });
    const datasets = props.datasetStore;
    this.monitor = new ModelMonitor(this, 'Monitor', {
      endpoint: this.endpoint,
      dataCaptureBucket: artifacts.bucket,
      dataCapturePrefix: `data-capture/${modelName}/`,
      baselineBucket: artifacts.bucket,
      baselinePrefix: `${modelName}/`,
      dataQualityStatisticsS3Uri: baselines.dataQualityStatisticsS3Uri,
      dataQualityConstraintsS3Uri: baselines.dataQualityConstraintsS3Uri,
      groundTruthBucket: datasets?.bucket,
      groundTruthPrefix: datasets ? `ground-truth/${modelName}/` : undefined,
      outputBucket: artifacts.bucket,
      outputPrefix: `monitoring/${modelName}/`,
      problemType: model.problemType,
      scheduleExpression: settings.monitorSchedule === 'daily' ? DAILY_SCHEDULE : undefined,
      encryptionKey: artifacts.encryptionKey,
    });
    const alarmActions = new SnsAlarmActionStrategy(this, 'AlarmActions', { email: settings.alarmEmail });
    const variantNames = [...this.endpoint.productionVariantNames, ...(this.endpoint.shadowVariantName ? [this.endpoint.shadowVariantName] : [])];
    this.alarms = new EndpointAlarms(this, 'Alarms', {
      endpoint: this.endpoint,
      variantNames: this.endpoint.productionVariantNames,
      monitor: this.monitor,
      driftFeatures: featureNames,
      defaultDriftThreshold: settings.driftThreshold,
      modelQualityThresholds: datasets ? { [model.metric.name]: model.metric.threshold } : undefined,
      latencyP99Ms: settings.latencyP99Ms,
      pipeline: props.pipeline,
      actionStrategy: alarmActions,
    });
    this.dashboard = new MlopsDashboard(this, 'Dashboard', {
      endpoint: this.endpoint,
      variantNames, // production variants and the shadow challenger, each with its latency and errors
      monitor: this.monitor,
      alarms: this.alarms,
      driftFeatures: featureNames,
      pipeline: props.pipeline,
    });
    if (features.retraining) {
      this.retraining = new RetrainingTrigger(this, 'Retraining', {
        pipeline: props.pipeline,
        alarms: this.alarms.retrainingAlarms,
        scheduleExpression: settings.retrainSchedule,
        cooldown: Duration.hours(settings.retrainCooldownHours),
        alarmTopic: alarmActions.topic, // a failed retraining reaches the same people as every other alarm
      });
    }
    if (features.canary) this.endpoint.addRollbackAlarms(...this.alarms.rollbackAlarms);
  }
}
