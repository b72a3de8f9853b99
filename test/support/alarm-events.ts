/**
 * Realistic EventBridge events for the retraining trigger, in the shape CloudWatch and EventBridge deliver them
 * ("CloudWatch Alarm State Change" for metric, metric-math and composite alarms; "Scheduled Event"), and a seeded
 * generator of hostile alarm names and reasons for property-style tests.
 */

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

/** CloudWatch alarm names are 1-255 characters (PutMetricAlarm API reference), any printable characters. */
export const MAX_ALARM_NAME = 255;

/** Options of {@link metricAlarmEvent}. */
export interface MetricAlarmEventOptions {
  readonly id?: string;
  readonly alarmName?: string;
  readonly value?: number;
  readonly threshold?: number;
  readonly feature?: string;
  /** Overrides CloudWatch's reason text. */
  readonly reason?: string;
}

function alarmArn(name: string): string {
  return `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`;
}

/** `dd/MM/yy HH:mm:ss` as CloudWatch writes datapoint times into a state reason. */
function reasonTime(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/**
 * A drift alarm of the platform (data-quality monitor metric `feature_baseline_drift_<feature>` with Endpoint,
 * MonitoringSchedule and Feature dimensions) entering ALARM.
 */
export function metricAlarmEvent(options: MetricAlarmEventOptions = {}): any {
  const alarmName = options.alarmName ?? 'Mlops-recommendation-Serving-MonitoringAlarmsFeatureDriftage3F2A1B0C-1Q2W3E4R5T6Y';
  const value = options.value ?? 0.34;
  const threshold = options.threshold ?? 0.2;
  const feature = options.feature ?? 'age';
  const datapoint = '2026-11-27T10:00:00.000+0000';
  return {
    'version': '0',
    'id': options.id ?? 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    'detail-type': 'CloudWatch Alarm State Change',
    'source': 'aws.cloudwatch',
    'account': ACCOUNT,
    'time': '2026-11-27T10:00:13Z',
    'region': REGION,
    'resources': [alarmArn(alarmName)],
    'detail': {
      alarmName,
      state: {
        value: 'ALARM',
        reason: options.reason ?? `Threshold Crossed: 1 out of the last 1 datapoints [${value} (${reasonTime(datapoint)})] was greater than the threshold (${threshold}) (minimum 1 datapoint for OK -> ALARM transition).`,
        reasonData: JSON.stringify({
          version: '1.0',
          queryDate: '2026-11-27T10:00:13.456+0000',
          startDate: datapoint,
          statistic: 'Maximum',
          period: 3600,
          recentDatapoints: [value],
          threshold,
          evaluatedDatapoints: [{ timestamp: datapoint, sampleCount: 1.0, value }],
        }),
        timestamp: '2026-11-27T10:00:13.467+0000',
      },
      previousState: {
        value: 'OK',
        reason: `Threshold Crossed: 1 out of the last 1 datapoints [0.05 (27/11/26 09:00:00)] was not greater than the threshold (${threshold}) (minimum 1 datapoint for ALARM -> OK transition).`,
        reasonData: JSON.stringify({
          version: '1.0', queryDate: '2026-11-27T09:00:13.456+0000', startDate: '2026-11-27T09:00:00.000+0000',
          statistic: 'Maximum', period: 3600, recentDatapoints: [0.05], threshold,
          evaluatedDatapoints: [{ timestamp: '2026-11-27T09:00:00.000+0000', sampleCount: 1.0, value: 0.05 }],
        }),
        timestamp: '2026-11-27T09:00:13.467+0000',
      },
      configuration: {
        description: `Feature drift of ${feature} above ${threshold} on the recommendation endpoint`,
        metrics: [{
          id: '8f3b2a1c-4d5e-6f70-8192-a3b4c5d6e7f8',
          metricStat: {
            metric: {
              namespace: 'aws/sagemaker/Endpoints/data-metrics',
              name: `feature_baseline_drift_${feature}`,
              dimensions: {
                Endpoint: 'Mlops-recommendation-Serving-Endpoint-4F8A2C1D9E7B',
                MonitoringSchedule: 'Mlops-recommendation-Serving-DataQuality-7C3E9A1B5D2F',
                Feature: feature,
              },
            },
            period: 3600,
            stat: 'Maximum',
          },
          returnData: true,
        }],
      },
    },
  };
}

/** A metric-math alarm (the largest drift over several features) entering ALARM. */
export function metricMathAlarmEvent(options: { alarmName?: string; id?: string } = {}): any {
  const alarmName = options.alarmName ?? 'recommendation-max-feature-drift';
  const metric = (id: string, feature: string) => ({
    id,
    metricStat: {
      metric: {
        namespace: 'aws/sagemaker/Endpoints/data-metrics',
        name: `feature_baseline_drift_${feature}`,
        dimensions: { Endpoint: 'rec-endpoint', MonitoringSchedule: 'rec-data-quality' },
      },
      period: 3600,
      stat: 'Maximum',
    },
    returnData: false,
  });
  return {
    'version': '0',
    'id': options.id ?? '2dde0303-7e0f-4f25-9c9a-3f7d0b3b9c11',
    'detail-type': 'CloudWatch Alarm State Change',
    'source': 'aws.cloudwatch',
    'account': ACCOUNT,
    'time': '2026-11-27T11:00:09Z',
    'region': REGION,
    'resources': [alarmArn(alarmName)],
    'detail': {
      alarmName,
      state: {
        value: 'ALARM',
        reason: 'Threshold Crossed: 2 out of the last 2 datapoints [0.41 (27/11/26 11:00:00), 0.38 (27/11/26 10:00:00)] were greater than the threshold (0.3) (minimum 2 datapoints for OK -> ALARM transition).',
        reasonData: JSON.stringify({
          version: '1.0',
          queryDate: '2026-11-27T11:00:09.081+0000',
          startDate: '2026-11-27T10:00:00.000+0000',
          period: 3600,
          recentDatapoints: [0.38, 0.41],
          threshold: 0.3,
          evaluatedDatapoints: [
            { timestamp: '2026-11-27T11:00:00.000+0000', value: 0.41 },
            { timestamp: '2026-11-27T10:00:00.000+0000', value: 0.38 },
          ],
        }),
        timestamp: '2026-11-27T11:00:09.090+0000',
      },
      previousState: { value: 'OK', reason: 'Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [NonBreaching].', timestamp: '2026-11-27T09:00:09.090+0000' },
      configuration: {
        description: 'Largest feature drift of the recommendation endpoint',
        metrics: [
          { id: 'e1', expression: 'MAX([m1, m2, m3])', label: 'Max feature drift {age, genre, rating}', returnData: true },
          metric('m1', 'age'),
          metric('m2', 'genre'),
          metric('m3', 'rating'),
        ],
      },
    },
  };
}

/** A composite alarm (any drift alarm, unless the endpoint is updating) entering ALARM. */
export function compositeAlarmEvent(options: { alarmName?: string; id?: string } = {}): any {
  const alarmName = options.alarmName ?? 'recommendation-any-drift';
  const child = 'Mlops-recommendation-Serving-MonitoringAlarmsFeatureDriftage3F2A1B0C-1Q2W3E4R5T6Y';
  return {
    'version': '0',
    'id': options.id ?? '91d2ec2e-4b0c-4c1f-a1a6-5c2b0f6c7d8e',
    'detail-type': 'CloudWatch Alarm State Change',
    'source': 'aws.cloudwatch',
    'account': ACCOUNT,
    'time': '2026-11-27T10:00:14Z',
    'region': REGION,
    'resources': [alarmArn(alarmName)],
    'detail': {
      alarmName,
      state: {
        value: 'ALARM',
        reason: `${alarmArn(child)} transitioned to ALARM at Friday 27 November, 2026 10:00:13 UTC`,
        reasonData: JSON.stringify({
          triggeringAlarms: [{ arn: alarmArn(child), state: { value: 'ALARM', timestamp: '2026-11-27T10:00:13.467+0000' } }],
        }),
        timestamp: '2026-11-27T10:00:14.012+0000',
      },
      previousState: { value: 'OK', reason: 'All child alarms are OK', timestamp: '2026-11-26T08:12:00.000+0000' },
      configuration: {
        alarmRule: `ALARM("${child}") OR ALARM("recommendation-feature-drift-genre") AND NOT ALARM("recommendation-endpoint-updating")`,
        description: 'Any feature drift of the recommendation endpoint',
        actionsSuppressor: 'recommendation-endpoint-updating',
        actionsSuppressorWaitPeriod: 120,
        actionsSuppressorExtensionPeriod: 180,
      },
    },
  };
}

/** The event of an EventBridge schedule rule. */
export function scheduledEvent(options: { id?: string; ruleName?: string } = {}): any {
  return {
    'version': '0',
    'id': options.id ?? '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    'detail-type': 'Scheduled Event',
    'source': 'aws.events',
    'account': ACCOUNT,
    'time': '2026-11-29T03:00:00Z',
    'region': REGION,
    'resources': [`arn:aws:events:${REGION}:${ACCOUNT}:rule/${options.ruleName ?? 'Mlops-Governance-RetrainingScheduleRule4C2B8A1D-9F3E7A6B5C4D'}`],
    'detail': {},
  };
}

/** A deterministic pseudo-random generator (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Characters alarm names and reasons may hold: printable ASCII (`{},"'` and all), Latin letters with accents (NFC
 * and decomposed), Greek, Cyrillic, CJK, Arabic, Devanagari with its combining marks, an astral letter, emoji
 * (surrogate pairs, ZWJ sequences), and separators CloudWatch may copy from user text (NBSP, U+2028, tab).
 */
const ALPHABET = [
  ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)),
  'é', 'ü', 'ß', 'e\u0301', 'Å', 'Ω', 'Ж', '中', '文', '漢', 'ل', 'ع', 'न', 'म', '\u094D', '\u093E', '𝐀', '𠀋',
  '😀', '👩‍💻', '🇩🇪', '\u00A0', '\u2028', '\t', '…', '—', '«', '»', '¿', '€', '²', '½',
];

/** A random string of `length` characters (code points) drawn from {@link ALPHABET}. */
export function randomText(random: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return text;
}

/** A random alarm name of 1 to 255 UTF-16 code units (the upper end more often, the hard case). */
export function randomAlarmName(random: () => number): string {
  const length = random() < 0.3 ? MAX_ALARM_NAME : 1 + Math.floor(random() * MAX_ALARM_NAME);
  let name = randomText(random, length);
  while (name.length > MAX_ALARM_NAME) name = Array.from(name).slice(0, -1).join('');
  return name.trim() === '' ? 'x' : name;
}
