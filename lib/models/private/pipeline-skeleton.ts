import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { CsvLayout, preprocessArguments } from './script-contract';
import { ModelApprovalStatus } from '../../core/model-approval-status';
import { CUSTOMER_METADATA_PATTERN, CUSTOMER_METADATA_VALUE } from '../../handlers/shared/api-limits';
import { checkInteger, invalid, isUnresolved } from '../../private/validate';
import {
  CacheConfig, Condition, ConditionStep, ContainerImage, DatasetFormat, ExecutionVariable, FailStep, Join, MetricDefinition,
  ObjectiveType, ParameterRange, PipelineDefinition, PipelineParameter, ProcessingStep, QualityCheckStep, QualityCheckType,
  RegisterModelStep, RetryExceptionType, RetryPolicy, S3Location, TrainingStep, TuningStep, TuningStrategy,
} from '../../pipeline/definition';
import { PrebuiltImage } from '../../pipeline/images/prebuilt-image';
import { ModelTrainerBindOptions, ModelTrainerConfig } from '../model-trainer';

/** Default longest training job; a spot job's `spotMaxWait` covers it. */
export const DEFAULT_TRAINING_MAX_RUNTIME = Duration.hours(1);

/**
 * Longest dataset prefix: the pipeline registers `s3://<bucket>/<prefix>` (bucket names have at most 63 characters)
 * as the `DatasetS3Uri` metadata value, which SageMaker limits to 256 characters.
 */
const MAX_DATASET_PREFIX = CUSTOMER_METADATA_VALUE.max! - 's3://'.length - 63 - '/'.length;

/** The preprocessing a kind runs: the team's own script or the platform's generic one, and the CSV layout it writes. */
export interface PreprocessSpec {
  /** The scikit-learn processing image it runs in. */
  readonly image: ContainerImage;
  /** The script (a file of an asset), mounted at `/opt/ml/processing/input/code/<fileName>`. */
  readonly code: S3Location;
  /** Its file name. */
  readonly fileName: string;
  /** The CSV layout of the splits. */
  readonly layout: CsvLayout;
}

/** The tuning a kind runs at level 4 instead of one training job. */
export interface TuningSpec {
  /** What the tuner searches. */
  readonly ranges: ParameterRange[];
  /** The metric it optimizes (a metric definition of the job, or one the built-in algorithm emits). */
  readonly objectiveMetricName: string;
  /** Whether larger objective values are better. */
  readonly objectiveType: ObjectiveType;
  /** Training jobs in all. */
  readonly maxJobs: number;
  /** Training jobs at once. */
  readonly maxParallelJobs: number;
}

/** The training job (or tuning job) a kind runs. */
export interface TrainingSpec {
  /** What the step's description says the job does. */
  readonly description: string;
  /** The training image. */
  readonly image: ContainerImage;
  /** Static hyperparameters (with tuning, those the ranges name are left out). */
  readonly hyperparameters: { [key: string]: string };
  /** Metrics captured from the logs. */
  readonly metricDefinitions?: MetricDefinition[];
  /** Channel names of the train and test splits: `train`/`test` (script mode) or `train`/`validation` (built-in XGBoost). */
  readonly channels: [string, string];
  /** Longest a job may run. */
  readonly maxRuntime: Duration;
  /** Longest a spot job may wait and run, in all. */
  readonly spotMaxWait?: Duration;
  /** Tuning, when the kind has ranges. */
  readonly tuning?: TuningSpec;
  /** Pipeline parameters the hyperparameters read (declared in the definition). */
  readonly parameters?: PipelineParameter[];
}

/** The evaluation a kind runs on the test split. */
export interface EvaluationSpec {
  /** What the step's description says. */
  readonly description: string;
  /** The image the evaluation runs in. */
  readonly image: ContainerImage;
  /** Its command. */
  readonly entrypoint: string[];
  /** Its arguments. */
  readonly arguments: string[];
  /** The script, mounted at `/opt/ml/processing/input/code`, unless the image holds it. */
  readonly code?: S3Location;
}

/** How the registered model is served. */
export interface ServingSpec {
  /** The inference image. */
  readonly image: ContainerImage;
  /** Its environment. */
  readonly environment?: { [key: string]: string };
  /** `SKLEARN`, `XGBOOST`, ... (model package `Framework`). */
  readonly framework?: string;
  /** The framework's version. */
  readonly frameworkVersion?: string;
  /** Request content types the image accepts (default `text/csv` and `application/json`). */
  readonly contentTypes?: string[];
}

