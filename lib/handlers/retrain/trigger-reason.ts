/**
 * Why a retraining was triggered, read from the EventBridge event that invoked the handler:
 * a CloudWatch alarm entering ALARM, or a scheduled rule.
 */

/** Limits SageMaker puts on what a pipeline execution carries (StartPipelineExecution API reference). */
export const LIMITS = {
  /** `PipelineExecutionDescription`: 0-3072 characters. */
  description: 3072,
  /** `Parameter.Value`: 0-1024 characters. */
  parameterValue: 1024,
  /** `PipelineExecutionDisplayName`: 1-82 characters, `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}`. */
  displayName: 82,
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
  /** The alarm's metric(s), `Namespace/MetricName{Dim=Value}` (alarms only). */
  readonly metric?: string;
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

/** Short form for the `TriggerReason` pipeline parameter (at most 1024 characters). */
export function reasonParameterValue(reason: TriggerReason): string {
  if (reason.kind === 'alarm') {
    const parts = [`alarm:${reason.alarmName}`];
    if (reason.metric) parts.push(`metric=${reason.metric}`);
    if (reason.value !== undefined) parts.push(`value=${reason.value}`);
    if (reason.threshold !== undefined) parts.push(`threshold=${reason.threshold}`);
    parts.push(`time=${reason.time}`);
    return truncate(parts.join(' '), LIMITS.parameterValue);
  }
  if (reason.kind === 'schedule') return truncate(`schedule time=${reason.time}`, LIMITS.parameterValue);
  return truncate(`event:${reason.source ?? 'unknown'} time=${reason.time}`, LIMITS.parameterValue);
}

/** Value of the `TriggerAlarm` pipeline parameter: the alarm name, or `none` (at most 1024 characters). */
export function alarmParameterValue(reason: TriggerReason): string {
  return truncate(reason.alarmName ?? 'none', LIMITS.parameterValue);
}

/** The sentence recorded as `PipelineExecutionDescription` (at most 3072 characters). */
export function describeReason(reason: TriggerReason): string {
  let text: string;
  if (reason.kind === 'alarm') {
    const measured = [
      reason.metric ? `metric ${reason.metric}` : undefined,
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
  return truncate(text, LIMITS.description);
}

/** A `PipelineExecutionDisplayName` such as `alarm-model-drift`, within its pattern and 82 characters. */
export function displayName(reason: TriggerReason): string {
  const raw = reason.kind === 'alarm' ? `alarm-${reason.alarmName}` : reason.kind;
  const cleaned = raw.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+/, '').slice(0, LIMITS.displayName).replace(/-+$/, '');
  return cleaned || 'retrain';
}

/** Cuts a string to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
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
