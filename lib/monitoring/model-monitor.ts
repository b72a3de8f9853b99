import { Annotations, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct, IConstruct } from 'constructs';
import { MonitorMetrics } from './monitoring-metrics';
import { ProblemType } from '../core/problem-type';
import { PrebuiltImage } from '../pipeline/images/prebuilt-image';
import { repositoryArnOfImage } from '../private/ecr-image-uri';
import { monitoringNameFromPath, nameFromArn } from './private/names';
import { createMonitoringRole, MonitoringLocation } from './private/role';
import { normalizePrefix, s3UriOf } from './private/s3';
import { checkLabel, checkScheduleExpression } from './private/validate';
import { checkInstanceType, checkInteger, checkRange, InputError, invalid, isUnresolved } from '../private/validate';
import { displayPath } from '../private/display-path';

/** Hourly, on the hour (UTC): Model Monitor's default schedule. */
export const HOURLY_SCHEDULE = 'cron(0 * ? * * *)';

/**
 * The monitoring of one endpoint, as alarms and dashboards see it: schedule names, metrics and events.
 * Implemented by {@link ModelMonitor}.
 */
export interface IModelMonitor extends IConstruct {
  /** Name of the monitored endpoint. */
  readonly endpointName: string;
  /** Name of the data-quality monitoring schedule. */
  readonly dataQualityScheduleName: string;
  /** Name of the model-quality monitoring schedule, when model quality is monitored. */
  readonly modelQualityScheduleName?: string;
  /** Names of every monitoring schedule of this monitor. */
  readonly monitoringScheduleNames: string[];
  /** ARNs of every monitoring schedule of this monitor. */
  readonly monitoringScheduleArns: string[];
  /** Problem type of the model-quality monitor, when model quality is monitored. */
  readonly problemType?: ProblemType;

