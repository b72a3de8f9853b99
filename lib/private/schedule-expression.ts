import * as events from 'aws-cdk-lib/aws-events';
import { IConstruct } from 'constructs';
import { invalid, isUnresolved } from './validate';

const ALLOWED = "an EventBridge schedule expression 'rate(<n> minute|minutes|hour|hours|day|days)' "
  + "or 'cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)'";

/**
 * Checks an EventBridge schedule expression given as a string and turns it into an `events.Schedule`.
 * Rates need a whole number >= 1 with the singular unit for 1 and the plural otherwise; cron needs six fields, one
 * of day-of-month and day-of-week being `?`. Tokens are passed through unchecked.
 */
export function scheduleFromExpression(scope: IConstruct | undefined, name: string, expression: string): events.Schedule {
  if (isUnresolved(expression)) return events.Schedule.expression(expression);
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const singular = !rate[2].endsWith('s');
    if (value < 1 || (value === 1) !== singular) invalid(scope, name, ALLOWED, expression);
    return events.Schedule.expression(expression);
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6 || (fields[2] !== '?' && fields[4] !== '?')) invalid(scope, name, ALLOWED, expression);
    return events.Schedule.expression(expression);
  }
  return invalid(scope, name, ALLOWED, expression);
}
