import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { recommendationModel, RecommendationModelOptions } from '../../examples/recommendation/model';
import { DataStore, ModelPipeline, ModelPipelineProps, ModelRegistry } from '../../lib';
import { checkedApp } from '../support/checks';
import { pipelineDefinitionOf, stepsByName } from '../support/pipeline-definition';

const ENV = { account: '123456789012', region: 'eu-west-1' };

/** The settings of the example's pipeline besides the model and the stores. */
type PipelineOptions = Partial<Omit<ModelPipelineProps, 'model' | 'dataset' | 'artifactStore' | 'registry'>>;

/**
 * The example model's pipeline (`ModelPipeline` + `recommendationModel`) in a stack with its data, nag- and
 * CloudFormation-checked; its template and definition.
 */
function build(options: RecommendationModelOptions = {}, props: PipelineOptions = {}) {
  const app = checkedApp();
  const stack = new Stack(app, 'Training', { env: ENV });
  const datasets = new DataStore(stack, 'Datasets');
  const artifacts = new DataStore(stack, 'Artifacts');
  const registry = new ModelRegistry(stack, 'Registry');
  const built = new ModelPipeline(stack, 'Recommendation', {
    model: recommendationModel(options), dataset: datasets.dataset('user-interactions'), artifactStore: artifacts, registry, ...props,
  });
  app.synth(); // throws on any cdk-nag or CloudFormation validation finding
  const template = Template.fromStack(stack);
  const definition = pipelineDefinitionOf(template.toJSON());
  return { stack, template, definition, steps: stepsByName(definition), built, registry };
}

