import * as path from 'path';
import { Aws, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { DataStore } from '../../data/data-store';
import { Dataset } from '../../data/dataset';
import { CUSTOMER_METADATA_PATTERN, CUSTOMER_METADATA_VALUE } from '../../handlers/shared/api-limits';
import { packageRoot } from '../../private/package-root';
import { sourceArchive } from './private/source-archive';
import { checkInstanceType, checkInteger, checkRange, invalid, isUnresolved } from '../../private/validate';
import { ModelApprovalStatus } from '../../core/model-approval-status';
import { IModelRegistry } from '../../core/model-registry-interface';
import {
  CacheConfig, Condition, ConditionStep, ContainerImage, DatasetFormat, ExecutionVariable, FailStep, Join, ObjectiveType,
  ParameterRange, PipelineDefinition, PipelineParameter, ProcessingStep, QualityCheckStep, QualityCheckType,
  RegisterModelStep, RetryExceptionType, RetryPolicy, S3Location, ScalingType, TrainingStep, TuningStep, TuningStrategy,
} from '../definition';
import { ImageScope } from '../images/image-scope';
import { PrebuiltImage } from '../images/prebuilt-image';
import { TrainingPipeline } from '../training-pipeline';

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
   * Key prefix of the model's artifacts in the artifact store: 1 to 64 letters, digits, '.', '_' or '-'.
   * @default 'recommendation'
   */
  readonly modelName?: string;
  /**
   * Accuracy the model needs before it is registered (default of the `MinAccuracy` pipeline parameter).
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
   * arguments (preprocessing, which reads the dataset, is never cached). Keep it below the retraining cool-down
   * (the platform passes the smaller of 12 h and the cool-down); `Duration.seconds(0)` turns caching off.
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
   * Folder with `preprocess.py`, `train.py` and `evaluate.py`.
   * @default - the package's `examples/recommendation`
   */
  readonly scriptsDirectory?: string;
}

/** Longest a training job may run; a spot job's `spotMaxWait` covers it. */
const TRAINING_MAX_RUNTIME = Duration.hours(1);

/**
 * Longest dataset prefix: the pipeline registers `s3://<bucket>/<prefix>` (bucket names have at most 63 characters)
 * as the `DatasetS3Uri` metadata value, which SageMaker limits to 256 characters.
 */
const MAX_DATASET_PREFIX = CUSTOMER_METADATA_VALUE.max! - 's3://'.length - 63 - '/'.length;

/** What `modelName` may be: a key prefix in the artifact store. */
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The name of the metric the training script prints and the tuning job maximizes. */
export const VALIDATION_ACCURACY_METRIC = 'validation:accuracy';

/**
 * The recommendation model's SageMaker pipeline, as typed values: preprocess (records the exact S3 object versions
 * and SHA-256 of the data it read in a dataset manifest) -> train on managed spot (or tune, at level 4) -> evaluate
 * -> data-quality baseline -> accuracy >= `MinAccuracy` ? register the model (with its metrics, baselines and the
 * manifest's location and digest) : fail with the accuracy in the message.
 *
 * Parameters a run can override: `MinAccuracy`, `TrainingInstanceType`, `ProcessingInstanceType`,
 * `ModelApprovalStatus`, `RegularizationC` (the single training job's C; with tuning the search chooses C and the
 * parameter is unused), and `TriggerReason`/`TriggerAlarm` (set by the retraining trigger).
 *
 * @example
 * new RecommendationPipeline(this, 'Pipeline', { dataset: interactions, artifactStore: artifacts, registry });
 */
export class RecommendationPipeline extends Construct {
  /** The SageMaker pipeline (an `IPipeline`). */
  public readonly pipeline: TrainingPipeline;
  /** The definition it was built from. */
  public readonly definition: PipelineDefinition;

