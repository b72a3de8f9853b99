import { IConstruct } from 'constructs';
import { DeploymentStageTarget } from '../delivery/deployment-stage-target';
import type { MlopsPlatformProps } from '../platform/mlops-platform';
import { checkModelPackageArn } from '../registry/model-package-arn';
import { scheduleFromExpression } from './schedule-expression';
import { checkEmail, checkInstanceType, checkInteger, checkRange, InputError, invalid, isUnresolved } from './validate';

/**
 * The platform settings that are plain values, by type: each is both an `MlopsPlatformProps` prop and a context key
 * of the same name, so the context reader parses them and the delivery pipelines write them back from this one list.
 */
export const NUMBER_SETTINGS = [
  'minAccuracy', 'endpointInstanceCount', 'driftThreshold', 'latencyP99Ms', 'retrainCooldownHours', 'dataCapturePercent',
  'promotionMargin', 'canaryPercent', 'canaryWaitMinutes', 'minCapacity', 'maxCapacity', 'shadowPercent',
] as const;
/** See {@link NUMBER_SETTINGS}. */
export const BOOLEAN_SETTINGS = ['spotTraining', 'mlCodePipeline'] as const;
/** See {@link NUMBER_SETTINGS}. */
export const STRING_SETTINGS = [
  'modelName', 'trainingInstanceType', 'endpointInstanceType', 'alarmEmail', 'retrainSchedule', 'promotionMetric',
  'shadowModelPackageArn',
] as const;

/** The metrics the example's evaluation reports, which champion/challenger can compare. */
export const PROMOTION_METRICS = ['accuracy', 'precision', 'recall'];

/** `staging:111111111111:eu-west-1,prod:...` for a list of stages (what the `stageAccounts` context key takes). */
export function stageAccountsText(stages: DeploymentStageTarget[]): string {
  return stages.map((s) => `${s.name}:${s.account}:${s.region}`).join(',');
}

/**
 * Validates the platform's props, naming each by its prop (= context key) name:
 * `canaryPercent must be a whole number from 1 to 50, got 80`, followed by `(in <path>)` when `scope` is the
 * platform (`undefined` for CLI context). Tokens are skipped.
 */
export function checkPlatformProps(scope: IConstruct | undefined, props: MlopsPlatformProps): void {
  const modelName = props.modelName;
  if (modelName !== undefined && (!/^[a-z][a-z0-9-]{0,31}$/.test(modelName) || modelName.endsWith('-'))) {
    invalid(scope, 'modelName', '1-32 lowercase letters, digits or hyphens, starting with a letter', modelName);
  }
  checkRange(scope, 'minAccuracy', props.minAccuracy, 0, 1);
  checkInstanceType(scope, 'trainingInstanceType', props.trainingInstanceType);
  checkModelPackageArn(scope, 'modelPackageArn', props.modelPackageArn);
  checkInstanceType(scope, 'endpointInstanceType', props.endpointInstanceType);
  checkInteger(scope, 'endpointInstanceCount', props.endpointInstanceCount, 1);
  checkPositive(scope, 'driftThreshold', props.driftThreshold);
  checkPositive(scope, 'latencyP99Ms', props.latencyP99Ms);
  checkEmail(scope, 'alarmEmail', props.alarmEmail);
  checkRange(scope, 'retrainCooldownHours', props.retrainCooldownHours, 0, 24 * 365);
  if (props.retrainSchedule !== undefined) scheduleFromExpression(scope, 'retrainSchedule', props.retrainSchedule);
  checkInteger(scope, 'dataCapturePercent', props.dataCapturePercent, 0, 100);
  if (props.promotionMetric !== undefined && !PROMOTION_METRICS.includes(props.promotionMetric)) {
    invalid(scope, 'promotionMetric', `one of ${PROMOTION_METRICS.join(', ')}`, props.promotionMetric);
  }
  checkRange(scope, 'promotionMargin', props.promotionMargin, 0, 1);
  checkInteger(scope, 'canaryPercent', props.canaryPercent, 1, 50);
  checkInteger(scope, 'canaryWaitMinutes', props.canaryWaitMinutes, 0, 60);
  checkInteger(scope, 'minCapacity', props.minCapacity, 1);
  checkInteger(scope, 'maxCapacity', props.maxCapacity, 1);
  if ((props.minCapacity ?? 1) > (props.maxCapacity ?? Math.max(4, props.minCapacity ?? 1))) {
    invalid(scope, 'maxCapacity', `at least minCapacity (${props.minCapacity ?? 1})`, props.maxCapacity);
  }
  checkInteger(scope, 'shadowPercent', props.shadowPercent, 0, 100);
  checkModelPackageArn(scope, 'shadowModelPackageArn', props.shadowModelPackageArn);
  if ((props.shadowPercent ?? 0) > 0 && !props.shadowModelPackageArn) {
    throw new InputError(scope, `shadowPercent ${props.shadowPercent} needs shadowModelPackageArn: the challenger model package to shadow`);
  }
}

function checkPositive(scope: IConstruct | undefined, name: string, value: number | undefined): void {
  if (value !== undefined && !isUnresolved(value) && !(value > 0)) invalid(scope, name, 'a number > 0', value);
}
