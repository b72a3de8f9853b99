import { Annotations, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { Dataset } from './dataset';
import { createAccessLogsBucket, deliverAccessLogs } from '../private/access-logs-bucket';
import { checkAccountId, checkWholeDuration, invalid } from '../private/validate';
import { displayPath } from '../private/display-path';

/** Options of {@link DataStore.onObjectCreated}. */
export interface ObjectCreatedOptions extends events.OnEventOptions {
  /**
   * Only objects whose key starts with this prefix.
   * @default - every object of the store
   */
  readonly keyPrefix?: string;
}

/**
 * Properties of a {@link DataStore}.
 */
export interface DataStoreProps {
  /**
   * What the store holds, used in descriptions (e.g. `datasets`, `model artifacts`).
   * @default 'data'
   */
  readonly purpose?: string;

  /**
   * Customer-managed KMS key that encrypts the objects. Give one to share a key between stores.
   * @default - a key with yearly rotation is created (retained)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Bucket that receives S3 server access logs.
   * @default - a separate, private, retained log bucket is created
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * How long after they become noncurrent object versions move to a cheaper storage class (whole days, >= 1).
   * @default Duration.days(30)
   */
  readonly noncurrentVersionTransitionAfter?: Duration;

  /**
   * Storage class noncurrent versions move to.
   * @default s3.StorageClass.INFREQUENT_ACCESS
   */
  readonly noncurrentVersionStorageClass?: s3.StorageClass;

  /**
   * How long after they become noncurrent object versions are deleted (whole days, later than
   * `noncurrentVersionTransitionAfter`). Leave unset to keep every version (lineage stays answerable).
   * @default - noncurrent versions never expire
   */
  readonly noncurrentVersionExpiration?: Duration;

  /**
   * S3 Object Lock default retention for regulated data (WORM). Object Lock can only be turned on when the bucket
   * is created.
   * @default - no Object Lock
   */
  readonly objectLockRetention?: s3.ObjectLockRetention;

  /**
   * What happens to the bucket and key when the stack is deleted or the resource replaced.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A data store: a versioned, encrypted, private, logged S3 bucket that is never deleted by accident.
 *
 * Secure defaults: versioning always on, a customer-managed KMS key with rotation (or yours), all public access
 * blocked, SSL-only with TLS 1.2 minimum, server access logs to a separate bucket, noncurrent versions moved to a
 * cheaper class (never expired unless asked), retained on delete, EventBridge notifications on so later levels can
 * react to new data.
 *
 * @example
 * const store = new DataStore(this, 'Datasets', { purpose: 'datasets' });
 * const churn = store.dataset('customer-churn');
 * churn.grantRead(trainingRole);
 */
export class DataStore extends Construct {
  /** The versioned bucket. */
  public readonly bucket: s3.Bucket;
  /** The KMS key that encrypts the bucket's objects. */
  public readonly encryptionKey: kms.IKey;
  /** The bucket that receives the server access logs. */
  public readonly accessLogsBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: DataStoreProps = {}) {
    super(scope, id);
    checkWholeDuration(this, 'noncurrentVersionTransitionAfter', props.noncurrentVersionTransitionAfter, 'days', 1);
    checkWholeDuration(this, 'noncurrentVersionExpiration', props.noncurrentVersionExpiration, 'days', 1);
    const transitionAfter = props.noncurrentVersionTransitionAfter ?? Duration.days(30);
    const expiration = props.noncurrentVersionExpiration;
    if (expiration && !expiration.isUnresolved() && !transitionAfter.isUnresolved() && expiration.toDays() <= transitionAfter.toDays()) {
      invalid(this, 'noncurrentVersionExpiration', `later than noncurrentVersionTransitionAfter (${transitionAfter.toHumanString()})`, expiration.toHumanString());
    }
    const purpose = props.purpose ?? 'data';
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (removalPolicy !== RemovalPolicy.RETAIN) {
      Annotations.of(this).addWarningV2('cdk-mlops-maturity:dataStoreNotRetained',
        `removalPolicy is ${removalPolicy}: the ${purpose} store and its versions can be deleted with the stack`);
    }

    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
      description: `Encrypts the ${purpose} store ${displayPath(this)}`,
      enableKeyRotation: true,
      removalPolicy,
    });

    this.accessLogsBucket = props.accessLogsBucket ?? createAccessLogsBucket(this, 'AccessLogs', removalPolicy, `the ${purpose} store`);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      versioned: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectLockEnabled: props.objectLockRetention ? true : undefined,
      objectLockDefaultRetention: props.objectLockRetention,
      removalPolicy,
      lifecycleRules: [{
        id: 'noncurrent-versions',
        abortIncompleteMultipartUploadAfter: Duration.days(7),
        noncurrentVersionTransitions: [{
          storageClass: props.noncurrentVersionStorageClass ?? s3.StorageClass.INFREQUENT_ACCESS,
          transitionAfter,
        }],
        noncurrentVersionExpiration: expiration,
      }],
    });
    // Server access logs through a bucket policy for the S3 logging service (no ACLs).
    deliverAccessLogs(this.bucket, this.accessLogsBucket, `access-logs/${id}/`, id);

    // EventBridge notifications set natively on the bucket (no notification custom resource and Lambda).
    const cfnBucket = this.bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    Validations.of(this.bucket).acknowledge({
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason: `The ${purpose} store keeps every version (versioning, no expiry, optional Object Lock) in its own region; cross-region replication needs a destination bucket in another region, which the platform does not own`,
    });
  }

  /** The bucket name. */
  public get bucketName(): string {
    return this.bucket.bucketName;
  }

  /** `s3://<bucket>/<key>` for a key (or prefix) in this store. */
  public s3Uri(key: string = ''): string {
    return this.bucket.s3UrlForObject(key);
  }

  /** A named dataset under `datasets/<name>/` (or the prefix given) in this store. */
  public dataset(name: string, prefix?: string): Dataset {
    return new Dataset(this, name, prefix);
  }

  /** Read access to the whole store (or the objects under `keyPrefix`), including decrypt on the key. */
  public grantRead(grantee: iam.IGrantable, keyPrefix?: string): iam.Grant {
    return this.bucket.grantRead(grantee, keyPattern(keyPrefix));
  }

  /** Write access (put, no delete) to the store (or under `keyPrefix`), including encrypt on the key. */
  public grantWrite(grantee: iam.IGrantable, keyPrefix?: string): iam.Grant {
    return this.bucket.grantPut(grantee, keyPattern(keyPrefix));
  }

  /** Read and write access to the store (or under `keyPrefix`), including the key. */
  public grantReadWrite(grantee: iam.IGrantable, keyPrefix?: string): iam.Grant {
    return this.bucket.grantReadWrite(grantee, keyPattern(keyPrefix));
  }

  /**
   * Lets other AWS accounts (e.g. deployment stages that serve a model trained here) read the objects under
   * `keyPrefix`, through the bucket policy and the key policy (decrypt only through S3 of this region).
   */
  public grantReadToAccounts(accountIds: string[], keyPrefix: string): void {
    accountIds.forEach((account, i) => checkAccountId(this, `accountIds[${i}]`, account));
    const principals = accountIds.map((account) => new iam.AccountPrincipal(account));
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals,
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [this.bucket.arnForObjects(`${keyPrefix}*`)],
    }));
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      principals,
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.${Stack.of(this).urlSuffix}` } },
    }));
  }

  /**
   * An EventBridge rule for new objects in this store (S3 "Object Created" events), optionally under a prefix.
   * Every `OnEventOptions` field is honoured: `target` is added to the rule, `eventPattern` narrows the pattern
   * further, `description`, `ruleName` and `crossStackScope` go to the rule.
   */
  public onObjectCreated(id: string, options: ObjectCreatedOptions = {}): events.Rule {
    const { keyPrefix, target, ...ruleOptions } = options;
    // As aws-cdk-lib's own onEvent methods do: the rule takes description, ruleName, eventPattern (merged with the
    // pattern below) and crossStackScope; `target` is no RuleProps member, so it is added here or silently lost.
    const rule = new events.Rule(this, id, ruleOptions);
    rule.addTarget(target);
    rule.addEventPattern({
      source: ['aws.s3'],
      detailType: ['Object Created'],
      detail: {
        bucket: { name: [this.bucket.bucketName] },
        ...(keyPrefix ? { object: { key: [{ prefix: keyPrefix }] } } : {}),
      },
    });
    return rule;
  }

  /** Daily storage metric: total bytes stored (S3 `BucketSizeBytes`, `StandardStorage`). */
  public metricBucketSizeBytes(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.storageMetric('BucketSizeBytes', 'StandardStorage', props);
  }

  /** Daily storage metric: number of objects, all versions (S3 `NumberOfObjects`). */
  public metricNumberOfObjects(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.storageMetric('NumberOfObjects', 'AllStorageTypes', props);
  }

  private storageMetric(metricName: string, storageType: string, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/S3',
      metricName,
      dimensionsMap: { BucketName: this.bucket.bucketName, StorageType: storageType },
      statistic: 'Average',
      period: Duration.days(1),
      ...props,
    });
  }
}

function keyPattern(keyPrefix?: string): string {
  return keyPrefix ? `${keyPrefix}*` : '*';
}