/** What a kind fills in of the shared skeleton. */
export interface SkeletonSpec {
  readonly preprocess: PreprocessSpec;
  readonly training: TrainingSpec;
  readonly evaluation: EvaluationSpec;
  readonly serving: ServingSpec;
  /** Extra permissions of the pipeline role. */
  readonly policyStatements?: iam.PolicyStatement[];
}

/** Props every ready-made kind shares: how long its jobs run and how it tunes. */
export interface CommonJobSettings {
  readonly spotMaxWait?: Duration;
  readonly maxRuntime?: Duration;
  readonly tuningMaxJobs?: number;
  readonly tuningMaxParallelJobs?: number;
}

/** Checks the job settings shared by the kinds (one line naming the model and prop) and returns them with defaults. */
export function jobSettings(scope: IConstruct, options: ModelTrainerBindOptions, props: CommonJobSettings) {
  const key = (k: string) => `model '${options.modelName}': ${k}`;
  const maxRuntime = props.maxRuntime ?? DEFAULT_TRAINING_MAX_RUNTIME;
  checkInteger(scope, key('maxRuntime (seconds)'), maxRuntime.toSeconds(), 60, 28 * 24 * 3600);
  if (props.spotMaxWait && !options.spotTraining) invalid(scope, key('spotMaxWait'), 'unset when spotTraining is false', props.spotMaxWait.toHumanString());
  checkInteger(scope, key('spotMaxWait (seconds)'), props.spotMaxWait?.toSeconds(), maxRuntime.toSeconds());
  const maxJobs = props.tuningMaxJobs ?? 8;
  const maxParallelJobs = props.tuningMaxParallelJobs ?? 2;
  checkInteger(scope, key('tuningMaxJobs'), maxJobs, 1, 100);
  checkInteger(scope, key('tuningMaxParallelJobs'), maxParallelJobs, 1, 10);
  if (maxParallelJobs > maxJobs) invalid(scope, key('tuningMaxParallelJobs'), `at most tuningMaxJobs (${maxJobs})`, maxParallelJobs);
  return { maxRuntime, spotMaxWait: props.spotMaxWait ?? (options.spotTraining ? Duration.hours(2) : undefined), maxJobs, maxParallelJobs };
}

/** The hyperparameters without those a tuning job searches (SageMaker refuses a hyperparameter that is both). */
export function withoutRanged(hyperparameters: { [key: string]: string }, ranges: ParameterRange[] | undefined): { [key: string]: string } {
  const ranged = new Set((ranges ?? []).map((r) => r.json.Name));
  return Object.fromEntries(Object.entries(hyperparameters).filter(([k]) => !ranged.has(k)));
}

/**
 * The pipeline all kinds share: preprocess (never cached; manifest with the data's versions and digest) -> train on
 * managed spot, or tune at level 4 -> evaluate (network isolation) -> data-quality baseline -> the metric against
 * `MetricThreshold` in the metric's direction ? register the model with metrics, baselines and dataset metadata :
 * fail naming metric, value and threshold.
 */
