import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ContainerImage, PipelineDefinition, ProcessingStep } from '../../lib/pipeline/definition';
import { TrainingPipeline } from '../../lib/pipeline/training-pipeline';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';
import { sampleDefinition } from './definition/fixtures';

test('a TrainingPipeline with its secure defaults synthesizes with zero cdk-nag / CloudFormation findings', () => {
  const app = checkedApp();
  const stack = new Stack(app, 'Checked', { env: { account: '111122223333', region: 'us-east-1' } });
  new TrainingPipeline(stack, 'Training', { definition: sampleDefinition(stack) });
  const { warnings } = synthAndCollectWarnings(app);
  expect(warnings).toEqual([]);
  Template.fromStack(stack).resourceCountIs('AWS::SageMaker::Pipeline', 1);
  expect(iam).toBeDefined();
});

test('a definition too large to inline, with deploy-time values, uploaded by a BucketDeployment: zero findings', () => {
  const app = checkedApp();
  const stack = new Stack(app, 'CheckedLarge', { env: { account: '111122223333', region: 'us-east-1' } });
  // The steps run with the pipeline's own role (a deploy-time ARN), created by the pipeline.
  const definition = new PipelineDefinition({
    steps: [new ProcessingStep('Big', {
      image: ContainerImage.fromAwsRegistry('683313688378', 'sagemaker-scikit-learn', '1.2-1-cpu-py3'),
      environment: Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`VAR_${i}`, 'x'.repeat(500)])),
    })],
  });
  const pipeline = new TrainingPipeline(stack, 'Training', { definition });
  const { warnings } = synthAndCollectWarnings(app);
  expect(warnings).toEqual([]);
  expect(pipeline.definitionDeployment).toBeDefined();
  Template.fromStack(stack).resourceCountIs('Custom::CDKBucketDeployment', 1);
});
