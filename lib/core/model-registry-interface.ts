import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IResource } from 'aws-cdk-lib';

/**
 * A SageMaker model registry: one model package group whose versions move through approval.
 *
 * Implemented by `ModelRegistry` (created in this stack) and by the imports
 * `ModelRegistry.fromModelRegistryName` / `ModelRegistry.fromModelRegistryArn`.
 */
export interface IModelRegistry extends IResource {
  /** Name of the model package group. @attribute */
  readonly modelPackageGroupName: string;
  /** ARN of the model package group. @attribute */
  readonly modelPackageGroupArn: string;
  /** ARN pattern of the versions (model packages) in this group: `arn:...:model-package/<group>/*`. */
  readonly modelPackageArnPattern: string;

  /** Lets the grantee create model packages in this group (what a training pipeline needs), but not approve them. */
  grantRegister(grantee: iam.IGrantable): iam.Grant;
  /** Lets the grantee approve or reject model packages of this group (UpdateModelPackage), and nothing else. */
  grantApprove(grantee: iam.IGrantable): iam.Grant;
  /** Lets the grantee describe and list the group and its model packages. */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /** EventBridge rule for "SageMaker Model Package State Change" events of this group, any status. */
  onModelPackageStateChange(id: string, options?: events.OnEventOptions): events.Rule;
  /** EventBridge rule for a new model package registered in this group (status PendingManualApproval). */
  onModelRegistered(id: string, options?: events.OnEventOptions): events.Rule;
  /** EventBridge rule for a model package of this group being approved. */
  onModelApproved(id: string, options?: events.OnEventOptions): events.Rule;
  /** EventBridge rule for a model package of this group being rejected. */
  onModelRejected(id: string, options?: events.OnEventOptions): events.Rule;
}
