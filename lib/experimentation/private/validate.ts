import { IConstruct } from 'constructs';
import { InputError, invalid, isUnresolved } from '../../private/validate';

/** Metric names as they appear in evaluation reports; no commas (the handler receives guard metrics comma-separated). */
const METRIC_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Checks a metric name such as `accuracy`, `f1-score` or `roc_auc` (skipped for tokens). */
export function checkMetricName(scope: IConstruct | undefined, name: string, value: string | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'string' || !METRIC_NAME.test(value)) {
    invalid(scope, name, "a metric name of 1 to 64 letters, digits, '_', '-', '.' or ':'", value);
  }
}

/** Checks a list of metric names: each valid, none twice. */
export function checkMetricNames(scope: IConstruct | undefined, name: string, values: string[] | undefined): void {
  if (values === undefined || isUnresolved(values)) return;
  values.forEach((v, i) => checkMetricName(scope, `${name}[${i}]`, v));
  const duplicate = values.find((v, i) => values.indexOf(v) !== i);
  if (duplicate !== undefined) invalid(scope, name, `a list naming each metric once ('${duplicate}' appears twice)`, values);
}

/** Like `invalid`, but shows NaN and Infinity as themselves (JSON would print them as null). */
function invalidNumber(scope: IConstruct | undefined, name: string, allowed: string, value: unknown): never {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new InputError(scope, `${name} must be ${allowed}, got ${value}`);
  return invalid(scope, name, allowed, value);
}

/** Checks that a number is finite and >= 0 (skipped for tokens). */
export function checkNonNegative(scope: IConstruct | undefined, name: string, value: number | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) invalidNumber(scope, name, '>= 0', value);
}

/** Checks that a number is finite (skipped for tokens). */
export function checkFinite(scope: IConstruct | undefined, name: string, value: number | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isFinite(value)) invalidNumber(scope, name, 'a finite number', value);
}

/** Checks an S3 key prefix used in an IAM resource: no wildcards, no leading slash (skipped for tokens). */
export function checkKeyPrefix(scope: IConstruct | undefined, name: string, value: string | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  if (/[*?]/.test(value) || value.startsWith('/') || value.length > 512) {
    invalid(scope, name, "an S3 key prefix without '*', '?' or a leading '/' (e.g. 'evaluation/')", value);
  }
}
