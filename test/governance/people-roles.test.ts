import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DataStore } from '../../lib/data/data-store';
import { PeopleAccess } from '../../lib/governance/people-access';
import { PeopleRoles, PeopleRolesProps } from '../../lib/governance/people-roles';
import { ReadableData } from '../../lib/governance/readable-data';
import { ModelRegistry } from '../../lib/registry/model-registry';
import { GovernanceStack } from '../../lib/stacks/governance-stack';
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
  pipelines: [pipeline],
  registries: [registry],
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
      pipelines: [new FakePipeline(s, 'Pipeline')],
      registries: [ModelRegistry.fromModelRegistryName(s, 'Registry', 'recommendation')],
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
      assumedBy: new iam.AccountPrincipal('111122223333'), datasets: [], pipelines: [new FakePipeline(s, 'Pipeline')],
      registries: [ModelRegistry.fromModelRegistryName(s, 'Registry', 'recommendation')], alarms: [],
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
    const grant = PeopleAccess.grantApprover(role, { registries: [ModelRegistry.fromModelRegistryName(s, 'Registry', 'recommendation')] });
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
    pipelines: [new FakePipeline(s, 'Pipeline')],
    registries: [ModelRegistry.fromModelRegistryName(s, 'Registry', 'recommendation')],
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

