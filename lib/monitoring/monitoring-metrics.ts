import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** CloudWatch namespace of Model Monitor's data-quality metrics for real-time endpoints. */
export const DATA_METRICS_NAMESPACE = 'aws/sagemaker/Endpoints/data-metrics';
/** CloudWatch namespace of Model Monitor's model-quality metrics for real-time endpoints. */
export const MODEL_METRICS_NAMESPACE = 'aws/sagemaker/Endpoints/model-metrics';
/** CloudWatch namespace of SageMaker endpoint invocation metrics. */
export const ENDPOINT_NAMESPACE = 'AWS/SageMaker';
/** CloudWatch namespace of SageMaker Pipelines execution metrics. */
export const PIPELINE_NAMESPACE = 'AWS/Sagemaker/ModelBuildingPipeline';

/**
 * Metric factories for Model Monitor's published metrics (data quality and model quality of one endpoint and one
 * monitoring schedule). Metric factories, alarms and widgets are separate pieces: alarms and dashboards take these.
 *
 * @example
 * const drift = MonitorMetrics.featureDrift('recommendation-endpoint', scheduleName, 'user_age');
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
 * Metric factories for a SageMaker real-time endpoint (`AWS/SageMaker`, dimensions `EndpointName`, `VariantName`).
 * Endpoint-wide figures add up the variants with metric math.
 *
 * @example
 * const metrics = new EndpointMetrics('recommendation-endpoint', ['AllTraffic']);
 * metrics.errorRate('5XX');
 */
export class EndpointMetrics {
  /** The endpoint. */
  public readonly endpointName: string;
  /** Its production variants. */
  public readonly variantNames: string[];

  constructor(endpointName: string, variantNames: string[] = ['AllTraffic']) {
    if (variantNames.length === 0) throw new Error('variantNames must be a non-empty list of production variant names, got []');
    this.endpointName = endpointName;
    this.variantNames = [...variantNames];
  }

  /** Invocations of one variant (sum). */
  public invocations(variantName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric('Invocations', variantName, cloudwatch.Stats.SUM, options);
  }

  /** Invocations of the whole endpoint: every variant added up. */
  public totalInvocations(options: cloudwatch.MathExpressionOptions = {}): cloudwatch.IMetric {
    return this.sumOverVariants('Invocations', 'invocations', options);
  }

  /** `Invocation5XXErrors` or `Invocation4XXErrors` of one variant (sum). `errorClass` is `5XX` or `4XX`. */
  public errors(errorClass: string, variantName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(errorMetricName(errorClass), variantName, cloudwatch.Stats.SUM, options);
  }

  /**
   * The error rate in percent of the whole endpoint: `100 * errors / invocations` over every variant, 0 when there
   * is no traffic. `errorClass` is `5XX` or `4XX`.
   */
  public errorRate(errorClass: string, options: cloudwatch.MathExpressionOptions = {}): cloudwatch.IMetric {
    const metricName = errorMetricName(errorClass);
    const usingMetrics: { [id: string]: cloudwatch.IMetric } = {};
    const errors: string[] = [];
    const invocations: string[] = [];
    // Ids carry the error class, so a graph can hold the 5XX and the 4XX rate side by side.
    const cls = errorClass.toLowerCase();
    this.variantNames.forEach((variant, i) => {
      usingMetrics[`err${cls}_${i}`] = this.variantMetric(metricName, variant, cloudwatch.Stats.SUM, {});
      usingMetrics[`inv${cls}_${i}`] = this.variantMetric('Invocations', variant, cloudwatch.Stats.SUM, {});
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
   * `ModelLatency` of one variant in microseconds, as the given statistic (`p50`, `p90`, `p99`, `Average`, ...).
   */
  public modelLatency(variantName: string, statistic: string = 'p99', options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric('ModelLatency', variantName, statistic, options);
  }

  /** `OverheadLatency` of one variant in microseconds (time SageMaker adds around the model). */
  public overheadLatency(variantName: string, statistic: string = 'p99', options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric('OverheadLatency', variantName, statistic, options);
  }

  private variantMetric(metricName: string, variantName: string, statistic: string, options: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: ENDPOINT_NAMESPACE,
      metricName,
      dimensionsMap: { EndpointName: this.endpointName, VariantName: variantName },
      statistic,
      period: Duration.minutes(5),
      ...options,
    });
  }

  private sumOverVariants(metricName: string, label: string, options: cloudwatch.MathExpressionOptions): cloudwatch.IMetric {
    if (this.variantNames.length === 1) {
      return this.variantMetric(metricName, this.variantNames[0], cloudwatch.Stats.SUM, { label, ...options });
    }
    const usingMetrics: { [id: string]: cloudwatch.IMetric } = {};
    this.variantNames.forEach((variant, i) => {
      usingMetrics[`m${i}`] = this.variantMetric(metricName, variant, cloudwatch.Stats.SUM, {});
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

/**
 * Metric factories for SageMaker Pipelines executions (`AWS/Sagemaker/ModelBuildingPipeline`, dimension
 * `PipelineName`).
 */
export class PipelineMetrics {
  /** Failed executions of the pipeline (sum). */
  public static executionsFailed(pipelineName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return PipelineMetrics.metric('ExecutionFailed', pipelineName, options);
  }

  /** Succeeded executions of the pipeline (sum). */
  public static executionsSucceeded(pipelineName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return PipelineMetrics.metric('ExecutionSucceeded', pipelineName, options);
  }

  /** Started executions of the pipeline (sum). */
  public static executionsStarted(pipelineName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return PipelineMetrics.metric('ExecutionStarted', pipelineName, options);
  }

  private static metric(metricName: string, pipelineName: string, options: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: PIPELINE_NAMESPACE,
      metricName,
      dimensionsMap: { PipelineName: pipelineName },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.hours(1),
      ...options,
    });
  }

  private constructor() {}
}

function errorMetricName(errorClass: string): string {
  const normalized = errorClass.toUpperCase();
  if (normalized !== '5XX' && normalized !== '4XX') {
    throw new Error(`errorClass must be '5XX' or '4XX', got '${errorClass}'`);
  }
  return `Invocation${normalized}Errors`;
}
