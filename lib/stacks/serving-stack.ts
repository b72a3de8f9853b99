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
import { RetrainingTrigger } from '../retraining/retraining-trigger';
import { EndpointDeploymentConfig } from '../serving/endpoint-options';
import { ModelEndpoint } from '../serving/model-endpoint';
import { ServedModelGuard } from '../serving/served-model-guard';

/** The features of the example's model, whose drift the monitors and alarms watch. */
export const RECOMMENDATION_FEATURES = ['feature1', 'feature2'];

/**
 * Properties of a {@link ServingStack}.
 */
export interface ServingStackProps extends StackProps {
  /** The maturity level (2 or more). */
  readonly level: MaturityLevel;
  /** The model the stack serves. */
  readonly modelName: string;
  /** The registry model package the endpoint serves (a new ARN is an in-place endpoint update). */
  readonly modelPackageArn: string;
  /** Where the model artifacts live, data capture lands and monitoring writes its reports. */
  readonly artifactStore: DataStore;
  /** Where ground-truth labels land (`ground-truth/<model>/`), read by the model-quality monitor (level 3+). */
  readonly datasetStore?: DataStore;
  /** The training pipeline, restarted by the retraining trigger and watched by the alarms (level 3+). */
  readonly pipeline: sagemaker.IPipeline;
  /** @default 'ml.m5.large' */
  readonly endpointInstanceType?: string;
  /** @default 1 */
  readonly endpointInstanceCount?: number;
  /** Accuracy floor of the model-quality alarm (level 3+). @default 0.7 */
  readonly minAccuracy?: number;
  /** Share of requests captured (level 3+). @default 100 */
  readonly dataCapturePercent?: number;
  /** Drift alarm threshold for every feature (level 3+). @default 0.2 */
  readonly driftThreshold?: number;
  /** p99 latency alarm threshold in ms (level 3+). @default 500 */
  readonly latencyP99Ms?: number;
  /** E-mail subscribed to the alarm topic (level 3+). @default - no subscription */
  readonly alarmEmail?: string;
  /** Minimum hours between two retraining runs (level 3+). @default 24 */
  readonly retrainCooldownHours?: number;
  /** Periodic retraining schedule (level 3+). @default - retraining on alarms only */
  readonly retrainSchedule?: string;
  /** Canary size in percent of capacity (level 4). @default 10 */
  readonly canaryPercent?: number;
  /** Minutes the canary bakes (level 4). @default 10 */
  readonly canaryWaitMinutes?: number;
  /** Autoscaling minimum per variant (level 4). @default 1 */
  readonly minCapacity?: number;
  /** Autoscaling maximum per variant (level 4). @default 4 */
  readonly maxCapacity?: number;
  /** Share of traffic copied to a shadow challenger (level 4). @default 0 */
  readonly shadowPercent?: number;
  /** The challenger served as shadow variant (level 4, with shadowPercent). @default - none */
  readonly shadowModelPackageArn?: string;
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
    super(scope, id, { description: `cdk-mlops-maturity: serving of model '${props.modelName}'`, ...props });
    const level = props.level;
    const artifacts = props.artifactStore;
    const monitoring = level >= MaturityLevel.MONITORING_AND_GOVERNANCE;
    const autonomous = level >= MaturityLevel.AUTONOMOUS;
    const shadowPercent = props.shadowPercent ?? 0;

