import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { invalid } from '../private/validate';

/** CloudWatch namespace of Model Monitor's data-quality metrics for real-time endpoints. */
export const DATA_METRICS_NAMESPACE = 'aws/sagemaker/Endpoints/data-metrics';
/** CloudWatch namespace of Model Monitor's model-quality metrics for real-time endpoints. */
export const MODEL_METRICS_NAMESPACE = 'aws/sagemaker/Endpoints/model-metrics';
/** CloudWatch namespace of SageMaker endpoint invocation metrics. */
export const ENDPOINT_NAMESPACE = 'AWS/SageMaker';

/**
 * The metric factory of Model Monitor's published metrics (data quality and model quality of one endpoint and one
 * monitoring schedule): `ModelMonitor.metricFeatureDrift()`/`metricModelQuality()`, `EndpointAlarms` and
 * `MlopsDashboard` all take their metrics from here. Metric factories, alarms and widgets are separate pieces.
 * The endpoint's own metrics come from {@link EndpointMetrics}, the pipeline's from `PipelineMetrics`.
 *
 * Defaults: a period of 1 hour (each monitoring run publishes one data point, and schedules run at most hourly);
 * drift as `Maximum`, model quality as `Average`. Override through `cloudwatch.MetricOptions`.
 *
 * @example
 * const drift = MonitorMetrics.featureDrift('churn-endpoint', scheduleName, 'tenure');
 */
export class MonitorMetrics {
  /**
   * Baseline drift distance of one feature, published by each data-quality run:
   * `aws/sagemaker/Endpoints/data-metrics` `feature_baseline_drift_<feature>`, dimensions `Endpoint`,
   * `MonitoringSchedule`; maximum over the period (one data point per run).
   */
  public static featureDrift(endpointName: string, scheduleName: string, feature: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: DATA_METRICS_NAMESPACE,
      metricName: `feature_baseline_drift_${feature}`,
      dimensionsMap: { Endpoint: endpointName, MonitoringSchedule: scheduleName },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.hours(1),
      ...options,
    });
  }

  /**
   * A model-quality metric of one model-quality run (`accuracy`, `f1`, `auc`, `precision`, `recall`, `mse`, ...):
   * `aws/sagemaker/Endpoints/model-metrics`, dimensions `Endpoint`, `MonitoringSchedule`; average over the period.
   */
  public static modelQuality(endpointName: string, scheduleName: string, metricName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: MODEL_METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { Endpoint: endpointName, MonitoringSchedule: scheduleName },
      statistic: cloudwatch.Stats.AVERAGE,
      period: Duration.hours(1),
      ...options,
    });
  }

  private constructor() {}
}

/**
 * The metric factory of a SageMaker real-time endpoint (`AWS/SageMaker`, dimensions `EndpointName`, `VariantName`):
 * every endpoint metric of the library is made here, so `ModelEndpoint.metricXxx()`, `EndpointAlarms` and
 * `MlopsDashboard` give the same metric for the same question.
 *
 * Defaults are CloudWatch's and aws-cdk-lib's: a period of 5 minutes; counts (`Invocations`, errors,
 * `InvocationsPerInstance`) as `Sum`; latencies (`ModelLatency`, `OverheadLatency`, in microseconds) as `Average`.
 * Every default can be overridden through `cloudwatch.MetricOptions` (e.g. `{ statistic: 'p99' }`); the latency
 * alarm of `EndpointAlarms` asks for `p99`. Endpoint-wide figures add up the variants with metric math.
 *
 * @example
 * const metrics = new EndpointMetrics('churn-endpoint', ['AllTraffic']);
 * metrics.modelLatency('AllTraffic', { statistic: 'p99' });
 * metrics.errorRate('5XX');
 */
export class EndpointMetrics {
  /** The endpoint. */
  public readonly endpointName: string;
  /** Its production variants (the ones endpoint-wide figures add up). */
  public readonly variantNames: string[];

  constructor(endpointName: string, variantNames: string[] = ['AllTraffic']) {
    if (variantNames.length === 0) invalid(undefined, 'variantNames', 'a non-empty list of production variant names', variantNames);
    this.endpointName = endpointName;
    this.variantNames = [...variantNames];
  }

