import { CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ManagedPolicyRole } from '../../lib/private/managed-policy-role';
import { rolePolicies } from '../../lib/private/role-policies';

function dependsOn(stack: Stack, resource: CfnResource): string[] {
  return Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(resource)].DependsOn ?? [];
}

describe('rolePolicies', () => {
  test('a resource that references its role waits for the role\'s policies, also those granted later, not for the role', () => {
    const stack = new Stack();
    const role = new ManagedPolicyRole(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const resource = new CfnResource(stack, 'Consumer', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: role.roleArn } });
    resource.node.addDependency(rolePolicies(role));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::data-bucket/*'] }));

    const policy = stack.getLogicalId(role.node.findChild('Policy').node.defaultChild as iam.CfnManagedPolicy);
    expect(dependsOn(stack, resource)).toEqual([policy]);
  });

  test('an iam.Role: its default policy; an imported role: nothing', () => {
    const stack = new Stack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::data-bucket/*'] }));
    const resource = new CfnResource(stack, 'Consumer', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: role.roleArn } });
    resource.node.addDependency(rolePolicies(role));
    const defaultPolicy = stack.getLogicalId(role.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy);

    const imported = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111122223333:role/Jobs', { mutable: false });
    const other = new CfnResource(stack, 'Other', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: imported.roleArn } });
    other.node.addDependency(rolePolicies(imported));
    expect(dependsOn(stack, resource)).toEqual([defaultPolicy]);
    expect(dependsOn(stack, other)).toEqual([]);
  });
});