  /** Baseline drift distance of one feature (`feature_baseline_drift_<feature>`). */
  metricFeatureDrift(feature: string, options?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** A model-quality metric (`accuracy`, `f1`, `auc`, ...); an error when model quality is not monitored. */
  metricModelQuality(metricName: string, options?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** EventBridge rule for monitoring jobs of these schedules that failed. */
  onMonitoringJobFailed(id: string, options?: events.OnEventOptions): events.Rule;
}

/** Properties of a {@link ModelMonitor}. */
export interface ModelMonitorProps {
  /** The endpoint to monitor; it must capture its requests and responses (data capture). */
  readonly endpoint: sagemaker.IEndpoint;

  /** Bucket the endpoint's data capture is written to. */
  readonly dataCaptureBucket: s3.IBucket;
  /**
   * Key prefix of the endpoint's data capture in `dataCaptureBucket` (read access is limited to it).
   * @default 'data-capture/'
   */
  readonly dataCapturePrefix?: string;

  /** Bucket holding the baselines (statistics.json, constraints.json) and Clarify analysis configs. */
  readonly baselineBucket: s3.IBucket;
  /**
   * Key prefix of the baselines in `baselineBucket` (read access is limited to it).
   * @default '' - the whole bucket
   */
  readonly baselinePrefix?: string;
  /** S3 URI of the data-quality baseline statistics, e.g. `ModelPackageBaselines.dataQualityStatisticsS3Uri`. */
  readonly dataQualityStatisticsS3Uri: string;
  /** S3 URI of the data-quality baseline constraints, e.g. `ModelPackageBaselines.dataQualityConstraintsS3Uri`. */
  readonly dataQualityConstraintsS3Uri: string;

  /**
   * Bucket of the ground-truth labels. Giving it turns on the model-quality monitor.
   * @default - no model-quality monitor
   */
  readonly groundTruthBucket?: s3.IBucket;
  /**
   * Key prefix of the ground-truth labels (SageMaker reads `<prefix>yyyy/mm/dd/hh/*.jsonl`, merged by event id).
   * @default 'ground-truth/'
   */
  readonly groundTruthPrefix?: string;
  /**
   * S3 URI of the model-quality baseline constraints, e.g. `ModelPackageBaselines.modelQualityConstraintsS3Uri`.
   * @default - model quality is reported without constraints (metrics published, no violations)
   */
  readonly modelQualityConstraintsS3Uri?: string;
  /**
   * Problem type of the model-quality monitor.
   * @default ProblemType.BINARY_CLASSIFICATION
   */
  readonly problemType?: ProblemType;
  /**
   * Where the predicted label is in the endpoint's output (a JSON path, or a column index for CSV).
   * @default - for binary classification the probability in `probabilityAttribute` is used; '0' otherwise
   */
  readonly inferenceAttribute?: string;
  /**
   * Where the predicted probability is in the endpoint's output (binary classification).
   * @default '0' for binary classification without `inferenceAttribute` (a CSV output of one probability)
   */
  readonly probabilityAttribute?: string;
  /**
   * Probability from which a prediction counts as the positive class (binary classification).
   * @default 0.5
   */
  readonly probabilityThreshold?: number;

  /**
   * S3 URI of a Clarify analysis config (analysis_config.json) for a bias-drift monitor; it must lie under
   * `baselineBucket`/`baselinePrefix`. Needs `groundTruthBucket`.
   * @default - no bias monitor
   */
  readonly biasAnalysisConfigS3Uri?: string;
  /**
   * S3 URI of the bias baseline constraints.
   * @default - no baseline constraints for the bias monitor
   */
  readonly biasConstraintsS3Uri?: string;
  /**
   * S3 URI of a Clarify analysis config for a feature-attribution-drift (explainability) monitor, under
   * `baselineBucket`/`baselinePrefix`.
   * @default - no explainability monitor
   */
  readonly explainabilityAnalysisConfigS3Uri?: string;
  /**
   * S3 URI of the explainability baseline constraints.
   * @default - no baseline constraints for the explainability monitor
   */
  readonly explainabilityConstraintsS3Uri?: string;

  /** Bucket the monitoring reports (statistics, constraint violations) are written to. */
  readonly outputBucket: s3.IBucket;
  /**
   * Key prefix of the reports in `outputBucket`; each monitor writes under its own sub-prefix.
   * @default 'monitoring/'
   */
  readonly outputPrefix?: string;

  /**
   * KMS key for the jobs' ML storage volumes and their reports.
   * @default - the output bucket's key, or a new key with rotation (retained) when the bucket has none
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * When the monitors run: `cron(0 * ? * * *)` (hourly), `cron(0 H ? * * *)` (daily at H UTC) or
   * `cron(0 H/N ? * * *)` (every N hours from H).
   * @default 'cron(0 * ? * * *)'
   */
  readonly scheduleExpression?: string;
  /**
   * Instance type of the monitoring jobs.
   * @default 'ml.m5.xlarge'
   */
  readonly instanceType?: string;
  /**
   * Instances per monitoring job.
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * ML storage volume per instance, in GB.
   * @default 20
   */
  readonly volumeSizeInGb?: number;
  /**
   * Longest a monitoring job may run (at most 1 hour with an hourly schedule).
   * @default Duration.hours(1)
   */
  readonly maxRuntime?: Duration;
  /**
   * Run the jobs without network access (data in and out only through SageMaker's S3 channels): the
   * `EnableNetworkIsolation` of the monitoring schedule's `NetworkConfig`.
   * @default true
   */
  readonly enableNetworkIsolation?: boolean;

  /**
   * Model Monitor analyzer image.
   * @default - SageMaker's `sagemaker-model-monitor-analyzer` of the stack's region
   */
  readonly analyzerImageUri?: string;
  /**
   * Clarify processing image for the bias and explainability monitors.
   * @default - SageMaker's `sagemaker-clarify-processing:1.0` of the stack's region
   */
  readonly clarifyImageUri?: string;

  /**
   * Execution role of the monitoring jobs.
   * @default - a least-privilege role is created
   */
  readonly role?: iam.IRole;
}

/**
 * Model Monitor for one real-time endpoint: a data-quality monitor (and, with ground truth, a model-quality monitor;
 * optionally Clarify bias and explainability monitors), each a job definition plus a monitoring schedule, comparing
 * captured traffic with the baselines of the deployed model.
 *
 * Secure defaults: network isolation and inter-container traffic encryption on, a KMS key for volumes and reports,
 * a least-privilege role limited to the capture, baseline, ground-truth and report prefixes, CloudWatch metrics
 * published so alarms can act on drift.
 *
 * @example
 * const baselines = new ModelPackageBaselines(this, 'Baselines', { modelPackageArn });
 * const monitor = new ModelMonitor(this, 'Monitor', {
 *   endpoint,
 *   dataCaptureBucket: artifacts.bucket, dataCapturePrefix: 'data-capture/',
 *   baselineBucket: artifacts.bucket, baselinePrefix: 'pipelines/',
 *   dataQualityStatisticsS3Uri: baselines.dataQualityStatisticsS3Uri,
 *   dataQualityConstraintsS3Uri: baselines.dataQualityConstraintsS3Uri,
 *   groundTruthBucket: datasets.bucket, groundTruthPrefix: 'ground-truth/',
 *   outputBucket: artifacts.bucket,
 * });
 * monitor.metricFeatureDrift('user_age');
 */
export class ModelMonitor extends Construct implements IModelMonitor {
  /** Name of the monitored endpoint. */
  public readonly endpointName: string;
  /** Name of the data-quality monitoring schedule. */
  public readonly dataQualityScheduleName: string;
  /** Name of the model-quality monitoring schedule, when `groundTruthBucket` is given. */
  public readonly modelQualityScheduleName?: string;
  /** Name of the bias-drift schedule, when bias is monitored. */
  public readonly biasScheduleName?: string;
  /** Name of the feature-attribution-drift schedule, when explainability is monitored. */
  public readonly explainabilityScheduleName?: string;
  /** Names of every monitoring schedule of this monitor, data quality first. */
  public readonly monitoringScheduleNames: string[] = [];
  /** ARNs of every monitoring schedule of this monitor, in the order of `monitoringScheduleNames`. */
  public readonly monitoringScheduleArns: string[] = [];
  /** Problem type of the model-quality monitor, when `groundTruthBucket` is given. */
  public readonly problemType?: ProblemType;
  /** The data-quality job definition. */
  public readonly dataQualityJobDefinition: sagemaker.CfnDataQualityJobDefinition;
  /** The model-quality job definition, when model quality is monitored. */
  public readonly modelQualityJobDefinition?: sagemaker.CfnModelQualityJobDefinition;
  /** Execution role of the monitoring jobs. */
  public readonly role: iam.IRole;
  /** KMS key of the jobs' volumes and reports. */
  public readonly encryptionKey: kms.IKey;
  /** `s3://` URI the reports are written under. */
  public readonly outputS3Uri: string;
  /** `s3://` URI of the ground-truth labels, when model quality is monitored. */
  public readonly groundTruthS3Uri?: string;
  /** The monitoring schedules. */
  public readonly schedules: sagemaker.CfnMonitoringSchedule[] = [];

  private readonly scheduleExpression: string;
  private readonly jobSettings: JobSettings;

  constructor(scope: Construct, id: string, props: ModelMonitorProps) {
    super(scope, id);
    this.validate(props);
    this.endpointName = props.endpoint.endpointName;
    this.scheduleExpression = props.scheduleExpression ?? HOURLY_SCHEDULE;

    const capturePrefix = normalizePrefix(this, 'dataCapturePrefix', props.dataCapturePrefix, 'data-capture/');
    const baselinePrefix = normalizePrefix(this, 'baselinePrefix', props.baselinePrefix, '');
    const outputPrefix = normalizePrefix(this, 'outputPrefix', props.outputPrefix, 'monitoring/');
    const groundTruthPrefix = normalizePrefix(this, 'groundTruthPrefix', props.groundTruthPrefix, 'ground-truth/');
    this.outputS3Uri = s3UriOf(props.outputBucket, outputPrefix);

    this.encryptionKey = props.encryptionKey ?? props.outputBucket.encryptionKey ?? new kms.Key(this, 'Key', {
      description: `Encrypts the Model Monitor volumes and reports of ${displayPath(this)}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const analyzer = monitoringImage(this, 'analyzerImageUri', props.analyzerImageUri, PrebuiltImage.modelMonitor());
    const clarifyNeeded = props.biasAnalysisConfigS3Uri !== undefined || props.explainabilityAnalysisConfigS3Uri !== undefined;
    const clarify = clarifyNeeded
      ? monitoringImage(this, 'clarifyImageUri', props.clarifyImageUri, PrebuiltImage.clarify())
      : undefined;

    if (props.role) {
      this.role = props.role;
    } else {
      const reads: MonitoringLocation[] = [
        { bucket: props.dataCaptureBucket, prefix: capturePrefix, purpose: 'data capture' },
        { bucket: props.baselineBucket, prefix: baselinePrefix, purpose: 'baselines' },
      ];
      if (props.groundTruthBucket) reads.push({ bucket: props.groundTruthBucket, prefix: groundTruthPrefix, purpose: 'ground truth' });
      this.role = createMonitoringRole(this, 'Role', {
        reads,
        writes: [{ bucket: props.outputBucket, prefix: outputPrefix, purpose: 'reports' }],
        encryptionKey: this.encryptionKey,
        repositoryArns: [analyzer.repositoryArn, ...(clarify ? [clarify.repositoryArn] : [])],
      });
    }

    if (props.enableNetworkIsolation === false) {
      Annotations.of(this).addWarningV2('cdk-mlops-maturity:monitorNetworkIsolationOff',
        'enableNetworkIsolation is false: the monitoring jobs can reach the network');
    }
    this.jobSettings = {
      roleArn: this.role.roleArn,
      jobResources: {
        clusterConfig: {
          instanceCount: props.instanceCount ?? 1,
          instanceType: props.instanceType ?? 'ml.m5.xlarge',
          volumeSizeInGb: props.volumeSizeInGb ?? 20,
          volumeKmsKeyId: this.encryptionKey.keyArn,
        },
      },
      networkConfig: { enableNetworkIsolation: props.enableNetworkIsolation ?? true, enableInterContainerTrafficEncryption: true },
      stoppingCondition: { maxRuntimeInSeconds: (props.maxRuntime ?? Duration.hours(1)).toSeconds() },
      output: (name: string) => ({
        kmsKeyId: this.encryptionKey.keyArn,
        monitoringOutputs: [{ s3Output: { localPath: '/opt/ml/processing/output', s3Uri: `${this.outputS3Uri}${name}/`, s3UploadMode: 'EndOfJob' } }],
      }),
    };
    const metricsEnvironment = { publish_cloudwatch_metrics: 'Enabled' };
    // Every monitor reads the endpoint's captured traffic the same way.
    const endpointInputBase = { endpointName: this.endpointName, localPath: '/opt/ml/processing/input/endpoint', s3InputMode: 'File', s3DataDistributionType: 'FullyReplicated' };

    // Data quality.
    this.dataQualityJobDefinition = new sagemaker.CfnDataQualityJobDefinition(this, 'DataQualityJobDefinition', {
      endpointName: this.endpointName,
      dataQualityAppSpecification: { imageUri: analyzer.imageUri, environment: metricsEnvironment },
      dataQualityBaselineConfig: {
        statisticsResource: { s3Uri: props.dataQualityStatisticsS3Uri },
        constraintsResource: { s3Uri: props.dataQualityConstraintsS3Uri },
      },
      dataQualityJobInput: { endpointInput: endpointInputBase },
      dataQualityJobOutputConfig: this.jobSettings.output('data-quality'),
      jobResources: this.jobSettings.jobResources,
      networkConfig: this.jobSettings.networkConfig,
      roleArn: this.jobSettings.roleArn,
      stoppingCondition: this.jobSettings.stoppingCondition,
    });
    this.dataQualityScheduleName = this.addSchedule('DataQualitySchedule', 'DataQuality', this.dataQualityJobDefinition);

    // Model quality: predictions merged with ground-truth labels.
    if (props.groundTruthBucket) {
      this.problemType = props.problemType ?? ProblemType.BINARY_CLASSIFICATION;
      this.groundTruthS3Uri = s3UriOf(props.groundTruthBucket, groundTruthPrefix);
      const binary = this.problemType === ProblemType.BINARY_CLASSIFICATION;
      const probabilityAttribute = props.probabilityAttribute ?? (binary && props.inferenceAttribute === undefined ? '0' : undefined);
      const inferenceAttribute = props.inferenceAttribute ?? (probabilityAttribute === undefined ? '0' : undefined);
      this.modelQualityJobDefinition = new sagemaker.CfnModelQualityJobDefinition(this, 'ModelQualityJobDefinition', {
        endpointName: this.endpointName,
        modelQualityAppSpecification: { imageUri: analyzer.imageUri, problemType: this.problemType, environment: metricsEnvironment },
        modelQualityBaselineConfig: props.modelQualityConstraintsS3Uri
          ? { constraintsResource: { s3Uri: props.modelQualityConstraintsS3Uri } } : undefined,
        modelQualityJobInput: {
          endpointInput: {
            ...endpointInputBase,
            inferenceAttribute,
            probabilityAttribute,
            probabilityThresholdAttribute: binary && probabilityAttribute !== undefined ? props.probabilityThreshold ?? 0.5 : undefined,
          },
          groundTruthS3Input: { s3Uri: this.groundTruthS3Uri },
        },
        modelQualityJobOutputConfig: this.jobSettings.output('model-quality'),
        jobResources: this.jobSettings.jobResources,
        networkConfig: this.jobSettings.networkConfig,
        roleArn: this.jobSettings.roleArn,
        stoppingCondition: this.jobSettings.stoppingCondition,
      });
      this.modelQualityScheduleName = this.addSchedule('ModelQualitySchedule', 'ModelQuality', this.modelQualityJobDefinition);
    }

    // Clarify monitors.
    if (props.biasAnalysisConfigS3Uri !== undefined && clarify && this.groundTruthS3Uri) {
      const bias = new sagemaker.CfnModelBiasJobDefinition(this, 'ModelBiasJobDefinition', {
        endpointName: this.endpointName,
        modelBiasAppSpecification: { imageUri: clarify.imageUri, configUri: props.biasAnalysisConfigS3Uri, environment: metricsEnvironment },
        modelBiasBaselineConfig: props.biasConstraintsS3Uri ? { constraintsResource: { s3Uri: props.biasConstraintsS3Uri } } : undefined,
        modelBiasJobInput: { endpointInput: endpointInputBase, groundTruthS3Input: { s3Uri: this.groundTruthS3Uri } },
        modelBiasJobOutputConfig: this.jobSettings.output('model-bias'),
        jobResources: this.jobSettings.jobResources,
        networkConfig: this.jobSettings.networkConfig,
        roleArn: this.jobSettings.roleArn,
        stoppingCondition: this.jobSettings.stoppingCondition,
      });
      this.biasScheduleName = this.addSchedule('ModelBiasSchedule', 'ModelBias', bias);
    }
    if (props.explainabilityAnalysisConfigS3Uri !== undefined && clarify) {
      const explainability = new sagemaker.CfnModelExplainabilityJobDefinition(this, 'ModelExplainabilityJobDefinition', {
        endpointName: this.endpointName,
        modelExplainabilityAppSpecification: { imageUri: clarify.imageUri, configUri: props.explainabilityAnalysisConfigS3Uri, environment: metricsEnvironment },
        modelExplainabilityBaselineConfig: props.explainabilityConstraintsS3Uri
          ? { constraintsResource: { s3Uri: props.explainabilityConstraintsS3Uri } } : undefined,
        modelExplainabilityJobInput: { endpointInput: endpointInputBase },
        modelExplainabilityJobOutputConfig: this.jobSettings.output('model-explainability'),
        jobResources: this.jobSettings.jobResources,
        networkConfig: this.jobSettings.networkConfig,
        roleArn: this.jobSettings.roleArn,
        stoppingCondition: this.jobSettings.stoppingCondition,
      });
      this.explainabilityScheduleName = this.addSchedule('ModelExplainabilitySchedule', 'ModelExplainability', explainability);
    }
  }

  /** Baseline drift distance of one feature (`feature_baseline_drift_<feature>`, maximum per hour). */
  public metricFeatureDrift(feature: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    checkLabel(this, 'feature', feature);
    return MonitorMetrics.featureDrift(this.endpointName, this.dataQualityScheduleName, feature, options);
  }

  /** A model-quality metric (`accuracy`, `f1`, `auc`, ...; average per hour); an error without `groundTruthBucket`. */
  public metricModelQuality(metricName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    if (!this.modelQualityScheduleName) {
      throw new InputError(this, `groundTruthBucket must be given for model-quality metrics, got undefined (asked for '${metricName}')`);
    }
    return MonitorMetrics.modelQuality(this.endpointName, this.modelQualityScheduleName, metricName, options);
  }

  /**
   * EventBridge rule for monitoring jobs of these schedules that failed: SageMaker "Processing Job State Change"
   * events with status `Failed` whose `MonitoringScheduleArn` is one of this monitor's schedules.
   */
  public onMonitoringJobFailed(id: string, options: events.OnEventOptions = {}): events.Rule {
    const rule = new events.Rule(this, id, {
      description: options.description ?? `Failed Model Monitor jobs of ${displayPath(this)}`,
      ruleName: options.ruleName,
      crossStackScope: options.crossStackScope,
    });
    rule.addEventPattern({
      source: ['aws.sagemaker'],
      detailType: ['SageMaker Processing Job State Change'],
      detail: { ProcessingJobStatus: ['Failed'], MonitoringScheduleArn: this.monitoringScheduleArns },
    });
    if (options.eventPattern) rule.addEventPattern(options.eventPattern);
    if (options.target) rule.addTarget(options.target);
    return rule;
  }

  private addSchedule(id: string, monitoringType: string, jobDefinition: { attrJobDefinitionArn: string }): string {
    const name = monitoringNameFromPath(this, monitoringType);
    const schedule = new sagemaker.CfnMonitoringSchedule(this, id, {
      monitoringScheduleName: name,
      endpointName: this.endpointName,
      monitoringScheduleConfig: {
        monitoringType,
        // Job definitions are replaced on every change and keep CloudFormation-generated names: refer by ARN.
        monitoringJobDefinitionName: nameFromArn(jobDefinition.attrJobDefinitionArn),
        scheduleConfig: { scheduleExpression: this.scheduleExpression },
      },
    });
    this.schedules.push(schedule);
    this.monitoringScheduleNames.push(name);
    this.monitoringScheduleArns.push(schedule.attrMonitoringScheduleArn);
    return name;
  }

  private validate(props: ModelMonitorProps): void {
    checkScheduleExpression(this, 'scheduleExpression', props.scheduleExpression);
    checkInstanceType(this, 'instanceType', props.instanceType);
    checkInteger(this, 'instanceCount', props.instanceCount, 1, 100);
    checkInteger(this, 'volumeSizeInGb', props.volumeSizeInGb, 1, 16384);
    checkRange(this, 'probabilityThreshold', props.probabilityThreshold, 0, 1);
    if (props.maxRuntime !== undefined && !isUnresolved(props.maxRuntime.toSeconds())) {
      const seconds = props.maxRuntime.toSeconds();
      const hourly = (props.scheduleExpression ?? HOURLY_SCHEDULE) === HOURLY_SCHEDULE;
      const max = hourly ? 3600 : 86400;
      if (seconds < 1 || seconds > max) {
        invalid(this, 'maxRuntime', `between 1 second and ${hourly ? '1 hour (the schedule is hourly)' : '24 hours'}`, `${seconds} seconds`);
      }
    }
    for (const [name, uri] of Object.entries({
      dataQualityStatisticsS3Uri: props.dataQualityStatisticsS3Uri,
      dataQualityConstraintsS3Uri: props.dataQualityConstraintsS3Uri,
      modelQualityConstraintsS3Uri: props.modelQualityConstraintsS3Uri,
      biasAnalysisConfigS3Uri: props.biasAnalysisConfigS3Uri,
      biasConstraintsS3Uri: props.biasConstraintsS3Uri,
      explainabilityAnalysisConfigS3Uri: props.explainabilityAnalysisConfigS3Uri,
      explainabilityConstraintsS3Uri: props.explainabilityConstraintsS3Uri,
    })) {
      if (uri !== undefined && !isUnresolved(uri) && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+/.test(uri)) {
        invalid(this, name, "an S3 URI like 's3://bucket/key'", uri);
      }
    }
    if (!props.groundTruthBucket) {
      for (const [name, value] of Object.entries({
        modelQualityConstraintsS3Uri: props.modelQualityConstraintsS3Uri,
        biasAnalysisConfigS3Uri: props.biasAnalysisConfigS3Uri,
        problemType: props.problemType,
        inferenceAttribute: props.inferenceAttribute,
        probabilityAttribute: props.probabilityAttribute,
      })) {
        if (value !== undefined) throw new InputError(this, `groundTruthBucket must be given when ${name} is set, got undefined`);
      }
    }
    if (props.probabilityAttribute !== undefined && props.problemType !== undefined && props.problemType !== ProblemType.BINARY_CLASSIFICATION) {
      throw new InputError(this, `probabilityAttribute must be used only with problemType 'BinaryClassification', got problemType '${props.problemType}'`);
    }
    if (props.biasConstraintsS3Uri !== undefined && props.biasAnalysisConfigS3Uri === undefined) {
      throw new InputError(this, 'biasAnalysisConfigS3Uri must be given when biasConstraintsS3Uri is set, got undefined');
    }
    if (props.explainabilityConstraintsS3Uri !== undefined && props.explainabilityAnalysisConfigS3Uri === undefined) {
      throw new InputError(this, 'explainabilityAnalysisConfigS3Uri must be given when explainabilityConstraintsS3Uri is set, got undefined');
    }
  }
}

/** An image the monitoring jobs run, and the ECR repository their role pulls it from. */
interface MonitoringImage {
  readonly imageUri: string;
  readonly repositoryArn: string;
}

/**
 * The image given in `propName` (`uri`), or else SageMaker's prebuilt image of the stack's region. A concrete region
 * without the prebuilt image stops synth with one line that also names the prop to set instead.
 */
function monitoringImage(scope: Construct, propName: string, uri: string | undefined, prebuilt: PrebuiltImage): MonitoringImage {
  if (uri !== undefined) return { imageUri: uri, repositoryArn: repositoryArnOfImage(scope, uri, propName) };
  let bound;
  try {
    bound = prebuilt.bind(scope);
  } catch (e) {
    throw new InputError(scope, `${e instanceof InputError ? e.problem : (e as Error).message}; set ${propName} to use another image`);
  }
  const repositoryArn = Stack.of(scope).formatArn({ service: 'ecr', account: bound.account, resource: 'repository', resourceName: bound.repositoryName });
  return { imageUri: bound.imageUri, repositoryArn };
}

/** Settings every job definition of one monitor shares. */
interface JobSettings {
  readonly roleArn: string;
  readonly jobResources: sagemaker.CfnDataQualityJobDefinition.MonitoringResourcesProperty;
  readonly networkConfig: sagemaker.CfnDataQualityJobDefinition.NetworkConfigProperty;
  readonly stoppingCondition: sagemaker.CfnDataQualityJobDefinition.StoppingConditionProperty;
  readonly output: (name: string) => sagemaker.CfnDataQualityJobDefinition.MonitoringOutputConfigProperty;
}