/** The statements of every managed policy attached to a role of `s`, with Effect. */
function statementsIn(t: Template, s: Stack, role: iam.Role): any[] {
  const roleId = s.getLogicalId(role.node.defaultChild as iam.CfnRole);
  return Object.values(t.findResources('AWS::IAM::ManagedPolicy'))
    .filter((p: any) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

/** The resources of a role's statements with this effect that carry this action, each rendered as JSON. */
function resourcesFor(statements: any[], effect: string, action: string): string[] {
  return statements.filter((st) => st.Effect === effect && [].concat(st.Action).includes(action as never))
    .flatMap((st) => [].concat(st.Resource)).map((r) => JSON.stringify(r)).sort();
}

/** `arn:<partition>:sagemaker:<region>:<account>:<resource>` as the stack in ENV renders it. */
function sagemakerArn(resource: string): string {
  return JSON.stringify({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sagemaker:eu-west-1:123456789012:${resource}`]] });
}

describe('PeopleRoles over two models', () => {
  const twoApp = checkedApp();
  const s = new Stack(twoApp, 'TwoModels', { env: ENV });
  const roles = new PeopleRoles(s, 'People', {
    assumedBy: new iam.AccountPrincipal('111122223333'),
    datasets: [new DataStore(s, 'Datasets', { purpose: 'datasets' }).dataset('customer-churn')],
    pipelines: [new FakePipeline(s, 'ChurnPipeline', 'churn-training'), new FakePipeline(s, 'LtvPipeline', 'ltv-training')],
    registries: [ModelRegistry.fromModelRegistryName(s, 'ChurnRegistry', 'churn'), ModelRegistry.fromModelRegistryName(s, 'LtvRegistry', 'ltv')],
    operatedResourcesTag: { key: 'cdk-mlops-maturity:platform', value: 'Acme' },
  });
  const t = Template.fromStack(s);
  const scientist = statementsIn(t, s, roles.dataScientistRole);
  const approver = statementsIn(t, s, roles.approverRole);
  const operator = statementsIn(t, s, roles.operatorRole);
  const bothPipelines = [sagemakerArn('pipeline/churn-training'), sagemakerArn('pipeline/ltv-training')];
  const bothRegistries = [sagemakerArn('model-package/churn/*'), sagemakerArn('model-package/ltv/*')];

  test('synthesizes with zero cdk-nag findings (AwsSolutions + NIST 800-53 R5)', () => {
    expect(synthAndCollectWarnings(twoApp).warnings).toEqual([]);
  });

  test('the data scientist starts, reads and steers both pipelines and nothing else', () => {
    expect(resourcesFor(scientist, 'Allow', 'sagemaker:StartPipelineExecution')).toEqual(bothPipelines);
    expect(resourcesFor(scientist, 'Allow', 'sagemaker:DescribePipeline')).toEqual(bothPipelines);
    expect(resourcesFor(scientist, 'Allow', 'sagemaker:StopPipelineExecution')).toEqual([
      sagemakerArn('pipeline/churn-training/execution/*'), sagemakerArn('pipeline/ltv-training/execution/*'),
    ]);
    // Every sagemaker resource it is allowed is one of the two models': pipelines, executions, packages, groups (or a List* on *).
    const sagemakerResources = scientist.filter((st) => st.Effect === 'Allow' && [].concat(st.Action).some((a: string) => a.startsWith('sagemaker:')))
      .flatMap((st) => [].concat(st.Resource)).map((r) => JSON.stringify(r));
    for (const resource of sagemakerResources) {
      expect(resource).toMatch(/^"\*"$|:(pipeline\/(churn|ltv)-training(\/execution\/\*)?|model-package\/(churn|ltv)\/\*|model-package-group\/(churn|ltv))"\]\]\}$/);
    }
  });

  test('the data scientist reads both registries and is denied approving in both', () => {
    expect(resourcesFor(scientist, 'Allow', 'sagemaker:DescribeModelPackage')).toEqual(bothRegistries);
    expect(resourcesFor(scientist, 'Allow', 'sagemaker:UpdateModelPackage')).toEqual([]);
    expect(scientist.find((st) => st.Sid === 'DenyApproving').Resource.map((r: unknown) => JSON.stringify(r)).sort()).toEqual(bothRegistries);
  });

  test('the approver decides in both registries and nothing else; cannot train', () => {
    expect(resourcesFor(approver, 'Allow', 'sagemaker:UpdateModelPackage')).toEqual(bothRegistries);
    expect(resourcesFor(approver, 'Allow', 'sagemaker:StartPipelineExecution')).toEqual([]);
    const approverActions = approver.filter((st) => st.Effect === 'Allow').flatMap((st) => [].concat(st.Action));
    expect([...new Set(approverActions)].sort()).toEqual([
      'sagemaker:DescribeModelPackage', 'sagemaker:DescribeModelPackageGroup', 'sagemaker:ListModelPackageGroups',
      'sagemaker:ListModelPackages', 'sagemaker:UpdateModelPackage',
    ]);
    expect(resourcesFor(approver, 'Deny', 'sagemaker:StartPipelineExecution')).toEqual(['"*"']);
  });

  test('roles describe the number of models they cover; the operator is unchanged (reached by tag)', () => {
    const description = (role: iam.Role) => t.toJSON().Resources[s.getLogicalId(role.node.defaultChild as iam.CfnRole)].Properties.Description;
    expect(description(roles.dataScientistRole)).toBe('Data scientist: reads datasets, starts and follows 2 training pipelines, reads 2 model registries');
    expect(description(roles.approverRole)).toBe('Approver: approves or rejects model packages of 2 registry groups');
    expect(operator.filter((st) => st.Effect === 'Allow').flatMap((st) => [].concat(st.Action))
      .filter((a: string) => a.startsWith('sagemaker:'))).toEqual(['sagemaker:DescribeEndpoint']);
  });

  test('empty lists of pipelines or registries stop synth, naming the prop', () => {
    const bad = new Stack(undefined, 'Empty', { env: ENV });
    const base: PeopleRolesProps = {
      assumedBy: new iam.AccountPrincipal('111122223333'), datasets: [],
      pipelines: [new FakePipeline(bad, 'Pipeline')], registries: [ModelRegistry.fromModelRegistryName(bad, 'Registry', 'churn')],
      operatedResourcesTag: { key: 'team', value: 'ml' },
    };
    expect(() => new PeopleRoles(bad, 'NoPipelines', { ...base, pipelines: [] }))
      .toThrow(/^pipelines must be a non-empty list of training pipelines \(one per model\), got \[\] \(in Empty\/NoPipelines\)$/);
    expect(() => new PeopleRoles(bad, 'NoRegistries', { ...base, registries: [] }))
      .toThrow(/^registries must be a non-empty list of model registries \(one per model\), got \[\] \(in Empty\/NoRegistries\)$/);
    const role = new iam.Role(bad, 'Role', { assumedBy: new iam.AccountPrincipal('111122223333') });
    expect(() => PeopleAccess.grantApprover(role, { registries: [] })).toThrow('registries must be a non-empty list of model registries (one per model), got []');
    expect(() => PeopleAccess.grantDataScientist(role, { datasets: [], pipelines: [], registries: base.registries }))
      .toThrow('pipelines must be a non-empty list of training pipelines (one per model), got []');
  });
});

/** IAM's quota on a customer-managed policy: 6,144 characters, white space not counted. */
const MANAGED_POLICY_QUOTA = 6144;
/** The longest value each pseudo parameter can take (partition, region, account). */
const LONGEST_PSEUDO: { [name: string]: string } = { 'AWS::Partition': 'aws-us-gov', 'AWS::Region': 'ap-southeast-44', 'AWS::AccountId': '123456789012' };

/**
 * A policy document as IAM stores it once CloudFormation has resolved it, at its longest: pseudo parameters at their
 * longest values, any other reference (an imported ARN or name) as 100 characters (longer than any bucket or key ARN).
 */
function longestRendering(value: any): any {
  if (Array.isArray(value)) return value.map(longestRendering);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Fn::Join') {
    const [separator, parts] = value['Fn::Join'];
    return parts.map((part: any) => longestRendering(part)).join(separator);
  }
  if (keys.length === 1 && keys[0] === 'Ref') return LONGEST_PSEUDO[value.Ref] ?? 'x'.repeat(100);
  if (keys.length === 1 && ['Fn::ImportValue', 'Fn::GetAtt'].includes(keys[0])) return 'x'.repeat(100);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, longestRendering(v)]));
}

describe('GovernanceStack over 20 models: every pipeline and registry, every policy within the quota', () => {
  const bigApp = checkedApp();
  const data = new Stack(bigApp, 'Data', { env: ENV });
  const datasetStore = new DataStore(data, 'Datasets', { purpose: 'datasets' });
  const artifactStore = new DataStore(data, 'Artifacts', { purpose: 'artifacts' });
  const training = new Stack(bigApp, 'Training', { env: ENV });
  const names = Array.from({ length: 20 }, (_, i) => `model${String(i + 1).padStart(2, '0')}`);
  // Long names, as generated from construct paths: pipeline names of 100 characters, registry names at SageMaker's 63.
  const pipelines = names.map((name) => new FakePipeline(training, `${name}Pipeline`, `mlops-${name}-training-`.padEnd(100, 'p')));
  const registries = names.map((name) => new ModelRegistry(training, `${name}Registry`, { modelPackageGroupName: `mlops-${name}-`.padEnd(63, 'r') }));
  const governance = new GovernanceStack(bigApp, 'Governance', {
    env: ENV,
    dataStores: [artifactStore, datasetStore],
    datasets: names.map((name) => datasetStore.dataset(`${name}-data`)),
    pipelines,
    registries,
    operatedResourcesTag: { key: 'cdk-mlops-maturity:platform', value: 'Acme' },
  });
  const t = Template.fromStack(governance);
  const roles = governance.peopleRoles;
  const policies = Object.values(t.findResources('AWS::IAM::ManagedPolicy'));

  test('synthesizes with zero cdk-nag findings (AwsSolutions + NIST 800-53 R5)', () => {
    expect(synthAndCollectWarnings(bigApp).warnings).toEqual([]);
  });

  test('every policy document stays under the 6,144-character managed-policy quota, as synthesized and as deployed', () => {
    expect(policies.length).toBeGreaterThan(3);
    for (const policy of policies as any[]) {
      const document = policy.Properties.PolicyDocument;
      expect(JSON.stringify(document).length).toBeLessThan(MANAGED_POLICY_QUOTA);
      expect(JSON.stringify(longestRendering(document)).length).toBeLessThan(MANAGED_POLICY_QUOTA);
    }
  });

  test('each role holds at most 10 managed policies (the default IAM quota per role)', () => {
    for (const role of [roles.dataScientistRole, roles.approverRole, roles.operatorRole]) {
      const roleId = governance.getLogicalId(role.node.defaultChild as iam.CfnRole);
      const attached = policies.filter((p: any) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]));
      expect(attached.length).toBeGreaterThan(0);
      expect(attached.length).toBeLessThanOrEqual(10);
    }
    Annotations.fromStack(governance).hasNoWarning('*', Match.stringLikeRegexp('managed policies'));
  });

  test('every pipeline is startable and every registry decidable (and denied to the data scientist)', () => {
    const scientist = statementsIn(t, governance, roles.dataScientistRole);
    const approver = statementsIn(t, governance, roles.approverRole);
    const pipelineArns = names.map((name) => sagemakerArn(`pipeline/${`mlops-${name}-training-`.padEnd(100, 'p')}`)).sort();
    const packageArns = names.map((name) => sagemakerArn(`model-package/${`mlops-${name}-`.padEnd(63, 'r')}/*`)).sort();
    expect(resourcesFor(scientist, 'Allow', 'sagemaker:StartPipelineExecution')).toEqual(pipelineArns);
    expect(resourcesFor(scientist, 'Allow', 'sagemaker:DescribePipeline')).toEqual(pipelineArns);
    expect(resourcesFor(scientist, 'Allow', 'sagemaker:DescribeModelPackage')).toEqual(packageArns);
    expect(resourcesFor(scientist, 'Deny', 'sagemaker:UpdateModelPackage')).toEqual(packageArns);
    expect(resourcesFor(approver, 'Allow', 'sagemaker:UpdateModelPackage')).toEqual(packageArns);
    expect(resourcesFor(approver, 'Allow', 'sagemaker:StartPipelineExecution')).toEqual([]);
  });

  test('pipeline reads and approval denies share statements, ten models to a statement', () => {
    const scientist = statementsIn(t, governance, roles.dataScientistRole);
    const carrying = (effect: string, action: string) => scientist.filter((st) => st.Effect === effect && [].concat(st.Action).includes(action as never));
    expect(carrying('Allow', 'sagemaker:DescribePipeline')).toHaveLength(2);
    expect(carrying('Allow', 'sagemaker:DescribePipelineExecution')).toHaveLength(2);
    expect(carrying('Deny', 'sagemaker:UpdateModelPackage').map((st) => st.Sid).sort()).toEqual(['DenyApproving', 'DenyApproving2']);
  });
});
