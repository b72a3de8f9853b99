import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ModelPackageBaselines } from '../../lib/monitoring/model-package-baselines';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';

const ARN = 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/recommendation/3';

describe('ModelPackageBaselines', () => {
  const app = checkedApp();
  const stack = new Stack(app, 'Baselines', { env: { account: '123456789012', region: 'eu-west-1' } });
  const baselines = new ModelPackageBaselines(stack, 'Baselines', { modelPackageArn: ARN });
  const withModelQuality = new ModelPackageBaselines(stack, 'WithModelQuality', {
    modelPackageArn: 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/recommendation/4',
    includeModelQuality: true,
  });
  const { warnings } = synthAndCollectWarnings(app); // throws on any cdk-nag or CloudFormation validation finding
  const template = Template.fromStack(stack);
  const resources = template.findResources('Custom::ModelPackageBaselines');

  test('nag-clean with no warnings left', () => {
    expect(warnings).toEqual([]);
  });

  test('calls DescribeModelPackage on the given ARN, which is also the physical id (a new ARN reads again)', () => {
    const [first] = Object.values(resources).map((r: any) => JSON.parse(r.Properties.Create))
      .filter((c: any) => c.parameters.ModelPackageName === ARN);
    expect(first).toEqual(expect.objectContaining({
      service: 'SageMaker',
      action: 'describeModelPackage',
      physicalResourceId: { id: ARN },
      outputPaths: ['DriftCheckBaselines.ModelDataQuality.Statistics.S3Uri', 'DriftCheckBaselines.ModelDataQuality.Constraints.S3Uri'],
    }));
    const updates = Object.values(resources).map((r: any) => JSON.parse(r.Properties.Update).action);
    expect(updates).toEqual(['describeModelPackage', 'describeModelPackage']);
  });

  test('model-quality baselines are read only when asked', () => {
    const paths = Object.values(resources).map((r: any) => JSON.parse(r.Properties.Create).outputPaths);
    expect(paths).toContainEqual(expect.arrayContaining([
      'DriftCheckBaselines.ModelQuality.Statistics.S3Uri', 'DriftCheckBaselines.ModelQuality.Constraints.S3Uri',
    ]));
    expect(baselines.modelQualityStatisticsS3Uri).toBeUndefined();
    expect(withModelQuality.modelQualityConstraintsS3Uri).toBeDefined();
  });

  test('exposes the URIs as deploy-time attributes of the custom resource', () => {
    const id = Object.keys(resources).find((k) => JSON.parse(resources[k].Properties.Create).parameters.ModelPackageName === ARN)!;
    expect(stack.resolve(baselines.dataQualityStatisticsS3Uri)).toEqual({ 'Fn::GetAtt': [id, 'DriftCheckBaselines.ModelDataQuality.Statistics.S3Uri'] });
    expect(stack.resolve(baselines.dataQualityConstraintsS3Uri)).toEqual({ 'Fn::GetAtt': [id, 'DriftCheckBaselines.ModelDataQuality.Constraints.S3Uri'] });
  });

  test('least privilege: DescribeModelPackage on exactly those ARNs, in a customer-managed policy', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 'sagemaker:DescribeModelPackage', Effect: 'Allow', Resource: ARN },
          { Action: 'sagemaker:DescribeModelPackage', Effect: 'Allow', Resource: 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/recommendation/4' },
        ]),
      },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const roles = template.findResources('AWS::IAM::Role');
    for (const role of Object.values(roles)) expect((role as any).Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('one provider per stack: one Lambda, one role, a KMS-encrypted retained log group', () => {
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: Match.anyValue(), RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: Match.anyValue() } });
  });
});

describe('ModelPackageBaselines inputs', () => {
  test.each([
    'model-package/recommendation/3',
    'arn:aws:sagemaker:eu-west-1:123456789012:model-package-group/recommendation',
    'arn:aws:s3:::bucket/key',
  ])('a malformed modelPackageArn stops synth with one line: %s', (arn) => {
    const stack = new Stack(new App(), 'Bad');
    expect(() => new ModelPackageBaselines(stack, 'B', { modelPackageArn: arn }))
      .toThrow(new RegExp(`^modelPackageArn must be a model package ARN like .*, got '${arn.replace(/[/.]/g, '\\$&')}' \\(in Bad/B\\)$`));
  });

  test('a deploy-time ARN (a token) is not validated', () => {
    const stack = new Stack(new App(), 'Token');
    const param = new CfnParameter(stack, 'Arn');
    expect(() => new ModelPackageBaselines(stack, 'B', { modelPackageArn: param.valueAsString })).not.toThrow();
  });
});
