import { Environment } from 'aws-cdk-lib';
import { Node } from 'constructs';
import type { MlopsPlatformProps } from './mlops-platform';
import { MaturityLevel, parseMaturityLevel } from './maturity-level';
import { DeploymentStageTarget } from '../delivery/deployment-stage-target';
import { checkModelPackageArn } from '../registry/model-package-arn';
import { checkInstanceType, invalid } from '../private/validate';

/** The value of `-c modelPackageArn` that asks for a synth-time lookup of the newest approved package. */
export const LATEST_APPROVED = 'latest-approved';

/**
 * The platform settings read from CDK context (`-c key=value`), validated.
 * Every key is documented in the README's "Context keys" table.
 */
export interface PlatformContext {
  /** `level`: the maturity level (default 2). */
  readonly level: MaturityLevel;
  /** `modelName`: the model the per-model stacks serve (default `recommendation`). */
  readonly modelName: string;
  /** `platformName`: id of the platform, prefix of its stack names (default `Mlops`). */
  readonly platformName: string;
  /** `minAccuracy`: accuracy the pipeline requires before it registers a model (0-1, default 0.7). */
  readonly minAccuracy?: number;
  /** `trainingInstanceType`: instance type of the training jobs (`ml.*`, default `ml.m5.large`). */
  readonly trainingInstanceType?: string;
  /** `spotTraining`: managed spot training (default true). */
  readonly spotTraining?: boolean;
  /** `modelPackageArn`: the model package the serving stack deploys, or `latest-approved` (looked up at synth). */
  readonly modelPackageArn?: string;
  /** `endpointInstanceType`: endpoint instance type (`ml.*`, default `ml.m5.large`). */
  readonly endpointInstanceType?: string;
  /** `endpointInstanceCount`: initial endpoint instance count (>= 1, default 1). */
  readonly endpointInstanceCount?: number;
  /** `sourceConnectionArn`: CodeConnections connection for the ML code repository (default: an S3 source bucket). */
  readonly sourceConnectionArn?: string;
  /** `sourceRepository`: `owner/name` of the ML code repository (with `sourceConnectionArn`). */
  readonly sourceRepository?: string;
  /** `sourceBranch`: branch that triggers CI/CD (default `main`). */
  readonly sourceBranch?: string;
  /** `stageAccounts`: deployment stages in other accounts, in order. */
  readonly stageAccounts?: DeploymentStageTarget[];
  /** `deployAccount`: account of the platform's stacks (set by the deploy-on-approval pipeline for stage accounts). */
  readonly deployAccount?: string;
  /** `deployRegion`: region of the platform's stacks (with `deployAccount`). */
  readonly deployRegion?: string;
  /** `driftThreshold`: feature drift distance that raises the drift alarms (> 0, default 0.2). */
  readonly driftThreshold?: number;
  /** `latencyP99Ms`: p99 model latency alarm threshold in milliseconds (> 0, default 500). */
  readonly latencyP99Ms?: number;
  /** `alarmEmail`: e-mail address subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  /** `retrainCooldownHours`: minimum hours between two retraining runs (0-8760, default 24). */
  readonly retrainCooldownHours?: number;
  /** `retrainSchedule`: EventBridge schedule for periodic retraining: `rate(...)` or `cron(...)`. */
  readonly retrainSchedule?: string;
  /** `dataCapturePercent`: share of endpoint traffic captured for monitoring (0-100, default 100). */
  readonly dataCapturePercent?: number;
  /** `promotionMetric`: metric champion/challenger compares (`accuracy`, `precision` or `recall`; default accuracy). */
  readonly promotionMetric?: string;
  /** `promotionMargin`: how much better a challenger must be (0-1, default 0.01). */
  readonly promotionMargin?: number;
  /** `canaryPercent`: share of capacity the canary gets before the full shift (1-50, default 10). */
  readonly canaryPercent?: number;
  /** `canaryWaitMinutes`: minutes the canary bakes before the rest shifts (0-60, default 10). */
  readonly canaryWaitMinutes?: number;
  /** `minCapacity`: autoscaling minimum instances per variant (>= 1, default 1). */
  readonly minCapacity?: number;
  /** `maxCapacity`: autoscaling maximum instances per variant (>= minCapacity, default 4). */
  readonly maxCapacity?: number;
  /** `shadowPercent`: share of traffic copied to a shadow challenger (0-100; 0 = no shadow variant). */
  readonly shadowPercent?: number;
  /** `shadowModelPackageArn`: the challenger served as a shadow variant (with `shadowPercent`). */
  readonly shadowModelPackageArn?: string;
}

/** Context keys the platform app reads, with their defaults where the app sets one. */
export const CONTEXT_DEFAULTS = {
  level: 2,
  modelName: 'recommendation',
  platformName: 'Mlops',
};

/** The metrics the example's evaluation reports, which champion/challenger can compare. */
export const PROMOTION_METRICS = ['accuracy', 'precision', 'recall'];

function number(key: string, raw: unknown, allowed: string, ok: (n: number) => boolean): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n) || !ok(n)) invalid(key, allowed, raw);
  return n;
}

