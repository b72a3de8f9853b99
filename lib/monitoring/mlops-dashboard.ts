import { Duration, Names } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { EndpointAlarms } from './endpoint-alarms';
import { IModelMonitor } from './model-monitor';
import { modelQualityMetricNames } from '../core/quality-metric';
import { EndpointMetrics } from './monitoring-metrics';
import { checkLabel } from './private/validate';
import { PipelineMetrics } from '../pipeline/pipeline-metrics';
import { InputError, invalid, isUnresolved } from '../private/validate';

/** Properties of {@link MlopsDashboard}. */
export interface MlopsDashboardProps {
  /** The served endpoint. */
  readonly endpoint: sagemaker.IEndpoint;
  /**
   * Production variants of the endpoint; with several, latency and errors are also shown per variant.
   * @default - the variants of `alarms`, else ['AllTraffic']
   */
  readonly variantNames?: string[];
  /**
   * The endpoint's monitor (drift and model-quality graphs).
   * @default - no monitoring graphs
   */
  readonly monitor?: IModelMonitor;
  /**
   * The alarms: their thresholds become horizontal annotations and their states an alarm status widget.
   * @default - no annotations, no alarm status widget
   */
  readonly alarms?: EndpointAlarms;
  /**
   * Features whose drift is graphed.
   * @default - the features `alarms` watches
   */
  readonly driftFeatures?: string[];
  /**
   * The training pipeline (executions graph).
   * @default - no pipeline graph
   */
  readonly pipeline?: sagemaker.IPipeline;
  /**
   * Name of the dashboard.
   * @default - derived from the construct path (stack name included), so several platforms coexist
   */
  readonly dashboardName?: string;
}

/**
 * One CloudWatch dashboard per platform: pipeline executions, endpoint invocations, latency percentiles, error rates,
 * drift and model quality against their alarm thresholds, and the state of every alarm.
 *
 * The model registry publishes no CloudWatch metric; new versions show as succeeded pipeline executions (each
 * registers one) and the dashboard says so in its header.
 *
 * @example
 * new MlopsDashboard(this, 'Dashboard', { endpoint, monitor, alarms, pipeline });
 */
