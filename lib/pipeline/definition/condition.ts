import { invalid } from '../../private/validate';

/**
 * A condition of a `ConditionStep`. Operands are primitives, CDK tokens or pipeline expressions
 * (`param.asNumber()`, `train.finalMetric('auc')`, `evaluate.jsonGet('EvaluationReport', 'metrics.accuracy.value')`).
 *
 * @example
 * Condition.greaterThanOrEqualTo(evaluate.jsonGet('EvaluationReport', 'metrics.accuracy.value'), threshold)
 */
export class Condition {
  /** left == right. */
  public static equals(left: any, right: any): Condition {
    return Condition.compare('Equals', left, right);
  }
  /** left > right. */
  public static greaterThan(left: any, right: any): Condition {
    return Condition.compare('GreaterThan', left, right);
  }
  /** left >= right. */
  public static greaterThanOrEqualTo(left: any, right: any): Condition {
    return Condition.compare('GreaterThanOrEqualTo', left, right);
  }
  /** left < right. */
  public static lessThan(left: any, right: any): Condition {
    return Condition.compare('LessThan', left, right);
  }
  /** left <= right. */
  public static lessThanOrEqualTo(left: any, right: any): Condition {
    return Condition.compare('LessThanOrEqualTo', left, right);
  }
  /** `value` is one of `values` (`Type: In`). */
  public static isIn(value: any, values: any[]): Condition {
    if (values.length === 0) invalid(undefined, 'Condition.isIn values', 'a non-empty list', values);
    return new Condition({ Type: 'In', QueryValue: value, Values: values });
  }
  /** The negation of `condition`. */
  public static not(condition: Condition): Condition {
    return new Condition({ Type: 'Not', Condition: condition.json });
  }
  /** True when any of `conditions` is. */
  public static or(...conditions: Condition[]): Condition {
    if (conditions.length < 2) invalid(undefined, 'Condition.or conditions', 'at least 2 conditions', conditions.length);
    return new Condition({ Type: 'Or', Conditions: conditions.map((c) => c.json) });
  }

  private static compare(type: string, left: any, right: any): Condition {
    return new Condition({ Type: type, LeftValue: left, RightValue: right });
  }

  private constructor(
    /** The condition as written in `Conditions` (operands not yet rendered). */
    public readonly json: { [key: string]: any },
  ) {}
}
