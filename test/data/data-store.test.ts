import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DataStore } from '../../lib';
import { checkedApp } from '../support/checks';
import { ManagedPolicyRole } from '../../lib/private/managed-policy-role';

describe('DataStore secure defaults', () => {
  const app = checkedApp();
  const stack = new Stack(app, 'Store');
  const store = new DataStore(stack, 'Datasets', { purpose: 'datasets' });
  store.onObjectCreated('NewData', { keyPrefix: 'datasets/' });
  app.synth(); // the store alone: throws on any cdk-nag or CloudFormation validation finding
  const template = Template.fromStack(stack);
  const bucketId = stack.getLogicalId(store.bucket.node.defaultChild as s3.CfnBucket);

  // Grants are checked on their own (their IAM5 object wildcards are acknowledged by whoever owns the role).
  const grantStack = new Stack();
  const grantStore = new DataStore(grantStack, 'Datasets', { purpose: 'datasets' });
  const reader = new ManagedPolicyRole(grantStack, 'Reader', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  grantStore.dataset('user-interactions').grantRead(reader);
  const writer = new ManagedPolicyRole(grantStack, 'Writer', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  grantStore.grantReadWrite(writer, 'models/');
  const grantTemplate = Template.fromStack(grantStack);

  test('versioned, KMS-encrypted with a rotated customer key, bucket key on', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
        }],
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('all public access blocked and ACLs disabled', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    });
  });

  test('SSL only, TLS 1.2 minimum', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  test('server access logs go to a separate log bucket through a scoped bucket policy', () => {
    const bucket = template.toJSON().Resources[bucketId];
    const logBucketRef = bucket.Properties.LoggingConfiguration.DestinationBucketName.Ref;
    expect(logBucketRef).toBeDefined();
    expect(logBucketRef).not.toEqual(bucketId);
    expect(bucket.Properties.LoggingConfiguration.LogFilePrefix).toBe('access-logs/Datasets/');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logBucketRef },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } }, StringEquals: Match.anyValue() },
        })]),
      },
    });
  });

  test('noncurrent versions move to a cheaper class after 30 days and never expire by default', () => {
    const rules = template.toJSON().Resources[bucketId].Properties.LifecycleConfiguration.Rules;
    expect(rules).toEqual([expect.objectContaining({
      NoncurrentVersionTransitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    })]);
    expect(rules[0].NoncurrentVersionExpiration).toBeUndefined();
  });

  test('bucket, log bucket and key are retained', () => {
    const retained = (type: string) => Object.values(template.findResources(type))
      .every((r: any) => r.DeletionPolicy === 'Retain' && r.UpdateReplacePolicy === 'Retain');
    expect(retained('AWS::S3::Bucket')).toBe(true);
    expect(retained('AWS::KMS::Key')).toBe(true);
  });

  test('EventBridge notifications on, natively (no notification Lambda)', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [{ Ref: bucketId }] }, object: { key: [{ prefix: 'datasets/' }] } },
      },
    });
  });

  test('dataset grantRead is scoped to the dataset prefix and includes decrypt on the key', () => {
    const policies = grantTemplate.findResources('AWS::IAM::ManagedPolicy');
    const readerPolicy = Object.values(policies).find((p: any) => JSON.stringify(p.Properties.Roles).includes('Reader')) as any;
    const statements = readerPolicy.Properties.PolicyDocument.Statement;
    const s3Statement = statements.find((s: any) => JSON.stringify(s.Action).includes('s3:GetObject'));
    expect(JSON.stringify(s3Statement.Resource)).toContain('/datasets/user-interactions/*');
    expect(statements.some((s: any) => JSON.stringify(s.Action).includes('kms:Decrypt'))).toBe(true);
  });

  test('grantReadWrite includes encrypt on the key', () => {
    const policies = grantTemplate.findResources('AWS::IAM::ManagedPolicy');
    const writerPolicy = Object.values(policies).find((p: any) => JSON.stringify(p.Properties.Roles).includes('Writer')) as any;
    const actions = JSON.stringify(writerPolicy.Properties.PolicyDocument.Statement.map((s: any) => s.Action));
    expect(actions).toContain('s3:PutObject');
    expect(actions).toContain('kms:Encrypt');
    expect(actions).toContain('kms:GenerateDataKey*');
  });

  test('s3Uri and dataset URIs', () => {
    const ds = store.dataset('clicks');
    expect(stack.resolve(ds.s3Uri)).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/datasets/clicks/']] });
  });
});

