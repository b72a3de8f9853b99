import { App } from 'aws-cdk-lib';
import { recommendationModel } from '../examples/recommendation/model';
import { deployModelsFromContext, MlopsPlatform, PlatformFeatures, readPlatformContext } from '../lib';

/** The platform the app builds, and the models whose package the context asks to look up (`latest-approved`). */
export interface PlatformApp {
  /** The platform. */
  readonly platform: MlopsPlatform;
  /** Names of the models whose newest approved package the app must look up and deploy. */
  readonly lookups: string[];
}

/**
 * Builds the app's platform from its context: the level and settings, and from level 2 the example recommendation
 * model (named by `-c modelName`), with each model's package from context. `bin/mlops-platform.ts` runs it; the
 * tests build the same app through it.
 */
export function buildPlatformApp(app: App): PlatformApp {
  const ctx = readPlatformContext(app.node, { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION });
  const models = PlatformFeatures.forLevel(ctx.props.level).trainingPipeline ? [recommendationModel({ name: ctx.modelName })] : [];
  const platform = new MlopsPlatform(app, ctx.platformName, { ...ctx.props, models });
  return { platform, lookups: deployModelsFromContext(platform) };
}
