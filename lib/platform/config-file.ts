import * as fs from 'fs';
import * as path from 'path';
import { MaturityLevel, parseMaturityLevel } from '../core/maturity-level';
import { PlatformFeatures } from '../core/platform-features';
import { modelQualityMetricNames } from '../core/quality-metric';
import { PlatformModel } from '../models/platform-model';
import { checkSettings } from '../settings/check-settings';
import { PlatformSettings } from '../settings/platform-settings.generated';
import { settingSpec } from '../settings/settings-table';
import { InputError, invalid } from '../private/validate';
import { FILE_SETTINGS, MODEL_FILE_SETTINGS, problemTypeName, TOP_KEYS } from './private/config-keys';
import { checkKeys, ConfigPlace, modelFromConfig } from './private/config-model';
import { settingsFromJson } from './private/config-settings';
import { jsonErrorLocation } from './private/json-syntax';

/** What a config file gives the platform: its level (when set), its settings and its models. */
export interface PlatformConfigProps extends PlatformSettings {
  /**
   * The level the file sets.
   * @default - none: the context's `level`, or 2
   */
  readonly level?: MaturityLevel;
  /** The models, in the file's order. */
  readonly models: PlatformModel[];
}

/** A config file, read and checked. */
export interface PlatformConfig {
  /** The file as it was named. */
  readonly file: string;
  /**
   * The platform's name the file sets.
   * @default - none: the context's `platformName`, or `Mlops`
   */
  readonly platformName?: string;
  /** The level, settings and models of the file, as props of `MlopsPlatform`. */
  readonly props: PlatformConfigProps;
}

/** Options of {@link readPlatformConfig}. */
export interface ReadPlatformConfigOptions {
  /**
   * The level the platform is built at when it is not the file's own (a `-c level=4` context key): the checks that
   * depend on the level (at least one model from level 2, no serverless model from level 3) use it.
   * @default - the file's level, or 2
   */
  readonly level?: MaturityLevel;
}

/**
 * Reads and checks a platform config file (`mlops.config.json`, schema `schema/mlops-config.schema.json`): its
 * `platformName`, `level`, platform settings (the settings table's keys, as JSON values) and `models`, each with
 * its algorithm (`sklearn-script` with a `scripts` folder relative to the file, `xgboost`, `container`), problem
 * type, dataset, metric and per-model settings. Every mistake throws one line naming the file, the model (by name,
 * or by index), the key, the value and what is allowed:
 * `mlops.config.json: model 'ltv': metric.name must be one of mae, mse, rmse, r2 for problemType 'regression', got 'auc'`.
 *
 * @example
 * const config = readPlatformConfig('mlops.config.json');
 * new MlopsPlatform(app, config.platformName ?? 'Mlops', { level: MaturityLevel.PRODUCTIONIZATION, ...config.props });
 */
export function readPlatformConfig(file: string, options: ReadPlatformConfigOptions = {}): PlatformConfig {
  const absolute = path.resolve(file);
  if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) invalid(undefined, 'config', `an existing JSON file (${absolute} not found)`, file);
  const text = fs.readFileSync(absolute, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(undefined, `${file}: not valid JSON at ${jsonErrorLocation(text)}: ${(e as Error).message.replace(/\s*\n\s*/g, ' ')}`);
  }
  const prefix = `${file}: `;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) invalid(undefined, `${file}`, 'a JSON object { "platformName", "level", "models", ... }', json);
  const obj = json as { [key: string]: unknown };
  checkKeys(prefix, '', obj, TOP_KEYS);

  let platformName: string | undefined;
  if (obj.platformName !== undefined) {
    if (typeof obj.platformName !== 'string') invalid(undefined, `${prefix}platformName`, 'a string', obj.platformName);
    settingSpec('platformName').check!(undefined, `${prefix}platformName`, obj.platformName);
    platformName = obj.platformName;
  }
  let level: MaturityLevel | undefined;
  if (obj.level !== undefined) {
    if (typeof obj.level !== 'number') invalid(undefined, `${prefix}level`, 'one of 0, 1, 2, 3, 4 (a JSON number)', obj.level);
    level = parseMaturityLevel(obj.level, `${prefix}level`);
  }
  const settings = settingsFromJson(obj, FILE_SETTINGS, prefix);
  checkSettings(undefined, settings, prefix);

  if (obj.models !== undefined && !Array.isArray(obj.models)) invalid(undefined, `${prefix}models`, 'a list of models', obj.models);
  const place: ConfigPlace = { file, dir: path.dirname(absolute) };
  const models = ((obj.models ?? []) as unknown[]).map((m, i) => modelFromConfig(m, i, place));
  const names = new Set<string>();
  models.forEach((m, i) => {
    if (names.has(m.name)) invalid(undefined, `${prefix}models[${i}].name`, 'a name no other model of the file has', m.name);
    names.add(m.name);
  });
  checkAtLevel(file, options.level ?? level ?? Number(settingSpec('level').default) as MaturityLevel, settings, models);
  return { file, platformName, props: { ...settings, level, models } };
}

/** The checks that depend on the level the platform is built at. */
function checkAtLevel(file: string, level: MaturityLevel, settings: PlatformSettings, models: PlatformModel[]): void {
  const features = PlatformFeatures.forLevel(level);
  if (features.trainingPipeline && models.length === 0) {
    invalid(undefined, `${file}: models`, `at least one model at level ${level} (level 2 and up train and serve models)`, [] as unknown[]);
  }
  for (const model of models) {
    // The model's own settings over the file's: rules that tie two settings together (minCapacity <= maxCapacity).
    const merged: { [name: string]: unknown } = { ...settings };
    for (const spec of MODEL_FILE_SETTINGS) {
      const value = model[spec.name as keyof PlatformModel];
      if (value !== undefined) merged[spec.name] = value;
    }
    checkSettings(undefined, merged as PlatformSettings, `${file}: model '${model.name}': `);
    const own = model.serverless !== undefined;
    const serverless = model.serverless ?? settings.serverless;
    if (serverless && features.dataCapture) {
      const key = own ? `model '${model.name}': serverless` : `serverless (model '${model.name}' inherits it)`;
      invalid(undefined, `${file}: ${key}`, `false at level ${level} (serverless endpoints have no data capture, which the level-3 monitors need; use it at level 2)`, true);
    }
    const promotionMetric = model.promotionMetric ?? settings.promotionMetric;
    const allowed = modelQualityMetricNames(model.problemType);
    if (promotionMetric !== undefined && !allowed.includes(promotionMetric)) {
      const key = model.promotionMetric !== undefined ? `model '${model.name}': promotionMetric` : `promotionMetric (model '${model.name}' inherits it)`;
      invalid(undefined, `${file}: ${key}`, `one of ${allowed.join(', ')} for problemType '${problemTypeName(model.problemType)}'`, promotionMetric);
    }
  }
}
