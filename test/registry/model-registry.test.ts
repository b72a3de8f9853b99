import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ManagedPolicyRole } from '../../lib/private/managed-policy-role';
import { ModelRegistry } from '../../lib/registry/model-registry';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function stack(): Stack {
  return new Stack(new App(), 'Registry', { env: ENV });
}

/** All actions a role's policies allow, by resource, from the synthesized template. */
function allowedActions(template: Template): { actions: string[]; resources: unknown[] }[] {
  const out: { actions: string[]; resources: unknown[] }[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    for (const s of (policy as any).Properties.PolicyDocument.Statement) {
      out.push({ actions: [].concat(s.Action), resources: [].concat(s.Resource) });
    }
  }
  return out;
}

describe('ModelRegistry', () => {
  test('creates a retained group with a name derived from the path', () => {
    const s = stack();
    const registry = new ModelRegistry(s, 'Registry', { description: 'recommendation models' });
    const t = Template.fromStack(s);
    t.hasResource('AWS::SageMaker::ModelPackageGroup', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        ModelPackageGroupName: registry.modelPackageGroupName,
        ModelPackageGroupDescription: 'recommendation models',
        ModelPackageGroupPolicy: Match.absent(),
      },
    });
    expect(registry.modelPackageGroupName).toMatch(/^[a-z0-9](-*[a-z0-9]){0,62}$/);
    expect(registry.modelPackageGroupName).toMatch(/^registry-[0-9a-f]{8}$/);
    // Two registries in one app never share a name.
    const other = new ModelRegistry(new Stack(s.node.root as App, 'Other', { env: ENV }), 'Registry');
    expect(other.modelPackageGroupName).not.toBe(registry.modelPackageGroupName);
  });

  test('a long path still gives a valid name of at most 63 characters', () => {
    const s = new Stack(new App(), 'A-very-long-stack-name-for-the-recommendation-engine-production', { env: ENV });
    const registry = new ModelRegistry(s, 'ModelRegistryForTheRecommendationEngineWithALongId');
    expect(registry.modelPackageGroupName.length).toBeLessThanOrEqual(63);
    expect(registry.modelPackageGroupName).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
  });

  test('keeps a given name and removal policy', () => {
    const s = stack();
    new ModelRegistry(s, 'Registry', { modelPackageGroupName: 'recommendation', removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(s).hasResource('AWS::SageMaker::ModelPackageGroup', {
      DeletionPolicy: 'Delete',
      Properties: { ModelPackageGroupName: 'recommendation' },
    });
  });

  test.each(['bad_name', '-starts-with-hyphen', 'ends-with-hyphen-', 'a'.repeat(64), ''])('rejects the name %p in one line', (name) => {
    expect(() => new ModelRegistry(stack(), 'Registry', { modelPackageGroupName: name })).toThrow(
      `modelPackageGroupName must be 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit, got '${name}'`,
    );
  });

  test('a pipeline role can register but not approve', () => {
    const s = stack();
    const registry = new ModelRegistry(s, 'Registry', { modelPackageGroupName: 'recommendation' });
    const pipelineRole = new iam.Role(s, 'PipelineRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    registry.grantRegister(pipelineRole);
    const t = Template.fromStack(s);
    const statements = allowedActions(t);
    const actions = statements.flatMap((st) => st.actions);
    expect(actions).toEqual(expect.arrayContaining(['sagemaker:CreateModelPackage', 'sagemaker:DescribeModelPackageGroup']));
    expect(actions).not.toContain('sagemaker:UpdateModelPackage');
    const create = statements.find((st) => st.actions.includes('sagemaker:CreateModelPackage'))!;
    expect(create.resources).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:111111111111:model-package/recommendation/*']] },
    ]);
    const describe = statements.find((st) => st.actions.includes('sagemaker:DescribeModelPackageGroup'))!;
    expect(describe.resources).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Registry/), 'ModelPackageGroupArn'] }]);
  });

  test('an approver can approve but not register', () => {
    const s = stack();
    const registry = new ModelRegistry(s, 'Registry', { modelPackageGroupName: 'recommendation' });
    const approver = new iam.Role(s, 'Approver', { assumedBy: new iam.AccountRootPrincipal() });
    registry.grantApprove(approver);
    const statements = allowedActions(Template.fromStack(s));
    const actions = statements.flatMap((st) => st.actions);
    expect(actions).toEqual(expect.arrayContaining(['sagemaker:UpdateModelPackage', 'sagemaker:DescribeModelPackage']));
    expect(actions).not.toContain('sagemaker:CreateModelPackage');
    const update = statements.find((st) => st.actions.includes('sagemaker:UpdateModelPackage'))!;
    expect(JSON.stringify(update.resources)).toContain(':model-package/recommendation/*');
  });

  test('read: describes are scoped to the group, only the List calls are on *', () => {
    const s = stack();
    const registry = new ModelRegistry(s, 'Registry', { modelPackageGroupName: 'recommendation' });
    const reader = new iam.Role(s, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    registry.grantRead(reader);
    const statements = allowedActions(Template.fromStack(s));
    const wildcard = statements.filter((st) => st.resources.includes('*'));
    expect(wildcard.flatMap((st) => st.actions).sort()).toEqual(['sagemaker:ListModelPackageGroups', 'sagemaker:ListModelPackages']);
    expect(statements.flatMap((st) => st.actions)).not.toEqual(expect.arrayContaining(['sagemaker:UpdateModelPackage']));
    expect(statements.flatMap((st) => st.actions)).not.toEqual(expect.arrayContaining(['sagemaker:CreateModelPackage']));
  });

  test('events: state change, registered, approved, rejected filter on the group and status', () => {
    const s = stack();
    const registry = new ModelRegistry(s, 'Registry', { modelPackageGroupName: 'recommendation' });
    registry.onModelPackageStateChange('Any');
    registry.onModelRegistered('Registered');
    registry.onModelApproved('Approved', { description: 'deploy on approval' });
    registry.onModelRejected('Rejected');
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::Events::Rule', 4);
    const base = { source: ['aws.sagemaker'], 'detail-type': ['SageMaker Model Package State Change'] };
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { ...base, detail: { ModelPackageGroupName: ['recommendation'], ModelApprovalStatus: Match.absent() } },
    });
    for (const status of ['PendingManualApproval', 'Approved', 'Rejected']) {
      t.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { ...base, detail: { ModelPackageGroupName: ['recommendation'], ModelApprovalStatus: [status] } },
      });
    }
    t.hasResourceProperties('AWS::Events::Rule', { Description: 'deploy on approval' });
  });

  test('shares read-only with other accounts through the resource policy', () => {
    const s = stack();
    const registry = new ModelRegistry(s, 'Registry', { modelPackageGroupName: 'recommendation', shareWithAccounts: ['222222222222'] });
    registry.grantReadToAccount('333333333333');
    registry.grantReadToAccount('222222222222'); // once only
    const t = Template.fromStack(s);
    const group = Object.values(t.findResources('AWS::SageMaker::ModelPackageGroup'))[0] as any;
    const statements = group.Properties.ModelPackageGroupPolicy.Statement;
    expect(statements).toHaveLength(4);
    const actions = statements.flatMap((st: any) => [].concat(st.Action));
    expect(new Set(actions)).toEqual(new Set(['sagemaker:DescribeModelPackageGroup', 'sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages']));
    expect(JSON.stringify(statements)).toContain('arn:');
    expect(JSON.stringify(statements)).toContain(':iam::222222222222:root');
    expect(JSON.stringify(statements)).toContain(':iam::333333333333:root');
    // The policy names its own group by a formatted ARN, never by Fn::GetAtt on itself (circular).
    expect(JSON.stringify(statements)).not.toContain('Fn::GetAtt');
    expect(JSON.stringify(statements)).toContain(':model-package-group/recommendation');
    expect(JSON.stringify(statements)).toContain(':model-package/recommendation/*');
  });

  test('deployment accounts may also create models from the packages, still not register or approve', () => {
    const s = stack();
    const registry = new ModelRegistry(s, 'Registry', { modelPackageGroupName: 'recommendation' });
    registry.grantReadToAccounts(['222222222222', '333333333333']);
    registry.grantReadToAccounts(['222222222222']); // once only
    const group = Object.values(Template.fromStack(s).findResources('AWS::SageMaker::ModelPackageGroup'))[0] as any;
    const statements = group.Properties.ModelPackageGroupPolicy.Statement;
    expect(statements).toHaveLength(6);
    const deploy = statements.filter((st: any) => st.Action === 'sagemaker:CreateModel');
    expect(deploy.map((st: any) => st.Sid)).toEqual(['DeployAccount222222222222', 'DeployAccount333333333333']);
    expect(JSON.stringify(deploy)).toContain(':model-package/recommendation/*');
    const actions = statements.flatMap((st: any) => [].concat(st.Action));
    expect(actions).not.toContain('sagemaker:CreateModelPackage');
    expect(actions).not.toContain('sagemaker:UpdateModelPackage');
    expect(() => registry.grantReadToAccounts(['222222222222', '1234'])).toThrow("accountIds[1] must be a 12-digit AWS account id, got '1234'");
  });

  test('addToResourcePolicy adds a statement', () => {
    const s = stack();
    const registry = new ModelRegistry(s, 'Registry', { modelPackageGroupName: 'recommendation' });
    const result = registry.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal('444444444444')],
      actions: ['sagemaker:CreateModel'],
      resources: [registry.modelPackageArnPattern],
    }));
    expect(result.statementAdded).toBe(true);
    Template.fromStack(s).hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupPolicy: { Statement: [Match.objectLike({ Action: 'sagemaker:CreateModel' })] },
    });
  });

  test.each(['1234', '12345678901a', '1234567890123'])('rejects the account id %p in one line', (account) => {
    expect(() => new ModelRegistry(stack(), 'Registry', { shareWithAccounts: ['222222222222', account] })).toThrow(
      `shareWithAccounts[1] must be a 12-digit AWS account id, got '${account}'`,
    );
  });

  test('imports by name and by ARN', () => {
    const s = stack();
    const byName = ModelRegistry.fromModelRegistryName(s, 'ByName', 'recommendation');
    expect(byName.modelPackageGroupName).toBe('recommendation');
    expect(s.resolve(byName.modelPackageGroupArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:111111111111:model-package-group/recommendation']],
    });
    const arn = 'arn:aws:sagemaker:us-east-1:999999999999:model-package-group/shared-models';
    const byArn = ModelRegistry.fromModelRegistryArn(s, 'ByArn', arn);
    expect(byArn.modelPackageGroupArn).toBe(arn);
    expect(s.resolve(byArn.modelPackageGroupName)).toBe('shared-models');
    expect(byArn.env.account).toBe('999999999999');
    expect(s.resolve(byArn.modelPackageArnPattern)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:999999999999:model-package/shared-models/*']],
    });
    // Imported registries grant and emit events too.
    const role = new iam.Role(s, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    byArn.grantApprove(role);
    byName.onModelApproved('Approved');
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Events::Rule', { EventPattern: { detail: { ModelPackageGroupName: ['recommendation'] } } });
    expect(JSON.stringify(t.toJSON())).toContain('model-package/shared-models/*');
  });

  test('rejects a malformed ARN on import', () => {
    expect(() => ModelRegistry.fromModelRegistryArn(stack(), 'X', 'arn:aws:sagemaker:us-east-1:999999999999:model-package/x/1')).toThrow(
      "modelPackageGroupArn must be an ARN 'arn:<partition>:sagemaker:<region>:<account>:model-package-group/<name>', got 'arn:aws:sagemaker:us-east-1:999999999999:model-package/x/1'",
    );
  });

  test('synthesizes with no cdk-nag or CloudFormation findings', () => {
    const app = checkedApp();
    const s = new Stack(app, 'Checked', { env: ENV });
    const registry = new ModelRegistry(s, 'Registry', { shareWithAccounts: ['222222222222'] });
    registry.onModelApproved('Approved');
    // Grantees carry the registry's acknowledgements for its wildcards (versions of this group, List* calls).
    const role = (name: string) => new ManagedPolicyRole(s, name, { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const pipeline = role('Pipeline');
    registry.grantRegister(pipeline);
    registry.grantApprove(role('Approver'));
    registry.grantRead(role('Reader'));
    const { warnings } = synthAndCollectWarnings(app);
    expect(warnings).toEqual([]);
    const acknowledged = pipeline.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.keys(m.data));
    expect(acknowledged).toEqual([
      `Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:eu-west-1:111111111111:model-package/${registry.modelPackageGroupName}/*]`,
    ]);
  });
});
