import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { invalid, isUnresolved } from '../../private/validate';

/**
 * Normalizes a key prefix to `a/b/` (no leading slash, one trailing slash; empty stays empty) and checks it.
 */
export function normalizePrefix(scope: IConstruct | undefined, name: string, prefix: string | undefined, fallback: string): string {
  const value = prefix ?? fallback;
  if (isUnresolved(value)) return value;
  if (value.includes('//') || value.includes('*') || /\s/.test(value)) {
    invalid(scope, name, 'an S3 key prefix without \'//\', \'*\' or spaces (e.g. \'monitoring/\')', value);
  }
  const trimmed = value.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** `s3://<bucket>/<prefix>` for a bucket and a normalized prefix (the bucket name may be a token). */
export function s3UriOf(bucket: s3.IBucket, prefix: string): string {
  return `s3://${bucket.bucketName}/${prefix}`;
}

/** Key pattern for every object under a prefix (`prefix*`, or `*` for the whole bucket). */
export function objectsUnder(prefix: string): string {
  return `${prefix}*`;
}
