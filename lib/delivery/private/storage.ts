import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { createAccessLogsBucket, deliverAccessLogs } from '../../private/access-logs-bucket';
import { allowCloudWatchLogsToUseKey } from '../../private/service-key-policy';

/**
 * The KMS key of a delivery pipeline (artifacts, build outputs, logs): rotated, retained, usable by CloudWatch Logs
 * for the log groups of this account and region.
 */
export function createDeliveryKey(scope: Construct, id: string, description: string): kms.Key {
  const key = new kms.Key(scope, id, { description, enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  allowCloudWatchLogsToUseKey(key, 'AllowCloudWatchLogsOfThisAccount');
  return key;
}

/** A log group encrypted with the key, with a retention, retained with the stack. */
export function createEncryptedLogGroup(scope: Construct, id: string, key: kms.IKey, retention: logs.RetentionDays): logs.LogGroup {
  return new logs.LogGroup(scope, id, { encryptionKey: key, retention, removalPolicy: RemovalPolicy.RETAIN });
}

/**
 * The artifact bucket of a delivery pipeline: KMS with the pipeline's key, SSL only, no public access, bucket owner
 * enforced, versioned, server access logs to `accessLogsBucket` (created when not given), retained.
 */
export function createArtifactBucket(scope: Construct, key: kms.IKey, accessLogsBucket?: s3.IBucket): s3.Bucket {
  const logBucket = accessLogsBucket ?? createAccessLogsBucket(scope, 'AccessLogsBucket', RemovalPolicy.RETAIN, 'the pipeline artifact bucket');
  const bucket = new s3.Bucket(scope, 'ArtifactBucket', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{
      id: 'old-artifacts',
      abortIncompleteMultipartUploadAfter: Duration.days(7),
      noncurrentVersionExpiration: Duration.days(30),
    }],
  });
  deliverAccessLogs(bucket, logBucket, 'access-logs/artifacts/', 'PipelineArtifacts');
  Validations.of(bucket).acknowledge({
    id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
    reason: 'pipeline artifacts are intermediate build outputs that every pipeline run recreates from the source repository; replicating them to another region adds no recovery value',
  });
  return bucket;
}
