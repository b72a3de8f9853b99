import { Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DataStore } from '../../lib/data/data-store';
import { ChampionChallengerApproval, ChampionChallengerApprovalProps } from '../../lib/experimentation/champion-challenger-approval';
import { ModelRegistry } from '../../lib/registry/model-registry';
import { IModelRegistry } from '../../lib/core/model-registry-interface';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';

/** The whole construct with its defaults, in a stack of a checked app: synth fails on any finding. */
const app = checkedApp();
const stack = new Stack(app, 'Experimentation', { env: { account: '111122223333', region: 'eu-west-1' } });
const registry = new ModelRegistry(stack, 'Registry', { modelPackageGroupName: 'recommendation' });
const reports = new DataStore(stack, 'Artifacts', { purpose: 'model artifacts' });
const approval = new ChampionChallengerApproval(stack, 'ChampionChallenger', { registry, reportsBucket: reports.bucket });
const { warnings } = synthAndCollectWarnings(app);
const template = Template.fromStack(stack);
const id = (c: Construct) => stack.getLogicalId(c.node.defaultChild as any);

function envOf(t: Template): { [k: string]: any } {
  const fns = t.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } });
  const [fn] = Object.values(fns);
  return fn.Properties.Environment.Variables;
}

/** Builds the construct in a plain stack (no checks) for prop and validation tests. */
function build(props: Partial<ChampionChallengerApprovalProps> = {}): { stack: Stack; approval: ChampionChallengerApproval } {
  const s = new Stack(undefined, undefined, { env: { account: '111122223333', region: 'eu-west-1' } });
  const r = ModelRegistry.fromModelRegistryName(s, 'Registry', 'recommendation');
  const bucket = s3.Bucket.fromBucketName(s, 'Reports', 'reports-bucket');
  const a = new ChampionChallengerApproval(s, 'ChampionChallenger', { registry: r, reportsBucket: bucket, ...props });
  return { stack: s, approval: a };
}

