#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addPlatformChecks, lookupLatestApprovedModelPackage, MlopsPlatform, readPlatformContext } from '../lib';

/**
 * The deployable app: the recommendation engine of the maturity-model example, at the level given as context.
 * `npx cdk synth -c level=3 -c modelPackageArn=<arn>`. Every context key is listed in the README.
 */
async function main(): Promise<void> {
  const app = new App();
  const ctx = readPlatformContext(app.node, { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION });
  const platform = new MlopsPlatform(app, ctx.platformName, ctx.props);
  if (ctx.lookupLatestApproved && platform.trainingStack) {
    const groupName = platform.trainingStack.registry.modelPackageGroupName;
    platform.deployModel(await lookupLatestApprovedModelPackage(groupName, { region: ctx.props.env?.region }));
  }
  if (platform.servingNotice) console.error(platform.servingNotice);
  addPlatformChecks(app);
  app.synth();
}

main().catch((err: Error) => {
  // One clear line for bad input instead of a stack trace.
  console.error(`Error: ${err.message}`);
  process.exit(1);
});
