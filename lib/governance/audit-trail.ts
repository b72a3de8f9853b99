import { Annotations, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { createAccessLogsBucket, deliverAccessLogs } from '../private/access-logs-bucket';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { rolePolicies } from '../private/role-policies';
import { allowCloudTrailToUseKey, allowCloudWatchLogsToUseKey } from '../private/service-key-policy';
import { displayPath } from '../private/display-path';

/**
 * Properties of an {@link AuditTrail}.
 */
export interface AuditTrailProps {
  /**
   * Buckets whose object-level reads and writes are recorded (S3 data events): the dataset and model artifact
   * stores, so "who read this training data, who replaced this model" is answerable. More can be added with
   * {@link AuditTrail.addDataEventBucket}.
   * @default - no data events, management events only
   */
  readonly dataEventBuckets?: s3.IBucket[];

  /**
   * Which S3 data events are recorded for `dataEventBuckets`.
   * @default cloudtrail.ReadWriteType.ALL
   */
  readonly dataEventsReadWriteType?: cloudtrail.ReadWriteType;

  /**
   * Which management events (control-plane calls: CreatePipeline, UpdateModelPackage, PutBucketPolicy...) are
   * recorded.
   * @default cloudtrail.ReadWriteType.ALL
   */
  readonly managementEvents?: cloudtrail.ReadWriteType;

  /**
   * KMS key that encrypts the log files, the trail bucket and the CloudWatch Logs group. A key you give must allow
   * `cloudtrail.amazonaws.com` (GenerateDataKey*, DescribeKey) and `logs.<region>.amazonaws.com` to use it.
   * @default - a key with yearly rotation is created (retained)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long the trail's copy in CloudWatch Logs is kept (the S3 copy is kept until you delete it).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Bucket that receives the S3 server access logs of the trail bucket.
   * @default - a private, versioned, retained log bucket is created
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * What happens to the trail bucket, access-logs bucket, key and log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The platform's audit trail: a multi-region CloudTrail trail with log-file validation, KMS-encrypted log files,
 * delivery to an encrypted CloudWatch Logs group with retention, all management events, and S3 data events on the
 * dataset and artifact stores. The trail bucket is private, SSL-only, KMS-encrypted, versioned, access-logged and
 * retained.
 *
 * SageMaker keeps the lineage of what was trained from what (pipeline executions, their parameters and the reason
 * the retraining trigger recorded, model packages and their approvals); this trail records who called which API.
 * Together they answer "which data, which code, who approved, why retrained".
 *
 * @example
 * const audit = new AuditTrail(this, 'Audit', {
 *   dataEventBuckets: [datasets.bucket, artifacts.bucket],
 * });
 */
export class AuditTrail extends Construct {
  /** The CloudTrail trail. */
  public readonly trail: cloudtrail.Trail;
  /** The bucket that holds the log files. */
  public readonly bucket: s3.Bucket;
  /** The CloudWatch Logs group the trail delivers to. */
  public readonly logGroup: logs.LogGroup;
  /** The key that encrypts the log files, the bucket and the log group. */
  public readonly encryptionKey: kms.IKey;
  /** The bucket that receives the trail bucket's server access logs. */
  public readonly accessLogsBucket: s3.IBucket;
  /** The role CloudTrail assumes to write into the log group. */
  public readonly logsRole: iam.IRole;

  private readonly dataEventsReadWriteType: cloudtrail.ReadWriteType;
  private readonly dataEventBuckets = new Set<s3.IBucket>();

  constructor(scope: Construct, id: string, props: AuditTrailProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (removalPolicy !== RemovalPolicy.RETAIN) {
      Annotations.of(this).addWarningV2('cdk-mlops-maturity:auditTrailNotRetained',
        `removalPolicy is ${removalPolicy}: the audit log files and their key can be deleted with the stack`);
    }
    this.dataEventsReadWriteType = props.dataEventsReadWriteType ?? cloudtrail.ReadWriteType.ALL;

    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
      description: `Encrypts the audit trail log files, bucket and log group of ${displayPath(this)}`,
      enableKeyRotation: true,
      removalPolicy,
    });
    allowCloudTrailToUseKey(this.encryptionKey);
    allowCloudWatchLogsToUseKey(this.encryptionKey, 'CloudWatchLogsEncryptsTrailLogGroup');

    this.accessLogsBucket = props.accessLogsBucket ?? createAccessLogsBucket(this, 'AccessLogs', removalPolicy, 'the audit trail bucket');
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy,
      lifecycleRules: [{ id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    });
    deliverAccessLogs(this.bucket, this.accessLogsBucket, `access-logs/${id}/`, this.bucket.node.id);
    Validations.of(this.bucket).acknowledge({
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason: 'The trail is multi-region and its log files are integrity-checked (digest files); a replica needs a bucket in another region, which the platform does not own. Replicate at the organization level if required',
    });

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: this.encryptionKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });

    this.trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: this.bucket,
      encryptionKey: this.encryptionKey,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      managementEvents: props.managementEvents ?? cloudtrail.ReadWriteType.ALL,
    });
    // The trail is the audit record itself: deleting the stack must not stop it.
    this.trail.applyRemovalPolicy(removalPolicy);
    this.logsRole = this.deliverToCloudWatchLogs();

    (props.dataEventBuckets ?? []).forEach((bucket) => this.addDataEventBucket(bucket));
  }

  /** Records the object-level reads and writes (S3 data events) of one more bucket. */
  public addDataEventBucket(bucket: s3.IBucket): void {
    if (this.dataEventBuckets.has(bucket)) return;
    this.dataEventBuckets.add(bucket);
    this.trail.addS3EventSelector([{ bucket }], {
      readWriteType: this.dataEventsReadWriteType,
      includeManagementEvents: false,
    });
  }

  /**
   * CloudWatch Logs delivery through a role whose permissions sit in a customer-managed policy (the Trail's own
   * `sendToCloudWatchLogs` would add an inline policy, which NIST 800-53 R5 IAMNoInlinePolicy rejects).
   */
  private deliverToCloudWatchLogs(): iam.IRole {
    const role = new ManagedPolicyRole(this, 'LogsRole', {
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com'),
      description: `CloudTrail writes the audit trail ${displayPath(this)} into its log group`,
    });
    this.logGroup.grantWrite(role);
    const cfnTrail = this.trail.node.defaultChild as cloudtrail.CfnTrail;
    cfnTrail.cloudWatchLogsLogGroupArn = this.logGroup.logGroupArn;
    cfnTrail.cloudWatchLogsRoleArn = role.roleArn;
    // CloudTrail checks at creation that the role can write the log group: create its policies first.
    cfnTrail.node.addDependency(rolePolicies(role));
    return role;
  }
}
