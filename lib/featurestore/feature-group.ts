import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from '../private/nag-acknowledgements';
import { checkFeatureGroupName, featureGroupArn, featureGroupNameFromPath } from './private/names';
import { checkFeatures, ttlDuration } from './private/validate';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { rolePolicies } from '../private/role-policies';
import { InputError, invalid, isUnresolved } from '../private/validate';
import { FeatureDefinition } from './feature-definition';
import { FeatureGroupAttributes, FeatureGroupBase, IFeatureGroup } from './feature-group-base';
import { displayPath } from '../private/display-path';

/** Longest feature group description SageMaker accepts. */
const MAX_DESCRIPTION = 128;

/**
 * Properties of a {@link FeatureGroup}.
 */
export interface FeatureGroupProps {
  /** The features of each record (at most 2,500), including the record identifier and the event time. */
  readonly features: FeatureDefinition[];
  /** The feature whose value identifies a record: one of `features`, of type `String` or `Integral`. */
  readonly recordIdentifierFeatureName: string;
  /** The feature that holds the event time: one of `features`, `Fractional` (epoch seconds) or `String` (ISO-8601). */
  readonly eventTimeFeatureName: string;

  /**
   * Name of the feature group.
   * @default - derived from the construct path (unique per stack and path, at most 64 characters)
   */
  readonly featureGroupName?: string;

  /**
   * A description of the feature group, at most 128 characters.
   * @default - none
   */
  readonly description?: string;

  /**
   * Whether records are kept in the online store for low-latency `GetRecord` at inference time.
   * @default true
   */
  readonly onlineStore?: boolean;

  /**
   * How long a record stays in the online store after its event time. Only with the online store.
   * @default - records never expire
   */
  readonly onlineStoreTtl?: Duration;

  /**
   * Bucket of the offline store (the history of every record, for training and batch inference). SageMaker writes
   * below `offlineStorePrefix`, encrypted with `encryptionKey`.
   * @default - no offline store
   */
  readonly offlineStoreBucket?: s3.IBucket;

  /**
   * Key prefix of the offline store in `offlineStoreBucket`. Only with an offline store.
   * @default 'feature-store/<featureGroupName>'
   */
  readonly offlineStorePrefix?: string;

  /**
   * Whether SageMaker leaves out the AWS Glue table of the offline store. Set `false` to query the offline store
   * with Athena through the table SageMaker creates in the `sagemaker_featurestore` database (the role then also
   * gets `glue:GetTable`/`glue:UpdateTable` there). Only with an offline store.
   * @default true
   */
  readonly disableGlueTableCreation?: boolean;

  /**
   * KMS key that encrypts the online store and the objects of the offline store.
   * @default - a key with rotation is created (retained)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Role SageMaker assumes to write the offline store; it is given write access to the offline prefix and the key.
   * Only with an offline store. The `AwsSolutions-IAM5` findings of the prefix wildcard (and of the Glue tables) on a
   * role you give are yours to acknowledge; on the role this construct creates they are acknowledged one by one.
   * @default - a least-privilege role is created when there is an offline store
   */
  readonly role?: iam.IRole;

  /**
   * What happens to the feature group (and the key it creates) when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A SageMaker Feature Store feature group (`AWS::SageMaker::FeatureGroup`) with typed features, an online store
 * encrypted with a KMS key (on by default, optional TTL) and an optional offline store in a bucket of yours under
 * its own prefix, written by a least-privilege role. Retained by default.
 *
 * @example
 * const features = new FeatureGroup(this, 'CustomerFeatures', {
 *   features: [
 *     { name: 'customer_id', type: FeatureType.STRING },
 *     { name: 'event_time', type: FeatureType.FRACTIONAL },
 *     { name: 'tenure', type: FeatureType.FRACTIONAL },
 *   ],
 *   recordIdentifierFeatureName: 'customer_id',
 *   eventTimeFeatureName: 'event_time',
 *   offlineStoreBucket: dataStore.bucket,
 * });
 * features.grantGetRecord(inferenceRole);
 */
export class FeatureGroup extends FeatureGroupBase {
  /** Imports a feature group by name; grants then cover only the SageMaker actions (no key is known). */
  public static fromFeatureGroupName(scope: Construct, id: string, featureGroupName: string): IFeatureGroup {
    return FeatureGroup.fromFeatureGroupAttributes(scope, id, { featureGroupName });
  }

  /** Imports a feature group by name and, optionally, the key of its online store (for `kms:Decrypt` in grants). */
  public static fromFeatureGroupAttributes(scope: Construct, id: string, attrs: FeatureGroupAttributes): IFeatureGroup {
    checkFeatureGroupName(scope, attrs.featureGroupName);
    class Import extends FeatureGroupBase {
      public readonly featureGroupName = attrs.featureGroupName;
      public readonly featureGroupArn = featureGroupArn(scope, attrs.featureGroupName);
      public readonly encryptionKey = attrs.encryptionKey;
    }
    return new Import(scope, id);
  }

  /** @inheritdoc */
  public readonly featureGroupName: string;
  /** @inheritdoc */
  public readonly featureGroupArn: string;
  /** The key that encrypts the online store and the offline store objects. */
  public readonly encryptionKey: kms.IKey;
  /**
   * The role SageMaker uses to write the offline store.
   * @default - none without an offline store
   */
  public readonly role?: iam.IRole;
  /**
   * `s3://<bucket>/<prefix>` of the offline store.
   * @default - none without an offline store
   */
  public readonly offlineStoreS3Uri?: string;
  /** The L1 resource. */
  public readonly resource: sagemaker.CfnFeatureGroup;

