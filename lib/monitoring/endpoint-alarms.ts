import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { IAlarmActionStrategy, SnsAlarmActionStrategy } from './alarm-action-strategy';
import { IModelMonitor } from './model-monitor';
import { metricDirection, MetricDirection, modelQualityMetricNames } from '../core/quality-metric';
import { EndpointMetrics } from './monitoring-metrics';
import { checkLabel, checkThreshold, checkThresholdMap } from './private/validate';
import { ProblemType } from '../core/problem-type';
import { PipelineMetrics } from '../pipeline/pipeline-metrics';
import { InputError, invalid } from '../private/validate';

/** Properties of {@link EndpointAlarms}. */
export interface EndpointAlarmsProps {
  /** The endpoint the alarms watch. */
  readonly endpoint: sagemaker.IEndpoint;
  /**
   * Production variants of the endpoint (latency and error rates cover all of them).
   * @default ['AllTraffic']
   */
  readonly variantNames?: string[];

  /**
   * The endpoint's monitor: drift, model-quality and failed-job alarms need it.
   * @default - no drift, model-quality or monitoring-job alarms
   */
  readonly monitor?: IModelMonitor;
  /**
   * Features whose baseline drift is alarmed on, with `defaultDriftThreshold` unless `driftThresholds` has them.
   * @default - the features named in `driftThresholds`
   */
  readonly driftFeatures?: string[];
  /**
   * Drift threshold per feature (`feature_baseline_drift_<feature>` above it fires); its keys are alarmed on too.
   * @default - `defaultDriftThreshold` for every feature
   */
  readonly driftThresholds?: { [feature: string]: number };
  /**
   * Drift threshold of the features without their own.
   * @default 0.2
   */
  readonly defaultDriftThreshold?: number;
  /**
   * Model-quality thresholds by metric name (`accuracy`, `f1`, `auc`, `rmse`, ...). Error metrics (mae, mse, rmse,
   * false positive/negative rate) fire above their threshold, the others below.
   * @default - { accuracy: 0.7 } for classification, none for regression
   */
  readonly modelQualityThresholds?: { [metricName: string]: number };
  /**
   * p99 model latency threshold, in milliseconds.
   * @default 1000
   */
  readonly latencyP99Ms?: number;
  /**
   * Error-rate thresholds in percent of invocations, by error class (`5XX`, `4XX`).
   * @default { '5XX': 1, '4XX': 5 }
   */
  readonly errorRateThresholds?: { [errorClass: string]: number };

  /**
   * The training pipeline whose failed executions are alarmed on.
   * @default - no pipeline alarm
   */
  readonly pipeline?: sagemaker.IPipeline;

  /**
   * What every alarm does when it fires.
   * @default - an SnsAlarmActionStrategy with a new encrypted topic
   */
  readonly actionStrategy?: IAlarmActionStrategy;
}

/**
 * The alarms of a served model: baseline drift per feature, model quality, p99 latency, 5XX/4XX error rates, failed
 * monitoring jobs and failed pipeline executions; all acting through one {@link IAlarmActionStrategy}.
 *
 * Alarm names are left to CloudFormation, so several platforms coexist. The alarms are exposed by category: a
 * retraining trigger subscribes to `retrainingAlarms` (drift + model quality); a canary deployment rolls back on
 * `rollbackAlarms` (latency, errors, model quality).
 *
 * @example
 * const alarms = new EndpointAlarms(this, 'Alarms', {
 *   endpoint, monitor, pipeline,
 *   driftThresholds: { user_age: 0.3 }, driftFeatures: ['item_price'],
 *   modelQualityThresholds: { accuracy: 0.75 }, latencyP99Ms: 300,
 *   actionStrategy: new SnsAlarmActionStrategy(this, 'OnCall', { email: 'ml-oncall@example.com' }),
 * });
 */
