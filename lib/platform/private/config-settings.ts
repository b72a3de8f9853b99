import { PlatformSettings } from '../../settings/platform-settings.generated';
import { SettingSpec, SettingValue } from '../../settings/setting';
import { invalid } from '../../private/validate';

/** What a JSON value of each setting kind must be (JSON types: `true`, not `"true"`). */
const JSON_KINDS: { [kind: string]: [string, (value: unknown) => boolean] } = {
  number: ['a number', (v) => typeof v === 'number' && Number.isFinite(v)],
  integer: ['a whole number', (v) => typeof v === 'number' && Number.isInteger(v)],
  boolean: ['true or false (a JSON boolean, not a string)', (v) => typeof v === 'boolean'],
  string: ['a string', (v) => typeof v === 'string'],
};

/**
 * The settings of the table's rows `specs` that the config object `obj` gives, each of its JSON type (one line
 * naming `<prefix><key>` otherwise); the rows' own checks run afterwards, through `checkSettings`.
 */
export function settingsFromJson(obj: { [key: string]: unknown }, specs: readonly SettingSpec[], prefix: string): PlatformSettings {
  const settings: { [name: string]: SettingValue } = {};
  for (const spec of specs) {
    const value = obj[spec.name];
    if (value === undefined) continue;
    const [allowed, ok] = JSON_KINDS[spec.kind];
    if (!ok(value)) invalid(undefined, `${prefix}${spec.name}`, allowed, value);
    settings[spec.name] = value as SettingValue;
  }
  return settings;
}
