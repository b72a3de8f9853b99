import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ModelEndpoint } from '../../lib/serving/model-endpoint';
import { VariantWeightShifter } from '../../lib/serving/variant-weight-shifter';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const V1 = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/recommendation/1';
const V2 = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/recommendation/2';

function build(app: App) {
  const stack = new Stack(app, 'Serving', { env: ENV });
  const endpoint = new ModelEndpoint(stack, 'Endpoint', {
    modelPackageArn: V1,
    additionalVariants: [{ variantName: 'Challenger', modelPackageArn: V2, initialVariantWeight: 0.1 }],
    retainAllVariantProperties: true,
  });
  const shifter = new VariantWeightShifter(stack, 'Shifter', { endpoint });
  return { stack, endpoint, shifter };
}

describe('VariantWeightShifter', () => {
  const app = checkedApp();
  const { stack, endpoint } = build(app);
  const template = Template.fromStack(stack);

  test('a function bound to the endpoint, one shift at a time, logging to an encrypted retained group', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      ReservedConcurrentExecutions: 1,
      Environment: { Variables: { ENDPOINT_NAME: endpoint.endpointName } },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^ShifterLogs') } },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ShifterLogKey'), 'Arn'] }, RetentionInDays: 365 },
    });
    // The created key lets CloudWatch Logs of this region encrypt log groups of this account only.
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Sid: 'CloudWatchLogsEncryptsShifterLogs',
        Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp(':logs:eu-west-1:111111111111:log-group:\\*$')])]) }) } },
      })]) },
    });
  });

  test('its role may update and describe this endpoint only', () => {
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter((p: any) =>
      JSON.stringify(p.Properties.Roles).includes('ShifterRole'));
    const statements = policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const sagemakerStatement = statements.find((s: any) => JSON.stringify(s.Action).includes('sagemaker:'));
    expect(sagemakerStatement.Action.sort()).toEqual(['sagemaker:DescribeEndpoint', 'sagemaker:UpdateEndpointWeightsAndCapacities']);
    expect(sagemakerStatement.Resource).toEqual({ Ref: expect.stringMatching(/^Endpoint/) });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('synthesizes with no cdk-nag or CloudFormation findings', () => {
    const { warnings } = synthAndCollectWarnings(app);
    expect(warnings).toEqual([]);
  });
});

describe('VariantWeightShifter in a VPC', () => {
  test('runs in the private subnets with the network-interface actions Lambda needs, in its own policy', () => {
    const stack = new Stack(undefined, 'Serving', { env: ENV });
    const endpoint = new ModelEndpoint(stack, 'Endpoint', { modelPackageArn: V1 });
    new VariantWeightShifter(stack, 'Shifter', { endpoint, vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 }) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      VpcConfig: { SubnetIds: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('PrivateSubnet') })]) },
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: Match.arrayWith(['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface']),
          Resource: '*',
        })]),
      },
    });
  });
});
