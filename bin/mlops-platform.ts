#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addPlatformChecks, MlopsPlatform, readPlatformContext } from '../lib';

/**
 * The deployable app: the recommendation engine of the maturity-model example, at the level given as context.
 * `npx cdk synth -c level=3`. Every context key is listed in the README.
 */
function main(): void {
  const app = new App();
  const context = readPlatformContext(app.node);
  new MlopsPlatform(app, context.platformName, {
    level: context.level,
    modelName: context.modelName,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  addPlatformChecks(app);
  app.synth();
}

try {
  main();
} catch (err) {
  // One clear line for bad input instead of a stack trace.
  console.error(`Error: ${(err as Error).message}`);
  process.exit(1);
}
