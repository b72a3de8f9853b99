import { Tags } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * A tag that marks the resources the operators of a platform work on: its CloudWatch alarms and SageMaker endpoints.
 * Roles get their access to them through an `aws:ResourceTag` condition instead of a list of ARNs, so the stacks that
 * hold those resources come and go without changing (or redeploying) the roles' stack.
 */
export interface OperatedResourcesTag {
  /** Tag key (not starting with `aws:`, which tag-based authorization ignores). */
  readonly key: string;
  /** Tag value that tells this platform's resources from others' in the same account. */
  readonly value: string;
}

/**
 * Marks resources as operated ({@link OperatedResourcesTag}), for {@link PeopleAccess.grantOperator} and
 * {@link PeopleRoles} with `operatedResourcesTag`.
 *
 * @example
 * OperatedResources.tag(servingStack, { key: 'team:platform', value: 'churn' });
 */
export class OperatedResources {
  /** The resource types the tag is put on: metric alarms and endpoints (composite alarms support no tag-based authorization). */
  public static readonly RESOURCE_TYPES = ['AWS::CloudWatch::Alarm', 'AWS::SageMaker::Endpoint'];

  /** Puts the tag on every CloudWatch alarm and SageMaker endpoint below `scope` (a stack, or one construct). */
  public static tag(scope: IConstruct, tag: OperatedResourcesTag): void {
    Tags.of(scope).add(tag.key, tag.value, { includeResourceTypes: OperatedResources.RESOURCE_TYPES });
  }

  private constructor() {}
}
