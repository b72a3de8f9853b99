import { IConstruct } from 'constructs';
import { invalid, isUnresolved } from '../private/validate';

/** The parts of a versioned model package ARN. */
export interface ModelPackageArnParts {
  /** The ARN itself. */
  readonly arn: string;
  /** AWS partition (`aws`, `aws-cn`, `aws-us-gov`, ...). */
  readonly partition: string;
  /** Region of the model package. */
  readonly region: string;
  /** Account that owns the model package. */
  readonly account: string;
  /** Name of the model package group the package is a version of. */
  readonly modelPackageGroupName: string;
  /** Version number of the package within its group (1, 2, ...). */
  readonly version: number;
}

const MODEL_PACKAGE_ARN = /^arn:(aws[a-z-]*):sagemaker:([a-z0-9-]+):(\d{12}):model-package\/([a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62})\/(\d+)$/;

/** What the error message says a model package ARN looks like. */
const ALLOWED = "a model package ARN 'arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>'";

/**
 * Checks that `value` is the ARN of a versioned model package of a registry (a model package group) and returns its
 * parts. Throws one line naming `propName` (default `modelPackageArn`) otherwise.
 *
 * @example
 * const { modelPackageGroupName, version } = parseModelPackageArn(app.node.tryGetContext('modelPackageArn'));
 */
export function parseModelPackageArn(value: string, propName: string = 'modelPackageArn'): ModelPackageArnParts {
  if (isUnresolved(value)) {
    invalid(undefined, propName, `${ALLOWED} known at synth time (not a token)`, value);
  }
  const m = typeof value === 'string' ? MODEL_PACKAGE_ARN.exec(value.trim()) : null;
  if (!m) invalid(undefined, propName, ALLOWED, value);
  return {
    arn: value.trim(),
    partition: m[1],
    region: m[2],
    account: m[3],
    modelPackageGroupName: m[4],
    version: Number(m[5]),
  };
}

/**
 * Validates a model package ARN given as a prop of `scope` (the error names the construct path); tokens (known only
 * at deploy time) are accepted.
 */
export function checkModelPackageArn(scope: IConstruct | undefined, propName: string, value: string | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'string' || !MODEL_PACKAGE_ARN.test(value.trim())) invalid(scope, propName, ALLOWED, value);
}
