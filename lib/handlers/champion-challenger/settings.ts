/**
 * The comparison settings of the champion/challenger handler, read from the environment the construct sets.
 */
export interface Settings {
  /** Model package group whose packages this handler decides on (others are left alone). */
  readonly modelPackageGroupName: string;
  /** Bucket the evaluation reports must live in. */
  readonly reportsBucketName: string;
  /** Key prefix the evaluation reports must live under ('' = anywhere in the bucket). */
  readonly reportsKeyPrefix: string;
  /** Metric that decides promotion, e.g. `accuracy`. */
  readonly promotionMetric: string;
  /** How much the challenger must beat the champion by on the promotion metric (>= 0). */
  readonly promotionMargin: number;
  /** True when a larger metric value is better (accuracy), false when smaller is (rmse). */
  readonly higherIsBetter: boolean;
  /** Metrics on which the challenger may never be worse than the champion (beyond the tolerance). */
  readonly guardMetrics: string[];
  /** How much worse than the champion a guard metric may be (>= 0). */
  readonly guardMetricTolerance: number;
  /** The bar the first model (no champion yet) must clear on the promotion metric: at least (higherIsBetter) or at most. */
  readonly minimumValue: number;
}

/** Environment variable names shared by the construct and the handler. */
export const ENV = {
  modelPackageGroupName: 'MODEL_PACKAGE_GROUP_NAME',
  reportsBucketName: 'REPORTS_BUCKET_NAME',
  reportsKeyPrefix: 'REPORTS_KEY_PREFIX',
  promotionMetric: 'PROMOTION_METRIC',
  promotionMargin: 'PROMOTION_MARGIN',
  higherIsBetter: 'HIGHER_IS_BETTER',
  guardMetrics: 'GUARD_METRICS',
  guardMetricTolerance: 'GUARD_METRIC_TOLERANCE',
  minimumValue: 'MINIMUM_VALUE',
} as const;

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} must be set`);
  return value;
}

function finiteNumber(env: NodeJS.ProcessEnv, name: string, min: number = -Infinity): number {
  const raw = required(env, name);
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    throw new Error(`environment variable ${name} must be a number${min > -Infinity ? ` >= ${min}` : ''}, got '${raw}'`);
  }
  return value;
}

/**
 * Reads and checks the settings. A misconfigured function fails every invocation (to its dead-letter queue)
 * rather than deciding on defaults nobody chose.
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  const higher = required(env, ENV.higherIsBetter);
  if (higher !== 'true' && higher !== 'false') {
    throw new Error(`environment variable ${ENV.higherIsBetter} must be 'true' or 'false', got '${higher}'`);
  }
  return {
    modelPackageGroupName: required(env, ENV.modelPackageGroupName),
    reportsBucketName: required(env, ENV.reportsBucketName),
    reportsKeyPrefix: env[ENV.reportsKeyPrefix] ?? '',
    promotionMetric: required(env, ENV.promotionMetric),
    promotionMargin: finiteNumber(env, ENV.promotionMargin, 0),
    higherIsBetter: higher === 'true',
    guardMetrics: (env[ENV.guardMetrics] ?? '').split(',').map((m) => m.trim()).filter((m) => m !== ''),
    guardMetricTolerance: finiteNumber(env, ENV.guardMetricTolerance, 0),
    minimumValue: finiteNumber(env, ENV.minimumValue),
  };
}