describe('the recommendation example model (level 2)', () => {
  const { definition, steps, template } = build();

  test('preprocess -> train -> evaluate -> data-quality baseline -> accuracy gate -> register | fail', () => {
    expect(definition.Steps.map((s: any) => [s.Name, s.Type])).toEqual([
      ['Preprocess', 'Processing'], ['Train', 'Training'], ['Evaluate', 'Processing'],
      ['DataQualityBaseline', 'QualityCheck'], ['CheckMetric', 'Condition'],
    ]);
    expect(steps.RegisterModel.Type).toBe('RegisterModel');
    expect(steps.MetricNotMet.Type).toBe('Fail');
  });

  test('the condition reads the accuracy from evaluation.json through Std:JsonGet and compares it with MetricThreshold (>=)', () => {
    expect(steps.Evaluate.PropertyFiles).toEqual([{ PropertyFileName: 'EvaluationReport', OutputName: 'evaluation', FilePath: 'evaluation.json' }]);
    expect(steps.CheckMetric.Arguments.Conditions).toEqual([{
      Type: 'GreaterThanOrEqualTo',
      LeftValue: { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' }, Path: 'metrics.accuracy.value' } },
      RightValue: { Get: 'Parameters.MetricThreshold' },
    }]);
    expect(definition.Parameters).toContainEqual({ Name: 'MetricThreshold', Type: 'Float', DefaultValue: 0.7 });
  });

  test('the fail step carries the accuracy in its message', () => {
    expect(JSON.stringify(steps.MetricNotMet.Arguments.ErrorMessage)).toContain('Steps.Evaluate.PropertyFiles.EvaluationReport');
  });

  test('preprocess reads the dataset prefix and writes train, test, baseline and the dataset manifest per execution', () => {
    const args = steps.Preprocess.Arguments;
    expect(args.AppSpecification.ContainerEntrypoint).toEqual(['python3', '/opt/ml/processing/input/code/preprocess.py']);
    expect(args.AppSpecification.ContainerArguments[0]).toBe('--input-s3-uri');
    expect(args.ProcessingInputs[0].S3Input.S3Uri).toMatch(/^s3:\/\/<Ref:\w+>\/datasets\/user-interactions\/$/);
    expect(args.ProcessingOutputConfig.Outputs.map((o: any) => o.OutputName)).toEqual(['train', 'test', 'baseline', 'manifest']);
    expect(JSON.stringify(args.ProcessingOutputConfig.Outputs[3].S3Output.S3Uri)).toContain('Execution.PipelineExecutionId');
    expect(args.ProcessingOutputConfig.KmsKeyId).toBeDefined();
    expect(args.ProcessingResources.ClusterConfig.VolumeKmsKeyId).toBeDefined();
  });

  test('training runs on managed spot with a wait limit and checkpoints in the artifact store, script mode, Float C as a string', () => {
    const args = steps.Train.Arguments;
    expect(args.EnableManagedSpotTraining).toBe(true);
    expect(args.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 });
    expect(JSON.stringify(args.CheckpointConfig.S3Uri)).toContain('/checkpoints');
    expect(args.HyperParameters.sagemaker_program).toBe('"train.py"');
    expect(args.HyperParameters.sagemaker_submit_directory).toMatch(/^"s3:\/\/cdk-[a-z0-9]+-assets-123456789012-eu-west-1\/[0-9a-f]{64}\.gz"$/);
    expect(args.HyperParameters.C).toEqual({ 'Std:Join': { On: '', Values: [{ Get: 'Parameters.RegularizationC' }] } });
    expect(args.AlgorithmSpecification.MetricDefinitions).toEqual([{ Name: 'validation:accuracy', Regex: 'validation:accuracy=([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)' }]);
    expect(args.AlgorithmSpecification.TrainingImage).toMatch(/sagemaker-scikit-learn:1\.2-1-cpu-py3$/);
  });

  test('training and evaluation are cached for 12 hours (below the retraining cool-down), preprocessing never; all retried on capacity errors', () => {
    expect(steps.Preprocess.CacheConfig).toEqual({ Enabled: false });
    expect(steps.Preprocess.RetryPolicies.map((p: any) => p.ExceptionType)).toContainEqual(['SageMaker.CAPACITY_ERROR', 'SageMaker.JOB_INTERNAL_ERROR']);
    for (const name of ['Train', 'Evaluate']) {
      expect(steps[name].CacheConfig).toEqual({ Enabled: true, ExpireAfter: 'PT12H' });
      expect(steps[name].RetryPolicies.map((p: any) => p.ExceptionType)).toContainEqual(['SageMaker.CAPACITY_ERROR', 'SageMaker.JOB_INTERNAL_ERROR']);
    }
  });

  test('the data-quality baseline is computed on the training features and registered as the drift-check baseline', () => {
    expect(steps.DataQualityBaseline).toMatchObject({ CheckType: 'DATA_QUALITY', SkipCheck: true, RegisterNewBaseline: true });
    const register = steps.RegisterModel.Arguments;
    expect(register.DriftCheckBaselines.ModelDataQuality.Statistics.S3Uri).toEqual({ Get: 'Steps.DataQualityBaseline.BaselineUsedForDriftCheckStatistics' });
    expect(register.ModelMetrics.ModelDataQuality.Constraints.S3Uri).toEqual({ Get: 'Steps.DataQualityBaseline.CalculatedBaselineConstraints' });
  });

  test('the registered package carries its evaluation, the dataset manifest location and digest, and the trigger reason', () => {
    const register = steps.RegisterModel.Arguments;
    expect(register.ModelApprovalStatus).toEqual({ Get: 'Parameters.ModelApprovalStatus' });
    expect(JSON.stringify(register.ModelMetrics.ModelQuality.Statistics.S3Uri)).toContain('evaluation.json');
    expect(register.CustomerMetadataProperties.DatasetManifestS3Uri).toEqual({ 'Std:Join': { On: '', Values: [{ Get: "Steps.Preprocess.ProcessingOutputConfig.Outputs['manifest'].S3Output.S3Uri" }, '/manifest.json'] } });
    expect(register.CustomerMetadataProperties.DatasetManifestSha256).toEqual({ 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Preprocess.PropertyFiles.ManifestDigest' }, Path: 'sha256' } });
    expect(register.CustomerMetadataProperties.TriggerReason).toEqual({ Get: 'Parameters.TriggerReason' });
    expect(register.InferenceSpecification.Containers[0].Environment).toMatchObject({ SAGEMAKER_PROGRAM: 'train.py', SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code' });
    expect(register.InferenceSpecification.Containers[0].ModelDataUrl).toEqual({ Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' });
  });

  test('declares the parameters the retraining trigger passes', () => {
    const names = definition.Parameters.map((p: any) => p.Name);
    expect(names).toEqual(expect.arrayContaining(['TriggerReason', 'TriggerAlarm', 'ModelApprovalStatus', 'TrainingInstanceType']));
  });

  test('the pipeline role reads the training code archive (one object) and may register but not approve', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toContain('sagemaker:CreateModelPackage');
    expect(policies).not.toContain('sagemaker:UpdateModelPackage');
    // Reads are scoped to the model's prefix: nothing on the whole artifact bucket (which also holds data capture).
    expect(policies).not.toMatch(/"Fn::GetAtt":\["ArtifactsBucket[0-9A-F]+","Arn"\]\},"\/\*"/);
    expect(policies).toContain('/recommendation/runs/*');
    expect(policies).toMatch(/"Action":"s3:GetObject","Effect":"Allow","Resource":\{"Fn::Join":\["",\["arn:",\{"Ref":"AWS::Partition"\},":s3:::cdk-[a-z0-9]+-assets-123456789012-eu-west-1\/[0-9a-f]{64}\.gz"\]\]\}/);
  });
});

describe('the recommendation example model (level 4: hyperparameter tuning)', () => {
  const { steps } = build({ tuningMaxJobs: 6, tuningMaxParallelJobs: 3 }, { tuning: true });

  test('a Bayesian tuning job over C and the solver replaces the training step and feeds evaluation and registration', () => {
    expect(steps.Train).toBeUndefined();
    const tuning = steps.Tune.Arguments.HyperParameterTuningJobConfig;
    expect(tuning.Strategy).toBe('Bayesian');
    expect(tuning.HyperParameterTuningJobObjective).toEqual({ Type: 'Maximize', MetricName: 'validation:accuracy' });
    expect(tuning.ResourceLimits).toEqual({ MaxNumberOfTrainingJobs: 6, MaxParallelTrainingJobs: 3 });
    expect(tuning.ParameterRanges.ContinuousParameterRanges).toEqual([{ Name: 'C', MinValue: '0.01', MaxValue: '100', ScalingType: 'Logarithmic' }]);
    expect(tuning.ParameterRanges.CategoricalParameterRanges).toEqual([{ Name: 'solver', Values: ['lbfgs', 'liblinear'] }]);
    const best = JSON.stringify(steps.Evaluate.Arguments.ProcessingInputs[0].S3Input.S3Uri);
    expect(best).toContain('Steps.Tune.TrainingJobSummaries[0].TrainingJobName');
    expect(JSON.stringify(steps.RegisterModel.Arguments.InferenceSpecification.Containers[0].ModelDataUrl)).toEqual(best);
  });
});

describe('the recommendation example model: options and bad input', () => {
  test('on-demand training and no cache', () => {
    const { steps } = build({}, { spotTraining: false, cacheExpiry: Duration.seconds(0) });
    expect(steps.Train.Arguments.EnableManagedSpotTraining).toBeUndefined();
    expect(steps.Train.Arguments.CheckpointConfig).toBeUndefined();
    expect(steps.Train.CacheConfig).toEqual({ Enabled: false });
  });

  test.each<[RecommendationModelOptions, PipelineOptions, string]>([
    [{ minAccuracy: 1.5 }, {}, 'minAccuracy must be between 0 and 1, got 1.5'],
    [{}, { trainingInstanceType: 'm5.large' }, "trainingInstanceType must be a SageMaker instance type starting with 'ml.' (e.g. 'ml.m5.large'), got 'm5.large'"],
    [{ tuningMaxJobs: 4, tuningMaxParallelJobs: 5 }, {}, "model 'recommendation': tuningMaxParallelJobs must be at most tuningMaxJobs (4), got 5 (in Default/P)"],
    [{ spotMaxWait: Duration.minutes(30) }, {}, "model 'recommendation': spotMaxWait (seconds) must be a whole number >= 3600, got 1800"],
    [{ spotMaxWait: Duration.hours(3) }, { spotTraining: false }, "model 'recommendation': spotMaxWait must be unset when spotTraining is false, got '3 hours'"],
    [{ name: 'my model' }, {}, "model name must be 1-32 lowercase letters, digits or hyphens, starting with a letter, got 'my model'"],
  ])('%j %j stops synth with one line', (options, props, message) => {
    const stack = new Stack();
    const store = new DataStore(stack, 'Store');
    expect(() => new ModelPipeline(stack, 'P', {
      model: recommendationModel(options), dataset: store.dataset('user-interactions'), artifactStore: store,
      registry: new ModelRegistry(stack, 'Registry'), ...props,
    })).toThrow(message);
  });
});
