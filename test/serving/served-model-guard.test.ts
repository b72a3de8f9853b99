import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ModelEndpoint } from '../../lib/serving/model-endpoint';
import { ServedModelGuard } from '../../lib/serving/served-model-guard';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';

/** The serving stack runs in a stage account; the registry (and so the packages) in the platform account. */
const ENV = { account: '222222222222', region: 'eu-west-1' };
const V7 = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/recommendation/7';
const SHADOW = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/recommendation/8';

function build(app: App) {
  const stack = new Stack(app, 'Serving', { env: ENV });
  const endpoint = new ModelEndpoint(stack, 'Endpoint', {
    modelPackageArn: V7,
    shadowVariant: { modelPackageArn: SHADOW, samplingPercentage: 10 },
  });
  const guard = new ServedModelGuard(stack, 'ModelGuard', { modelPackageArn: V7 });
  guard.protect(endpoint);
  return { stack, endpoint, guard };
}

/** Statements of the managed policies attached to the guard's role. */
function guardStatements(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
    .filter((p: any) => JSON.stringify(p.Properties.Roles).includes('ModelGuardRole'))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('ServedModelGuard', () => {
  const app = checkedApp();
  const { stack, guard } = build(app);
  const template = Template.fromStack(stack);
  const guardId = stack.getLogicalId(guard.resource.node.defaultChild as any);

  test('synthesizes with zero cdk-nag findings (AwsSolutions + NIST 800-53 R5), every finding acknowledged for a reason', () => {
    expect(synthAndCollectWarnings(app).warnings).toEqual([]);
  });

  test('a custom resource carrying the served model package, answered by the guard function within 5 minutes', () => {
    template.hasResourceProperties('Custom::ServedModelGuard', {
      ServiceToken: { 'Fn::GetAtt': [stack.getLogicalId(guard.function.node.defaultChild as any), 'Arn'] },
      ModelPackageArn: V7,
      ServiceTimeout: '300',
    });
    const fn = template.toJSON().Resources[stack.getLogicalId(guard.function.node.defaultChild as any)];
    expect(fn.Properties).toMatchObject({ Handler: 'index.handler', Runtime: 'nodejs24.x', Timeout: 120 });
    // Runs once per deployment: it takes nothing from the account's unreserved concurrency.
    expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  test('every model of the endpoint (production and shadow) waits for the guard', () => {
    const models = Object.values<any>(template.findResources('AWS::SageMaker::Model'));
    expect(models).toHaveLength(2);
    for (const model of models) expect(model.DependsOn).toContain(guardId);
  });

  test('IAM: describe the versions of the served group (in the registry account) and this stack, nothing else', () => {
    const statements = guardStatements(template);
    expect(statements.filter((s) => s.Sid !== undefined)).toEqual([
      {
        Sid: 'ReadApprovalOfServedModelPackages', Effect: 'Allow', Action: 'sagemaker:DescribeModelPackage',
        Resource: 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/recommendation/*',
      },
      { Sid: 'ReadOwnStackStatus', Effect: 'Allow', Action: 'cloudformation:DescribeStacks', Resource: { Ref: 'AWS::StackId' } },
    ]);
    // The rest is writing its own logs.
    expect(statements.filter((s) => s.Sid === undefined).flatMap((s) => [].concat(s.Action))).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('a model package ARN known only at deploy time is guarded by its group, built with CloudFormation functions', () => {
    const s = new Stack(new App(), 'Tokens', { env: ENV });
    const arn = new CfnParameter(s, 'ModelPackageArn').valueAsString;
    new ServedModelGuard(s, 'ModelGuard', { modelPackageArn: arn });
    const read = guardStatements(Template.fromStack(s)).find((st) => st.Sid === 'ReadApprovalOfServedModelPackages');
    expect(read.Resource).toEqual({
      'Fn::Join': ['/', [
        { 'Fn::Select': [0, { 'Fn::Split': ['/', { Ref: 'ModelPackageArn' }] }] },
        { 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'ModelPackageArn' }] }] },
        '*',
      ]],
    });
  });

  test('an unversioned or malformed ARN stops synth naming the prop', () => {
    const s = new Stack(new App(), 'Bad', { env: ENV });
    expect(() => new ServedModelGuard(s, 'ModelGuard', { modelPackageArn: 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/recommendation' }))
      .toThrow("modelPackageArn must be a model package ARN 'arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>', got 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/recommendation'");
  });
});
