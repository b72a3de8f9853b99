#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildPlatformApp } from './platform-app';
import { reduceSynthGarbageCollection } from './synth-gc';
import { addPlatformChecks, lookupLatestApprovedModelPackage } from '../lib';

/**
 * The deployable app: the platform of `mlops.config.json` (or `-c config=<path>`), with context keys overriding the
 * file; without the file, the platform at the level given as context serving the maturity model example's
 * recommendation model. `npx cdk synth -c level=3 -c modelPackageArn=<arn>`. Every context key is listed in the README.
 */
async function main(): Promise<void> {
  reduceSynthGarbageCollection();
  const app = new App();
  const { platform, lookups } = buildPlatformApp(app);
  for (const name of lookups) {
    const groupName = platform.trainingStacks[name].registry.modelPackageGroupName;
    platform.deployModel(await lookupLatestApprovedModelPackage(groupName, { region: platform.dataStack.region }), name);
  }
  for (const notice of platform.servingNotices) console.error(notice);
  addPlatformChecks(app);
  app.synth();
}

main().catch((err: Error) => {
  // One clear line for bad input instead of a stack trace.
  console.error(`Error: ${err.message}`);
  process.exit(1);
});
