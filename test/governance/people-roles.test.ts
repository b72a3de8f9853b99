import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DataStore } from '../../lib/data/data-store';
import { PeopleAccess } from '../../lib/governance/people-access';
import { PeopleRoles, PeopleRolesProps } from '../../lib/governance/people-roles';
import { ReadableData } from '../../lib/governance/readable-data';
import { ModelRegistry } from '../../lib/registry/model-registry';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';
import { FakePipeline } from '../retraining/fake-pipeline';

const ENV = { account: '123456789012', region: 'eu-west-1' };

/** One checked app with the three roles over a real data store, an imported registry and two alarms. */
const app = checkedApp();
const stack = new Stack(app, 'People', { env: ENV });
const store = new DataStore(stack, 'Datasets', { purpose: 'datasets' });
const pipeline = new FakePipeline(stack, 'Pipeline');
const registry = ModelRegistry.fromModelRegistryName(stack, 'Registry', 'recommendation');
const driftAlarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Drift', 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:feature-drift');
const latencyAlarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Latency', 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:latency');
const endpointLogs = logs.LogGroup.fromLogGroupName(stack, 'EndpointLogs', '/aws/sagemaker/Endpoints/recommendation');
const people = new PeopleRoles(stack, 'People', {
  assumedBy: new iam.AccountPrincipal('111122223333'),
  datasets: [store.dataset('user-interactions')],
  pipeline,
  registry,
  alarms: [driftAlarm, latencyAlarm],
  logGroups: [endpointLogs],
});
const template = Template.fromStack(stack);

