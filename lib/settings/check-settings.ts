import { IConstruct } from 'constructs';
import { InputError, invalid, isUnresolved } from '../private/validate';
import { PlatformSettings } from './platform-settings.generated';
import { resolveSettings } from './resolve-settings';
import { SETTINGS } from './settings-table';

const KIND_CHECKS: { [kind: string]: [string, (value: unknown) => boolean] } = {
  number: ['a number', (v) => typeof v === 'number' && Number.isFinite(v)],
  integer: ['a whole number', (v) => typeof v === 'number' && Number.isInteger(v)],
  boolean: ["'true' or 'false'", (v) => typeof v === 'boolean'],
  string: ['a string', (v) => typeof v === 'string'],
};

/**
 * Validates the settings by the table: each given value against its kind and its row's check, then the rules that
 * tie two settings together. One line names the setting (= prop = context key), the value and what is allowed:
 * `canaryPercent must be a whole number from 1 to 50, got 80`, followed by `(in <path>)` when `scope` is a construct
 * (`undefined` for CLI context). Tokens are skipped. `namePrefix` goes before each name (`model 'churn': `).
 */
export function checkSettings(scope: IConstruct | undefined, settings: PlatformSettings, namePrefix: string = ''): void {
  for (const spec of SETTINGS) {
    if (spec.scope === 'context') continue;
    const value = settings[spec.name as keyof PlatformSettings];
    if (value === undefined || isUnresolved(value)) continue;
    const [allowed, ok] = KIND_CHECKS[spec.kind];
    if (!ok(value)) invalid(scope, namePrefix + spec.name, allowed, value);
    spec.check?.(scope, namePrefix + spec.name, value);
  }
  const resolved = resolveSettings(settings);
  if (!isUnresolved(resolved.maxCapacity) && resolved.minCapacity > resolved.maxCapacity) {
    invalid(scope, `${namePrefix}maxCapacity`, `at least minCapacity (${resolved.minCapacity})`, settings.maxCapacity);
  }
  if (resolved.shadowPercent > 0 && !resolved.shadowModelPackageArn) {
    throw new InputError(scope, `${namePrefix}shadowPercent ${resolved.shadowPercent} needs shadowModelPackageArn: the challenger model package to shadow`);
  }
}
