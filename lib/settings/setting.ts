import { IConstruct } from 'constructs';
import { MaturityLevel } from '../core/maturity-level';

/** How a setting's value is typed: the TypeScript type of its prop and how its context value is parsed. */
export type SettingKind = 'number' | 'integer' | 'boolean' | 'string';

/** A value a setting can hold. */
export type SettingValue = number | boolean | string;

/**
 * One row of the settings table: everything about one platform setting, written once. The props validation, the
 * CLI context reader, the context the delivery pipelines pass, the generated `PlatformSettings`/`ModelSettings`
 * interfaces and the README's context-key table are all derived from these rows.
 */
export interface SettingSpec {
  /** Prop name = context key. */
  readonly name: string;
  /** The level from which the setting takes effect (below it, it is ignored). */
  readonly level: MaturityLevel;
  /**
   * `model`: a per-model setting (a model may override the platform's value); `platform`: one value for the
   * platform; `context`: a CLI context key that is not a plain prop (the app maps it, e.g. to `codeRepository`).
   */
  readonly scope: 'platform' | 'model' | 'context';
  /** The value's type. */
  readonly kind: SettingKind;
  /** The default, when there is a fixed one. */
  readonly default?: SettingValue;
  /**
   * A default computed from the other settings once their defaults are applied (e.g. `maxCapacity`: at least
   * `minCapacity`); `default` is then the value it starts from.
   */
  readonly computedDefault?: (resolved: { readonly [name: string]: SettingValue | undefined }) => SettingValue;
  /** The default in words, when `default` alone does not say it (a computed default, or none). */
  readonly defaultText?: string;
  /** What is allowed, in words (the README's "allowed" column). */
  readonly allowed: string;
  /** What the setting does (the README's last column and the prop's TSDoc summary). */
  readonly doc: string;
  /**
   * Validates a given value (never undefined), naming the setting: `check(scope, 'canaryPercent', 80)` throws
   * `canaryPercent must be a whole number from 1 to 50, got 80`. Tokens are skipped by the validators.
   */
  readonly check?: (scope: IConstruct | undefined, name: string, value: any) => void;
  /**
   * What the config file's JSON schema says of a value beyond its type (`minimum`, `maximum`, `exclusiveMinimum`,
   * `enum`, `pattern`): the same rule as `check`, for editors; a test holds the two together at the bounds.
   */
  readonly jsonSchema?: { readonly [keyword: string]: unknown };
}