  constructor(scope: Construct, id: string, props: FeatureGroupProps) {
    super(scope, id);
    checkFeatures(this, props.features, props.recordIdentifierFeatureName, props.eventTimeFeatureName);
    checkFeatureGroupName(this, props.featureGroupName);
    if (props.description !== undefined && !isUnresolved(props.description) && props.description.length > MAX_DESCRIPTION) {
      invalid(this, 'description', `at most ${MAX_DESCRIPTION} characters`, `${props.description.length} characters`);
    }
    const online = props.onlineStore ?? true;
    const bucket = props.offlineStoreBucket;
    if (!online && !bucket) {
      throw new InputError(this, 'onlineStore must be true when there is no offlineStoreBucket, got false: a feature group needs a store');
    }
    if (!online && props.onlineStoreTtl) {
      invalid(this, 'onlineStoreTtl', 'left out when onlineStore is false', props.onlineStoreTtl.toHumanString());
    }
    for (const [name, value] of [['offlineStorePrefix', props.offlineStorePrefix], ['disableGlueTableCreation', props.disableGlueTableCreation], ['role', props.role]] as const) {
      if (!bucket && value !== undefined) invalid(this, name, 'left out without an offlineStoreBucket', name === 'role' ? 'a role' : value);
    }
    const prefix = (props.offlineStorePrefix ?? '').replace(/^\/+|\/+$/g, '');
    if (props.offlineStorePrefix !== undefined && !isUnresolved(props.offlineStorePrefix) && prefix === '') {
      invalid(this, 'offlineStorePrefix', 'a non-empty key prefix such as \'feature-store/users\'', props.offlineStorePrefix);
    }

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.featureGroupName = props.featureGroupName ?? featureGroupNameFromPath(this);
    this.featureGroupArn = featureGroupArn(this, this.featureGroupName);
    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
      description: `Encrypts the online and offline stores of the feature group ${displayPath(this)}`,
      enableKeyRotation: true,
      removalPolicy,
    });

    let offlineStoreConfig: object | undefined;
    if (bucket) {
      const offlinePrefix = prefix || `feature-store/${this.featureGroupName}`;
      const disableGlue = props.disableGlueTableCreation ?? true;
      this.role = props.role ?? new ManagedPolicyRole(this, 'Role', {
        assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
        description: `Writes the offline store of the feature group ${displayPath(this)}`,
      });
      this.grantOfflineStore(this.role, bucket, offlinePrefix, disableGlue);
      this.offlineStoreS3Uri = `s3://${bucket.bucketName}/${offlinePrefix}`;
      offlineStoreConfig = {
        S3StorageConfig: { S3Uri: this.offlineStoreS3Uri, KmsKeyId: this.encryptionKey.keyArn },
        DisableGlueTableCreation: disableGlue,
      };
    }

    this.resource = new sagemaker.CfnFeatureGroup(this, 'Resource', {
      featureGroupName: this.featureGroupName,
      description: props.description,
      recordIdentifierFeatureName: props.recordIdentifierFeatureName,
      eventTimeFeatureName: props.eventTimeFeatureName,
      featureDefinitions: props.features.map((f) => ({ featureName: f.name, featureType: f.type })),
      onlineStoreConfig: online ? {
        EnableOnlineStore: true,
        SecurityConfig: { KmsKeyId: this.encryptionKey.keyArn },
        TtlDuration: props.onlineStoreTtl ? ttlDuration(this, props.onlineStoreTtl) : undefined,
      } : undefined,
      offlineStoreConfig,
      roleArn: this.role?.roleArn,
    });
    this.resource.applyRemovalPolicy(removalPolicy);
    // SageMaker checks at creation that the role can write the offline store: create the policies first.
    if (this.role) this.resource.node.addDependency(rolePolicies(this.role));
  }

  private grantOfflineStore(role: iam.IRole, bucket: s3.IBucket, prefix: string, disableGlue: boolean): void {
    const objects = bucket.arnForObjects(`${prefix}/*`);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'WriteOfflineStore',
      actions: ['s3:PutObject', 's3:PutObjectAcl'],
      resources: [objects],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'CheckOfflineStoreBucket',
      actions: ['s3:GetBucketAcl'],
      resources: [bucket.bucketArn],
    }));
    // GenerateDataKey encrypts each object; Decrypt is what S3 needs for multipart uploads of larger files.
    this.encryptionKey.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    const ownRole = role instanceof ManagedPolicyRole && role.node.scope === this;
    if (ownRole) {
      acknowledgeWildcardResources(role, [objects], `SageMaker writes offline store objects under keys it generates (account, region, table, partition, file) below the prefix '${prefix}/' of this feature group only`);
    }
    if (disableGlue) return;
    const stack = Stack.of(this);
    const tables = stack.formatArn({ service: 'glue', resource: 'table', resourceName: 'sagemaker_featurestore/*' });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'UpdateOfflineStoreTable',
      actions: ['glue:GetTable', 'glue:UpdateTable'],
      resources: [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: 'sagemaker_featurestore' }),
        tables,
      ],
    }));
    if (ownRole) {
      acknowledgeWildcardResources(role, [tables], 'SageMaker names the Glue table of the offline store itself (feature group name plus a creation timestamp) in its sagemaker_featurestore database; only GetTable and UpdateTable are allowed there');
    }
  }
}
