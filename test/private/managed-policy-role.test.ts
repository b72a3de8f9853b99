import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ManagedPolicyRole } from '../../lib/private/managed-policy-role';

describe('ManagedPolicyRole', () => {
  test('grants land in customer-managed policies, never in an inline policy, split before the size quota', () => {
    const stack = new Stack();
    const role = new ManagedPolicyRole(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    s3.Bucket.fromBucketName(stack, 'B', 'data-bucket').grantRead(role);
    for (let i = 0; i < 60; i++) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::data-bucket/prefix-number-${i}/object.csv`] }));
    }
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as any[];
    expect(policies.length).toBeGreaterThan(1);
    for (const policy of policies) {
      expect(JSON.stringify(policy.Properties.PolicyDocument).length).toBeLessThan(6144);
      expect(policy.Properties.Roles).toEqual([{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }]);
    }
  });

  test('a role that needs more managed policies than IAM allows by default says so at synth', () => {
    /** A stack whose role holds `count` managed policies, filled with grants. */
    const withPolicies = (count: number): Stack => {
      const stack = new Stack();
      const role = new ManagedPolicyRole(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
      const policies = () => role.node.children.filter((c) => c instanceof iam.ManagedPolicy).length;
      for (let i = 0; policies() < count; i++) {
        role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::data-bucket/prefix-number-${i}/object.csv`] }));
      }
      return stack;
    };
    Annotations.fromStack(withPolicies(10)).hasNoWarning('*', Match.anyValue());
    Annotations.fromStack(withPolicies(11)).hasWarning('/Default/Role',
      Match.stringLikeRegexp("more than 10 managed policies, IAM's default quota per role"));
  });
});
