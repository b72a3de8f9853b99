import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

// The markers aws-cdk-lib's `Errors.isConstructError()` and `Errors.isValidationError()` look for (global symbols, so
// they work across copies of aws-cdk-lib). aws-cdk-lib's own ValidationError cannot be built from outside: its
// constructor is internal and has changed between releases.
const CONSTRUCT_ERROR = Symbol.for('@aws-cdk/core.SynthesisError');
const VALIDATION_ERROR = Symbol.for('@aws-cdk/core.ValidationError');

/**
 * Bad input found at synth time: one line, `<prop> must be <allowed>, got <value> (in <construct path>)` when the
 * construct whose prop is bad is known (so with two pipelines in one app the message says which), the bare message
 * otherwise (CLI context keys, value classes such as pipeline steps). `constructPath` holds the path, `problem` the
 * message without it; aws-cdk-lib's `Errors.isValidationError(error)` is true, as for aws-cdk-lib's own
 * `ValidationError`.
 */
export class InputError extends Error {
  /** Path of the construct whose input is bad, when known. */
  public readonly constructPath?: string;
  /** The message without the construct path. */
  public readonly problem: string;

  constructor(scope: IConstruct | undefined, message: string) {
    const path = scope?.node.path || undefined;
    super(path ? `${message} (in ${path})` : message);
    Object.setPrototypeOf(this, InputError.prototype);
    this.name = 'ValidationError';
    this.constructPath = path;
    this.problem = message;
    Object.defineProperty(this, CONSTRUCT_ERROR, { value: true });
    Object.defineProperty(this, VALIDATION_ERROR, { value: true });
  }
}

/**
 * Renders a value the way error messages quote it: strings in quotes, everything else as JSON.
 */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

/**
 * Stops synth with one line that names the input, what is allowed, the bad value and the construct (`scope`, the
 * construct whose prop is bad; `undefined` where there is none, e.g. a CLI context key):
 * `spotMaxWait (seconds) must be a whole number >= 3600, got 1800 (in Mlops/churn-Training/Training)`.
 */
export function invalid(scope: IConstruct | undefined, name: string, allowed: string, value: unknown): never {
  throw new InputError(scope, `${name} must be ${allowed}, got ${renderValue(value)}`);
}

/** True when the value is a CDK token that only resolves at deploy time: such values are not validated. */
export function isUnresolved(value: unknown): boolean {
  return value !== undefined && value !== null && Token.isUnresolved(value);
}

/** Checks that a number lies in [min, max] (skipped for tokens). */
export function checkRange(scope: IConstruct | undefined, name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    invalid(scope, name, `between ${min} and ${max}`, value);
  }
}

/** Checks that a number is a whole number in [min, max] (skipped for tokens). */
export function checkInteger(scope: IConstruct | undefined, name: string, value: number | undefined, min: number, max: number = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `a whole number >= ${min}` : `a whole number from ${min} to ${max}`;
    invalid(scope, name, range, value);
  }
}

/** Checks a SageMaker ML instance type such as `ml.m5.large` (skipped for tokens). */
export function checkInstanceType(scope: IConstruct | undefined, name: string, value: string | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!/^ml\.[a-z0-9]+[a-z0-9-]*\.[a-z0-9]+$/.test(value)) {
    invalid(scope, name, "a SageMaker instance type starting with 'ml.' (e.g. 'ml.m5.large')", value);
  }
}

/** "Bring your own or we make it": both given is an error. */
export function checkExclusive(scope: IConstruct | undefined, names: [string, string], values: [unknown, unknown]): void {
  if (values[0] !== undefined && values[1] !== undefined) {
    throw new InputError(scope, `${names[0]} and ${names[1]} cannot both be given: pass one or the other`);
  }
}

/** AWS account id: exactly 12 digits. */
export function checkAccountId(scope: IConstruct | undefined, name: string, value: string): void {
  if (isUnresolved(value)) return;
  if (!/^\d{12}$/.test(value)) invalid(scope, name, 'a 12-digit AWS account id', value);
}

/** AWS region such as `eu-west-1`, `us-gov-west-1` or `cn-north-1`. */
export function checkRegion(scope: IConstruct | undefined, name: string, value: string): void {
  if (isUnresolved(value)) return;
  if (!/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(value)) invalid(scope, name, "an AWS region such as 'eu-west-1'", value);
}

/**
 * Checks that a duration is a whole number of `unit`s (`minutes` or `days`) from `min` to `max` (skipped for tokens):
 * `buildTimeout must be a whole number of minutes from 5 to 480, got '2 minutes'` (the value in that unit).
 */
export function checkWholeDuration(
  scope: IConstruct | undefined, name: string, value: Duration | undefined, unit: 'minutes' | 'days', min: number, max?: number,
): void {
  if (value === undefined || value.isUnresolved()) return;
  const amount = unit === 'minutes' ? value.toMinutes({ integral: false }) : value.toDays({ integral: false });
  if (!Number.isInteger(amount) || amount < min || (max !== undefined && amount > max)) {
    const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
    invalid(scope, name, `a whole number of ${unit} ${range}`, `${amount} ${unit}`);
  }
}

/** Checks an e-mail address for an SNS subscription (skipped for tokens). */
export function checkEmail(scope: IConstruct | undefined, name: string, value: string | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) invalid(scope, name, 'an e-mail address like \'ml-oncall@example.com\'', value);
}