export function buildModelPipeline(scope: Construct, options: ModelTrainerBindOptions, spec: SkeletonSpec): ModelTrainerConfig {
  const datasetPrefix = options.dataset.prefix;
  if (!isUnresolved(datasetPrefix) && (datasetPrefix.length > MAX_DATASET_PREFIX || !CUSTOMER_METADATA_PATTERN.test(datasetPrefix))) {
    invalid(scope, `model '${options.modelName}': dataset prefix`, `at most ${MAX_DATASET_PREFIX} letters, numbers, spaces and _ . : / = + - @ (the pipeline registers s3://<bucket>/<prefix> as model package metadata, CustomerMetadataProperties)`, datasetPrefix);
  }
  const metric = options.metric;
  const artifacts = options.artifactStore;
  const key = artifacts.encryptionKey;
  const run = `${options.modelName}/runs/${ExecutionVariable.PIPELINE_EXECUTION_ID}`;
  const at = (suffix: string) => S3Location.fromBucket(artifacts.bucket, `${run}/${suffix}`);

  const analyzer = ContainerImage.fromPrebuilt(scope, PrebuiltImage.modelMonitor());

  const threshold = PipelineParameter.float('MetricThreshold', { defaultValue: metric.threshold });
  const trainingType = PipelineParameter.string('TrainingInstanceType', { defaultValue: options.trainingInstanceType });
  const processingType = PipelineParameter.string('ProcessingInstanceType', { defaultValue: options.processingInstanceType });
  const approval = PipelineParameter.string('ModelApprovalStatus', {
    defaultValue: ModelApprovalStatus.PENDING_MANUAL_APPROVAL,
    enumValues: [ModelApprovalStatus.PENDING_MANUAL_APPROVAL, ModelApprovalStatus.APPROVED, ModelApprovalStatus.REJECTED],
  });
  const reason = PipelineParameter.string('TriggerReason', { defaultValue: 'manual' });
  const alarm = PipelineParameter.string('TriggerAlarm', { defaultValue: 'none' });

  const cache: CacheConfig = options.cacheExpiry.toSeconds() > 0 ? { enabled: true, expireAfter: options.cacheExpiry } : { enabled: false };
  const stepRetries: RetryPolicy = {
    exceptionTypes: [RetryExceptionType.STEP_SERVICE_FAULT, RetryExceptionType.STEP_THROTTLING], maxAttempts: 5, interval: Duration.seconds(10),
  };
  const retryPolicies: RetryPolicy[] = [stepRetries, {
    exceptionTypes: [RetryExceptionType.CAPACITY_ERROR, RetryExceptionType.JOB_INTERNAL_ERROR], maxAttempts: 3, interval: Duration.minutes(1),
  }];
  const jobDefaults = { volumeKmsKey: key, outputKmsKey: key, cache, retryPolicies };

  const preprocess = new ProcessingStep('Preprocess', {
    ...jobDefaults,
    // Never cached: it reads the dataset prefix, whose objects change while the step's arguments do not.
    cache: { enabled: false },
    description: 'Split the dataset 80/20 and record the exact object versions and SHA-256 of the data read',
    image: spec.preprocess.image,
    instanceType: processingType.asString(),
    entrypoint: ['python3', `/opt/ml/processing/input/code/${spec.preprocess.fileName}`],
    arguments: preprocessArguments(options.dataset.s3Uri, options.schema, options.problemType, spec.preprocess.layout),
    inputs: [
      { inputName: 'data', source: S3Location.fromBucket(options.dataset.store.bucket, options.dataset.prefix), destination: '/opt/ml/processing/input/data' },
      { inputName: 'code', source: spec.preprocess.code, destination: '/opt/ml/processing/input/code' },
    ],
    outputs: ['train', 'test', 'baseline', 'manifest'].map((name) => ({
      outputName: name, source: `/opt/ml/processing/output/${name}`, destination: at(`preprocess/${name}`),
    })),
    propertyFiles: [{ name: 'ManifestDigest', outputName: 'manifest', path: 'manifest-digest.json' }],
  });

  const training = spec.training;
  const [trainChannel, testChannel] = training.channels;
  const spot = options.spotTraining;
  const trainingJob = {
    ...jobDefaults,
    image: training.image,
    instanceType: trainingType.asString(),
    maxRuntime: training.maxRuntime,
    inputs: [
      { channelName: trainChannel, source: preprocess.output('train'), contentType: 'text/csv' },
      { channelName: testChannel, source: preprocess.output('test'), contentType: 'text/csv' },
    ],
    output: at('model'),
    metricDefinitions: training.metricDefinitions,
    useSpotInstances: spot,
    maxWaitTime: spot ? training.spotMaxWait : undefined,
    checkpoint: spot ? at('checkpoints') : undefined,
  };
  let model: S3Location;
  let trainStep: TrainingStep | TuningStep;
  const tuning = options.tuning ? training.tuning : undefined;
  if (tuning) {
    const tune = new TuningStep('Tune', {
      ...trainingJob,
      description: `Bayesian search over ${tuning.ranges.map((r) => r.json.Name).join(', ')}, ${tuning.objectiveType === ObjectiveType.MAXIMIZE ? 'maximizing' : 'minimizing'} ${tuning.objectiveMetricName}`,
      hyperparameters: withoutRanged(training.hyperparameters, tuning.ranges),
      strategy: TuningStrategy.BAYESIAN,
      objectiveMetricName: tuning.objectiveMetricName,
      objectiveType: tuning.objectiveType,
      ranges: tuning.ranges,
      maxJobs: tuning.maxJobs,
      maxParallelJobs: tuning.maxParallelJobs,
    });
    model = tune.topModel(0);
    trainStep = tune;
  } else {
    const train = new TrainingStep('Train', { ...trainingJob, description: training.description, hyperparameters: training.hyperparameters });
    model = train.modelArtifacts;
    trainStep = train;
  }

  const evaluation = spec.evaluation;
  const evaluate = new ProcessingStep('Evaluate', {
    ...jobDefaults,
    description: evaluation.description,
    image: evaluation.image,
    instanceType: processingType.asString(),
    enableNetworkIsolation: true,
    entrypoint: evaluation.entrypoint,
    arguments: evaluation.arguments,
    inputs: [
      { inputName: 'model', source: model, destination: '/opt/ml/processing/model' },
      { inputName: 'test', source: preprocess.output('test'), destination: '/opt/ml/processing/test' },
      ...(evaluation.code ? [{ inputName: 'code', source: evaluation.code, destination: '/opt/ml/processing/input/code' }] : []),
    ],
    outputs: [{ outputName: 'evaluation', source: '/opt/ml/processing/evaluation', destination: at('evaluation') }],
    propertyFiles: [{ name: 'EvaluationReport', outputName: 'evaluation', path: 'evaluation.json' }],
  });

  const dataQuality = new QualityCheckStep('DataQualityBaseline', {
    volumeKmsKey: key,
    outputKmsKey: key,
    cache,
    description: 'Statistics and constraints of the training features: the baseline the endpoint monitor compares live traffic with',
    checkType: QualityCheckType.DATA_QUALITY,
    image: analyzer,
    instanceType: processingType.asString(),
    enableNetworkIsolation: true,
    baselineDataset: preprocess.output('baseline'),
    datasetFormat: DatasetFormat.csv(true),
    output: at('baselines/data-quality'),
    modelRegistry: options.registry,
    skipCheck: true,
    registerNewBaseline: true,
  });

  const value = evaluate.jsonGet('EvaluationReport', `metrics.${metric.name}.value`);
  const json = 'application/json';
  const register = new RegisterModelStep('RegisterModel', {
    description: 'Register the model, its metrics, baselines and dataset manifest for approval',
    modelRegistry: options.registry,
    containers: [{
      image: spec.serving.image,
      modelData: model,
      environment: spec.serving.environment,
      framework: spec.serving.framework,
      frameworkVersion: spec.serving.frameworkVersion,
    }],
    contentTypes: spec.serving.contentTypes ?? ['text/csv', json],
    responseTypes: ['text/csv', json],
    realtimeInstanceTypes: ['ml.t2.medium', 'ml.m5.large', 'ml.m5.xlarge', 'ml.c5.large', 'ml.c5.xlarge'],
    transformInstanceTypes: ['ml.m5.large', 'ml.m5.xlarge'],
    approvalStatus: approval.asString(),
    modelMetrics: {
      modelQualityStatistics: { s3Uri: `${evaluate.outputS3Uri('evaluation')}/evaluation.json`, contentType: json },
      modelDataQualityStatistics: { s3Uri: dataQuality.calculatedBaselineStatistics, contentType: json },
      modelDataQualityConstraints: { s3Uri: dataQuality.calculatedBaselineConstraints, contentType: json },
    },
    driftCheckBaselines: {
      modelDataQualityStatistics: { s3Uri: dataQuality.baselineUsedForDriftCheckStatistics, contentType: json },
      modelDataQualityConstraints: { s3Uri: dataQuality.baselineUsedForDriftCheckConstraints, contentType: json },
    },
    customerMetadata: {
      DatasetS3Uri: options.dataset.s3Uri,
      DatasetManifestS3Uri: `${preprocess.outputS3Uri('manifest')}/manifest.json`,
      DatasetManifestSha256: preprocess.jsonGet('ManifestDigest', 'sha256').asString(),
      Metric: metric.name,
      MetricValue: Join.on('', [value]).asString(), // metadata values are strings: the number through Std:Join
      TrainingJob: trainStep instanceof TuningStep ? trainStep.bestTrainingJobName : trainStep.trainingJobName,
      TriggerReason: reason.asString(),
      TriggerAlarm: alarm.asString(),
    },
    retryPolicies: [stepRetries],
  });
  const op = metric.higherIsBetter ? '>=' : '<=';
  const fail = new FailStep('MetricNotMet', {
    errorMessage: `${metric.name} ${value.asString()} does not meet MetricThreshold ${threshold.asString()} (${metric.name} must be ${op} the threshold): the model was not registered`,
  });
  const check = new ConditionStep('CheckMetric', {
    description: `Register only a model whose test ${metric.name} is ${op} MetricThreshold`,
    conditions: [metric.higherIsBetter
      ? Condition.greaterThanOrEqualTo(value, threshold.asNumber())
      : Condition.lessThanOrEqualTo(value, threshold.asNumber())],
    ifSteps: [register],
    elseSteps: [fail],
  });

  return {
    definition: new PipelineDefinition({
      parameters: [threshold, trainingType, processingType, approval, ...(training.parameters ?? []), reason, alarm],
      steps: [preprocess, trainStep, evaluate, dataQuality, check],
    }),
    policyStatements: spec.policyStatements,
  };
}
