import { invalid } from '../private/validate';
import { PlatformSettings } from './platform-settings.generated';
import { SettingSpec, SettingValue } from './setting';
import { SETTINGS } from './settings-table';

/** A context value as text, or undefined when absent or blank. */
export function contextText(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const s = String(raw).trim();
  return s === '' ? undefined : s;
}

/** Parses one context value by its setting's kind; a bad value throws one line naming the key. */
export function parseContextValue(spec: SettingSpec, raw: unknown): SettingValue | undefined {
  if (spec.kind === 'boolean') {
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (raw === true || raw === 'true') return true;
    if (raw === false || raw === 'false') return false;
    return invalid(undefined, spec.name, "'true' or 'false'", raw);
  }
  if (spec.kind === 'string') return contextText(raw);
  const value = typeof raw === 'number' ? raw : contextText(raw);
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) invalid(undefined, spec.name, 'a number', raw);
  return n;
}

/** The settings given as CLI context (`-c key=value`), parsed by the table; unset keys stay undefined. */
export function settingsFromContext(get: (key: string) => unknown): PlatformSettings {
  const settings: { [name: string]: SettingValue | undefined } = {};
  for (const spec of SETTINGS) {
    if (spec.scope !== 'context') settings[spec.name] = parseContextValue(spec, get(spec.name));
  }
  return settings;
}

/**
 * The settings as CLI context, for the delivery pipelines' `cdk deploy -c key=value`: every given setting, so a
 * redeploy builds the same platform. Reading it back with {@link settingsFromContext} gives the same settings.
 */
export function settingsToContext(settings: PlatformSettings): { [key: string]: string } {
  const context: { [key: string]: string } = {};
  for (const spec of SETTINGS) {
    if (spec.scope === 'context') continue;
    const value = settings[spec.name as keyof PlatformSettings];
    if (value !== undefined) context[spec.name] = String(value);
  }
  return context;
}
