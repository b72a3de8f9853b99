import { IConstruct } from 'constructs';
import { invalid, isUnresolved } from '../../private/validate';

/**
 * Model Monitor's supported schedules: hourly `cron(0 * ? * * *)`, daily at an hour `cron(0 H ? * * *)` and every
 * N hours from a start hour `cron(0 H/N ? * * *)` (UTC). The one-off `NOW` needs an analysis window and is not
 * a recurring schedule, so it is refused.
 */
const SCHEDULE_PATTERN = /^cron\(0 (\*|([01]?[0-9]|2[0-3])(\/([1-9]|1[0-9]|2[0-4]))?) \? \* \* \*\)$/;

/** Checks a Model Monitor schedule expression (skipped for tokens). */
export function checkScheduleExpression(scope: IConstruct | undefined, name: string, value: string | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!SCHEDULE_PATTERN.test(value)) {
    invalid(scope, name, "a Model Monitor cron expression: hourly 'cron(0 * ? * * *)', daily 'cron(0 H ? * * *)' or every N hours 'cron(0 H/N ? * * *)'", value);
  }
}

/** Checks that every threshold of a label -> threshold map is a finite number >= 0 (tokens skipped). */
export function checkThresholdMap(scope: IConstruct | undefined, name: string, map: { [label: string]: number } | undefined, max: number = Number.MAX_VALUE): void {
  for (const [label, value] of Object.entries(map ?? {})) checkThreshold(scope, `${name}.${label}`, value, max);
}

/** Checks a single threshold (finite, >= 0, <= max; tokens skipped). */
export function checkThreshold(scope: IConstruct | undefined, name: string, value: number | undefined, max: number = Number.MAX_VALUE): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    invalid(scope, name, max === Number.MAX_VALUE ? 'a number >= 0' : `between 0 and ${max}`, value);
  }
}

/**
 * Feature and metric labels become part of CloudWatch metric names (`feature_baseline_drift_<feature>`) and
 * construct ids: 1 to 200 characters, no spaces or control characters.
 */
export function checkLabel(scope: IConstruct | undefined, name: string, value: string): void {
  if (isUnresolved(value)) return;
  if (!/^[A-Za-z0-9_.\-]{1,200}$/.test(value)) {
    invalid(scope, name, 'a label of 1 to 200 letters, digits, \'_\', \'.\' or \'-\'', value);
  }
}