  constructor(scope: Construct, id: string, props: RecommendationPipelineProps) {
    super(scope, id);
    checkRange(this, 'minAccuracy', props.minAccuracy, 0, 1);
    checkInstanceType(this, 'trainingInstanceType', props.trainingInstanceType);
    checkInstanceType(this, 'processingInstanceType', props.processingInstanceType);
    checkInteger(this, 'tuningMaxJobs', props.tuningMaxJobs, 1, 100);
    checkInteger(this, 'tuningMaxParallelJobs', props.tuningMaxParallelJobs, 1, 10);
    if ((props.tuningMaxParallelJobs ?? 2) > (props.tuningMaxJobs ?? 8)) {
      invalid(this, 'tuningMaxParallelJobs', `at most tuningMaxJobs (${props.tuningMaxJobs ?? 8})`, props.tuningMaxParallelJobs);
    }
    const spot = props.spotTraining ?? true;
    if (props.spotMaxWait && !spot) invalid(this, 'spotMaxWait', 'unset when spotTraining is false', props.spotMaxWait.toHumanString());
    checkInteger(this, 'spotMaxWait (seconds)', props.spotMaxWait?.toSeconds(), TRAINING_MAX_RUNTIME.toSeconds());
    const datasetPrefix = props.dataset.prefix;
    if (!isUnresolved(datasetPrefix) && (datasetPrefix.length > MAX_DATASET_PREFIX || !CUSTOMER_METADATA_PATTERN.test(datasetPrefix))) {
      invalid(this, 'dataset prefix', `at most ${MAX_DATASET_PREFIX} letters, numbers, spaces and _ . : / = + - @ (the pipeline registers s3://<bucket>/<prefix> as model package metadata, CustomerMetadataProperties)`, datasetPrefix);
    }
    const modelName = props.modelName ?? 'recommendation';
    if (!isUnresolved(modelName) && !MODEL_NAME.test(modelName)) {
      invalid(this, 'modelName', "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (it is a key prefix in the artifact store)", modelName);
    }
    const artifacts = props.artifactStore;
    const key = artifacts.encryptionKey;
    const version = props.sklearnVersion ?? '1.2-1';
    const scripts = props.scriptsDirectory ?? path.join(packageRoot(), 'examples', 'recommendation');
    const run = `${modelName}/runs/${ExecutionVariable.PIPELINE_EXECUTION_ID}`;
    const at = (suffix: string) => S3Location.fromBucket(artifacts.bucket, `${run}/${suffix}`);

    const code = (name: string) => {
      const asset = new s3assets.Asset(this, `${name}Script`, { path: path.join(scripts, `${name.toLowerCase()}.py`) });
      return S3Location.fromBucket(asset.bucket, asset.s3ObjectKey);
    };
    const sourceDir = new s3assets.Asset(this, 'TrainingSource', { path: sourceArchive(scripts, ['train.py']) });

    const sklearn = ContainerImage.fromPrebuilt(this, PrebuiltImage.sklearn(version, ImageScope.TRAINING));
    const sklearnServing = ContainerImage.fromPrebuilt(this, PrebuiltImage.sklearn(version, ImageScope.INFERENCE));
    const analyzer = ContainerImage.fromPrebuilt(this, PrebuiltImage.modelMonitor());

    const minAccuracy = PipelineParameter.float('MinAccuracy', { defaultValue: props.minAccuracy ?? 0.7 });
    const trainingType = PipelineParameter.string('TrainingInstanceType', { defaultValue: props.trainingInstanceType ?? 'ml.m5.large' });
    const processingType = PipelineParameter.string('ProcessingInstanceType', { defaultValue: props.processingInstanceType ?? 'ml.m5.large' });
    const approval = PipelineParameter.string('ModelApprovalStatus', {
      defaultValue: ModelApprovalStatus.PENDING_MANUAL_APPROVAL,
      enumValues: [ModelApprovalStatus.PENDING_MANUAL_APPROVAL, ModelApprovalStatus.APPROVED, ModelApprovalStatus.REJECTED],
    });
    const regularization = PipelineParameter.float('RegularizationC', { defaultValue: 1.0 });
    const reason = PipelineParameter.string('TriggerReason', { defaultValue: 'manual' });
    const alarm = PipelineParameter.string('TriggerAlarm', { defaultValue: 'none' });

    const cacheExpiry = props.cacheExpiry ?? Duration.hours(12);
    const cache: CacheConfig = cacheExpiry.toSeconds() > 0 ? { enabled: true, expireAfter: cacheExpiry } : { enabled: false };
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
      description: 'Split the interactions 80/20 and record the exact object versions and SHA-256 of the data read',
      image: sklearn,
      instanceType: processingType.asString(),
      entrypoint: ['python3', '/opt/ml/processing/input/code/preprocess.py'],
      arguments: ['--input-s3-uri', props.dataset.s3Uri],
      inputs: [
        { inputName: 'data', source: S3Location.fromBucket(props.dataset.store.bucket, props.dataset.prefix), destination: '/opt/ml/processing/input/data' },
        { inputName: 'code', source: code('Preprocess'), destination: '/opt/ml/processing/input/code' },
      ],
      outputs: ['train', 'test', 'baseline', 'manifest'].map((name) => ({
        outputName: name, source: `/opt/ml/processing/output/${name}`, destination: at(`preprocess/${name}`),
      })),
      propertyFiles: [{ name: 'ManifestDigest', outputName: 'manifest', path: 'manifest-digest.json' }],
    });

    const trainingJob = {
      ...jobDefaults,
      image: sklearn,
      instanceType: trainingType.asString(),
      maxRuntime: TRAINING_MAX_RUNTIME,
      inputs: [
        { channelName: 'train', source: preprocess.output('train'), contentType: 'text/csv' },
        { channelName: 'test', source: preprocess.output('test'), contentType: 'text/csv' },
      ],
      output: at('model'),
      metricDefinitions: [{ name: VALIDATION_ACCURACY_METRIC, regex: 'validation:accuracy=([0-9\\.]+)' }],
      useSpotInstances: spot,
      maxWaitTime: spot ? (props.spotMaxWait ?? Duration.hours(2)) : undefined,
      checkpoint: spot ? at('checkpoints') : undefined,
    };
    // Script mode: the container downloads sourcedir.tar.gz and runs train.py with the hyperparameters as arguments.
    const scriptMode = {
      sagemaker_program: '"train.py"',
      sagemaker_submit_directory: `"${sourceDir.s3ObjectUrl}"`,
      sagemaker_container_log_level: '20',
      sagemaker_region: `"${Aws.REGION}"`,
    };
    let model: S3Location;
    let trainStep: TrainingStep | TuningStep;
    if (props.hyperparameterTuning) {
      const tune = new TuningStep('Tune', {
        ...trainingJob,
        description: 'Bayesian search over the regularisation strength and the solver, maximizing validation accuracy',
        hyperparameters: { ...scriptMode, 'max-iter': '200' },
        strategy: TuningStrategy.BAYESIAN,
        objectiveMetricName: VALIDATION_ACCURACY_METRIC,
        objectiveType: ObjectiveType.MAXIMIZE,
        ranges: [
          ParameterRange.continuous('C', 0.01, 100, ScalingType.LOGARITHMIC),
          ParameterRange.categorical('solver', ['lbfgs', 'liblinear']),
        ],
        maxJobs: props.tuningMaxJobs ?? 8,
        maxParallelJobs: props.tuningMaxParallelJobs ?? 2,
      });
      model = tune.topModel(0);
      trainStep = tune;
    } else {
      const train = new TrainingStep('Train', {
        ...trainingJob,
        description: 'Logistic regression on the training split (scikit-learn script mode, managed spot)',
        // Hyperparameters are strings: a Float parameter goes in through Std:Join, as the SageMaker SDK writes it.
        hyperparameters: { ...scriptMode, 'C': Join.on('', [regularization]).asString(), 'max-iter': '200' },
      });
      model = train.modelArtifacts;
      trainStep = train;
    }

    const evaluate = new ProcessingStep('Evaluate', {
      ...jobDefaults,
      description: 'Accuracy, precision and recall of the model on the test split',
      image: sklearn,
      instanceType: processingType.asString(),
      enableNetworkIsolation: true,
      entrypoint: ['python3', '/opt/ml/processing/input/code/evaluate.py'],
      inputs: [
        { inputName: 'model', source: model, destination: '/opt/ml/processing/model' },
        { inputName: 'test', source: preprocess.output('test'), destination: '/opt/ml/processing/test' },
        { inputName: 'code', source: code('Evaluate'), destination: '/opt/ml/processing/input/code' },
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
      modelRegistry: props.registry,
      skipCheck: true,
      registerNewBaseline: true,
    });

    const accuracy = evaluate.jsonGet('EvaluationReport', 'metrics.accuracy.value');
    const json = 'application/json';
    const register = new RegisterModelStep('RegisterModel', {
      description: 'Register the model, its metrics, baselines and dataset manifest for approval',
      modelRegistry: props.registry,
      containers: [{
        image: sklearnServing,
        modelData: model,
        environment: {
          SAGEMAKER_PROGRAM: 'train.py',
          SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code',
          SAGEMAKER_CONTAINER_LOG_LEVEL: '20',
          SAGEMAKER_REGION: Aws.REGION,
        },
        framework: 'SKLEARN',
        frameworkVersion: version.split('-')[0],
      }],
      contentTypes: ['text/csv', json],
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
        DatasetS3Uri: props.dataset.s3Uri,
        DatasetManifestS3Uri: `${preprocess.outputS3Uri('manifest')}/manifest.json`,
        DatasetManifestSha256: preprocess.jsonGet('ManifestDigest', 'sha256').asString(),
        Accuracy: Join.on('', [accuracy]).asString(), // metadata values are strings: the number through Std:Join
        TrainingJob: trainStep instanceof TuningStep ? trainStep.bestTrainingJobName : trainStep.trainingJobName,
        TriggerReason: reason.asString(),
        TriggerAlarm: alarm.asString(),
      },
      retryPolicies: [stepRetries],
    });
    const fail = new FailStep('AccuracyBelowMinimum', {
      errorMessage: `accuracy ${accuracy.asString()} is below MinAccuracy ${minAccuracy.asString()}: the model was not registered`,
    });
    const check = new ConditionStep('CheckAccuracy', {
      description: 'Register only a model whose test accuracy reaches MinAccuracy',
      conditions: [Condition.greaterThanOrEqualTo(accuracy, minAccuracy.asNumber())],
      ifSteps: [register],
      elseSteps: [fail],
    });

    this.definition = new PipelineDefinition({
      parameters: [minAccuracy, trainingType, processingType, approval, regularization, reason, alarm],
      steps: [preprocess, trainStep, evaluate, dataQuality, check],
    });
    this.pipeline = new TrainingPipeline(this, 'Pipeline', {
      definition: this.definition,
      description: `Trains, evaluates and registers the ${modelName} model`,
    });
    // Script mode reads the training code archive (one object) from the asset bucket.
    this.pipeline.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [sourceDir.bucket.arnForObjects(sourceDir.s3ObjectKey)],
    }));
  }
}
