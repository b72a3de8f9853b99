import { HOURS_PER_MONTH } from './prices';

const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/**
 * Runs per month of a SageMaker monitoring schedule's `ScheduleExpression`: `cron(minute hour day-of-month month
 * day-of-week year)` as SageMaker and EventBridge read it (hourly `cron(0 * ? * * *)`, daily `cron(0 0 ? * * *)`,
 * every N hours `cron(0 *\/N ? * * *)`, lists, ranges, days of the week), over a month of 730 hours. Anything else
 * (a one-time `NOW`, `rate(...)`, a month or year field that is not `*`) stops with one line naming the expression.
 */
export function runsPerMonth(expression: string): number {
  const match = /^cron\((.*)\)$/.exec(expression.trim());
  const fields = match ? match[1].trim().split(/\s+/) : [];
  if (fields.length !== 6 || !['*', '?'].includes(fields[3]) || !['*', '?'].includes(fields[5] ?? '*')) {
    throw new Error(`cannot count the runs of schedule '${expression}': expected cron(minute hour day-of-month * day-of-week *)`);
  }
  const [minute, hour, dayOfMonth, , dayOfWeek] = fields;
  const perDay = count(minute, 0, 59, expression) * count(hour, 0, 23, expression);
  let days: number;
  if (isAny(dayOfMonth) && isAny(dayOfWeek)) days = DAYS_PER_MONTH;
  else if (isAny(dayOfMonth)) days = count(dayOfWeek, 1, 7, expression) * DAYS_PER_MONTH / 7;
  else if (isAny(dayOfWeek)) days = count(dayOfMonth, 1, 31, expression) * DAYS_PER_MONTH / 31;
  else throw new Error(`cannot count the runs of schedule '${expression}': give day-of-month or day-of-week, not both`);
  return perDay * days;
}

function isAny(field: string): boolean {
  return field === '*' || field === '?';
}

/** How many values from `min` to `max` a cron field matches: `*`, `a`, `a,b`, `a-b`, `*\/n`, `a/n`, `a-b/n`. */
function count(field: string, min: number, max: number, expression: string): number {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|\?|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`cannot count the runs of schedule '${expression}': unsupported cron field '${field}'`);
    const start = m[2] !== undefined ? Number(m[2]) : min;
    const end = m[3] !== undefined ? Number(m[3]) : (m[2] !== undefined && m[4] === undefined ? start : max);
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (start < min || end > max || start > end || step < 1) {
      throw new Error(`cannot count the runs of schedule '${expression}': field '${field}' is outside ${min}-${max}`);
    }
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return values.size;
}
