import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataStore } from '../../lib/data/data-store';
import { AuditTrail } from '../../lib/governance/audit-trail';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';

const ENV = { account: '123456789012', region: 'eu-west-1' };

/** One checked app: the trail with its defaults over the platform's two stores. */
const app = checkedApp();
const stack = new Stack(app, 'Governance', { env: ENV });
const datasets = new DataStore(stack, 'Datasets', { purpose: 'datasets' });
const artifacts = new DataStore(stack, 'Artifacts', { purpose: 'model artifacts' });
const audit = new AuditTrail(stack, 'Audit', { dataEventBuckets: [datasets.bucket, artifacts.bucket] });
audit.addDataEventBucket(datasets.bucket); // idempotent
const template = Template.fromStack(stack);

describe('AuditTrail', () => {
  test('synthesizes with zero cdk-nag findings (AwsSolutions + NIST 800-53 R5)', () => {
    const { warnings } = synthAndCollectWarnings(app);
    expect(warnings).toEqual([]);
  });

  test('trail: multi-region, global events, log-file validation, KMS, CloudWatch Logs delivery', () => {
    template.resourceCountIs('AWS::CloudTrail::Trail', 1);
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuditKey'), 'Arn'] },
      S3BucketName: { Ref: Match.stringLikeRegexp('AuditBucket') },
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuditLogGroup'), 'Arn'] },
      CloudWatchLogsRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuditLogsRole'), 'Arn'] },
    });
  });

  test('the trail itself is retained with the stack', () => {
    template.hasResource('AWS::CloudTrail::Trail', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('management events and S3 data events on exactly the given buckets', () => {
    const trail = Object.values(template.findResources('AWS::CloudTrail::Trail'))[0] as any;
    const selectors = trail.Properties.EventSelectors;
    expect(selectors).toContainEqual(expect.objectContaining({ IncludeManagementEvents: true, ReadWriteType: 'All' }));
    const dataResources = selectors.flatMap((s: any) => s.DataResources ?? []);
    expect(dataResources).toHaveLength(2);
    for (const d of dataResources) expect(d.Type).toBe('AWS::S3::Object');
    const referenced = JSON.stringify(dataResources);
    expect(referenced).toContain(stack.getLogicalId(datasets.bucket.node.defaultChild as s3.CfnBucket));
    expect(referenced).toContain(stack.getLogicalId(artifacts.bucket.node.defaultChild as s3.CfnBucket));
  });

  test('trail bucket: KMS, versioned, private, SSL-only, access-logged, retained', () => {
    const bucketId = stack.getLogicalId(audit.bucket.node.defaultChild as s3.CfnBucket);
    const bucket = template.toJSON().Resources[bucketId];
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
      LoggingConfiguration: { LogFilePrefix: 'access-logs/Audit/' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Action: 's3:PutObject', Principal: { Service: 'cloudtrail.amazonaws.com' } }),
        ]),
      },
    });
  });

  test('log group encrypted with retention; key rotates and lets CloudTrail and Logs use it', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuditKey'), 'Arn'] },
      RetentionInDays: 365,
    });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'CloudTrailEncryptsLogFiles', Action: 'kms:GenerateDataKey*', Principal: { Service: 'cloudtrail.amazonaws.com' } }),
          Match.objectLike({ Sid: 'CloudWatchLogsEncryptsTrailLogGroup', Principal: { Service: 'logs.eu-west-1.amazonaws.com' } }),
        ]),
      },
    });
  });

  test('CloudTrail writes to the log group through a managed policy, not an inline one', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'cloudtrail.amazonaws.com' } })] },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('AuditLogsRole') }],
      PolicyDocument: {
        Statement: [Match.objectLike({
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuditLogGroup'), 'Arn'] },
        })],
      },
    });
  });

  test('options: write-only data events, given key and access-logs bucket, warning when not retained', () => {
    const s = new Stack(undefined, 'Options', { env: ENV });
    const store = new DataStore(s, 'Store');
    const trail = new AuditTrail(s, 'Audit', {
      dataEventBuckets: [store.bucket],
      dataEventsReadWriteType: cloudtrail.ReadWriteType.WRITE_ONLY,
      encryptionKey: store.encryptionKey,
      accessLogsBucket: store.accessLogsBucket,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::KMS::Key', 1);
    expect(trail.encryptionKey).toBe(store.encryptionKey);
    const cfn = Object.values(t.findResources('AWS::CloudTrail::Trail'))[0] as any;
    expect(cfn.Properties.EventSelectors).toContainEqual(expect.objectContaining({ ReadWriteType: 'WriteOnly', IncludeManagementEvents: false }));
    Annotations.fromStack(s).hasWarning('/Options/Audit', Match.stringLikeRegexp('removalPolicy is destroy'));
  });
});