function text(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const s = String(raw).trim();
  return s === '' ? undefined : s;
}

function bool(key: string, raw: unknown): boolean | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  return invalid(key, "'true' or 'false'", raw);
}

const isWhole = (n: number) => Number.isInteger(n);

/** Checks an EventBridge schedule expression: `rate(<n> <unit>)` or a six-field `cron(...)`. */
export function checkScheduleExpression(key: string, value: string | undefined): void {
  if (value === undefined) return;
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(value);
  const ok = rate
    ? Number(rate[1]) >= 1 && (Number(rate[1]) === 1) === !rate[2].endsWith('s')
    : /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/.test(value);
  if (!ok) invalid(key, "a schedule expression 'rate(<n> <minutes|hours|days>)' (singular unit for 1) or 'cron(<6 fields>)'", value);
}

function stageAccounts(raw: unknown): DeploymentStageTarget[] | undefined {
  const value = text(raw);
  if (value === undefined) return undefined;
  const allowed = "a comma-separated list of '<stage>:<12-digit account>:<region>' (e.g. 'staging:111111111111:eu-west-1,prod:222222222222:eu-west-1')";
  const stages = value.split(',').map((entry) => {
    const m = /^([A-Za-z][A-Za-z0-9-]{0,31}):(\d{12}):([a-z]{2}(?:-[a-z]+)+-\d)$/.exec(entry.trim());
    if (!m) invalid('stageAccounts', allowed, raw);
    return { name: m[1], account: m[2], region: m[3] };
  });
  const names = stages.map((s) => s.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) invalid('stageAccounts', 'a list of stages with unique names', raw);
  return stages;
}

/**
 * Reads and validates the platform's context keys. A bad value stops synth with one line naming the key, the value
 * and what is allowed: `level must be one of 0, 1, 2, 3, 4, got '7'`.
 */
export function readPlatformContext(node: Node): PlatformContext {
  const get = (key: string): unknown => node.tryGetContext(key);
  const level = parseMaturityLevel(get('level') ?? CONTEXT_DEFAULTS.level, 'level');
  const modelName = String(get('modelName') ?? CONTEXT_DEFAULTS.modelName);
  const platformName = String(get('platformName') ?? CONTEXT_DEFAULTS.platformName);
  if (!/^[A-Za-z][A-Za-z0-9-]{0,39}$/.test(platformName)) {
    invalid('platformName', '1-40 letters, digits or hyphens, starting with a letter', platformName);
  }

  const trainingInstanceType = text(get('trainingInstanceType'));
  checkInstanceType('trainingInstanceType', trainingInstanceType);
  const endpointInstanceType = text(get('endpointInstanceType'));
  checkInstanceType('endpointInstanceType', endpointInstanceType);

  const modelPackageArn = text(get('modelPackageArn'));
  if (modelPackageArn !== undefined && modelPackageArn !== LATEST_APPROVED) {
    checkModelPackageArn('modelPackageArn', modelPackageArn);
  }
  if (modelPackageArn !== undefined && level < MaturityLevel.PRODUCTIONIZATION) {
    throw new Error(`modelPackageArn needs level 2 or more, got level ${level}`);
  }
  const shadowModelPackageArn = text(get('shadowModelPackageArn'));
  checkModelPackageArn('shadowModelPackageArn', shadowModelPackageArn);

  const sourceConnectionArn = text(get('sourceConnectionArn'));
  if (sourceConnectionArn !== undefined && !/^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[A-Za-z0-9-]+$/.test(sourceConnectionArn)) {
    invalid('sourceConnectionArn', "a CodeConnections ARN 'arn:<partition>:codeconnections:<region>:<account>:connection/<id>'", sourceConnectionArn);
  }
  const sourceRepository = text(get('sourceRepository'));
  if (sourceRepository !== undefined && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(sourceRepository)) {
    invalid('sourceRepository', "'<owner>/<name>'", sourceRepository);
  }
  if ((sourceConnectionArn === undefined) !== (sourceRepository === undefined)) {
    throw new Error('sourceConnectionArn and sourceRepository must be given together (or neither, for an S3 source)');
  }

  const alarmEmail = text(get('alarmEmail'));
  if (alarmEmail !== undefined && !/^[^@\s,]+@[^@\s,]+\.[A-Za-z]{2,}$/.test(alarmEmail)) {
    invalid('alarmEmail', "an e-mail address like 'ml-oncall@example.com'", alarmEmail);
  }
  const retrainSchedule = text(get('retrainSchedule'));
  checkScheduleExpression('retrainSchedule', retrainSchedule);

  const promotionMetric = text(get('promotionMetric'));
  if (promotionMetric !== undefined && !PROMOTION_METRICS.includes(promotionMetric)) {
    invalid('promotionMetric', `one of ${PROMOTION_METRICS.join(', ')}`, promotionMetric);
  }

  const minCapacity = number('minCapacity', get('minCapacity'), 'a whole number >= 1', (n) => isWhole(n) && n >= 1);
  const maxCapacity = number('maxCapacity', get('maxCapacity'), 'a whole number >= 1', (n) => isWhole(n) && n >= 1);
  if ((minCapacity ?? 1) > (maxCapacity ?? Math.max(4, minCapacity ?? 1))) {
    invalid('maxCapacity', `at least minCapacity (${minCapacity ?? 1})`, get('maxCapacity'));
  }
  const shadowPercent = number('shadowPercent', get('shadowPercent'), 'a whole number from 0 to 100', (n) => isWhole(n) && n >= 0 && n <= 100);
  if (shadowPercent !== undefined && shadowPercent > 0 && shadowModelPackageArn === undefined) {
    throw new Error(`shadowPercent ${shadowPercent} needs shadowModelPackageArn: the challenger model package to shadow`);
  }

  const deployAccount = text(get('deployAccount'));
  if (deployAccount !== undefined && !/^\d{12}$/.test(deployAccount)) invalid('deployAccount', 'a 12-digit account id', deployAccount);
  const deployRegion = text(get('deployRegion'));
  if (deployRegion !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(deployRegion)) invalid('deployRegion', "a region like 'eu-west-1'", deployRegion);

  return {
    level,
    deployAccount,
    deployRegion,
    modelName,
    platformName,
    minAccuracy: number('minAccuracy', get('minAccuracy'), 'between 0 and 1', (n) => n >= 0 && n <= 1),
    trainingInstanceType,
    spotTraining: bool('spotTraining', get('spotTraining')),
    modelPackageArn,
    endpointInstanceType,
    endpointInstanceCount: number('endpointInstanceCount', get('endpointInstanceCount'), 'a whole number >= 1', (n) => isWhole(n) && n >= 1),
    sourceConnectionArn,
    sourceRepository,
    sourceBranch: text(get('sourceBranch')),
    stageAccounts: stageAccounts(get('stageAccounts')),
    driftThreshold: number('driftThreshold', get('driftThreshold'), 'a number > 0', (n) => n > 0),
    latencyP99Ms: number('latencyP99Ms', get('latencyP99Ms'), 'a number > 0', (n) => n > 0),
    alarmEmail,
    retrainCooldownHours: number('retrainCooldownHours', get('retrainCooldownHours'), 'between 0 and 8760', (n) => n >= 0 && n <= 8760),
    retrainSchedule,
    dataCapturePercent: number('dataCapturePercent', get('dataCapturePercent'), 'a whole number from 0 to 100', (n) => isWhole(n) && n >= 0 && n <= 100),
    promotionMetric,
    promotionMargin: number('promotionMargin', get('promotionMargin'), 'between 0 and 1', (n) => n >= 0 && n <= 1),
    canaryPercent: number('canaryPercent', get('canaryPercent'), 'a whole number from 1 to 50', (n) => isWhole(n) && n >= 1 && n <= 50),
    canaryWaitMinutes: number('canaryWaitMinutes', get('canaryWaitMinutes'), 'a whole number from 0 to 60', (n) => isWhole(n) && n >= 0 && n <= 60),
    minCapacity,
    maxCapacity,
    shadowPercent,
    shadowModelPackageArn,
  };
}

