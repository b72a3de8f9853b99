import { PlatformSettings } from './platform-settings.generated';
import { ResolvedSettings } from './resolved-settings.generated';
import { SettingValue } from './setting';
import { SETTINGS } from './settings-table';

/**
 * The settings with the table's defaults applied: every default is written once, in the settings table, and read
 * through here. Settings without a default (`alarmEmail`, `retrainSchedule`, `shadowModelPackageArn`) stay undefined
 * when not given.
 */
export function resolveSettings(settings: PlatformSettings = {}): ResolvedSettings {
  const resolved: { [name: string]: SettingValue | undefined } = {};
  const rows = SETTINGS.filter((s) => s.scope !== 'context');
  for (const spec of rows) resolved[spec.name] = settings[spec.name as keyof PlatformSettings] ?? spec.default;
  for (const spec of rows) {
    if (spec.computedDefault && settings[spec.name as keyof PlatformSettings] === undefined) resolved[spec.name] = spec.computedDefault(resolved);
  }
  return resolved as ResolvedSettings;
}
