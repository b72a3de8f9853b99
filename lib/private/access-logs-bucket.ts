import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * A bucket for S3 server access logs: SSE-S3 (S3 log delivery writes only to SSE-S3 buckets, not SSE-KMS), versioned,
 * bucket owner enforced, all public access blocked, SSL only with TLS 1.2 minimum, noncurrent log versions expired
 * after 90 days. The four cdk-nag findings this leaves (no access logs of its own, no KMS, no replication) are
 * acknowledged with reasons that name what it logs.
 *
 * @param scope where the bucket is created
 * @param id construct id of the bucket (part of the logical id: keep it stable)
 * @param removalPolicy what happens to the bucket when the stack is deleted or the bucket replaced
 * @param source what logs into the bucket, for the acknowledgement reasons, e.g. `the audit trail bucket`
 */
export function createAccessLogsBucket(scope: Construct, id: string, removalPolicy: RemovalPolicy, source: string = 'the buckets that log to it'): s3.Bucket {
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
  const loop = `this bucket receives the S3 server access logs of ${source}; logging it into itself would loop`;
  Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: loop });
  Validations.of(logs).acknowledge({ id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: loop });
  Validations.of(logs).acknowledge({
    id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
    reason: `S3 server access log delivery (of ${source}) writes only to buckets with SSE-S3 default encryption, not SSE-KMS`,
  });
  Validations.of(logs).acknowledge({
    id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
    reason: `access logs of ${source} stay in its region: they are audit copies of requests, not the data itself`,
  });
  return logs;
}

/**
 * Sends the S3 server access logs of `bucket` to `logsBucket` under `prefix`, through a bucket policy statement for
 * the S3 logging service limited to that bucket and account (no ACLs, so "bucket owner enforced" ownership holds
 * whatever the app's feature flags).
 *
 * @param bucket the bucket whose requests are logged
 * @param logsBucket the bucket that receives the logs (its policy gets the statement; none for an imported bucket)
 * @param prefix key prefix of the log objects, ending in `/`
 * @param name names the statement `S3ServerAccessLogs<name>` (non-alphanumerics dropped): unique per logs bucket
 */
export function deliverAccessLogs(bucket: s3.Bucket, logsBucket: s3.IBucket, prefix: string, name: string): void {
  (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
    destinationBucketName: logsBucket.bucketName,
    logFilePrefix: prefix,
  };
  logsBucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: `S3ServerAccessLogs${name.replace(/[^A-Za-z0-9]/g, '')}`,
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [logsBucket.arnForObjects(`${prefix}*`)],
    conditions: {
      ArnLike: { 'aws:SourceArn': bucket.bucketArn },
      StringEquals: { 'aws:SourceAccount': Stack.of(bucket).account },
    },
  }));
}
