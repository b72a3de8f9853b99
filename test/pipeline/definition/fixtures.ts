import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  Condition, ConditionStep, ContainerImage, CreateModelStep, ExecutionVariable, FailStep, LambdaOutputType, LambdaStep,
  ParameterRange, PipelineDefinition, PipelineParameter, ProcessingStep, QualityCheckStep, QualityCheckType, RegisterModelStep,
  RetryExceptionType, S3Location, TrainingStep, TuningStep, TuningStrategy,
} from '../../../lib/pipeline/definition';
import { ModelApprovalStatus } from '../../../lib/core/model-approval-status';
import { ProblemType } from '../../../lib/core/problem-type';

/** The resources a sample definition uses, in a stack. */
export function sampleResources(stack: Stack) {
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  return {
    key,
    data: s3.Bucket.fromBucketAttributes(stack, 'Data', { bucketName: 'data-bucket', encryptionKey: key }),
    artifacts: s3.Bucket.fromBucketName(stack, 'Artifacts', 'artifact-bucket'),
    repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'training'),
    fn: lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:111122223333:function:compare'),
    role: iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111122223333:role/PipelineRole', { mutable: false }),
  };
}

/** A definition with every step type: preprocess -> train/tune -> evaluate -> quality -> condition -> register | fail. */
export function sampleDefinition(stack: Stack): PipelineDefinition {
  const r = sampleResources(stack);
  const sklearn = ContainerImage.fromAwsRegistry('683313688378', 'sagemaker-scikit-learn', '1.2-1-cpu-py3');
  const custom = ContainerImage.fromEcrRepository(r.repository, 'v1');
  const analyzer = ContainerImage.fromAwsRegistry('156813124566', 'sagemaker-model-monitor-analyzer', 'latest');
  const instanceType = PipelineParameter.string('ProcessingInstanceType', { defaultValue: 'ml.m5.xlarge', enumValues: ['ml.m5.xlarge', 'ml.m5.2xlarge'] });
  const threshold = PipelineParameter.float('AccuracyThreshold', { defaultValue: 0.7 });
  const approval = PipelineParameter.string('ModelApprovalStatus', { defaultValue: 'PendingManualApproval' });
  const epochs = PipelineParameter.integer('Epochs', { defaultValue: 10 });
  const runPrefix = `runs/${ExecutionVariable.PIPELINE_EXECUTION_ID}`;

  const preprocess = new ProcessingStep('Preprocess', {
    image: sklearn,
    instanceType: instanceType.asString(),
    entrypoint: ['python3', '/opt/ml/processing/input/code/preprocess.py'],
    inputs: [
      { inputName: 'raw', source: S3Location.fromBucket(r.data, 'raw/'), destination: '/opt/ml/processing/input' },
      { inputName: 'code', source: S3Location.fromBucket(r.artifacts, 'code/preprocess.py'), destination: '/opt/ml/processing/input/code' },
    ],
    outputs: [
      { outputName: 'train', source: '/opt/ml/processing/train', destination: S3Location.fromBucket(r.artifacts, `${runPrefix}/train`) },
      { outputName: 'test', source: '/opt/ml/processing/test', destination: S3Location.fromBucket(r.artifacts, `${runPrefix}/test`) },
    ],
    volumeKmsKey: r.key,
    cache: { expireAfter: Duration.days(30) },
    retryPolicies: [
      { exceptionTypes: [RetryExceptionType.STEP_SERVICE_FAULT, RetryExceptionType.STEP_THROTTLING], maxAttempts: 5 },
      { exceptionTypes: [RetryExceptionType.CAPACITY_ERROR], interval: Duration.seconds(30), expireAfter: Duration.hours(1) },
    ],
  });
  const train = new TrainingStep('Train', {
    image: custom,
    inputs: [{ channelName: 'train', source: preprocess.output('train'), contentType: 'text/csv' }],
    output: S3Location.fromBucket(r.artifacts, 'models'),
    hyperparameters: { sagemaker_program: '"train.py"', epochs: epochs.asString() },
    metricDefinitions: [{ name: 'validation:auc', regex: 'auc: ([0-9.]+)' }],
    useSpotInstances: true,
    checkpoint: S3Location.fromBucket(r.artifacts, 'checkpoints'),
    volumeKmsKey: r.key,
    outputKmsKey: r.key,
  });
  const tune = new TuningStep('Tune', {
    image: custom,
    inputs: [{ channelName: 'train', source: preprocess.output('train') }],
    output: S3Location.fromBucket(r.artifacts, 'tuning'),
    strategy: TuningStrategy.BAYESIAN,
    objectiveMetricName: 'validation:auc',
    ranges: [ParameterRange.continuous('eta', 0.01, 0.3), ParameterRange.integer('max_depth', 3, 10), ParameterRange.categorical('booster', ['gbtree', 'dart'])],
    maxJobs: 6,
    maxParallelJobs: 2,
    metricDefinitions: [{ name: 'validation:auc', regex: 'auc: ([0-9.]+)' }],
  });
  const evaluate = new ProcessingStep('Evaluate', {
    image: sklearn,
    inputs: [
      { inputName: 'model', source: train.modelArtifacts, destination: '/opt/ml/processing/model' },
      { inputName: 'test', source: preprocess.output('test'), destination: '/opt/ml/processing/test' },
    ],
    outputs: [{ outputName: 'evaluation', source: '/opt/ml/processing/evaluation', destination: S3Location.fromBucket(r.artifacts, `${runPrefix}/evaluation`) }],
    propertyFiles: [{ name: 'EvaluationReport', outputName: 'evaluation', path: 'evaluation.json' }],
  });
  const dataQuality = new QualityCheckStep('DataQuality', {
    checkType: QualityCheckType.DATA_QUALITY,
    image: analyzer,
    baselineDataset: preprocess.output('train'),
    output: S3Location.fromBucket(r.artifacts, `${runPrefix}/baselines/data`),
    modelPackageGroupName: 'recommendation',
    skipCheck: true,
    registerNewBaseline: true,
  });
  const modelQuality = new QualityCheckStep('ModelQuality', {
    checkType: QualityCheckType.MODEL_QUALITY,
    image: analyzer,
    baselineDataset: preprocess.output('test'),
    output: S3Location.fromBucket(r.artifacts, `${runPrefix}/baselines/model`),
    problemType: ProblemType.BINARY_CLASSIFICATION,
    inferenceAttribute: '_c1',
    groundTruthAttribute: '_c0',
    probabilityThresholdAttribute: 0.5,
    dependsOn: [evaluate],
  });
  const createModel = new CreateModelStep('CreateModel', { container: { image: custom, modelData: tune.topModel(0) } });
  const register = new RegisterModelStep('Register', {
    modelPackageGroupName: 'recommendation',
    containers: [{ image: custom, modelData: train.modelArtifacts, environment: { MODEL: 'xgb' } }],
    contentTypes: ['text/csv'],
    responseTypes: ['text/csv'],
    realtimeInstanceTypes: ['ml.m5.large'],
    approvalStatus: approval.asString(),
    modelMetrics: {
      modelQualityStatistics: { s3Uri: modelQuality.calculatedBaselineStatistics },
      modelDataQualityStatistics: { s3Uri: dataQuality.calculatedBaselineStatistics },
      modelDataQualityConstraints: { s3Uri: dataQuality.calculatedBaselineConstraints },
    },
    driftCheckBaselines: {
      modelDataQualityStatistics: { s3Uri: dataQuality.baselineUsedForDriftCheckStatistics },
      modelDataQualityConstraints: { s3Uri: dataQuality.baselineUsedForDriftCheckConstraints },
    },
    customerMetadata: { accuracy: evaluate.jsonGet('EvaluationReport', 'metrics.accuracy.value').asString() },
    metadata: { commitId: 'abc123', repository: 'recommendation' },
    retryPolicies: [{ exceptionTypes: [RetryExceptionType.STEP_THROTTLING], maxAttempts: 3 }],
  });
  const notify = new LambdaStep('Notify', {
    lambdaFunction: r.fn,
    inputs: { modelPackageArn: register.modelPackageArn, approval: ModelApprovalStatus.PENDING_MANUAL_APPROVAL },
    outputs: [{ name: 'notified', type: LambdaOutputType.BOOLEAN }],
  });
  const condition = new ConditionStep('CheckAccuracy', {
    conditions: [
      Condition.greaterThanOrEqualTo(evaluate.jsonGet('EvaluationReport', 'metrics.accuracy.value'), threshold.asNumber()),
      Condition.or(Condition.greaterThan(train.finalMetric('validation:auc'), 0.5), Condition.not(Condition.isIn(approval, ['Rejected']))),
    ],
    ifSteps: [createModel, register, notify],
    elseSteps: [new FailStep('AccuracyTooLow', { errorMessage: `accuracy below ${threshold}` })],
  });
  return new PipelineDefinition({
    parameters: [instanceType, threshold, approval, epochs],
    steps: [preprocess, train, tune, evaluate, dataQuality, modelQuality, condition],
  });
}

/** A stack to render sample definitions in. */
export function sampleStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'us-east-1' } });
}