export class EndpointAlarms extends Construct {
  /** Drift alarms, one per feature. */
  public readonly driftAlarms: cloudwatch.Alarm[] = [];
  /** Model-quality alarms, one per metric. */
  public readonly modelQualityAlarms: cloudwatch.Alarm[] = [];
  /** The p99 latency alarm. */
  public readonly latencyAlarm: cloudwatch.Alarm;
  /** Error-rate alarms (5XX, 4XX). */
  public readonly errorAlarms: cloudwatch.Alarm[] = [];
  /** Failed monitoring jobs, when a monitor is given. */
  public readonly monitoringJobAlarm?: cloudwatch.Alarm;
  /** Failed pipeline executions, when a pipeline is given. */
  public readonly pipelineAlarm?: cloudwatch.Alarm;
  /** Every alarm of this construct. */
  public readonly allAlarms: cloudwatch.Alarm[] = [];
  /** The drift threshold of each alarmed feature (for dashboards). */
  public readonly driftThresholds: { [feature: string]: number } = {};
  /** The action strategy every alarm uses. */
  public readonly actionStrategy: IAlarmActionStrategy;
  /** The endpoint metric factory used by the alarms. */
  public readonly endpointMetrics: EndpointMetrics;

  constructor(scope: Construct, id: string, props: EndpointAlarmsProps) {
    super(scope, id);
    const monitor = props.monitor;
    checkThresholdMap(this, 'driftThresholds', props.driftThresholds);
    checkThreshold(this, 'defaultDriftThreshold', props.defaultDriftThreshold);
    checkThresholdMap(this, 'modelQualityThresholds', props.modelQualityThresholds);
    checkThresholdMap(this, 'errorRateThresholds', props.errorRateThresholds, 100);
    checkThreshold(this, 'latencyP99Ms', props.latencyP99Ms);
    for (const feature of [...(props.driftFeatures ?? []), ...Object.keys(props.driftThresholds ?? {})]) checkLabel(this, 'driftFeatures', feature);
    for (const errorClass of Object.keys(props.errorRateThresholds ?? {})) {
      if (!['5XX', '4XX'].includes(errorClass.toUpperCase())) invalid(this, 'errorRateThresholds key', "'5XX' or '4XX'", errorClass);
    }
    const features = [...new Set([...(props.driftFeatures ?? []), ...Object.keys(props.driftThresholds ?? {})])];
    if (!monitor && (features.length > 0 || props.modelQualityThresholds)) {
      throw new InputError(this, `monitor must be given for ${features.length > 0 ? 'drift' : 'model-quality'} alarms, got undefined`);
    }
    const problemType = monitor?.problemType;
    if (props.modelQualityThresholds && problemType === undefined) {
      throw new InputError(this, 'monitor must monitor model quality (groundTruthBucket) for modelQualityThresholds, got a monitor without it');
    }
    if (problemType !== undefined) {
      const allowed = modelQualityMetricNames(problemType);
      for (const name of Object.keys(props.modelQualityThresholds ?? {})) {
        if (!allowed.includes(name)) invalid(this, `modelQualityThresholds key for ${problemType}`, `one of ${allowed.join(', ')}`, name);
      }
    }

    this.actionStrategy = props.actionStrategy ?? new SnsAlarmActionStrategy(this, 'Notifications');
    this.endpointMetrics = new EndpointMetrics(props.endpoint.endpointName, props.variantNames);
    const endpointName = props.endpoint.endpointName;

    // Drift per feature.
    const defaultDrift = props.defaultDriftThreshold ?? 0.2;
    for (const feature of features) {
      const threshold = props.driftThresholds?.[feature] ?? defaultDrift;
      this.driftThresholds[feature] = threshold;
      this.driftAlarms.push(this.alarm(`Drift-${feature}`, {
        metric: monitor!.metricFeatureDrift(feature),
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        alarmDescription: `Baseline drift of feature '${feature}' on endpoint ${endpointName} is above ${threshold}`,
      }));
    }

    // Model quality.
    const qualityThresholds = props.modelQualityThresholds
      ?? (problemType !== undefined && problemType !== ProblemType.REGRESSION ? { accuracy: 0.7 } : {});
    for (const [metricName, threshold] of Object.entries(qualityThresholds)) {
      const higherIsWorse = metricDirection(metricName) === MetricDirection.LOWER_IS_BETTER;
      this.modelQualityAlarms.push(this.alarm(`ModelQuality-${metricName}`, {
        metric: monitor!.metricModelQuality(metricName),
        threshold,
        comparisonOperator: higherIsWorse ? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD : cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        alarmDescription: `Model quality '${metricName}' of endpoint ${endpointName} is ${higherIsWorse ? 'above' : 'below'} ${threshold}`,
      }));
    }

    // Latency: ModelLatency is in microseconds; the threshold is given in milliseconds.
    const latencyMs = props.latencyP99Ms ?? 1000;
    this.latencyAlarm = this.alarm('LatencyP99', {
      metric: this.worstVariantLatency(),
      threshold: latencyMs * 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      alarmDescription: `p99 model latency of endpoint ${endpointName} is above ${latencyMs} ms`,
    });

    // Error rates.
    const errorThresholds = props.errorRateThresholds ?? { '5XX': 1, '4XX': 5 };
    for (const [errorClass, threshold] of Object.entries(errorThresholds)) {
      const normalized = errorClass.toUpperCase();
      this.errorAlarms.push(this.alarm(`ErrorRate${normalized}`, {
        metric: this.endpointMetrics.errorRate(normalized),
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        alarmDescription: `${normalized} error rate of endpoint ${endpointName} is above ${threshold}% of invocations`,
      }));
    }

    // Failed monitoring jobs: an EventBridge rule on the schedules' failed processing jobs, counted by CloudWatch.
    if (monitor) {
      const rule = monitor.onMonitoringJobFailed(`${id}MonitoringJobFailed`);
      this.monitoringJobAlarm = this.alarm('MonitoringJobFailed', {
        metric: new cloudwatch.Metric({
          namespace: 'AWS/Events',
          metricName: 'TriggeredRules',
          dimensionsMap: { RuleName: rule.ruleName },
          statistic: cloudwatch.Stats.SUM,
          period: Duration.hours(1),
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `A Model Monitor job of endpoint ${endpointName} failed (schedules ${monitor.monitoringScheduleNames.join(', ')})`,
      });
    }

    if (props.pipeline) {
      this.pipelineAlarm = this.alarm('PipelineExecutionFailed', {
        metric: PipelineMetrics.executionsFailed(props.pipeline.pipelineName, { period: Duration.hours(1) }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `An execution of pipeline ${props.pipeline.pipelineName} failed`,
      });
    }
  }

  /** Drift and model-quality alarms: what a retraining trigger subscribes to. */
  public get retrainingAlarms(): cloudwatch.Alarm[] {
    return [...this.driftAlarms, ...this.modelQualityAlarms];
  }

  /** Latency, error-rate and model-quality alarms: what a canary deployment rolls back on. */
  public get rollbackAlarms(): cloudwatch.Alarm[] {
    return [this.latencyAlarm, ...this.errorAlarms, ...this.modelQualityAlarms];
  }

  private worstVariantLatency(): cloudwatch.IMetric {
    const variants = this.endpointMetrics.variantNames;
    if (variants.length === 1) return this.endpointMetrics.modelLatency(variants[0], { statistic: cloudwatch.Stats.p(99) });
    const usingMetrics: { [id: string]: cloudwatch.IMetric } = {};
    variants.forEach((variant, i) => { usingMetrics[`l${i}`] = this.endpointMetrics.modelLatency(variant, { statistic: cloudwatch.Stats.p(99) }); });
    return new cloudwatch.MathExpression({
      expression: `MAX([${Object.keys(usingMetrics).join(', ')}])`,
      usingMetrics,
      label: 'p99 model latency, worst variant (us)',
      period: Duration.minutes(5),
    });
  }

  private alarm(id: string, props: AlarmSpec): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      ...props,
      evaluationPeriods: props.evaluationPeriods ?? 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.actionStrategy.addActions(alarm);
    this.allAlarms.push(alarm);
    return alarm;
  }
}

/** One alarm of {@link EndpointAlarms}: one evaluation period and missing data not breaching unless said. */
interface AlarmSpec {
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  readonly alarmDescription: string;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
}
