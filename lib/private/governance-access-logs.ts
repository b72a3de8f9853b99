import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * A private, versioned, SSL-only bucket for S3 server access logs of the audit trail bucket. S3 log delivery writes
 * only to SSE-S3 buckets, so this one is not KMS-encrypted (acknowledged with that reason).
 */
export function createAccessLogsBucket(scope: Construct, id: string, removalPolicy: RemovalPolicy): s3.Bucket {
  const logs = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    removalPolicy,
    lifecycleRules: [{ id: 'noncurrent-log-versions', noncurrentVersionExpiration: Duration.days(90) }],
  });
  const reason = 'this bucket receives the S3 server access logs of the audit trail bucket; logging it into itself would loop';
  Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason });
  Validations.of(logs).acknowledge({ id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason });
  Validations.of(logs).acknowledge({
    id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
    reason: 'S3 server access log delivery writes only to buckets with SSE-S3 default encryption, not SSE-KMS',
  });
  Validations.of(logs).acknowledge({
    id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
    reason: 'access logs of the audit trail bucket stay in its region; they describe reads of the trail, the trail itself is multi-region',
  });
  return logs;
}

/**
 * Sends S3 server access logs of `bucket` to `logsBucket` under `prefix` through a bucket policy for the S3
 * logging service (no ACLs, so "bucket owner enforced" ownership holds whatever the app's feature flags).
 */
export function deliverAccessLogs(bucket: s3.Bucket, logsBucket: s3.IBucket, prefix: string): void {
  (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
    destinationBucketName: logsBucket.bucketName,
    logFilePrefix: prefix,
  };
  logsBucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: `S3ServerAccessLogs${bucket.node.id.replace(/[^A-Za-z0-9]/g, '')}`,
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [logsBucket.arnForObjects(`${prefix}*`)],
    conditions: {
      ArnLike: { 'aws:SourceArn': bucket.bucketArn },
      StringEquals: { 'aws:SourceAccount': Stack.of(bucket).account },
    },
  }));
}
