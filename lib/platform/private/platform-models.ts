import { IConstruct } from 'constructs';
import { MaturityLevel } from '../../core/maturity-level';
import { PlatformFeatures } from '../../core/platform-features';
import { modelQualityMetricNames } from '../../core/quality-metric';
import { PlatformModel } from '../../models/platform-model';
import { checkModelPackageArn } from '../../registry/model-package-arn';
import { checkSettings } from '../../settings/check-settings';
import { ModelSettings, PlatformSettings } from '../../settings/platform-settings.generated';
import { SETTINGS, checkModelName } from '../../settings/settings-table';
import { InputError, invalid } from '../../private/validate';

/** The names of the per-model settings (the settings table's `model` rows). */
const MODEL_SETTING_NAMES = SETTINGS.filter((s) => s.scope === 'model').map((s) => s.name as keyof ModelSettings);

/**
 * A model's settings: the platform's, overridden by those the model sets itself (undefined ones do not override).
 */
export function modelSettings(platform: PlatformSettings, model: PlatformModel): PlatformSettings {
  const own: { [name: string]: unknown } = {};
  for (const name of MODEL_SETTING_NAMES) {
    if (model[name] !== undefined) own[name] = model[name];
  }
  return { ...platform, ...own };
}

/**
 * Checks the platform's models as a whole (each model's own columns, metric and trainer are checked by its
 * pipeline): at least one from level 2, unique names, per-model settings, serverless only at level 2, a promotion
 * metric of the model's problem type. One line names the model and the key.
 */
export function checkModels(scope: IConstruct, level: MaturityLevel, models: PlatformModel[], platform: PlatformSettings): void {
  const features = PlatformFeatures.forLevel(level);
  if (features.trainingPipeline && models.length === 0) {
    throw new InputError(scope, `models must list at least one model at level ${level} (level 2 and up train and serve models), got none`);
  }
  const names = new Set<string>();
  for (const model of models) {
    checkModelName(scope, 'models[].name', model.name);
    if (names.has(model.name)) invalid(scope, 'models[].name', 'unique model names', model.name);
    names.add(model.name);
    const prefix = `model '${model.name}': `;
    checkSettings(scope, model, prefix);
    const settings = modelSettings(platform, model);
    checkSettings(scope, settings, prefix);
    if (settings.serverless && features.dataCapture) {
      throw new InputError(scope, `${prefix}serverless must be false at level ${level}: serverless endpoints have no data capture, which the level-3 monitors need (use it at level 2)`);
    }
    if (features.championChallenger && settings.promotionMetric !== undefined) {
      const allowed = modelQualityMetricNames(model.problemType);
      if (!allowed.includes(settings.promotionMetric)) {
        invalid(scope, `${prefix}promotionMetric`, `one of ${allowed.join(', ')} for problemType ${model.problemType}`, settings.promotionMetric);
      }
    }
  }
}

/**
 * The model package each model's serving stack deploys, by model name, from `modelPackageArns` and the one-model
 * shorthand `modelPackageArn`; each checked.
 */
export function modelPackageArns(
  scope: IConstruct, models: PlatformModel[], props: { readonly level: MaturityLevel; readonly modelPackageArn?: string; readonly modelPackageArns?: { [model: string]: string } },
): { [modelName: string]: string } {
  const packages: { [modelName: string]: string } = { ...(props.modelPackageArns ?? {}) };
  if ((props.modelPackageArn !== undefined || Object.keys(packages).length > 0) && !PlatformFeatures.forLevel(props.level).serving) {
    throw new InputError(scope, `modelPackageArn needs level 2 or more, got level ${props.level}`);
  }
  if (props.modelPackageArn !== undefined) {
    if (models.length > 1) {
      throw new InputError(scope, `modelPackageArn is for a one-model platform: with ${models.length} models give modelPackageArns (by model name), got modelPackageArn`);
    }
    checkModelPackageArn(scope, 'modelPackageArn', props.modelPackageArn);
    if (models.length === 1) packages[models[0].name] = props.modelPackageArn;
  }
  for (const [name, arn] of Object.entries(packages)) {
    if (!models.some((m) => m.name === name)) invalid(scope, 'modelPackageArns key', `a model name (${models.map((m) => m.name).join(', ')})`, name);
    checkModelPackageArn(scope, `modelPackageArns.${name}`, arn);
  }
  return packages;
}
