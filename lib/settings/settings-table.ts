import { MaturityLevel } from '../core/maturity-level';
import { ProblemType } from '../core/problem-type';
import { modelQualityMetricNames } from '../core/quality-metric';
import { checkModelPackageArn } from '../registry/model-package-arn';
import { checkBranch, checkConnectionArn, checkRepository } from '../private/source-repository';
import { scheduleFromExpression } from '../private/schedule-expression';
import { checkAccountId, checkRegion, checkEmail, checkInstanceType, checkInteger, checkRange, invalid, isUnresolved } from '../private/validate';
import { SettingSpec } from './setting';

const { AD_HOC, PRODUCTIONIZATION, MONITORING_AND_GOVERNANCE, AUTONOMOUS } = MaturityLevel;

/** What a model's name may be: it is part of stack names, construct ids and artifact key prefixes. */
export function checkModelName(scope: Parameters<NonNullable<SettingSpec['check']>>[0], name: string, value: string): void {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(value) || value.endsWith('-')) {
    invalid(scope, name, '1-32 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen', value);
  }
}

/** Every model-quality metric name, of every problem type. */
const ALL_METRICS = [...new Set([ProblemType.BINARY_CLASSIFICATION, ProblemType.MULTICLASS_CLASSIFICATION, ProblemType.REGRESSION].flatMap(modelQualityMetricNames))];

/** A SageMaker ML instance type, as `checkInstanceType` reads it. */
const INSTANCE_TYPE = '^ml\\.[a-z0-9]+[a-z0-9-]*\\.[a-z0-9]+$';

const MODEL_PACKAGE_ARN = 'a model package ARN `arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>`';

function positive(scope: Parameters<NonNullable<SettingSpec['check']>>[0], name: string, value: number): void {
  if (!isUnresolved(value) && !(value > 0)) invalid(scope, name, 'a number > 0', value);
}

/**
 * Every setting of the platform and every CLI context key, in the README's order. Add a setting here, run
 * `npm run generate:settings`, and the props, the validation, the context reader, the delivery pipelines' context
 * and the README follow.
 */
