import { Environment } from 'aws-cdk-lib';
import { Node } from 'constructs';
import { parseMaturityLevel } from '../core/maturity-level';
import type { MlopsPlatformProps } from './mlops-platform';
import { DeploymentStageTarget } from '../delivery/deployment-stage-target';
import { checkBranch, checkConnectionArn, checkRepository } from '../private/source-repository';
import { BOOLEAN_SETTINGS, checkPlatformProps, NUMBER_SETTINGS, STRING_SETTINGS } from '../private/platform-settings';
import { checkAccountId, checkRegion, invalid } from '../private/validate';

/** The value of `-c modelPackageArn` that asks for a synth-time lookup of the newest approved package. */
export const LATEST_APPROVED = 'latest-approved';

/** Context keys the platform app reads, with their defaults where the app sets one. */
export const CONTEXT_DEFAULTS = {
  level: 2,
  modelName: 'recommendation',
  platformName: 'Mlops',
};

/**
 * The platform as CDK context (`-c key=value`) describes it, validated. Every key is documented in the README's
 * "Context keys" table; keys named like an `MlopsPlatformProps` prop set that prop.
 */
export interface PlatformContext {
  /** `platformName`: id of the platform, prefix of its stack names (default `Mlops`). */
  readonly platformName: string;
  /**
   * The platform's props: `level` (default 2), `modelName` and every setting key; `sourceConnectionArn`,
   * `sourceRepository` and `sourceBranch` become `codeRepository`; `stageAccounts` the list of stages;
   * `deployAccount`/`deployRegion` the environment.
   */
  readonly props: MlopsPlatformProps;
  /** `modelPackageArn=latest-approved`: the app looks the newest approved package up and calls `deployModel`. */
  readonly lookupLatestApproved: boolean;
}

function text(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const s = String(raw).trim();
  return s === '' ? undefined : s;
}

function number(key: string, raw: unknown): number | undefined {
  const value = typeof raw === 'number' ? raw : text(raw);
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) invalid(undefined, key, 'a number', raw);
  return n;
}

function bool(key: string, raw: unknown): boolean | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  return invalid(undefined, key, "'true' or 'false'", raw);
}

function stageAccounts(raw: unknown): DeploymentStageTarget[] | undefined {
  const value = text(raw);
  if (value === undefined) return undefined;
  const allowed = "a comma-separated list of '<stage>:<12-digit account>:<region>' (e.g. 'staging:111111111111:eu-west-1,prod:222222222222:eu-west-1')";
  const stages = value.split(',').map((entry) => {
    const m = /^([A-Za-z][A-Za-z0-9-]{0,31}):(\d{12}):([a-z]{2}(?:-[a-z]+)+-\d)$/.exec(entry.trim());
    if (!m) invalid(undefined, 'stageAccounts', allowed, raw);
    return { name: m[1], account: m[2], region: m[3] };
  });
  const names = stages.map((s) => s.name);
  if (names.some((n, i) => names.indexOf(n) !== i)) invalid(undefined, 'stageAccounts', 'a list of stages with unique names', raw);
  return stages;
}

/**
 * Reads and validates the platform's context keys; `env` is the CLI's account and region unless `deployAccount`/
 * `deployRegion` say otherwise. A bad value stops synth with one line naming the key, the value and what is allowed:
 * `level must be one of 0, 1, 2, 3, 4, got '7'`.
 */
export function readPlatformContext(node: Node, env?: Environment): PlatformContext {
  const get = (key: string): unknown => node.tryGetContext(key);
  const level = parseMaturityLevel(get('level') ?? CONTEXT_DEFAULTS.level, 'level');
  const platformName = String(get('platformName') ?? CONTEXT_DEFAULTS.platformName);
  if (!/^[A-Za-z][A-Za-z0-9-]{0,39}$/.test(platformName)) {
    invalid(undefined, 'platformName', '1-40 letters, digits or hyphens, starting with a letter', platformName);
  }

  const settings: { [key: string]: unknown } = { level, modelName: CONTEXT_DEFAULTS.modelName };
  for (const key of NUMBER_SETTINGS) settings[key] = number(key, get(key));
  for (const key of BOOLEAN_SETTINGS) settings[key] = bool(key, get(key));
  for (const key of STRING_SETTINGS) settings[key] = text(get(key)) ?? settings[key];

  const modelPackageArn = text(get('modelPackageArn'));
  const lookupLatestApproved = modelPackageArn === LATEST_APPROVED;
  if (modelPackageArn !== undefined && level < 2) {
    throw new Error(`modelPackageArn needs level 2 or more, got level ${level}`);
  }

  const connectionArn = text(get('sourceConnectionArn'));
  const repository = text(get('sourceRepository'));
  const branch = text(get('sourceBranch'));
  if (connectionArn !== undefined) checkConnectionArn(undefined, 'sourceConnectionArn', connectionArn);
  if (repository !== undefined) checkRepository(undefined, 'sourceRepository', repository);
  if (branch !== undefined) checkBranch(undefined, 'sourceBranch', branch);
  if ((connectionArn === undefined) !== (repository === undefined)) {
    throw new Error('sourceConnectionArn and sourceRepository must be given together (or neither, for an S3 source)');
  }

  const deployAccount = text(get('deployAccount'));
  const deployRegion = text(get('deployRegion'));
  if (deployAccount !== undefined) checkAccountId(undefined, 'deployAccount', deployAccount);
  if (deployRegion !== undefined) checkRegion(undefined, 'deployRegion', deployRegion);

  const props = {
    ...settings,
    env: deployAccount || deployRegion ? { account: deployAccount ?? env?.account, region: deployRegion ?? env?.region } : env,
    modelPackageArn: lookupLatestApproved ? undefined : modelPackageArn,
    codeRepository: connectionArn && repository ? { connectionArn, repository, branch } : undefined,
    stageAccounts: stageAccounts(get('stageAccounts')),
  } as MlopsPlatformProps;
  checkPlatformProps(undefined, props);
  return { platformName, props, lookupLatestApproved };
}