    this.endpoint = new ModelEndpoint(this, 'Endpoint', {
      modelPackageArn: props.modelPackageArn,
      instanceType: props.endpointInstanceType ?? 'ml.m5.large',
      initialInstanceCount: props.endpointInstanceCount ?? 1,
      artifactBucket: artifacts.bucket,
      artifactKeyPrefix: `${props.modelName}/`,
      dataCapture: monitoring ? {
        destinationBucket: artifacts.bucket,
        prefix: `data-capture/${props.modelName}`,
        samplingPercentage: props.dataCapturePercent ?? 100,
      } : undefined,
      deploymentConfig: autonomous ? EndpointDeploymentConfig.canary({
        canarySizePercent: props.canaryPercent ?? 10,
        wait: Duration.minutes(props.canaryWaitMinutes ?? 10),
      }) : undefined,
      autoScaling: autonomous ? { minCapacity: props.minCapacity ?? 1, maxCapacity: props.maxCapacity ?? Math.max(4, props.minCapacity ?? 1) } : undefined,
      shadowVariant: autonomous && shadowPercent > 0 && props.shadowModelPackageArn
        ? { modelPackageArn: props.shadowModelPackageArn, samplingPercentage: shadowPercent } : undefined,
    });
    // Whoever deploys this stack (deploy-on-approval, a team pipeline, a plain cdk deploy), an older or unapproved
    // model never replaces the approved one: the guard runs before any model of the endpoint changes.
    this.modelGuard = new ServedModelGuard(this, 'ModelGuard', { modelPackageArn: props.modelPackageArn });
    this.modelGuard.protect(this.endpoint);
    if (props.operatedResourcesTag) OperatedResources.tag(this, props.operatedResourcesTag);
    if (!monitoring) return;

    const baselines = new ModelPackageBaselines(this, 'Baselines', { modelPackageArn: props.modelPackageArn });
    const datasets = props.datasetStore;
    this.monitor = new ModelMonitor(this, 'Monitor', {
      endpoint: this.endpoint,
      dataCaptureBucket: artifacts.bucket,
      dataCapturePrefix: `data-capture/${props.modelName}/`,
      baselineBucket: artifacts.bucket,
      baselinePrefix: `${props.modelName}/`,
      dataQualityStatisticsS3Uri: baselines.dataQualityStatisticsS3Uri,
      dataQualityConstraintsS3Uri: baselines.dataQualityConstraintsS3Uri,
      groundTruthBucket: datasets?.bucket,
      groundTruthPrefix: datasets ? `ground-truth/${props.modelName}/` : undefined,
      outputBucket: artifacts.bucket,
      outputPrefix: `monitoring/${props.modelName}/`,
      encryptionKey: artifacts.encryptionKey,
    });
    const alarmActions = new SnsAlarmActionStrategy(this, 'AlarmActions', { email: props.alarmEmail });
    const variantNames = [...this.endpoint.productionVariantNames, ...(this.endpoint.shadowVariantName ? [this.endpoint.shadowVariantName] : [])];
    this.alarms = new EndpointAlarms(this, 'Alarms', {
      endpoint: this.endpoint,
      variantNames: this.endpoint.productionVariantNames,
      monitor: this.monitor,
      driftFeatures: RECOMMENDATION_FEATURES,
      defaultDriftThreshold: props.driftThreshold,
      modelQualityThresholds: datasets ? { accuracy: props.minAccuracy ?? 0.7 } : undefined,
      latencyP99Ms: props.latencyP99Ms ?? 500,
      pipeline: props.pipeline,
      actionStrategy: alarmActions,
    });
    this.dashboard = new MlopsDashboard(this, 'Dashboard', {
      endpoint: this.endpoint,
      variantNames, // production variants and the shadow challenger, each with its latency and errors
      monitor: this.monitor,
      alarms: this.alarms,
      driftFeatures: RECOMMENDATION_FEATURES,
      pipeline: props.pipeline,
    });
    this.retraining = new RetrainingTrigger(this, 'Retraining', {
      pipeline: props.pipeline,
      alarms: this.alarms.retrainingAlarms,
      scheduleExpression: props.retrainSchedule,
      cooldown: Duration.hours(props.retrainCooldownHours ?? 24),
      alarmTopic: alarmActions.topic, // a failed retraining reaches the same people as every other alarm
    });
    if (autonomous) this.endpoint.addRollbackAlarms(...this.alarms.rollbackAlarms);
  }
}