  /**
   * Any `AWS/SageMaker` metric of one variant of this endpoint (CloudWatch's default statistic, `Average`, over
   * 5 minutes unless `options` say otherwise).
   */
  public metric(metricName: string, variantName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: ENDPOINT_NAMESPACE,
      metricName,
      dimensionsMap: { EndpointName: this.endpointName, VariantName: variantName },
      period: Duration.minutes(5),
      ...options,
    });
  }

  /** `Invocations` of one variant: requests sent to it (`Sum`). */
  public invocations(variantName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('Invocations', variantName, { statistic: cloudwatch.Stats.SUM, ...options });
  }

  /** `InvocationsPerInstance` of one variant (`Sum`): what target-tracking autoscaling follows. */
  public invocationsPerInstance(variantName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('InvocationsPerInstance', variantName, { statistic: cloudwatch.Stats.SUM, ...options });
  }

  /** Invocations of the whole endpoint: every variant added up. */
  public totalInvocations(options: cloudwatch.MathExpressionOptions = {}): cloudwatch.IMetric {
    return this.sumOverVariants('Invocations', 'invocations', options);
  }

  /** `Invocation5XXErrors` or `Invocation4XXErrors` of one variant (`Sum`). `errorClass` is `5XX` or `4XX`. */
  public errors(errorClass: string, variantName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(errorMetricName(errorClass), variantName, { statistic: cloudwatch.Stats.SUM, ...options });
  }

  /**
   * The error rate in percent of the whole endpoint: `100 * errors / invocations` over every variant, 0 when there
   * is no traffic. `errorClass` is `5XX` or `4XX`.
   */
  public errorRate(errorClass: string, options: cloudwatch.MathExpressionOptions = {}): cloudwatch.IMetric {
    const usingMetrics: { [id: string]: cloudwatch.IMetric } = {};
    const errors: string[] = [];
    const invocations: string[] = [];
    // Ids carry the error class, so a graph can hold the 5XX and the 4XX rate side by side.
    const cls = errorClass.toLowerCase();
    this.variantNames.forEach((variant, i) => {
      usingMetrics[`err${cls}_${i}`] = this.errors(errorClass, variant);
      usingMetrics[`inv${cls}_${i}`] = this.invocations(variant);
      errors.push(`FILL(err${cls}_${i}, 0)`);
      invocations.push(`FILL(inv${cls}_${i}, 0)`);
    });
    const inv = `(${invocations.join(' + ')})`;
    return new cloudwatch.MathExpression({
      expression: `IF(${inv} > 0, 100 * (${errors.join(' + ')}) / ${inv}, 0)`,
      usingMetrics,
      label: `${errorClass.toUpperCase()} error rate (%)`,
      period: Duration.minutes(5),
      ...options,
    });
  }

  /**
   * `ModelLatency` of one variant in microseconds: `Average` by default, as CloudWatch and aws-cdk-lib do; pass
   * `{ statistic: 'p99' }` (or `p50`, `p90`, ...) for a percentile.
   */
  public modelLatency(variantName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('ModelLatency', variantName, { statistic: cloudwatch.Stats.AVERAGE, ...options });
  }

  /** `OverheadLatency` of one variant in microseconds (time SageMaker adds around the model): `Average` by default. */
  public overheadLatency(variantName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('OverheadLatency', variantName, { statistic: cloudwatch.Stats.AVERAGE, ...options });
  }

  private sumOverVariants(metricName: string, label: string, options: cloudwatch.MathExpressionOptions): cloudwatch.IMetric {
    if (this.variantNames.length === 1) {
      return this.metric(metricName, this.variantNames[0], { statistic: cloudwatch.Stats.SUM, label, ...options });
    }
    const usingMetrics: { [id: string]: cloudwatch.IMetric } = {};
    this.variantNames.forEach((variant, i) => {
      usingMetrics[`m${i}`] = this.metric(metricName, variant, { statistic: cloudwatch.Stats.SUM });
    });
    return new cloudwatch.MathExpression({
      expression: Object.keys(usingMetrics).map((id) => `FILL(${id}, 0)`).join(' + '),
      usingMetrics,
      label,
      period: Duration.minutes(5),
      ...options,
    });
  }
}

function errorMetricName(errorClass: string): string {
  const normalized = errorClass.toUpperCase();
  if (normalized !== '5XX' && normalized !== '4XX') invalid(undefined, 'errorClass', "'5XX' or '4XX'", errorClass);
  return `Invocation${normalized}Errors`;
}
