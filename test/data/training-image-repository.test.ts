import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { TrainingImageRepository } from '../../lib';
import { checkedApp } from '../support/checks';
import { ManagedPolicyRole } from '../../lib/private/managed-policy-role';

describe('TrainingImageRepository', () => {
  const app = checkedApp();
  const stack = new Stack(app, 'Images');
  new TrainingImageRepository(stack, 'TrainingImages');
  app.synth();
  const template = Template.fromStack(stack);

  test('scan on push, immutable tags, KMS with a rotated key, retained', () => {
    template.hasResource('AWS::ECR::Repository', {
      Properties: Match.objectLike({
        ImageScanningConfiguration: { ScanOnPush: true },
        ImageTagMutability: 'IMMUTABLE',
        EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: Match.anyValue() },
      }),
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('untagged images expire after 14 days', () => {
    const repoProps = Object.values(template.findResources('AWS::ECR::Repository'))[0] as any;
    const policy = JSON.parse(repoProps.Properties.LifecyclePolicy.LifecyclePolicyText);
    expect(policy.rules[0].selection).toEqual({ tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 14, countUnit: 'days' });
  });

  test('untaggedImageMaxAge is a Duration in whole days', () => {
    const stack = new Stack();
    new TrainingImageRepository(stack, 'Monthly', { untaggedImageMaxAge: Duration.days(30) });
    const repoProps = Object.values(Template.fromStack(stack).findResources('AWS::ECR::Repository'))[0] as any;
    expect(JSON.parse(repoProps.Properties.LifecyclePolicy.LifecyclePolicyText).rules[0].selection.countNumber).toBe(30);
  });

  test('grantPull gives the image layers of this repository and the registry token', () => {
    const grantStack = new Stack();
    const grantRepo = new TrainingImageRepository(grantStack, 'TrainingImages');
    grantRepo.grantPull(new ManagedPolicyRole(grantStack, 'Puller', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') }));
    const statements = JSON.stringify(Template.fromStack(grantStack).toJSON());
    expect(statements).toContain('ecr:BatchGetImage');
    expect(statements).toContain('ecr:GetAuthorizationToken');
  });

  test('bad expiry names the prop', () => {
    expect(() => new TrainingImageRepository(new Stack(), 'R', { untaggedImageMaxAge: Duration.days(0) }))
      .toThrow(new Error("untaggedImageMaxAge must be a whole number of days >= 1, got '0 days' (in Default/R)"));
    expect(() => new TrainingImageRepository(new Stack(), 'H', { untaggedImageMaxAge: Duration.hours(36) }))
      .toThrow(new Error("untaggedImageMaxAge must be a whole number of days >= 1, got '1.5 days' (in Default/H)"));
  });
});