export class MlopsDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** Its name. */
  public readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: MlopsDashboardProps) {
    super(scope, id);
    if (props.dashboardName !== undefined && !isUnresolved(props.dashboardName) && !/^[A-Za-z0-9_-]{1,255}$/.test(props.dashboardName)) {
      invalid(this, 'dashboardName', "1 to 255 letters, digits, '-' or '_'", props.dashboardName);
    }
    const features = props.driftFeatures ?? Object.keys(props.alarms?.driftThresholds ?? {});
    features.forEach((f) => checkLabel(this, 'driftFeatures', f));
    if (features.length > 0 && !props.monitor) throw new InputError(this, 'monitor must be given to graph drift, got undefined');

    this.dashboardName = props.dashboardName
      ?? Names.uniqueResourceName(this, { maxLength: 255, separator: '-', allowedSpecialCharacters: '-_' });
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      dashboardName: this.dashboardName,
      defaultInterval: Duration.days(7),
    });

    const endpointName = props.endpoint.endpointName;
    const metrics = new EndpointMetrics(endpointName, props.variantNames ?? props.alarms?.endpointMetrics.variantNames);
    const variants = metrics.variantNames;
    const annotation = (value: number, label: string): cloudwatch.HorizontalAnnotation => ({ value, label, color: cloudwatch.Color.RED });

    this.dashboard.addWidgets(new cloudwatch.TextWidget({
      markdown: `# ${endpointName}\nModel registry versions have no CloudWatch metric: each succeeded pipeline execution registers one (see Pipeline executions).`,
      width: 24,
      height: 2,
    }));

    const row1: cloudwatch.IWidget[] = [];
    if (props.pipeline) {
      const name = props.pipeline.pipelineName;
      row1.push(new cloudwatch.GraphWidget({
        title: 'Pipeline executions',
        left: [
          PipelineMetrics.executionsSucceeded(name, { label: 'succeeded', period: Duration.hours(1) }),
          PipelineMetrics.executionsFailed(name, { label: 'failed', period: Duration.hours(1) }),
        ],
        width: 8,
      }));
    }
    row1.push(new cloudwatch.GraphWidget({
      title: 'Invocations',
      left: variants.map((v) => metrics.invocations(v, { label: v })),
      stacked: variants.length > 1,
      width: props.pipeline ? 8 : 12,
    }));
    row1.push(new cloudwatch.GraphWidget({
      title: 'Error rate (%)',
      left: [metrics.errorRate('5XX'), metrics.errorRate('4XX')],
      leftAnnotations: (props.alarms?.errorAlarms ?? []).map((a) => annotation(threshold(a), `${metricLabel(a)} alarm`)),
      width: props.pipeline ? 8 : 12,
    }));
    this.dashboard.addWidgets(...row1);

    const latencyThreshold = props.alarms ? threshold(props.alarms.latencyAlarm) : undefined;
    this.dashboard.addWidgets(new cloudwatch.GraphWidget({
      title: 'Model latency p50 / p90 / p99 (microseconds)',
      left: variants.flatMap((v) => ['p50', 'p90', 'p99'].map((stat) =>
        metrics.modelLatency(v, { statistic: stat, label: variants.length > 1 ? `${v} ${stat}` : stat }))),
      leftAnnotations: latencyThreshold !== undefined ? [annotation(latencyThreshold, 'p99 alarm')] : [],
      width: variants.length > 1 ? 12 : 24,
    }), ...(variants.length > 1 ? [new cloudwatch.GraphWidget({
      title: 'p99 latency per variant (microseconds)',
      left: variants.map((v) => metrics.modelLatency(v, { statistic: 'p99', label: v })),
      leftAnnotations: latencyThreshold !== undefined ? [annotation(latencyThreshold, 'p99 alarm')] : [],
      width: 12,
    })] : []));
    if (variants.length > 1) {
      this.dashboard.addWidgets(new cloudwatch.GraphWidget({
        title: '5XX / 4XX errors per variant',
        left: variants.flatMap((v) => [metrics.errors('5XX', v, { label: `${v} 5XX` }), metrics.errors('4XX', v, { label: `${v} 4XX` })]),
        width: 24,
      }));
    }

    const monitor = props.monitor;
    const row3: cloudwatch.IWidget[] = [];
    if (monitor && features.length > 0) {
      row3.push(new cloudwatch.GraphWidget({
        title: 'Feature baseline drift',
        left: features.map((f) => monitor.metricFeatureDrift(f, { label: f })),
        leftAnnotations: features.filter((f) => props.alarms?.driftThresholds[f] !== undefined)
          .map((f) => annotation(props.alarms!.driftThresholds[f], `${f} threshold`)),
        width: 12,
      }));
    }
    if (monitor?.problemType !== undefined) {
      const alarmed = (props.alarms?.modelQualityAlarms ?? []);
      const names = alarmed.length > 0 ? alarmed.map(metricName) : modelQualityMetricNames(monitor.problemType).slice(0, 4);
      row3.push(new cloudwatch.GraphWidget({
        title: 'Model quality',
        left: names.map((n) => monitor.metricModelQuality(n, { label: n })),
        leftAnnotations: alarmed.map((a) => annotation(threshold(a), `${metricName(a)} threshold`)),
        width: 12,
      }));
    }
    if (row3.length > 0) this.dashboard.addWidgets(...row3);

    if (props.alarms) {
      this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: props.alarms.allAlarms,
        width: 24,
      }));
    }
  }
}

function threshold(alarm: cloudwatch.Alarm): number {
  return (alarm.node.defaultChild as cloudwatch.CfnAlarm).threshold as number;
}

function metricName(alarm: cloudwatch.Alarm): string {
  return (alarm.metric as cloudwatch.Metric).metricName;
}

function metricLabel(alarm: cloudwatch.Alarm): string {
  return (alarm.metric as cloudwatch.MathExpression).label ?? 'error rate';
}
