import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
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