describe('onObjectCreated and onNewData honour every OnEventOptions field', () => {
  test('the README example: a dataset rule with a target has that target', () => {
    const stack = new Stack();
    const datasets = new DataStore(stack, 'Datasets', { purpose: 'datasets' });
    const interactions = datasets.dataset('user-interactions');
    const queue = new sqs.Queue(stack, 'Queue');
    const target = new targets.SqsQueue(queue);
    interactions.onNewData('NewData', { target });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: Match.objectLike({ object: { key: [{ prefix: 'datasets/user-interactions/' }] } }) }),
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as sqs.CfnQueue), 'Arn'] } })],
    });
  });

  test('target, description, ruleName and an extra eventPattern reach the rule', () => {
    const stack = new Stack();
    const store = new DataStore(stack, 'Store');
    const queue = new sqs.Queue(stack, 'Queue');
    store.onObjectCreated('Csv', {
      keyPrefix: 'in/',
      target: new targets.SqsQueue(queue),
      description: 'new CSV files',
      ruleName: 'new-csv',
      eventPattern: { detail: { object: { size: [{ numeric: ['>', 0] }] } } },
    });
    const rules = Template.fromStack(stack).findResources('AWS::Events::Rule');
    expect(Object.values(rules).map((r: any) => r.Properties)).toEqual([expect.objectContaining({
      Description: 'new CSV files',
      Name: 'new-csv',
      EventPattern: {
        'source': ['aws.s3'],
        'detail-type': ['Object Created'],
        'detail': {
          bucket: { name: [{ Ref: stack.getLogicalId(store.bucket.node.defaultChild as s3.CfnBucket) }] },
          object: { key: [{ prefix: 'in/' }], size: [{ numeric: ['>', 0] }] },
        },
      },
      Targets: [expect.objectContaining({ Arn: { 'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as sqs.CfnQueue), 'Arn'] } })],
    })]);
  });

  test('crossStackScope puts the rule in the target\'s stack', () => {
    const app = new App();
    const dataStack = new Stack(app, 'Data');
    const consumerStack = new Stack(app, 'Consumer');
    const store = new DataStore(dataStack, 'Store');
    const queue = new sqs.Queue(consumerStack, 'Queue');
    const rule = store.dataset('clicks').onNewData('NewClicks', { target: new targets.SqsQueue(queue), crossStackScope: consumerStack });
    expect(Stack.of(rule)).toBe(consumerStack);
    Template.fromStack(consumerStack).resourceCountIs('AWS::Events::Rule', 1);
    Template.fromStack(dataStack).resourceCountIs('AWS::Events::Rule', 0);
  });

  test('without a target the rule has none (a target can be added later)', () => {
    const stack = new Stack();
    const rule: events.Rule = new DataStore(stack, 'Store').onObjectCreated('Any');
    expect(Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(rule.node.defaultChild as events.CfnRule)].Properties.Targets).toBeUndefined();
  });
});

describe('DataStore options', () => {
  test('Object Lock, given key, custom lifecycle and expiry', () => {
    const stack = new Stack();
    const key = new kms.Key(stack, 'Shared', { enableKeyRotation: true });
    new DataStore(stack, 'Regulated', {
      encryptionKey: key,
      objectLockRetention: s3.ObjectLockRetention.governance(Duration.days(365)),
      noncurrentVersionTransitionAfter: Duration.days(10),
      noncurrentVersionStorageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
      noncurrentVersionExpiration: Duration.days(400),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } },
      LifecycleConfiguration: { Rules: [Match.objectLike({
        NoncurrentVersionTransitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 10 }],
        NoncurrentVersionExpiration: { NoncurrentDays: 400 },
      })] },
    });
  });

  test('daily storage metrics of the bucket', () => {
    const stack = new Stack();
    const store = new DataStore(stack, 'Metrics');
    const size = store.metricBucketSizeBytes();
    expect([size.namespace, size.metricName, size.statistic, size.period.toDays()]).toEqual(['AWS/S3', 'BucketSizeBytes', 'Average', 1]);
    expect(stack.resolve(size.dimensions)).toEqual({ BucketName: { Ref: stack.getLogicalId(store.bucket.node.defaultChild as s3.CfnBucket) }, StorageType: 'StandardStorage' });
    const count = store.metricNumberOfObjects({ period: Duration.days(2) });
    expect([count.metricName, count.dimensions?.StorageType, count.period.toDays()]).toEqual(['NumberOfObjects', 'AllStorageTypes', 2]);
  });

  test('grantReadToAccounts: read of one prefix and decrypt through S3 only, for the given accounts', () => {
    const stack = new Stack(undefined, 'S', { env: { account: '123456789012', region: 'eu-west-1' } });
    const store = new DataStore(stack, 'Shared');
    store.grantReadToAccounts(['111111111111'], 'models/');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::BucketPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
      Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } },
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('SharedBucket'), 'Arn'] }, '/models/*']] },
    })]) } });
    template.hasResourceProperties('AWS::KMS::Key', { KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
      Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] } } },
    })]) } });
    expect(() => store.grantReadToAccounts(['1234'], 'models/')).toThrow("accountIds[0] must be a 12-digit AWS account id, got '1234'");
  });

  test('a weakened removal policy is warned about', () => {
    const stack = new Stack();
    new DataStore(stack, 'Scratch', { removalPolicy: RemovalPolicy.DESTROY });
    Annotations.fromStack(stack).hasWarning('/Default/Scratch', Match.stringLikeRegexp('can be deleted with the stack'));
  });

  test.each([
    [{ noncurrentVersionTransitionAfter: Duration.days(0) }, "noncurrentVersionTransitionAfter must be a whole number of days >= 1, got '0 days' (in Default/Bad)"],
    [{ noncurrentVersionTransitionAfter: Duration.hours(60) }, "noncurrentVersionTransitionAfter must be a whole number of days >= 1, got '2.5 days' (in Default/Bad)"],
    [{ noncurrentVersionExpiration: Duration.days(20) }, "noncurrentVersionExpiration must be later than noncurrentVersionTransitionAfter (30 days), got '20 days' (in Default/Bad)"],
  ])('bad input %j stops synth with one line', (props, message) => {
    expect(() => new DataStore(new Stack(), 'Bad', props)).toThrow(new Error(message));
  });

  test('a bad dataset name names the value', () => {
    const store = new DataStore(new Stack(), 'S');
    expect(() => store.dataset('User Interactions')).toThrow("dataset name must be 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit, got 'User Interactions'");
    expect(() => store.dataset('ok', '/abs/')).toThrow("dataset prefix must not start with '/' and must end with '/', got '/abs/'");
  });
});
