import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  ContainerImage, ExecutionVariable, Join, JsonGet, PipelineDefinition, PipelineParameter, ProcessingStep, S3Location, StepProperty,
} from '../../../lib/pipeline/definition';

// A pipeline expression has a value only while the pipeline runs. Used in CloudFormation it would be written as
// {"Get": ...}; synth must stop with one line saying what it is, where it was used and what to do.

const WHAT_TO_DO = 'it has a value only while the SageMaker pipeline runs; use it only in the steps, conditions and Join/JsonGet '
  + 'of a PipelineDefinition, and give CloudFormation a value known at deploy time instead';

function synthWith(use: (scope: Construct) => void): () => void {
  const app = new App();
  use(new Stack(app, 'Consumer'));
  return () => app.synth();
}

function expectStopped(use: (scope: Construct) => void, json: object, where: string): void {
  const synth = synthWith(use);
  expect(synth).toThrow(`pipeline expression ${JSON.stringify(json)} used outside a pipeline definition, in ${where}: ${WHAT_TO_DO}`);
  let message = '';
  try { synth(); } catch (e) { message = (e as Error).message; }
  expect(message.split('\n')).toHaveLength(1);
}

const SKLEARN = ContainerImage.fromAwsRegistry('683313688378', 'sagemaker-scikit-learn', '1.2-1-cpu-py3');

describe('a pipeline expression outside a pipeline definition stops synth', () => {
  test('a step property as a CfnOutput value', () => {
    const modelUri = StepProperty.fromStepName('Train', 'ModelArtifacts.S3ModelArtifacts');
    expectStopped((scope) => new CfnOutput(scope, 'ModelUri', { value: modelUri.asString() }),
      { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' }, 'Consumer/ModelUri (Value)');
  });

  test('an execution variable in a bucket name (template string)', () => {
    expectStopped((scope) => new s3.Bucket(scope, 'Runs', { bucketName: `runs-${ExecutionVariable.PIPELINE_EXECUTION_ID}` }),
      { Get: 'Execution.PipelineExecutionId' }, 'Consumer/Runs/Resource (bucketName)');
  });

  test('a parameter and a Std:Join in a Lambda environment variable', () => {
    const input = PipelineParameter.string('InputData', { defaultValue: 's3://bucket/data' });
    expectStopped((scope) => new lambda.Function(scope, 'Fn', {
      runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
      environment: { INPUT: input.asString() },
    }), { Get: 'Parameters.InputData' }, 'Consumer/Fn/Resource (environment.variables.INPUT)');

    expectStopped((scope) => new lambda.Function(scope, 'Fn', {
      runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
      environment: { OUT: Join.on('/', ['s3://bucket', ExecutionVariable.PIPELINE_EXECUTION_ID]).asString() },
    }), { 'Std:Join': { On: '/', Values: ['s3://bucket', { Get: 'Execution.PipelineExecutionId' }] } }, 'Consumer/Fn/Resource (environment.variables.OUT)');
  });

  test('a number token (Std:JsonGet) in a CfnOutput', () => {
    const accuracy = JsonGet.fromPropertyFile(new ProcessingStep('Evaluate', { image: SKLEARN }), 'EvaluationReport', 'metrics.accuracy.value');
    expectStopped((scope) => new CfnOutput(scope, 'Accuracy', { value: `${accuracy.asNumber()}` }),
      { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' }, Path: 'metrics.accuracy.value' } },
      'Consumer/Accuracy (Value)');
  });
});

test('inside a pipeline definition the same expressions still render as SageMaker reads them', () => {
  const stack = new Stack();
  const bucket = s3.Bucket.fromBucketName(stack, 'Artifacts', 'artifact-bucket');
  const input = PipelineParameter.string('InputData', { defaultValue: 's3://bucket/data' });
  const step = new ProcessingStep('Prep', {
    image: SKLEARN,
    role: iam.Role.fromRoleArn(stack, 'Jobs', 'arn:aws:iam::111122223333:role/Jobs', { mutable: false }),
    inputs: [{ inputName: 'raw', source: S3Location.fromUri(input.asString(), bucket), destination: '/opt/ml/processing/input' }],
    outputs: [{ outputName: 'train', source: '/opt/ml/processing/train', destination: S3Location.fromBucket(bucket, `runs/${ExecutionVariable.PIPELINE_EXECUTION_ID}/train`) }],
  });
  const json = JSON.stringify(stack.resolve(new PipelineDefinition({ steps: [step], parameters: [input] }).render()));
  expect(json).toContain('{"Get":"Parameters.InputData"}');
  expect(json).toContain('{"Std:Join":{"On":"","Values":["s3://artifact-bucket/runs/",{"Get":"Execution.PipelineExecutionId"},"/train"]}}');
});
