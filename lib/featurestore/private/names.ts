import { Names, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalid, isUnresolved } from '../../private/validate';

/** SageMaker's pattern for feature group names. */
export const FEATURE_GROUP_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}$/;

/**
 * A feature group name derived from the construct path (stack included), so two copies never collide: lower case,
 * letters, digits and single inner hyphens, at most 64 characters, ending with a hash of the path.
 */
export function featureGroupNameFromPath(scope: IConstruct): string {
  const raw = Names.uniqueResourceName(scope, { maxLength: 64, separator: '-', allowedSpecialCharacters: '-' });
  const name = raw.toLowerCase().replace(/[^a-z0-9-]/g, '').replace(/-+/g, '-').replace(/^-+/, '');
  return name.slice(0, 64).replace(/-+$/, '');
}

/** Checks a user-given feature group name (skipped for tokens). */
export function checkFeatureGroupName(scope: IConstruct | undefined, value: string | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!FEATURE_GROUP_NAME_PATTERN.test(value)) {
    invalid(scope, 'featureGroupName', '1 to 64 letters, digits and hyphens, starting and ending with a letter or digit', value);
  }
}

/** The ARN of a feature group: SageMaker lower-cases the name in it. */
export function featureGroupArn(scope: IConstruct, name: string): string {
  return Stack.of(scope).formatArn({
    service: 'sagemaker',
    resource: 'feature-group',
    resourceName: Token.isUnresolved(name) ? name : name.toLowerCase(),
  });
}
