import { IConstruct } from 'constructs';
import { invalid } from '../../private/validate';

/** Stops synth when a list of the people roles' resources (`pipelines`, `registries`) is empty: roles need one of each. */
export function checkNonEmpty(scope: IConstruct | undefined, name: string, what: string, values: readonly unknown[]): void {
  if (values.length === 0) invalid(scope, name, `a non-empty list of ${what} (one per model)`, values);
}