/**
 * The platform's props for validated context: what `bin/mlops-platform.ts` (and the tests) build the platform from.
 * `modelPackageArn=latest-approved` is left out here: the app looks it up and calls `MlopsPlatform.deployModel`.
 */
export function platformPropsFromContext(ctx: PlatformContext, env?: Environment): MlopsPlatformProps {
  return {
    level: ctx.level,
    modelName: ctx.modelName,
    env: ctx.deployAccount || ctx.deployRegion ? { account: ctx.deployAccount ?? env?.account, region: ctx.deployRegion ?? env?.region } : env,
    minAccuracy: ctx.minAccuracy,
    trainingInstanceType: ctx.trainingInstanceType,
    spotTraining: ctx.spotTraining,
    modelPackageArn: ctx.modelPackageArn === LATEST_APPROVED ? undefined : ctx.modelPackageArn,
    endpointInstanceType: ctx.endpointInstanceType,
    endpointInstanceCount: ctx.endpointInstanceCount,
    codeRepository: ctx.sourceConnectionArn && ctx.sourceRepository
      ? { connectionArn: ctx.sourceConnectionArn, repository: ctx.sourceRepository, branch: ctx.sourceBranch }
      : undefined,
    stageAccounts: ctx.stageAccounts,
    driftThreshold: ctx.driftThreshold,
    latencyP99Ms: ctx.latencyP99Ms,
    alarmEmail: ctx.alarmEmail,
    retrainCooldownHours: ctx.retrainCooldownHours,
    retrainSchedule: ctx.retrainSchedule,
    dataCapturePercent: ctx.dataCapturePercent,
    promotionMetric: ctx.promotionMetric,
    promotionMargin: ctx.promotionMargin,
    canaryPercent: ctx.canaryPercent,
    canaryWaitMinutes: ctx.canaryWaitMinutes,
    minCapacity: ctx.minCapacity,
    maxCapacity: ctx.maxCapacity,
    shadowPercent: ctx.shadowPercent,
    shadowModelPackageArn: ctx.shadowModelPackageArn,
  };
}
