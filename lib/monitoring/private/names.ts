import { Fn, Names } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * A SageMaker monitoring name (schedule) derived from the construct path and a suffix (the monitoring type), stack name included, so two platforms
 * never collide: letters, digits and single inner hyphens, at most 63 characters (SageMaker's
 * `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`), ending with a hash of the path.
 */
export function monitoringNameFromPath(scope: IConstruct, suffix: string, maxLength: number = 63): string {
  const room = maxLength - suffix.length - 1;
  const raw = Names.uniqueResourceName(scope, { maxLength: room, separator: '-', allowedSpecialCharacters: '-' });
  const base = raw.replace(/[^A-Za-z0-9-]/g, '').replace(/-+/g, '-').replace(/^-+|-+$/g, '').slice(0, room).replace(/-+$/, '');
  return `${base}-${suffix}`;
}

/**
 * The name inside a SageMaker ARN (`arn:...:data-quality-job-definition/<name>`), as a CloudFormation expression.
 * Job definitions have no name attribute and are replaced on every change, so they keep CloudFormation-generated
 * names and the schedule refers to them through their ARN.
 */
export function nameFromArn(arn: string): string {
  return Fn.select(1, Fn.split('/', arn));
}
