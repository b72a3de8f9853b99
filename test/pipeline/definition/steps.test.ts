import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  Condition, ConditionStep, ContainerImage, CreateModelStep, DatasetFormat, ExecutionVariable, FailStep, InputMode, Join, JsonGet, LambdaStep,
  ParameterRange, PipelineDefinition, PipelineExperimentConfig, PipelineParameter, ProcessingStep, QualityCheckStep, QualityCheckType,
  RegisterModelStep, RetryExceptionType, S3Access, S3Location, SageMakerJobType, StepProperty, TrainingStep, TuningStep, TuningStrategy,
} from '../../../lib/pipeline/definition';
import { ProblemType } from '../../../lib/core/problem-type';
import { sampleDefinition, sampleResources, sampleStack } from './fixtures';

const ROLE_ARN = 'arn:aws:iam::111122223333:role/Pipeline';

function render(stack: Stack, definition: PipelineDefinition): any {
  const role = iam.Role.fromRoleArn(stack, `R${stack.node.children.length}`, ROLE_ARN);
  return stack.resolve(definition.render({ role }));
}

function renderSteps(stack: Stack, ...steps: any[]): any[] {
  return render(stack, new PipelineDefinition({ steps })).Steps;
}

describe('sample definition with every step type', () => {
  const stack = sampleStack();
  const definition = sampleDefinition(stack);
  const json = render(stack, definition);
  const step = (name: string) => json.Steps.find((s: any) => s.Name === name) ?? json.Steps.find((s: any) => s.Type === 'Condition').Arguments.IfSteps.find((s: any) => s.Name === name);

  test('top level: version, metadata, parameters, SDK default experiment config', () => {
    expect(json.Version).toBe('2020-12-01');
    expect(json.Metadata).toEqual({});
    expect(json.Parameters).toEqual([
      { Name: 'ProcessingInstanceType', Type: 'String', DefaultValue: 'ml.m5.xlarge', EnumValues: ['ml.m5.xlarge', 'ml.m5.2xlarge'] },
      { Name: 'AccuracyThreshold', Type: 'Float', DefaultValue: 0.7 },
      { Name: 'ModelApprovalStatus', Type: 'String', DefaultValue: 'PendingManualApproval' },
      { Name: 'Epochs', Type: 'Integer', DefaultValue: 10 },
    ]);
    expect(json.PipelineExperimentConfig).toEqual({ ExperimentName: { Get: 'Execution.PipelineName' }, TrialName: { Get: 'Execution.PipelineExecutionId' } });
  });

  test('processing: inputs/outputs with AppManaged, parameter instance type, KMS volume, cache, retry policies', () => {
    const p = step('Preprocess');
    expect(p.Type).toBe('Processing');
    expect(p.Arguments.ProcessingResources.ClusterConfig).toEqual({
      InstanceType: { Get: 'Parameters.ProcessingInstanceType' }, InstanceCount: 1, VolumeSizeInGB: 30, VolumeKmsKeyId: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
    });
    expect(p.Arguments.ProcessingInputs[0]).toEqual({
      InputName: 'raw', AppManaged: false,
      S3Input: { S3Uri: 's3://data-bucket/raw/', LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated', S3CompressionType: 'None' },
    });
    expect(p.Arguments.ProcessingOutputConfig.Outputs[0]).toEqual({
      OutputName: 'train', AppManaged: false,
      S3Output: { S3Uri: { 'Std:Join': { On: '', Values: ['s3://artifact-bucket/runs/', { Get: 'Execution.PipelineExecutionId' }, '/train'] } }, LocalPath: '/opt/ml/processing/train', S3UploadMode: 'EndOfJob' },
    });
    expect(p.Arguments.RoleArn).toBe(ROLE_ARN);
    expect(p.Arguments.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 86400 });
    expect(p.Arguments.NetworkConfig).toEqual({ EnableInterContainerTrafficEncryption: true, EnableNetworkIsolation: false });
    expect(p.CacheConfig).toEqual({ Enabled: true, ExpireAfter: 'P30D' });
    expect(p.RetryPolicies).toEqual([
      { ExceptionType: ['Step.SERVICE_FAULT', 'Step.THROTTLING'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 5 },
      { ExceptionType: ['SageMaker.CAPACITY_ERROR'], IntervalSeconds: 30, BackoffRate: 2, ExpireAfterMin: 60 },
    ]);
  });

  test('training: step property input, JSON-string hyperparameters as given, spot with MaxWait and checkpoints, KMS', () => {
    const t = step('Train');
    expect(t.Type).toBe('Training');
    expect(t.Arguments.InputDataConfig[0].DataSource.S3DataSource.S3Uri).toEqual({ Get: "Steps.Preprocess.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" });
    expect(t.Arguments.HyperParameters).toEqual({ sagemaker_program: '"train.py"', epochs: { Get: 'Parameters.Epochs' } });
    expect(t.Arguments.AlgorithmSpecification).toEqual({
      TrainingImage: expect.anything(), TrainingInputMode: 'File', MetricDefinitions: [{ Name: 'validation:auc', Regex: 'auc: ([0-9.]+)' }],
    });
    expect(t.Arguments.EnableManagedSpotTraining).toBe(true);
    expect(t.Arguments.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 86400, MaxWaitTimeInSeconds: 172800 });
    expect(t.Arguments.CheckpointConfig).toEqual({ S3Uri: 's3://artifact-bucket/checkpoints', LocalPath: '/opt/ml/checkpoints' });
    expect(t.Arguments.OutputDataConfig).toEqual({ S3OutputPath: 's3://artifact-bucket/models', KmsKeyId: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } });
    expect(t.Arguments.EnableInterContainerTrafficEncryption).toBe(true);
  });

  test('tuning: strategy, objective, ranges by kind, limits, static hyperparameters in the job definition', () => {
    const t = step('Tune');
    expect(t.Type).toBe('Tuning');
    expect(t.Arguments.HyperParameterTuningJobConfig).toEqual({
      Strategy: 'Bayesian',
      HyperParameterTuningJobObjective: { Type: 'Maximize', MetricName: 'validation:auc' },
      ResourceLimits: { MaxNumberOfTrainingJobs: 6, MaxParallelTrainingJobs: 2 },
      ParameterRanges: {
        ContinuousParameterRanges: [{ Name: 'eta', MinValue: '0.01', MaxValue: '0.3', ScalingType: 'Auto' }],
        IntegerParameterRanges: [{ Name: 'max_depth', MinValue: '3', MaxValue: '10', ScalingType: 'Auto' }],
        CategoricalParameterRanges: [{ Name: 'booster', Values: ['gbtree', 'dart'] }],
      },
      TrainingJobEarlyStoppingType: 'Off',
    });
    expect(t.Arguments.TrainingJobDefinition).toMatchObject({ RoleArn: ROLE_ARN, OutputDataConfig: { S3OutputPath: 's3://artifact-bucket/tuning' } });
    expect(t.Arguments.TrainingJobDefinition.AlgorithmSpecification.MetricDefinitions).toHaveLength(1);
  });

  test('create model: top-k model S3 URI joined as the SDK does', () => {
    const m = step('CreateModel');
    expect(m.Type).toBe('Model');
    expect(m.Arguments.ExecutionRoleArn).toBe(ROLE_ARN);
    expect(m.Arguments.PrimaryContainer.ModelDataUrl).toEqual({
      'Std:Join': { On: '/', Values: ['s3://artifact-bucket/tuning', { Get: 'Steps.Tune.TrainingJobSummaries[0].TrainingJobName' }, 'output/model.tar.gz'] },
    });
  });

  test('register model: group, inference spec, approval parameter, metrics (Bias/Explainability always written), drift baselines, metadata', () => {
    const r = step('Register');
    expect(r.Type).toBe('RegisterModel');
    expect(r.Arguments).toMatchObject({
      ModelPackageGroupName: 'recommendation',
      InferenceSpecification: {
        Containers: [{ ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' }, Environment: { MODEL: 'xgb' } }],
        SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'], SupportedRealtimeInferenceInstanceTypes: ['ml.m5.large'],
      },
      ModelApprovalStatus: { Get: 'Parameters.ModelApprovalStatus' },
      CustomerMetadataProperties: { accuracy: { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' }, Path: 'metrics.accuracy.value' } } },
      MetadataProperties: { CommitId: 'abc123', Repository: 'recommendation' },
    });
    expect(r.Arguments.ModelMetrics).toEqual({
      ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: { Get: 'Steps.ModelQuality.CalculatedBaselineStatistics' } } },
      ModelDataQuality: {
        Statistics: { ContentType: 'application/json', S3Uri: { Get: 'Steps.DataQuality.CalculatedBaselineStatistics' } },
        Constraints: { ContentType: 'application/json', S3Uri: { Get: 'Steps.DataQuality.CalculatedBaselineConstraints' } },
      },
      Bias: {},
      Explainability: {},
    });
    expect(r.Arguments.DriftCheckBaselines.ModelDataQuality.Statistics.S3Uri).toEqual({ Get: 'Steps.DataQuality.BaselineUsedForDriftCheckStatistics' });
    expect(r.RetryPolicies).toEqual([{ ExceptionType: ['Step.THROTTLING'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 3 }]);
    expect(r.CacheConfig).toBeUndefined();
  });

  test('quality checks: step-level keys (null when unset), analyzer inputs/outputs and environment', () => {
    const d = step('DataQuality');
    expect(d).toMatchObject({
      Type: 'QualityCheck', CheckType: 'DATA_QUALITY', ModelPackageGroupName: 'recommendation', SkipCheck: true, FailOnViolation: true,
      RegisterNewBaseline: true, SuppliedBaselineStatistics: null, SuppliedBaselineConstraints: null,
    });
    expect(d.RetryPolicies).toBeUndefined();
    expect(d.Arguments.ProcessingInputs[0]).toMatchObject({ InputName: 'baseline_dataset_input', S3Input: { LocalPath: '/opt/ml/processing/input/baseline_dataset_input' } });
    expect(d.Arguments.ProcessingOutputConfig.Outputs[0]).toMatchObject({ OutputName: 'quality_check_output', S3Output: { LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } });
    expect(d.Arguments.Environment).toEqual({
      dataset_format: '{"csv":{"header":true,"output_columns_position":"START"}}',
      dataset_source: '/opt/ml/processing/input/baseline_dataset_input',
      output_path: '/opt/ml/processing/output',
      publish_cloudwatch_metrics: 'Disabled',
    });
    const m = step('ModelQuality');
    expect(m.ModelPackageGroupName).toBeNull();
    expect(m.DependsOn).toEqual(['Evaluate']);
    expect(m.Arguments.Environment).toMatchObject({
      analysis_type: 'MODEL_QUALITY', problem_type: 'BinaryClassification', inference_attribute: '_c1', ground_truth_attribute: '_c0', probability_threshold_attribute: '0.5',
    });
  });

  test('condition: ANDed conditions with JsonGet, Or, Not, In; full steps in branches; Fail with a joined message', () => {
    const c = json.Steps.find((s: any) => s.Type === 'Condition');
    expect(c.Arguments.Conditions).toEqual([
      { Type: 'GreaterThanOrEqualTo', LeftValue: { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' }, Path: 'metrics.accuracy.value' } }, RightValue: { Get: 'Parameters.AccuracyThreshold' } },
      { Type: 'Or', Conditions: [
        { Type: 'GreaterThan', LeftValue: { Get: "Steps.Train.FinalMetricDataList['validation:auc'].Value" }, RightValue: 0.5 },
        { Type: 'Not', Condition: { Type: 'In', QueryValue: { Get: 'Parameters.ModelApprovalStatus' }, Values: ['Rejected'] } },
      ] },
    ]);
    expect(c.Arguments.IfSteps.map((s: any) => s.Name)).toEqual(['CreateModel', 'Register', 'Notify']);
    expect(c.Arguments.ElseSteps).toEqual([{ Name: 'AccuracyTooLow', Type: 'Fail', Arguments: { ErrorMessage: { 'Std:Join': { On: '', Values: ['accuracy below ', { Get: 'Parameters.AccuracyThreshold' }] } } } }]);
  });

  test('lambda: function ARN, inputs with expressions, typed outputs', () => {
    const l = step('Notify');
    expect(l).toEqual({
      Name: 'Notify', Type: 'Lambda',
      Arguments: { modelPackageArn: { Get: 'Steps.Register.ModelPackageArn' }, approval: 'PendingManualApproval' },
      FunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:compare',
      OutputParameters: [{ OutputName: 'notified', OutputType: 'Boolean' }],
    });
  });

  test('resources: typed S3 usage (read vs write, prefix before the execution id), keys, images, groups, functions, job types', () => {
    const r = definition.resources();
    const s3 = r.s3Locations.map((u) => `${u.stepName}:${u.access}:${stack.resolve(u.location.bucket!.bucketName)}/${u.location.keyPrefix}`);
    expect(s3).toEqual(expect.arrayContaining([
      'Preprocess:READ:data-bucket/raw/',
      'Preprocess:READ:artifact-bucket/code/preprocess.py',
      'Preprocess:READ_WRITE:artifact-bucket/runs/',
      // A step property (an output, the model) is read within its producer's static prefix, not the whole bucket.
      'Train:READ:artifact-bucket/runs/',
      'Train:READ_WRITE:artifact-bucket/models',
      'Train:READ_WRITE:artifact-bucket/checkpoints',
      'Evaluate:READ:artifact-bucket/models',
    ]));
    expect(s3).not.toContain('Train:READ:artifact-bucket/');
    expect(s3).not.toContain('Evaluate:READ:artifact-bucket/');
    expect(r.unscopedS3Locations).toEqual([]);
    expect(r.kmsKeys).toHaveLength(1);
    expect(r.images.map((i) => i.repositoryArn ? 'arn' : 'none')).toEqual(['arn', 'arn', 'arn']);
    expect(r.modelPackageGroupNames).toEqual(['recommendation']);
    expect(r.lambdaFunctions).toHaveLength(1);
    expect(r.jobTypes.sort()).toEqual([SageMakerJobType.TUNING, SageMakerJobType.MODEL, SageMakerJobType.PROCESSING, SageMakerJobType.TRAINING].sort());
    expect(r.usesVpc).toBe(false);
    expect(S3Access.READ).toBe('READ');
  });
});

describe('single steps', () => {
  const stack = sampleStack();
  const r = sampleResources(stack);
  const image = ContainerImage.fromUri('763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1-cpu-py310');

  test('ContainerImage.fromUri parses a literal ECR URI into a repository ARN; a token URI stays unknown', () => {
    expect(stack.resolve(image.repositoryArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:763104351884:repository/pytorch-training']] });
    expect(ContainerImage.fromUri(`${r.repository.repositoryUri}:1`).repositoryArn).toBeUndefined();
  });

  test('an unset role is an error naming the step', () => {
    const train = new TrainingStep('Train', { image, output: S3Location.fromBucket(r.artifacts, 'm') });
    expect(() => new PipelineDefinition({ steps: [train] }).render()).toThrow(/step 'Train': has no role to run its job with/);
    const own = iam.Role.fromRoleArn(stack, 'Own', 'arn:aws:iam::111122223333:role/Own');
    const withRole = new TrainingStep('Train2', { image, output: S3Location.fromBucket(r.artifacts, 'm'), role: own });
    expect(stack.resolve(new PipelineDefinition({ steps: [withRole] }).render()).Steps[0].Arguments.RoleArn).toBe('arn:aws:iam::111122223333:role/Own');
  });

  test('explicit values: FastFile input mode, network isolation, Grid tuning without max jobs, experiment config none, JsonGet on S3', () => {
    const train = new TrainingStep('T', { image, output: S3Location.fromBucket(r.artifacts, 'm'), inputMode: InputMode.FAST_FILE, enableNetworkIsolation: true, maxRuntime: Duration.hours(2) });
    const tune = new TuningStep('G', {
      image, output: S3Location.fromBucket(r.artifacts, 'g'), strategy: TuningStrategy.GRID, objectiveMetricName: 'loss', ranges: [ParameterRange.categorical('a', ['1', '2'])], earlyStopping: true,
    });
    const fail = new FailStep('F', { errorMessage: JsonGet.fromS3Uri(Join.on('/', ['s3://b', ExecutionVariable.PIPELINE_EXECUTION_ID, 'r.json']).asString(), 'reason').asString() });
    const json = render(stack, new PipelineDefinition({ steps: [train, tune, fail], experimentConfig: PipelineExperimentConfig.none() }));
    expect(json.PipelineExperimentConfig).toBeNull();
    expect(json.Steps[0].Arguments).toMatchObject({ AlgorithmSpecification: { TrainingInputMode: 'FastFile' }, EnableNetworkIsolation: true, StoppingCondition: { MaxRuntimeInSeconds: 7200 } });
    expect(json.Steps[1].Arguments.HyperParameterTuningJobConfig).toMatchObject({ Strategy: 'Grid', ResourceLimits: { MaxParallelTrainingJobs: 2 }, TrainingJobEarlyStoppingType: 'Auto' });
    expect(json.Steps[1].Arguments.HyperParameterTuningJobConfig.ResourceLimits.MaxNumberOfTrainingJobs).toBeUndefined();
    expect(json.Steps[2].Arguments.ErrorMessage).toEqual({
      'Std:JsonGet': { S3Uri: { 'Std:Join': { On: '/', Values: ['s3://b', { Get: 'Execution.PipelineExecutionId' }, 'r.json'] } }, Path: 'reason' },
    });
  });

  test('StepProperty escape hatch and condition outcome render as Get', () => {
    const p = new ProcessingStep('P', { image, role: r.role });
    const c = new ConditionStep('C', { conditions: [Condition.equals(StepProperty.of(p, 'ProcessingJobStatus'), 'Completed')] });
    const l = new FailStep('L', { errorMessage: `outcome ${c.outcome}` });
    const steps = renderSteps(stack, p, c, l);
    expect(steps[1].Arguments.Conditions[0].LeftValue).toEqual({ Get: 'Steps.P.ProcessingJobStatus' });
    expect(steps[2].Arguments.ErrorMessage['Std:Join'].Values[1]).toEqual({ Get: 'Steps.C.Outcome' });
  });

  test('register model with a registry: its group name; create model in a VPC records usesVpc', () => {
    const model = new CreateModelStep('M', {
      container: { image, modelData: S3Location.fromBucket(r.artifacts, 'model.tar.gz') },
      network: { subnets: [], securityGroups: [] },
    });
    const d = new PipelineDefinition({ steps: [model] });
    expect(d.resources().usesVpc).toBe(true);
    expect(renderSteps(stack, model)[0].Arguments.VpcConfig).toEqual({ SecurityGroupIds: [], Subnets: [] });
  });

  test('a data quality check takes a JSON-lines format', () => {
    const q = new QualityCheckStep('Q', {
      checkType: QualityCheckType.DATA_QUALITY, image, baselineDataset: S3Location.fromBucket(r.data, 'x'), output: S3Location.fromBucket(r.artifacts, 'q'),
      datasetFormat: DatasetFormat.json(true),
    });
    expect(renderSteps(stack, q)[0].Arguments.Environment.dataset_format).toBe('{"json":{"lines":true}}');
  });
});

describe('bad input stops with one line naming the prop, the value and what is allowed', () => {
  const stack = sampleStack();
  const r = sampleResources(stack);
  const image = ContainerImage.fromUri('763104351884.dkr.ecr.us-east-1.amazonaws.com/x:1');
  const out = S3Location.fromBucket(r.artifacts, 'o');

  test.each([
    [() => PipelineParameter.string('bad name'), "parameter name must be 1 to 256 letters, digits, '-' or '_', got 'bad name'"],
    [() => PipelineParameter.string('S', { defaultValue: 'x', enumValues: ['a'] }), "parameter 'S' defaultValue must be one of a, got 'x'"],
    [() => PipelineParameter.integer('I', { defaultValue: 1.5 }), "parameter 'I' defaultValue must be a whole number, got 1.5"],
    [() => new TrainingStep('T', { image, output: out, instanceType: 'm5.large' }), "step 'T' instanceType must be a SageMaker instance type starting with 'ml.' (e.g. 'ml.m5.large'), got 'm5.large'"],
    [() => new TrainingStep('T', { image, output: out, useSpotInstances: true }), "step 'T' checkpoint must be set when useSpotInstances is true (interrupted spot jobs resume from it), got undefined"],
    [() => new TrainingStep('T', { image, output: out, useSpotInstances: true, checkpoint: out, maxWaitTime: Duration.hours(1), maxRuntime: Duration.hours(2) }), "step 'T' maxWaitTime (seconds) must be at least maxRuntime (7200), got 3600"],
    [() => new TuningStep('U', { image, output: out, objectiveMetricName: 'm', strategy: TuningStrategy.GRID, ranges: [ParameterRange.integer('a', 1, 2)] }), "step 'U' ranges must be categorical only with the Grid strategy, got 'a'"],
    [() => ParameterRange.continuous('eta', 0.3, 0.1), "parameter range 'eta' max must be greater than min (0.3), got 0.1"],
    [() => new ProcessingStep('P', { image, outputs: [{ outputName: 'a', source: '/a', destination: out }], propertyFiles: [{ name: 'F', outputName: 'b', path: 'f.json' }] }), "step 'P' property file 'F' outputName must be one of the step's outputs (a), got 'b'"],
    [() => new ProcessingStep('P', { image }).outputS3Uri('train'), "step 'P' outputName must be one of its outputs (it has none), got 'train'"],
    [() => new RegisterModelStep('R', { containers: [{ image }], contentTypes: [], responseTypes: [] }), "step 'R' modelRegistry must be given (or modelPackageGroupName), got undefined"],
    [() => new RegisterModelStep('R', { modelPackageGroupName: 'g', containers: [{ image }], contentTypes: [], responseTypes: [], approvalStatus: 'Maybe' }), "step 'R' approvalStatus must be one of PendingManualApproval, Approved, Rejected, got 'Maybe'"],
    [() => new QualityCheckStep('Q', { checkType: QualityCheckType.MODEL_QUALITY, image, baselineDataset: out, output: out }), "step 'Q' problemType must be set for a MODEL_QUALITY check, got undefined"],
    [() => new QualityCheckStep('Q', { checkType: QualityCheckType.DATA_QUALITY, image, baselineDataset: out, output: out, problemType: ProblemType.REGRESSION }), "step 'Q' problemType must be unset for a DATA_QUALITY check, got 'Regression'"],
    [() => S3Location.fromUri('bucket/key'), "S3 URI must start with 's3://', got 'bucket/key'"],
    [() => new LambdaStep('L', { lambdaFunction: r.fn }).output('x'), "step 'L' output name must be one of the declared outputs (none), got 'x'"],
    [() => Condition.isIn(1, []), 'Condition.isIn values must be a non-empty list, got []'],
    [() => Condition.or(Condition.equals(1, 1)), 'Condition.or conditions must be at least 2 conditions, got 1'],
    [() => new ProcessingStep('P', { image, outputs: [{ outputName: 'a', source: '/a', destination: out }] }).outputS3Uri('b'), "step 'P' outputName must be one of 'a', got 'b'"],
  ])('%#', (fn, message) => {
    expect(fn).toThrow(message);
  });

  test('retry policies: exactly one of maxAttempts/expireAfter, limits, job kinds only on job steps', () => {
    const bad = (retryPolicies: any, step: 'train' | 'register' = 'train') => () => {
      const s = step === 'train'
        ? new TrainingStep('T', { image, output: out, role: r.role, retryPolicies })
        : new RegisterModelStep('T', { modelPackageGroupName: 'g', containers: [{ image }], contentTypes: [], responseTypes: [], retryPolicies });
      new PipelineDefinition({ steps: [s] }).render();
    };
    expect(bad([{ exceptionTypes: [RetryExceptionType.STEP_THROTTLING] }])).toThrow("step 'T' retryPolicies[0] must be given exactly one of maxAttempts or expireAfter, got {}");
    expect(bad([{ exceptionTypes: [RetryExceptionType.STEP_THROTTLING], maxAttempts: 21 }])).toThrow("step 'T' retryPolicies[0].maxAttempts must be a whole number from 1 to 20, got 21");
    expect(bad([{ exceptionTypes: [RetryExceptionType.STEP_THROTTLING], expireAfter: Duration.days(11) }])).toThrow("step 'T' retryPolicies[0].expireAfter (minutes) must be a whole number from 1 to 14400, got 15840");
    expect(bad([{ exceptionTypes: [RetryExceptionType.CAPACITY_ERROR], maxAttempts: 2 }], 'register')).toThrow("step 'T' retryPolicies[0].exceptionTypes must be Step.SERVICE_FAULT or Step.THROTTLING for this step type (it starts no job), got 'SageMaker.CAPACITY_ERROR'");
  });
});
