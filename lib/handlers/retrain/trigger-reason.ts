/**
 * Why a retraining was triggered, read from the EventBridge event that invoked the handler:
 * a CloudWatch alarm entering ALARM, or a scheduled rule; and the values StartPipelineExecution sends for it.
 */
import {
  CUSTOMER_METADATA_VALUE, PIPELINE_EXECUTION_DESCRIPTION, PIPELINE_EXECUTION_DISPLAY_NAME, PIPELINE_PARAMETER_VALUE,
} from '../shared/api-limits';
import { cutToLength, entityName, metadataValue, singleLine } from '../shared/fit-text';

/**
 * What a value the trigger sends may be (StartPipelineExecution API reference, and CreateModelPackage for the
 * parameters, which a pipeline registers as `CustomerMetadataProperties`).
 */
export const LIMITS = {
  /** `PipelineExecutionDescription`: 0-3072 characters, `.*` (one line). */
  description: PIPELINE_EXECUTION_DESCRIPTION.max!,
  /**
   * The `TriggerReason` and `TriggerAlarm` parameter values: `Parameter.Value` allows 1024 characters, but the
   * pipeline registers them as `CustomerMetadataProperties` values, 1-256 characters of
   * `[\p{L}\p{Z}\p{N}_.:\/=+\-@]`; they are kept within both.
   */
  parameterValue: Math.min(PIPELINE_PARAMETER_VALUE.max!, CUSTOMER_METADATA_VALUE.max!),
  /** `PipelineExecutionDisplayName`: 1-82 characters, `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}`. */
  displayName: PIPELINE_EXECUTION_DISPLAY_NAME.max!,
} as const;

/** The minimal shape of an EventBridge event this handler reads. */
export interface TriggerEvent {
  readonly id?: string;
  readonly 'detail-type'?: string;
  readonly source?: string;
  readonly time?: string;
  readonly resources?: string[];
  readonly detail?: any;
}

/** The reason a retraining was triggered. */
export interface TriggerReason {
  /** `alarm`, `schedule` or `event` (any other event routed to the trigger). */
  readonly kind: 'alarm' | 'schedule' | 'event';
  /** Alarm name (alarms only). */
  readonly alarmName?: string;
  /** The alarm's metric(s), `Namespace/MetricName{Dim=Value}` or `expression <math>` (alarms only). */
  readonly metric?: string;
  /**
   * Short name of the metric the alarm evaluates (alarms only): the metric name of a metric alarm, the label (or
   * `expression`) of the returned expression of a metric-math alarm.
   */
  readonly metricName?: string;
  /** The rule of a composite alarm (composite alarms only). */
  readonly alarmRule?: string;
  /** The most recent datapoint that breached (alarms only, when CloudWatch reported it). */
  readonly value?: number;
  /** The alarm threshold (alarms only, when CloudWatch reported it). */
  readonly threshold?: number;
  /** When the alarm changed state, or when the schedule fired (ISO 8601). */
  readonly time: string;
  /** CloudWatch's own explanation of the state change (alarms only). */
  readonly stateReason?: string;
  /** The rule or alarm ARN that produced the event. */
  readonly source?: string;
}

/** Reads the trigger reason from an EventBridge event. */
export function reasonFromEvent(event: TriggerEvent): TriggerReason {
  const detailType = event['detail-type'] ?? '';
  const time = event.time ?? new Date().toISOString();
  const source = event.resources?.[0];
  if (detailType === 'CloudWatch Alarm State Change') {
    const detail = event.detail ?? {};
    const reasonData = parseJson(detail.state?.reasonData);
    return {
      kind: 'alarm',
      alarmName: String(detail.alarmName ?? alarmNameFromArn(source) ?? 'unknown'),
      metric: describeMetrics(detail.configuration?.metrics),
      metricName: primaryMetricName(detail.configuration?.metrics),
      alarmRule: typeof detail.configuration?.alarmRule === 'string' ? detail.configuration.alarmRule : undefined,
      value: firstNumber(reasonData?.recentDatapoints) ?? firstNumber(reasonData?.evaluatedDatapoints?.map((d: any) => d?.value)),
      threshold: typeof reasonData?.threshold === 'number' ? reasonData.threshold : undefined,
      time: String(detail.state?.timestamp ?? time),
      stateReason: typeof detail.state?.reason === 'string' ? detail.state.reason : undefined,
      source,
    };
  }
  if (detailType === 'Scheduled Event') {
    return { kind: 'schedule', time, source };
  }
  return { kind: 'event', time, source: source ?? (detailType || undefined) };
}

/**
 * Value of the `TriggerReason` pipeline parameter: a compact summary that satisfies both `Parameter.Value` and the
 * `CustomerMetadataProperties` value it becomes at registration (see {@link LIMITS}), e.g.
 * `alarm:churn-feature-drift metric=feature_baseline_drift_tenure value=0.34 threshold=0.2 time=2026-11-27T10:00:13.467+0000`.
 *
 * The kind, value, threshold and time are always kept; the alarm name is cut when it does not fit, and the metric
 * is shortened or left out first. The full alarm name, metric and CloudWatch's reason are in the execution
 * description ({@link describeReason}).
 */
