import { Environment } from 'aws-cdk-lib';
import { Node } from 'constructs';
import { parseMaturityLevel } from '../core/maturity-level';
import { PlatformFeatures } from '../core/platform-features';
import type { MlopsPlatformProps } from './mlops-platform';
import { stageAccountsFromContext } from './private/stage-accounts-context';
import { checkModelPackageArn } from '../registry/model-package-arn';
import { checkSettings } from '../settings/check-settings';
import { contextText, settingsFromContext } from '../settings/settings-context';
import { settingSpec } from '../settings/settings-table';

/** The value of `-c modelPackageArn` that asks for a synth-time lookup of the newest approved package. */
export const LATEST_APPROVED = 'latest-approved';

/**
 * The platform as CDK context (`-c key=value`) describes it, validated. Every key is a row of the settings table and
 * of the README's "Context keys" table, which is generated from it.
 */
export interface PlatformContext {
  /** `platformName`: id of the platform, prefix of its stack names (default `Mlops`). */
  readonly platformName: string;
  /**
   * The platform's props: `level` (default 2) and every setting key; `sourceConnectionArn`, `sourceRepository` and
   * `sourceBranch` become `codeRepository`; `stageAccounts` the list of stages; `deployAccount`/`deployRegion` the
   * environment.
   */
  readonly props: MlopsPlatformProps;
  /** `modelPackageArn=latest-approved`: the app looks the newest approved package up and calls `deployModel`. */
  readonly lookupLatestApproved: boolean;
}

/**
 * Reads and validates the platform's context keys; `env` is the CLI's account and region unless `deployAccount`/
 * `deployRegion` say otherwise. A bad value stops synth with one line naming the key, the value and what is allowed:
 * `level must be one of 0, 1, 2, 3, 4, got '7'`.
 */
export function readPlatformContext(node: Node, env?: Environment): PlatformContext {
  const get = (key: string): unknown => node.tryGetContext(key);
  /** A context-only key's text, checked by its row of the settings table. */
  const key = (name: string): string | undefined => {
    const value = contextText(get(name));
    if (value !== undefined) settingSpec(name).check?.(undefined, name, value);
    return value;
  };
  const level = parseMaturityLevel(get('level') ?? settingSpec('level').default, 'level');
  const platformName = key('platformName') ?? String(settingSpec('platformName').default);

  const modelPackageArn = contextText(get('modelPackageArn'));
  const lookupLatestApproved = modelPackageArn === LATEST_APPROVED;
  if (modelPackageArn !== undefined && !PlatformFeatures.forLevel(level).serving) {
    throw new Error(`modelPackageArn needs level 2 or more, got level ${level}`);
  }
  if (!lookupLatestApproved) checkModelPackageArn(undefined, 'modelPackageArn', modelPackageArn);

  const connectionArn = key('sourceConnectionArn');
  const repository = key('sourceRepository');
  const branch = key('sourceBranch');
  if ((connectionArn === undefined) !== (repository === undefined)) {
    throw new Error('sourceConnectionArn and sourceRepository must be given together (or neither, for an S3 source)');
  }
  const deployAccount = key('deployAccount');
  const deployRegion = key('deployRegion');

  const props: MlopsPlatformProps = {
    ...settingsFromContext(get),
    level,
    env: deployAccount || deployRegion ? { account: deployAccount ?? env?.account, region: deployRegion ?? env?.region } : env,
    modelPackageArn: lookupLatestApproved ? undefined : modelPackageArn,
    codeRepository: connectionArn && repository ? { connectionArn, repository, branch } : undefined,
    stageAccounts: stageAccountsFromContext(get('stageAccounts')),
  };
  checkSettings(undefined, props);
  return { platformName, props, lookupLatestApproved };
}
