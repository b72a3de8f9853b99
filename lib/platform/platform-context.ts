import { Environment } from 'aws-cdk-lib';
import { Node } from 'constructs';
import { parseMaturityLevel } from '../core/maturity-level';
import { PlatformFeatures } from '../core/platform-features';
import type { MlopsPlatform, MlopsPlatformProps } from './mlops-platform';
import { stageAccountsFromContext } from './private/stage-accounts-context';
import { checkModelPackageArn } from '../registry/model-package-arn';
import { checkSettings } from '../settings/check-settings';
import { invalid } from '../private/validate';
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
  /** `modelName`: the name of the example model the app serves when there is no config file (default `recommendation`). */
  readonly modelName: string;
  /**
   * The platform's props: `level` (default 2) and every setting key; `sourceConnectionArn`, `sourceRepository` and
   * `sourceBranch` become `codeRepository`; `stageAccounts` the list of stages; `deployAccount`/`deployRegion` the
   * environment.
   */
  readonly props: MlopsPlatformProps;
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
  const modelName = key('modelName') ?? String(settingSpec('modelName').default);

  const modelPackageArn = contextText(get('modelPackageArn'));
  if (modelPackageArn !== undefined && !PlatformFeatures.forLevel(level).serving) {
    throw new Error(`modelPackageArn needs level 2 or more, got level ${level}`);
  }
  if (modelPackageArn !== LATEST_APPROVED) checkModelPackageArn(undefined, 'modelPackageArn', modelPackageArn);

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
    codeRepository: connectionArn && repository ? { connectionArn, repository, branch } : undefined,
    stageAccounts: stageAccountsFromContext(get('stageAccounts')),
  };
  checkSettings(undefined, props);
  return { platformName, modelName, props };
}

/**
 * Deploys each model's package given as context (`-c modelPackageArn.<model>=<arn>`, or `-c modelPackageArn=<arn>` on a
 * one-model platform: the keys the delivery pipelines pass) and returns the names of the
 * models whose context asks for `latest-approved`: the app looks those up (`lookupLatestApprovedModelPackage`) and
 * calls `deployModel` itself. A context key naming no model of the platform stops synth with one line.
 */
export function deployModelsFromContext(platform: MlopsPlatform): string[] {
  const lookups: string[] = [];
  const names = platform.models.map((m) => m.name);
  const context = platform.node.getAllContext();
  for (const key of Object.keys(context)) {
    const m = /^modelPackageArn\.(.*)$/.exec(key);
    if (m && !names.includes(m[1])) invalid(undefined, key, `a key of one of the platform's models (${names.map((n) => `modelPackageArn.${n}`).join(', ')})`, key);
  }
  const oneModelArn = contextText(platform.node.tryGetContext('modelPackageArn'));
  if (oneModelArn !== undefined && names.length > 1) {
    invalid(undefined, 'modelPackageArn', `unset with ${names.length} models: give each model's package as ${names.map((n) => `modelPackageArn.${n}`).join(', ')}`, oneModelArn);
  }
  for (const name of names) {
    // The per-model key always works; the plain key is the one-model platform's (what its pipelines pass).
    const value = contextText(platform.node.tryGetContext(`modelPackageArn.${name}`)) ?? (names.length === 1 ? oneModelArn : undefined);
    if (value === undefined) continue;
    if (value === LATEST_APPROVED) lookups.push(name);
    else platform.deployModel(value, name);
  }
  return lookups;
}
