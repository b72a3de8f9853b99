import { IResource, Resource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { aws_sagemaker as sagemakerRefs } from 'aws-cdk-lib/interfaces';

/**
 * A SageMaker Feature Store feature group.
 *
 * Implemented by `FeatureGroup` (created in this stack) and by the imports `FeatureGroup.fromFeatureGroupName` /
 * `FeatureGroup.fromFeatureGroupAttributes`.
 */
export interface IFeatureGroup extends IResource, sagemakerRefs.IFeatureGroupRef {
  /** Name of the feature group. @attribute */
  readonly featureGroupName: string;
  /** ARN of the feature group. @attribute */
  readonly featureGroupArn: string;
  /**
   * The key that encrypts the online store: data-plane callers need `kms:Decrypt` on it.
   * @default - unknown (imported without a key): grants cover only the SageMaker actions
   */
  readonly encryptionKey?: kms.IKey;

  /** Lets the grantee write records to the online store (`sagemaker:PutRecord`, and `kms:Decrypt` on the key). */
  grantPutRecord(grantee: iam.IGrantable): iam.Grant;
  /** Lets the grantee read records from the online store (`GetRecord`, `BatchGetRecord`, and `kms:Decrypt`). */
  grantGetRecord(grantee: iam.IGrantable): iam.Grant;
  /** Lets the grantee describe the feature group and its features, and read records from the online store. */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/**
 * What an existing feature group is imported with.
 */
export interface FeatureGroupAttributes {
  /** Name of the feature group. */
  readonly featureGroupName: string;
  /**
   * The key that encrypts its online store.
   * @default - no key: grants cover only the SageMaker actions
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The grants every feature group has, created or imported.
 */
export abstract class FeatureGroupBase extends Resource implements IFeatureGroup {
  /** @inheritdoc */
  public abstract readonly featureGroupName: string;
  /** @inheritdoc */
  public abstract readonly featureGroupArn: string;
  /** @inheritdoc */
  public abstract readonly encryptionKey?: kms.IKey;

  /** A reference to this feature group, for the CDK's own L1 interfaces. */
  public get featureGroupRef(): sagemakerRefs.FeatureGroupReference {
    return { featureGroupName: this.featureGroupName };
  }

  /** @inheritdoc */
  public grantPutRecord(grantee: iam.IGrantable): iam.Grant {
    return this.grantDataPlane(grantee, 'sagemaker:PutRecord');
  }

  /** @inheritdoc */
  public grantGetRecord(grantee: iam.IGrantable): iam.Grant {
    return this.grantDataPlane(grantee, 'sagemaker:GetRecord', 'sagemaker:BatchGetRecord');
  }

  /** @inheritdoc */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantDataPlane(grantee,
      'sagemaker:DescribeFeatureGroup', 'sagemaker:DescribeFeatureMetadata',
      'sagemaker:GetRecord', 'sagemaker:BatchGetRecord');
  }

  private grantDataPlane(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    const grant = iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.featureGroupArn] });
    if (!this.encryptionKey) return grant;
    return grant.combine(this.encryptionKey.grant(grantee, 'kms:Decrypt'));
  }
}