export const SETTINGS: readonly SettingSpec[] = [
  {
    name: 'level', level: AD_HOC, scope: 'context', kind: 'integer', default: 2, allowed: '`0`-`4`',
    doc: 'the maturity level to deploy',
  },
  {
    name: 'platformName', level: AD_HOC, scope: 'context', kind: 'string', default: 'Mlops',
    allowed: 'letters, digits, `-`; starts with a letter; max 40',
    doc: 'id of the platform construct and prefix of its stack names (two platforms in one account use two names)',
    check: (scope, name, value: string) => {
      if (!/^[A-Za-z][A-Za-z0-9-]{0,39}$/.test(value)) invalid(scope, name, '1-40 letters, digits or hyphens, starting with a letter', value);
    },
  },
  {
    name: 'config', level: AD_HOC, scope: 'context', kind: 'string', default: 'mlops.config.json',
    allowed: "a JSON file's path, relative to the app's directory",
    doc: "the platform's config file: its level, settings and models (schema: `schema/mlops-config.schema.json`); without the file, the app serves the example recommendation model. Context keys override the file's settings",
  },
  {
    name: 'modelName', level: PRODUCTIONIZATION, scope: 'context', kind: 'string', default: 'recommendation',
    allowed: 'lowercase letters, digits, `-`; starts with a letter, does not end with `-`; max 32',
    doc: 'name of the example model the app serves when there is no config file',
    check: (scope, name, value: string) => checkModelName(scope, name, value),
  },
  {
    name: 'trainingInstanceType', level: PRODUCTIONIZATION, scope: 'model', kind: 'string', default: 'ml.m5.large', allowed: '`ml.*`',
    jsonSchema: { pattern: INSTANCE_TYPE },
    doc: 'training instance type (`TrainingInstanceType` parameter)',
    check: (scope, name, value: string) => checkInstanceType(scope, name, value),
  },
  {
    name: 'spotTraining', level: PRODUCTIONIZATION, scope: 'model', kind: 'boolean', default: true, allowed: '`true`, `false`',
    doc: 'managed spot training with checkpoints',
  },
  {
    name: 'modelPackageArn', level: PRODUCTIONIZATION, scope: 'context', kind: 'string', defaultText: 'none',
    allowed: `${MODEL_PACKAGE_ARN} or \`latest-approved\``,
    doc: "the model package a model's serving stack deploys: `-c modelPackageArn.<model>=...` per model, or `-c modelPackageArn=...` when the platform has one model; without it a model has no serving stack until a package is approved (deploy-on-approval then deploys it)",
  },
  {
    name: 'endpointInstanceType', level: PRODUCTIONIZATION, scope: 'model', kind: 'string', default: 'ml.m5.large', allowed: '`ml.*`',
    jsonSchema: { pattern: INSTANCE_TYPE },
    doc: 'endpoint instance type',
    check: (scope, name, value: string) => checkInstanceType(scope, name, value),
  },
  {
    name: 'endpointInstanceCount', level: PRODUCTIONIZATION, scope: 'model', kind: 'integer', default: 1, allowed: 'whole number >= 1',
    jsonSchema: { minimum: 1 },
    doc: 'initial instances per production variant',
    check: (scope, name, value: number) => checkInteger(scope, name, value, 1),
  },
  {
    name: 'serverless', level: PRODUCTIONIZATION, scope: 'model', kind: 'boolean', default: false, allowed: '`true`, `false`; level 2 only',
    doc: 'serve with serverless inference (no instances, no cost while idle); level 3 and up refuse it: serverless endpoints have no data capture, which the monitors need',
  },
  {
    name: 'sourceConnectionArn', level: PRODUCTIONIZATION, scope: 'context', kind: 'string', defaultText: 'none (S3 source)',
    allowed: 'a CodeConnections connection ARN',
    doc: "the ML code repository's connection (GitHub, GitLab, Bitbucket); with `sourceRepository` (the prop: `codeRepository`)",
    check: (scope, name, value: string) => checkConnectionArn(scope, name, value),
  },
  {
    name: 'sourceRepository', level: PRODUCTIONIZATION, scope: 'context', kind: 'string', defaultText: 'none', allowed: '`owner/name`',
    doc: 'the ML code repository',
    check: (scope, name, value: string) => checkRepository(scope, name, value),
  },
  {
    name: 'sourceBranch', level: PRODUCTIONIZATION, scope: 'context', kind: 'string', default: 'main', allowed: 'branch name',
    doc: 'the branch whose pushes start CI/CD',
    check: (scope, name, value: string) => checkBranch(scope, name, value),
  },
  {
    name: 'mlCodePipeline', level: PRODUCTIONIZATION, scope: 'platform', kind: 'boolean', default: true, allowed: '`true`, `false`',
    doc: 'create the ML code pipeline, which on every push tests the code, deploys the training stack and starts a run; `false` when your own pipeline (CDK Pipelines) deploys the training stack',
  },
  {
    name: 'stageAccounts', level: PRODUCTIONIZATION, scope: 'context', kind: 'string', defaultText: 'none',
    allowed: '`stage:account:region,...` e.g. `staging:111111111111:eu-west-1,prod:222222222222:eu-west-1`',
    doc: 'deploy-on-approval to other accounts, in order, with a manual approval between stages',
  },
  {
    name: 'deployAccount', level: PRODUCTIONIZATION, scope: 'context', kind: 'string', defaultText: "the CLI's", allowed: '12 digits',
    doc: 'the account the stacks go to; set by the deploy-on-approval pipeline for stage accounts',
    check: (scope, name, value: string) => checkAccountId(scope, name, value),
  },
  {
    name: 'deployRegion', level: PRODUCTIONIZATION, scope: 'context', kind: 'string', defaultText: "the CLI's", allowed: 'a region',
    doc: 'the region the stacks go to; set by the deploy-on-approval pipeline for stage accounts',
    check: (scope, name, value: string) => checkRegion(scope, name, value),
  },
  {
    name: 'driftThreshold', level: MONITORING_AND_GOVERNANCE, scope: 'model', kind: 'number', default: 0.2, allowed: '> 0',
    jsonSchema: { exclusiveMinimum: 0 },
    doc: 'feature drift distance that raises the drift alarms',
    check: positive,
  },
  {
    name: 'latencyP99Ms', level: MONITORING_AND_GOVERNANCE, scope: 'model', kind: 'number', default: 500, allowed: '> 0',
    jsonSchema: { exclusiveMinimum: 0 },
    doc: 'p99 model latency alarm threshold (ms)',
    check: positive,
  },
  {
    name: 'alarmEmail', level: MONITORING_AND_GOVERNANCE, scope: 'platform', kind: 'string', defaultText: 'none', allowed: 'an e-mail address',
    doc: 'subscribed to the alarm topic',
    check: (scope, name, value: string) => checkEmail(scope, name, value),
  },
  {
    name: 'retrainCooldownHours', level: MONITORING_AND_GOVERNANCE, scope: 'model', kind: 'number', default: 24,
    jsonSchema: { minimum: 0, maximum: 24 * 365 },
    allowed: '0 to 8760 (one year); `0` turns the cool-down off',
    doc: 'minimum time between two retraining runs (pipeline steps reuse cached results for at most the smaller of 12 hours and this)',
    check: (scope, name, value: number) => checkRange(scope, name, value, 0, 24 * 365),
  },
  {
    name: 'retrainSchedule', level: MONITORING_AND_GOVERNANCE, scope: 'model', kind: 'string', defaultText: 'none (on alarms only)',
    allowed: '`rate(<n> <minutes\\|hours\\|days>)` (singular unit for 1) or `cron(<6 fields>)`',
    doc: 'periodic retraining besides the alarms',
    check: (scope, name, value: string) => { scheduleFromExpression(scope, name, value); },
  },
  {
    name: 'dataCapturePercent', level: MONITORING_AND_GOVERNANCE, scope: 'model', kind: 'integer', default: 100, allowed: 'whole number 0-100',
    jsonSchema: { minimum: 0, maximum: 100 },
    doc: 'share of endpoint requests and responses captured',
    check: (scope, name, value: number) => checkInteger(scope, name, value, 0, 100),
  },
  {
    name: 'monitorSchedule', level: MONITORING_AND_GOVERNANCE, scope: 'model', kind: 'string', default: 'hourly', allowed: '`hourly`, `daily`',
    jsonSchema: { enum: ['hourly', 'daily'] },
    doc: 'how often the data-quality and model-quality monitors run',
    check: (scope, name, value: string) => {
      if (!['hourly', 'daily'].includes(value)) invalid(scope, name, "'hourly' or 'daily'", value);
    },
  },
  {
    name: 'promotionMetric', level: AUTONOMOUS, scope: 'model', kind: 'string', defaultText: "the model's metric",
    jsonSchema: { enum: ALL_METRICS },
    allowed: "a metric of the model's problem type that its evaluation reports (`accuracy`, `auc`, `rmse`, ...)",
    doc: "metric champion/challenger compares, in that metric's direction",
    check: (scope, name, value: string) => {
      if (!ALL_METRICS.includes(value)) invalid(scope, name, `one of ${ALL_METRICS.join(', ')}`, value);
    },
  },
  {
    name: 'promotionMargin', level: AUTONOMOUS, scope: 'model', kind: 'number', default: 0.01, allowed: '0 to 1',
    jsonSchema: { minimum: 0, maximum: 1 },
    doc: 'how much better a challenger must be',
    check: (scope, name, value: number) => checkRange(scope, name, value, 0, 1),
  },
  {
    name: 'canaryPercent', level: AUTONOMOUS, scope: 'model', kind: 'integer', default: 10, allowed: "whole number 1-50 (SageMaker's canary limit)",
    jsonSchema: { minimum: 1, maximum: 50 },
    doc: 'share of capacity the canary gets',
    check: (scope, name, value: number) => checkInteger(scope, name, value, 1, 50),
  },
  {
    name: 'canaryWaitMinutes', level: AUTONOMOUS, scope: 'model', kind: 'integer', default: 10, allowed: 'whole number 0-60',
    jsonSchema: { minimum: 0, maximum: 60 },
    doc: 'bake time before the rest of the traffic shifts',
    check: (scope, name, value: number) => checkInteger(scope, name, value, 0, 60),
  },
  {
    name: 'minCapacity', level: AUTONOMOUS, scope: 'model', kind: 'integer', default: 1, allowed: 'whole number >= 1',
    jsonSchema: { minimum: 1 },
    doc: 'autoscaling minimum per variant',
    check: (scope, name, value: number) => checkInteger(scope, name, value, 1),
  },
  {
    name: 'maxCapacity', level: AUTONOMOUS, scope: 'model', kind: 'integer', default: 4, defaultText: '`4` (or `minCapacity` if larger)',
    jsonSchema: { minimum: 1 },
    allowed: 'whole number >= `minCapacity`',
    computedDefault: (resolved) => Math.max(4, Number(resolved.minCapacity)),
    doc: 'autoscaling maximum per variant',
    check: (scope, name, value: number) => checkInteger(scope, name, value, 1),
  },
  {
    name: 'shadowPercent', level: AUTONOMOUS, scope: 'model', kind: 'integer', default: 0, allowed: 'whole number 0-100',
    jsonSchema: { minimum: 0, maximum: 100 },
    doc: 'traffic copied to a shadow challenger (needs `shadowModelPackageArn`)',
    check: (scope, name, value: number) => checkInteger(scope, name, value, 0, 100),
  },
  {
    name: 'shadowModelPackageArn', level: AUTONOMOUS, scope: 'model', kind: 'string', defaultText: 'none', allowed: MODEL_PACKAGE_ARN,
    doc: 'the challenger served as shadow variant',
    check: (scope, name, value: string) => checkModelPackageArn(scope, name, value),
  },
];

/** The table's row of a setting. */
export function settingSpec(name: string): SettingSpec {
  const spec = SETTINGS.find((s) => s.name === name);
  if (!spec) throw new Error(`no setting '${name}' in the settings table`);
  return spec;
}
