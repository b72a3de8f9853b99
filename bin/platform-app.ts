import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { recommendationModel } from '../examples/recommendation/model';
import { deployModelsFromContext, MlopsPlatform, MlopsPlatformProps, PlatformFeatures, readPlatformConfig, readPlatformContext } from '../lib';
import { contextText } from '../lib/settings/settings-context';
import { settingSpec } from '../lib/settings/settings-table';

/** The platform the app builds, and the models whose package the context asks to look up (`latest-approved`). */
export interface PlatformApp {
  /** The platform. */
  readonly platform: MlopsPlatform;
  /** Names of the models whose newest approved package the app must look up and deploy. */
  readonly lookups: string[];
}

/**
 * Builds the app's platform from its config file and context. The config file is `mlops.config.json` in the app's
 * directory (the working directory of `cdk`), or the path of `-c config=<path>`: its platform name, level, settings
 * and models. Context keys override the file (`-c level=4`, `-c driftThreshold=0.3`). Without the file, the platform
 * serves the example recommendation model from level 2 (named by `-c modelName`). Each model's package comes from
 * context. `bin/mlops-platform.ts` runs it; the tests build the same app through it.
 */
export function buildPlatformApp(app: App): PlatformApp {
  const ctx = readPlatformContext(app.node, { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION });
  const given = (key: string) => contextText(app.node.tryGetContext(key)) !== undefined;
  const defaultFile = String(settingSpec('config').default);
  const configPath = contextText(app.node.tryGetContext('config'));
  if (configPath === undefined && !fs.existsSync(path.resolve(defaultFile))) {
    const models = PlatformFeatures.forLevel(ctx.props.level).trainingPipeline ? [recommendationModel({ name: ctx.modelName })] : [];
    const platform = new MlopsPlatform(app, ctx.platformName, { ...ctx.props, models });
    return { platform, lookups: deployModelsFromContext(platform) };
  }

  const config = readPlatformConfig(configPath ?? defaultFile, { level: given('level') ? ctx.props.level : undefined });
  const level = given('level') ? ctx.props.level : config.props.level ?? ctx.props.level;
  const platformName = given('platformName') ? ctx.platformName : config.platformName ?? ctx.platformName;
  // Context keys override the file: only those given (the context reader leaves the others undefined).
  const fromContext = Object.fromEntries(Object.entries(ctx.props).filter(([key, value]) => value !== undefined && key !== 'level'));
  const props: MlopsPlatformProps = {
    ...config.props,
    ...fromContext,
    level,
    // The delivery pipelines run `cdk deploy` on this app: they must read the same file.
    appContext: configPath !== undefined && configPath !== defaultFile ? { config: configPath } : undefined,
    // They pass the settings given as context only: the file they read gives the others (as pushed).
    deliverySettings: ctx.props,
  };
  const platform = new MlopsPlatform(app, platformName, props);
  return { platform, lookups: deployModelsFromContext(platform) };
}