export function reasonParameterValue(reason: TriggerReason): string {
  const max = LIMITS.parameterValue;
  const field = (name: string, value: string | number | undefined, width: number) =>
    (value === undefined ? undefined : `${name}=${metadataValue(String(value), width)}`);
  const fixed = [
    field('value', reason.value, 32),
    field('threshold', reason.threshold, 32),
    field('time', reason.time, 40),
  ].filter((p): p is string => p !== undefined).join(' ');
  let head: string;
  if (reason.kind === 'alarm') head = `alarm:${metadataValue(reason.alarmName ?? 'unknown', max)}`;
  else if (reason.kind === 'event') head = `event:${metadataValue(reason.source ?? 'unknown', max)}`;
  else head = 'schedule';
  // Room left for the head (and the metric) next to the fixed fields and the spaces between them.
  const room = max - fixed.length - 1;
  head = cutToLength(head, room);
  const metric = reason.kind === 'alarm' && reason.metricName ? metadataValue(reason.metricName, max) : undefined;
  const metricRoom = room - head.length - 1;
  const metricPart = metric && metricRoom >= 'metric='.length + 8 ? cutToLength(`metric=${metric}`, metricRoom) : undefined;
  return metadataValue([head, metricPart, fixed].filter((p) => p).join(' '), max);
}

/** Value of the `TriggerAlarm` pipeline parameter: the alarm name, or `none`, within the same limits as the reason. */
export function alarmParameterValue(reason: TriggerReason): string {
  return metadataValue(reason.alarmName ?? 'none', LIMITS.parameterValue, 'unknown');
}

/**
 * The text recorded as `PipelineExecutionDescription`: the full alarm name, metric(s), value, threshold and
 * CloudWatch's reason, on one line, cut to 3072 characters.
 */
export function describeReason(reason: TriggerReason): string {
  let text: string;
  if (reason.kind === 'alarm') {
    const measured = [
      reason.metric ? `metric ${reason.metric}` : undefined,
      reason.alarmRule ? `rule ${reason.alarmRule}` : undefined,
      reason.value !== undefined ? `value ${reason.value}` : undefined,
      reason.threshold !== undefined ? `threshold ${reason.threshold}` : undefined,
    ].filter((p) => p !== undefined).join(', ');
    text = `Retraining triggered by alarm '${reason.alarmName}'${measured ? ` (${measured})` : ''} entering ALARM at ${reason.time}`;
    if (reason.stateReason) text += `: ${reason.stateReason}`;
  } else if (reason.kind === 'schedule') {
    text = `Retraining triggered by schedule at ${reason.time}${reason.source ? ` (rule ${reason.source})` : ''}`;
  } else {
    text = `Retraining triggered by event ${reason.source ?? 'unknown'} at ${reason.time}`;
  }
  return singleLine(text, LIMITS.description);
}

/** A `PipelineExecutionDisplayName` such as `alarm-model-drift`, within its pattern and 82 characters. */
export function displayName(reason: TriggerReason): string {
  return entityName(reason.kind === 'alarm' ? `alarm-${reason.alarmName}` : reason.kind, LIMITS.displayName, 'retrain');
}

function describeMetrics(metrics: any): string | undefined {
  if (!Array.isArray(metrics) || metrics.length === 0) return undefined;
  const described = metrics
    .map((m: any) => {
      const metric = m?.metricStat?.metric;
      if (metric?.name) {
        const dims = Object.entries(metric.dimensions ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
        return `${metric.namespace ? `${metric.namespace}/` : ''}${metric.name}${dims ? `{${dims}}` : ''}`;
      }
      return m?.expression ? `expression ${m.expression}` : undefined;
    })
    .filter((d: string | undefined) => d !== undefined);
  return described.length > 0 ? described.join('; ') : undefined;
}

/** The metric an alarm evaluates: the one with `returnData` (or the only one), by name or expression label. */
function primaryMetricName(metrics: any): string | undefined {
  if (!Array.isArray(metrics) || metrics.length === 0) return undefined;
  const primary = metrics.find((m: any) => m?.returnData === true) ?? (metrics.length === 1 ? metrics[0] : undefined);
  if (!primary) return undefined;
  if (typeof primary.metricStat?.metric?.name === 'string') return primary.metricStat.metric.name;
  if (typeof primary.expression === 'string') return typeof primary.label === 'string' && primary.label !== '' ? primary.label : 'expression';
  return undefined;
}

function alarmNameFromArn(arn: string | undefined): string | undefined {
  const match = arn?.match(/:alarm:(.+)$/);
  return match ? match[1] : undefined;
}

function firstNumber(values: unknown): number | undefined {
  return Array.isArray(values) && typeof values[0] === 'number' ? values[0] : undefined;
}

function parseJson(text: unknown): any {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