/** Every statement of the managed policies attached to a role, with Effect. */
function statementsOf(role: iam.Role): any[] {
  const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  return Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
    .filter((p: any) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}
function allowed(role: iam.Role): string[] {
  return statementsOf(role).filter((s) => s.Effect === 'Allow').flatMap((s) => [].concat(s.Action));
}
function denied(role: iam.Role): string[] {
  return statementsOf(role).filter((s) => s.Effect === 'Deny').flatMap((s) => [].concat(s.Action));
}

describe('PeopleRoles', () => {
  test('synthesizes with zero cdk-nag findings (AwsSolutions + NIST 800-53 R5)', () => {
    const { warnings } = synthAndCollectWarnings(app);
    expect(warnings).toEqual([]);
  });

  test('three roles assumable from the given principal with MFA, one-hour sessions, no inline policies', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    for (const role of [people.dataScientistRole, people.approverRole, people.operatorRole]) {
      const cfn = template.toJSON().Resources[stack.getLogicalId(role.node.defaultChild as iam.CfnRole)];
      expect(cfn.Properties.MaxSessionDuration).toBe(3600);
      expect(cfn.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] } },
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      }]);
    }
  });

  test('data scientist: reads the dataset prefix, starts the pipeline, reads the registry; cannot approve or acknowledge', () => {
    const actions = allowed(people.dataScientistRole);
    expect(actions).toEqual(expect.arrayContaining([
      'sagemaker:StartPipelineExecution', 'sagemaker:DescribePipeline', 'sagemaker:ListPipelineExecutions',
      'sagemaker:DescribePipelineExecution', 'sagemaker:DescribeModelPackage', 's3:GetObject*', 'kms:Decrypt',
    ]));
    expect(actions).not.toContain('sagemaker:UpdateModelPackage');
    expect(actions.filter((a) => a.startsWith('cloudwatch:'))).toEqual([]);
    expect(actions.filter((a) => /^s3:(Put|Delete)/.test(a))).toEqual([]);
    expect(denied(people.dataScientistRole)).toEqual(expect.arrayContaining(['sagemaker:UpdateModelPackage', 'cloudwatch:SetAlarmState']));
    // No alarm at all, not only the platform's: the deny needs no list of alarms.
    expect(statementsOf(people.dataScientistRole).find((st) => st.Sid === 'DenyAcknowledgingAlarms').Resource).toBe('*');
    const s3Read = statementsOf(people.dataScientistRole).find((s) => [].concat(s.Action).includes('s3:GetObject*' as never));
    expect(JSON.stringify(s3Read.Resource)).toContain('/datasets/user-interactions/*');
  });

  test('approver: approves in this registry group only; cannot train, read data or acknowledge', () => {
    const statements = statementsOf(people.approverRole);
    const approve = statements.find((s) => s.Effect === 'Allow' && [].concat(s.Action).includes('sagemaker:UpdateModelPackage' as never));
    expect(approve.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:123456789012:model-package/recommendation/*']],
    });
    const actions = allowed(people.approverRole);
    expect(actions).not.toContain('sagemaker:StartPipelineExecution');
    expect(actions.filter((a) => a.startsWith('s3:') || a.startsWith('cloudwatch:'))).toEqual([]);
    expect(denied(people.approverRole)).toEqual(expect.arrayContaining(['sagemaker:StartPipelineExecution', 'cloudwatch:SetAlarmState']));
  });

  test('operator: reads monitoring, acknowledges only the platform alarms; cannot train, approve or read data', () => {
    const statements = statementsOf(people.operatorRole);
    const ack = statements.find((s) => s.Effect === 'Allow' && [].concat(s.Action).includes('cloudwatch:SetAlarmState' as never));
    expect(ack.Action).toEqual(['cloudwatch:SetAlarmState', 'cloudwatch:DisableAlarmActions', 'cloudwatch:EnableAlarmActions']);
    expect(ack.Resource).toEqual([
      'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:feature-drift',
      'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:latency',
    ]);
    const actions = allowed(people.operatorRole);
    expect(actions).toEqual(expect.arrayContaining(['cloudwatch:GetMetricData', 'cloudwatch:DescribeAlarms', 'cloudwatch:GetDashboard', 'logs:FilterLogEvents', 'logs:StartQuery']));
    expect(actions.filter((a) => a.startsWith('sagemaker:') || a.startsWith('s3:') || a.startsWith('kms:'))).toEqual([]);
    expect(actions.filter((a) => /^cloudwatch:(Put|Delete)/.test(a))).toEqual([]);
    expect(denied(people.operatorRole)).toEqual(expect.arrayContaining(['sagemaker:StartPipelineExecution', 'sagemaker:UpdateModelPackage']));
  });

  test('separate principals per role and MFA off for federated principals', () => {
    const s = new Stack(undefined, 'Federated', { env: ENV });
    const saml = new iam.FederatedPrincipal('arn:aws:iam::123456789012:saml-provider/corp', {}, 'sts:AssumeRoleWithSAML');
    const roles = new PeopleRoles(s, 'People', {
      assumedBy: new iam.AccountPrincipal('111122223333'),
      approversAssumedBy: saml,
      requireMfa: false,
      maxSessionDuration: Duration.hours(4),
      datasets: [ReadableData.fromBucket(new DataStore(s, 'Store').bucket, 'datasets/x/')],
      pipeline: new FakePipeline(s, 'Pipeline'),
      registry: ModelRegistry.fromModelRegistryName(s, 'Registry', 'recommendation'),
      alarms: [cloudwatch.Alarm.fromAlarmArn(s, 'A', 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a')],
    });
    const t = Template.fromStack(s);
    const approver = t.toJSON().Resources[s.getLogicalId(roles.approverRole.node.defaultChild as iam.CfnRole)];
    expect(approver.Properties.MaxSessionDuration).toBe(14400);
    expect(approver.Properties.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
      Action: 'sts:AssumeRoleWithSAML', Principal: { Federated: 'arn:aws:iam::123456789012:saml-provider/corp' },
    });
    expect(approver.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toBeUndefined();
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['s3:GetObject*']), Resource: Match.arrayWith([Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['/datasets/x/*'])] })]) })]) },
    });
  });

  test('bad input names the prop', () => {
    const s = new Stack(undefined, 'Bad', { env: ENV });
    const base: PeopleRolesProps = {
      assumedBy: new iam.AccountPrincipal('111122223333'), datasets: [], pipeline: new FakePipeline(s, 'Pipeline'),
      registry: ModelRegistry.fromModelRegistryName(s, 'Registry', 'recommendation'), alarms: [],
    };
    expect(() => new PeopleRoles(s, 'NoAlarms', base))
      .toThrow('alarms or operatedResourcesTag must give the alarms the operators acknowledge, got no alarm and no tag');
    const alarms = [cloudwatch.Alarm.fromAlarmArn(s, 'A', 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a')];
    expect(() => new PeopleRoles(s, 'LongSession', { ...base, alarms, maxSessionDuration: Duration.hours(13) }))
      .toThrow('maxSessionDuration (seconds) must be a whole number from 3600 to 43200, got 46800');
  });
});

describe('PeopleAccess grants on any grantable', () => {
  test('grants land on a user-made role; the approver grant gives no training and the operator needs alarms', () => {
    const s = new Stack(undefined, 'Grants', { env: ENV });
    const role = new iam.Role(s, 'Reviewer', { assumedBy: new iam.AccountPrincipal('111122223333') });
    const grant = PeopleAccess.grantApprover(role, { registry: ModelRegistry.fromModelRegistryName(s, 'Registry', 'recommendation') });
    expect(grant.success).toBe(true);
    const policy = Template.fromStack(s).findResources('AWS::IAM::Policy');
    const actions = Object.values(policy).flatMap((p: any) => p.Properties.PolicyDocument.Statement.flatMap((st: any) => [].concat(st.Action)));
    expect(actions).toContain('sagemaker:UpdateModelPackage');
    expect(actions).not.toContain('sagemaker:StartPipelineExecution');
    expect(() => PeopleAccess.grantOperator(role, { alarms: [] }))
      .toThrow('alarms or operatedResourcesTag must give the alarms the operator acknowledges, got no alarm and no tag');
  });
});

describe('PeopleRoles by tag: no alarm or endpoint known to the roles\' stack', () => {
  const tagApp = checkedApp();
  const s = new Stack(tagApp, 'Governance', { env: ENV });
  const roles = new PeopleRoles(s, 'People', {
    assumedBy: new iam.AccountPrincipal('111122223333'),
    datasets: [new DataStore(s, 'Datasets', { purpose: 'datasets' }).dataset('user-interactions')],
    pipeline: new FakePipeline(s, 'Pipeline'),
    registry: ModelRegistry.fromModelRegistryName(s, 'Registry', 'recommendation'),
    operatedResourcesTag: { key: 'cdk-mlops-maturity:platform', value: 'Prod/Mlops' },
  });
  const t = Template.fromStack(s);
  const operator = Object.values(t.findResources('AWS::IAM::ManagedPolicy'))
    .filter((p: any) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: s.getLogicalId(roles.operatorRole.node.defaultChild as iam.CfnRole) }]))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  const tagged = { StringEquals: { 'aws:ResourceTag/cdk-mlops-maturity:platform': 'Prod/Mlops' } };
  const arnOf = (service: string, resource: string) => ({
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:`, { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]],
  });

  test('synthesizes with zero cdk-nag findings: the tag-scoped wildcards are acknowledged with their reason', () => {
    expect(synthAndCollectWarnings(tagApp).warnings).toEqual([]);
  });

  test('the operator acknowledges the alarms and describes the endpoints carrying the platform tag, in its account and region', () => {
    expect(operator.filter((st) => st.Condition)).toEqual([
      { Effect: 'Allow', Action: ['cloudwatch:SetAlarmState', 'cloudwatch:DisableAlarmActions', 'cloudwatch:EnableAlarmActions'], Resource: arnOf('cloudwatch', 'alarm:*'), Condition: tagged },
      { Effect: 'Allow', Action: 'sagemaker:DescribeEndpoint', Resource: arnOf('sagemaker', 'endpoint/*'), Condition: tagged },
    ]);
    // Every other sagemaker or alarm permission it has is a deny.
    expect(operator.filter((st) => st.Effect === 'Allow' && !st.Condition).flatMap((st) => [].concat(st.Action))
      .filter((a: string) => a.startsWith('sagemaker:') || a === 'cloudwatch:SetAlarmState')).toEqual([]);
  });

  test('the roles\' stack imports nothing and refers to no alarm or endpoint by name', () => {
    const text = JSON.stringify(t.toJSON());
    expect(text).not.toContain('Fn::ImportValue');
    expect(text).not.toMatch(/alarm:[^*]/);
  });
});
