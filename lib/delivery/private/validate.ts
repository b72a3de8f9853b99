import { IConstruct } from 'constructs';
import { invalid, isUnresolved } from '../../private/validate';

/** CDK bootstrap qualifier: what `cdk bootstrap --qualifier` accepts (lowercase letters and digits, 1-10). */
export function checkQualifier(scope: IConstruct | undefined, name: string, value: string): void {
  if (isUnresolved(value)) return;
  if (!/^[a-z0-9]{1,10}$/.test(value)) invalid(scope, name, '1-10 lowercase letters or digits (a CDK bootstrap qualifier)', value);
}

/** The S3 key of the zipped source. */
export function checkObjectKey(scope: IConstruct | undefined, name: string, value: string): void {
  if (isUnresolved(value)) return;
  if (!/^[A-Za-z0-9!_.*'()\/-]+\.zip$/.test(value) || value.startsWith('/')) {
    invalid(scope, name, "the key of a .zip object, without a leading '/' (e.g. 'source/app.zip')", value);
  }
}

/**
 * A `cdk deploy` stack selector: what the CDK CLI matches against each stack's construct path (its hierarchical id):
 * `Mlops/Data` under the App, `Prod/Mlops/Data` in a Stage, or a pattern with `*`.
 */
export function checkStackSelector(scope: IConstruct | undefined, name: string, value: string): void {
  if (isUnresolved(value)) invalid(scope, name, 'a literal stack name or pattern known at synth time', value);
  if (!/^[A-Za-z0-9*][A-Za-z0-9*\/_-]*$/.test(value)) {
    invalid(scope, name, "a stack path or pattern (letters, digits, '-', '_', '/', '*')", value);
  }
}

/** Context given to `cdk deploy -c key=value`: plain keys, and values known at synth time (quoted for the shell). */
export function checkContext(scope: IConstruct | undefined, name: string, context: { [key: string]: string }): void {
  for (const [key, value] of Object.entries(context)) {
    if (!/^[A-Za-z][A-Za-z0-9_.:-]*$/.test(key)) invalid(scope, `${name} key`, "letters, digits, '_', '.', ':', '-', starting with a letter", key);
    if (isUnresolved(value) || typeof value !== 'string' || value === '' || /[\r\n]/.test(value)) {
      invalid(scope, `${name}.${key}`, 'a non-empty single-line literal known at synth time', value);
    }
  }
}

/** A CodePipeline stage name built from a user-given name. */
export function checkStageName(scope: IConstruct | undefined, name: string, value: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(value)) {
    invalid(scope, name, "1-64 letters, digits, '_' or '-', starting with a letter or digit", value);
  }
}