describe('ChampionChallengerApproval defaults', () => {
  test('synthesizes with no cdk-nag or CloudFormation finding left, and no warning', () => {
    expect(warnings).toEqual([]);
  });

  test('the rule sends registrations of this group to the function, with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.sagemaker'],
        'detail-type': ['SageMaker Model Package State Change'],
        'detail': { ModelPackageGroupName: ['recommendation'], ModelApprovalStatus: ['PendingManualApproval'] },
      },
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [id(approval.handler), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id(approval.deadLetterQueue), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
      })],
    });
    expect(approval.rule).toBeInstanceOf(events.Rule);
  });

  test('the function runs one at a time, dead-letters failures and logs to its encrypted log group', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      ReservedConcurrentExecutions: 1,
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [id(approval.deadLetterQueue), 'Arn'] } },
      LoggingConfig: { LogGroup: { Ref: id(approval.logGroup) } },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [id(approval.encryptionKey as any), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
  });

  test('the comparison settings reach the function with their defaults', () => {
    expect(envOf(template)).toEqual({
      MODEL_PACKAGE_GROUP_NAME: 'recommendation',
      REPORTS_BUCKET_NAME: { Ref: id(reports.bucket) },
      REPORTS_KEY_PREFIX: '',
      PROMOTION_METRIC: 'accuracy',
      PROMOTION_MARGIN: '0.01',
      HIGHER_IS_BETTER: 'true',
      GUARD_METRICS: 'precision,recall',
      GUARD_METRIC_TOLERANCE: '0',
      MINIMUM_VALUE: '0.7',
    });
  });

  test('the dead-letter queue is KMS-encrypted, SSL-only, and a message in it raises an alarm to an encrypted topic', () => {
    const keyArn = { 'Fn::GetAtt': [id(approval.encryptionKey as any), 'Arn'] };
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: keyArn, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(approval.deadLetterQueue), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: id(approval.alarmTopic as any) }],
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArn });
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
  });

  test('the key lets only the services writing into the encrypted resources use it, from this account', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'CloudWatchLogsEncryptsApprovalLogs', Principal: { Service: 'logs.eu-west-1.amazonaws.com' } }),
          Match.objectLike({ Sid: 'EventBridgeDeadLettersApprovalEvents', Principal: { Service: 'events.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }),
          Match.objectLike({ Sid: 'CloudWatchAlarmsPublishApprovalAlarms', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
  });

  test('the role can approve and read this group, read the reports, write its logs and nothing else', () => {
    const policies = template.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { Roles: [{ Ref: stack.getLogicalId(approval.role.node.defaultChild as iam.CfnRole) }] },
    });
    const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((s: any) => [].concat(s.Action)).sort();
    expect(actions).toEqual([
      'kms:Decrypt', 'kms:Decrypt', 'kms:GenerateDataKey',
      'logs:CreateLogStream', 'logs:PutLogEvents',
      's3:GetObject', 's3:ListBucket',
      'sagemaker:DescribeModelPackage', 'sagemaker:DescribeModelPackageGroup',
      'sagemaker:ListModelPackageGroups', 'sagemaker:ListModelPackages', 'sagemaker:UpdateModelPackage',
      'sqs:SendMessage',
    ].sort());
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [id(approval.deadLetterQueue), 'Arn'] } }));
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 'sagemaker:UpdateModelPackage',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:111122223333:model-package/recommendation/*']] },
    }));
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 's3:GetObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(reports.bucket), 'Arn'] }, '/*']] },
    }));
    // The reports bucket's key, for reading the reports.
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [id(reports.encryptionKey as any), 'Arn'] } }));
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });
});

describe('ChampionChallengerApproval props', () => {
  test('metric settings, a reports prefix and a lower-is-better metric', () => {
    const { stack: s } = build({
      promotionMetric: 'rmse', higherIsBetter: false, promotionMargin: 0.05, minimumValue: 2.5,
      guardMetricTolerance: 0.1, reportsKeyPrefix: 'evaluation/',
    });
    const t = Template.fromStack(s);
    expect(envOf(t)).toMatchObject({
      PROMOTION_METRIC: 'rmse', HIGHER_IS_BETTER: 'false', PROMOTION_MARGIN: '0.05', MINIMUM_VALUE: '2.5',
      GUARD_METRICS: '', GUARD_METRIC_TOLERANCE: '0.1', REPORTS_KEY_PREFIX: 'evaluation/',
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 's3:GetObject', Resource: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':s3:::reports-bucket/evaluation/*'])] }) }),
          Match.objectLike({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['evaluation/*'] } } }),
        ]),
      },
    });
  });

  test('custom guard metrics are passed on', () => {
    expect(envOf(Template.fromStack(build({ guardMetrics: ['f1', 'roc_auc'] }).stack)).GUARD_METRICS).toBe('f1,roc_auc');
  });

  test('a VPC puts the function in its private subnets', () => {
    const s = new Stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2 });
    new ChampionChallengerApproval(s, 'ChampionChallenger', {
      registry: ModelRegistry.fromModelRegistryName(s, 'Registry', 'recommendation'),
      reportsBucket: s3.Bucket.fromBucketName(s, 'Reports', 'reports-bucket'),
      vpc,
    });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      VpcConfig: { SubnetIds: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('PrivateSubnet') })]) },
    });
    // The network-interface actions Lambda needs, in the role's own policy: no AWS managed policy.
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'ManageFunctionNetworkInterfaces',
          Action: Match.arrayWith(['ec2:CreateNetworkInterface', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface']),
          Resource: '*',
        })]),
      },
    });
    t.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  test('the dead-letter queue is retained and CloudWatch alarms of this account may publish to the created topic', () => {
    template.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'CloudWatchAlarmsOfThisAccountPublish',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
        })]),
      },
    });
  });

  test('a registry of another stack is imported here, so the rule lives beside the function', () => {
    const a = new Stack(undefined, 'Registry');
    const r = new ModelRegistry(a, 'Registry', { modelPackageGroupName: 'recommendation' });
    const b = new Stack(a.node.root as any, 'Governance');
    const bucket = s3.Bucket.fromBucketName(b, 'Reports', 'reports-bucket');
    const c = new ChampionChallengerApproval(b, 'ChampionChallenger', { registry: r, reportsBucket: bucket });
    expect(Stack.of(c.rule)).toBe(b);
    Template.fromStack(b).resourceCountIs('AWS::Events::Rule', 1);
    Template.fromStack(a).resourceCountIs('AWS::Events::Rule', 0);
  });

  test('a registry in another account gets a warning', () => {
    const a = new Stack(undefined, 'Registry', { env: { account: '111111111111', region: 'eu-west-1' } });
    // A real registry: a stack holding only an imported one would be an empty template (a validator warning).
    const r = new ModelRegistry(a, 'Registry', { modelPackageGroupName: 'recommendation' });
    const b = new Stack(a.node.root as any, 'Governance', { env: { account: '222222222222', region: 'eu-west-1' } });
    new ChampionChallengerApproval(b, 'ChampionChallenger', { registry: r, reportsBucket: s3.Bucket.fromBucketName(b, 'Reports', 'reports-bucket') });
    Annotations.fromStack(b).hasWarning('*', Match.stringLikeRegexp('registry is in 111111111111/eu-west-1'));
  });

  test('works with any IModelRegistry implementation', () => {
    const s = new Stack();
    const calls: string[] = [];
    const real = ModelRegistry.fromModelRegistryName(s, 'Real', 'recommendation');
    const fake: IModelRegistry = Object.assign(Object.create(real), {
      grantApprove: (g: iam.IGrantable) => { calls.push('grantApprove'); return real.grantApprove(g); },
      grantRead: (g: iam.IGrantable) => { calls.push('grantRead'); return real.grantRead(g); },
      onModelRegistered: (ruleId: string, o?: events.OnEventOptions) => { calls.push(`onModelRegistered:${ruleId}`); return real.onModelRegistered(ruleId, o); },
    });
    new ChampionChallengerApproval(s, 'ChampionChallenger', { registry: fake, reportsBucket: s3.Bucket.fromBucketName(s, 'Reports', 'reports-bucket') });
    expect(calls).toEqual(['grantApprove', 'grantRead', 'onModelRegistered:ChampionChallengerRegistered']);
  });
});

describe('ChampionChallengerApproval validation', () => {
  test.each([
    [{ promotionMargin: -0.1 }, 'promotionMargin must be >= 0, got -0.1 (in Default/ChampionChallenger)'],
    [{ promotionMargin: Number.NaN }, 'promotionMargin must be >= 0, got NaN (in Default/ChampionChallenger)'],
    [{ guardMetricTolerance: -1 }, 'guardMetricTolerance must be >= 0, got -1 (in Default/ChampionChallenger)'],
    [{ promotionMetric: '' }, "promotionMetric must be a metric name of 1 to 64 letters, digits, '_', '-', '.' or ':', got '' (in Default/ChampionChallenger)"],
    [{ promotionMetric: 'a,b' }, "promotionMetric must be a metric name of 1 to 64 letters, digits, '_', '-', '.' or ':', got 'a,b' (in Default/ChampionChallenger)"],
    [{ guardMetrics: ['precision', 'bad metric'] }, "guardMetrics[1] must be a metric name of 1 to 64 letters, digits, '_', '-', '.' or ':', got 'bad metric' (in Default/ChampionChallenger)"],
    [{ guardMetrics: ['recall', 'recall'] }, "guardMetrics must be a list naming each metric once ('recall' appears twice), got [\"recall\",\"recall\"] (in Default/ChampionChallenger)"],
    [{ minimumValue: Number.POSITIVE_INFINITY }, 'minimumValue must be a finite number, got Infinity (in Default/ChampionChallenger)'],
    [{ higherIsBetter: false }, 'minimumValue must be given when higherIsBetter is false (the ceiling the first model must stay under), got undefined (in Default/ChampionChallenger)'],
    [{ reportsKeyPrefix: 'evaluation/*' }, "reportsKeyPrefix must be an S3 key prefix without '*', '?' or a leading '/' (e.g. 'evaluation/'), got 'evaluation/*' (in Default/ChampionChallenger)"],
    [{ vpcSubnets: { subnetGroupName: 'Private' } }, 'vpcSubnets must be given together with vpc, got vpcSubnets without vpc (in Default/ChampionChallenger)'],
  ])('%j stops synth with one line naming the prop', (props, message) => {
    expect(() => build(props as any)).toThrow(new Error(message));
  });
});

describe('ChampionChallengerApproval acknowledgements', () => {
  test('only the findings the design needs are acknowledged, each on its own resource', () => {
    const acknowledged: { [path: string]: string[] } = {};
    for (const c of approval.node.findAll()) {
      const ids = c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.keys(m.data as object).map((k) => k.replace(/^annotation::/i, '')));
      if (ids.length > 0) acknowledged[c.node.path.replace('Experimentation/ChampionChallenger', '.')] = ids.sort();
    }
    expect(acknowledged).toEqual({
      './DeadLetterQueue': ['AwsSolutions-SQS3'],
      './Role': [
        'AwsSolutions-IAM5[Resource::*]',
        `AwsSolutions-IAM5[Resource::<${id(reports.bucket)}.Arn>/*]`,
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:eu-west-1:111122223333:model-package/recommendation/*]',
      ],
      './Handler': ['NIST.800.53.R5-LambdaInsideVPC'],
    });
  });
});
