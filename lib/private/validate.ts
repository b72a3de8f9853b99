import { Token } from 'aws-cdk-lib';

/**
 * Renders a value the way error messages quote it: strings in quotes, everything else as JSON.
 */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

/**
 * Stops synth with one line that names the input, what is allowed and the bad value:
 * `minAccuracy must be between 0 and 1, got 1.5`.
 */
export function invalid(name: string, allowed: string, value: unknown): never {
  throw new Error(`${name} must be ${allowed}, got ${renderValue(value)}`);
}

/** True when the value is a CDK token that only resolves at deploy time: such values are not validated. */
export function isUnresolved(value: unknown): boolean {
  return value !== undefined && value !== null && Token.isUnresolved(value);
}

/** Checks that a number lies in [min, max] (skipped for tokens). */
export function checkRange(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    invalid(name, `between ${min} and ${max}`, value);
  }
}

/** Checks that a number is a whole number in [min, max] (skipped for tokens). */
export function checkInteger(name: string, value: number | undefined, min: number, max: number = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `a whole number >= ${min}` : `a whole number from ${min} to ${max}`;
    invalid(name, range, value);
  }
}

/** Checks a SageMaker ML instance type such as `ml.m5.large` (skipped for tokens). */
export function checkInstanceType(name: string, value: string | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!/^ml\.[a-z0-9]+[a-z0-9-]*\.[a-z0-9]+$/.test(value)) {
    invalid(name, "a SageMaker instance type starting with 'ml.' (e.g. 'ml.m5.large')", value);
  }
}

/** "Bring your own or we make it": both given is an error. */
export function checkExclusive(names: [string, string], values: [unknown, unknown]): void {
  if (values[0] !== undefined && values[1] !== undefined) {
    throw new Error(`${names[0]} and ${names[1]} cannot both be given: pass one or the other`);
  }
}

/** AWS account id: exactly 12 digits. */
export function checkAccountId(name: string, value: string): void {
  if (isUnresolved(value)) return;
  if (!/^\d{12}$/.test(value)) invalid(name, 'a 12-digit AWS account id', value);
}

/** AWS region such as `eu-west-1`, `us-gov-west-1` or `cn-north-1`. */
export function checkRegion(name: string, value: string): void {
  if (isUnresolved(value)) return;
  if (!/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(value)) invalid(name, "an AWS region such as 'eu-west-1'", value);
}

/** Checks an e-mail address for an SNS subscription (skipped for tokens). */
export function checkEmail(name: string, value: string | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) invalid(name, 'an e-mail address like \'ml-oncall@example.com\'', value);
}
