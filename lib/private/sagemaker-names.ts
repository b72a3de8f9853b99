import { Names } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalid, isUnresolved } from './validate';

/** SageMaker's name pattern for model package groups, endpoints and variants: alphanumerics and inner hyphens. */
const SAGEMAKER_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** What the error message says is allowed for a SageMaker name. */
const SAGEMAKER_NAME_ALLOWED = '1 to 63 letters, digits and hyphens, starting and ending with a letter or digit';

/**
 * A physical name for a SageMaker resource derived from the construct path (stack name included), so two copies of a
 * construct never collide: lower case (SageMaker lower-cases names in ARNs), at most `maxLength` characters, only
 * letters, digits and single inner hyphens, ending with a hash of the path.
 */
export function sageMakerNameFromPath(scope: IConstruct, maxLength: number = 63): string {
  const raw = Names.uniqueResourceName(scope, { maxLength, separator: '-', allowedSpecialCharacters: '-' });
  const name = raw.toLowerCase().replace(/[^a-z0-9-]/g, '').replace(/-+/g, '-').replace(/^-+|-+$/g, '');
  return name.slice(0, maxLength).replace(/-+$/, '');
}

/** Checks a user-given SageMaker name (skipped for tokens). */
export function checkSageMakerName(scope: IConstruct | undefined, prop: string, value: string | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!SAGEMAKER_NAME_PATTERN.test(value)) invalid(scope, prop, SAGEMAKER_NAME_ALLOWED, value);
}
