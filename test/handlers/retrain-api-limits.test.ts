import { ListPipelineExecutionsCommand, SageMakerClient, StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { recommendationModel } from '../../examples/recommendation/model';
import { DataStore, ModelPipeline, ModelRegistry } from '../../lib';
import { handler } from '../../lib/handlers/retrain';
import { apiViolations, CUSTOMER_METADATA_PATTERN } from '../../lib/handlers/shared/api-limits';
import {
  compositeAlarmEvent, MAX_ALARM_NAME, metricAlarmEvent, metricMathAlarmEvent, randomAlarmName, randomText, scheduledEvent, seededRandom,
} from '../support/alarm-events';
import { sentCalls, violationsOf } from '../support/api-calls';
import { pipelineDefinitionOf, stepsByName } from '../support/pipeline-definition';

/**
 * Every value the retraining trigger sends satisfies the documented limits of the API member it lands in: the
 * StartPipelineExecution and ListPipelineExecutions members, and - through the `TriggerReason` and `TriggerAlarm`
 * parameters - the `CustomerMetadataProperties` of the model package the pipeline registers.
 */

const sagemaker = mockClient(SageMakerClient);
const PIPELINE = 'Mlops-recommendation-Training-Pipeline-1A2B3C4D5E6F';

/** Where each pipeline parameter lands in the recommendation pipeline: the API operation and member path. */
interface Landing {
  readonly parameter: string;
  readonly operation: string;
  readonly path: string;
}

/** The step types of a pipeline definition whose arguments are an API request, and that API. */
const STEP_OPERATIONS: { [type: string]: string } = { RegisterModel: 'sagemaker:CreateModelPackage' };

/** Every place a `{"Get": "Parameters.<name>"}` of `parameters` appears in a step's arguments. */
function landingsOf(definition: any, parameters: string[]): Array<Landing & { stepType: string }> {
  const found: Array<Landing & { stepType: string }> = [];
  const visit = (value: any, path: string[], step: any) => {
    if (value && typeof value === 'object') {
      const get = value.Get;
      if (typeof get === 'string' && get.startsWith('Parameters.') && parameters.includes(get.slice('Parameters.'.length))) {
        found.push({ parameter: get.slice('Parameters.'.length), stepType: step.Type, operation: STEP_OPERATIONS[step.Type] ?? `unknown (${step.Type})`, path: path.join('.') });
        return;
      }
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k], step);
    }
  };
  for (const step of Object.values<any>(stepsByName(definition))) {
    // A condition's branches are steps of their own (stepsByName lists them).
    const { IfSteps: _if, ElseSteps: _else, ...args } = step.Arguments ?? {};
    visit(args, [], step);
  }
  return found;
}

/** The request `landing.operation` receives when the parameter has `value` (only that member set). */
function requestWith(landings: Landing[], values: { [parameter: string]: string }): Array<{ operation: string; input: any }> {
  return landings.map((l) => {
    const input: any = {};
    const keys = l.path.split('.');
    let at = input;
    keys.slice(0, -1).forEach((k) => { at = at[k] = {}; });
    at[keys[keys.length - 1]] = values[l.parameter];
    return { operation: l.operation, input };
  });
}

let landings: Landing[];

beforeAll(() => {
  // The platform's own pipeline tells where the trigger's parameters end up (no hard-coded copy of it here).
  const app = new App();
  const stack = new Stack(app, 'Training', { env: { account: '123456789012', region: 'eu-west-1' } });
  const datasets = new DataStore(stack, 'Datasets');
  new ModelPipeline(stack, 'Recommendation', {
    model: recommendationModel(), dataset: datasets.dataset('user-interactions'),
    artifactStore: new DataStore(stack, 'Artifacts'), registry: new ModelRegistry(stack, 'Registry'),
  });
  landings = landingsOf(pipelineDefinitionOf(Template.fromStack(stack).toJSON()), ['TriggerReason', 'TriggerAlarm']);
});

beforeEach(() => {
  sagemaker.reset();
  sagemaker.on(ListPipelineExecutionsCommand).resolves({ PipelineExecutionSummaries: [] });
  sagemaker.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: `arn:aws:sagemaker:eu-west-1:123456789012:pipeline/${PIPELINE}/execution/abc123` });
  process.env.PIPELINE_NAME = PIPELINE;
  process.env.COOLDOWN_SECONDS = '0';
  delete process.env.REASON_PARAMETER_NAME;
  delete process.env.ALARM_PARAMETER_NAME;
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterEach(() => jest.restoreAllMocks());

/** Runs the handler on `event`; returns the StartPipelineExecution input and every violation of every call sent. */
async function run(event: any): Promise<{ start: any; violations: string[] }> {
  sagemaker.resetHistory();
  await handler(event);
  const calls = sentCalls('sagemaker', sagemaker);
  const start = calls.find((c) => c.operation === 'sagemaker:StartPipelineExecution')!.input;
  const parameters = Object.fromEntries((start.PipelineParameters ?? []).map((p: any) => [p.Name, p.Value]));
  const registered = requestWith(landings, parameters);
  return { start, violations: [...violationsOf(calls), ...violationsOf(registered)] };
}

function parameter(start: any, name: string): string {
  return start.PipelineParameters.find((p: any) => p.Name === name).Value;
}

/** A 255-character alarm name with the characters CloudWatch allows and our values do not: `{},"'`, non-ASCII, emoji. */
const HOSTILE_NAME = (() => {
  const chars = Array.from('Drift {Endpoint="rec-prod", Feature=\'âge\'} > 0.2 — Überwachung 漢字 😀 '.repeat(5));
  while (chars.join('').length > MAX_ALARM_NAME) chars.pop();
  return chars.join('').padEnd(MAX_ALARM_NAME, 'z');
})();

describe('retraining trigger: what it sends satisfies the API members it lands in', () => {
  test('the recommendation pipeline registers TriggerReason and TriggerAlarm as CustomerMetadataProperties, and nowhere else', () => {
    expect(landings).toEqual([
      { parameter: 'TriggerReason', stepType: 'RegisterModel', operation: 'sagemaker:CreateModelPackage', path: 'CustomerMetadataProperties.TriggerReason' },
      { parameter: 'TriggerAlarm', stepType: 'RegisterModel', operation: 'sagemaker:CreateModelPackage', path: 'CustomerMetadataProperties.TriggerAlarm' },
    ]);
  });

  test('a realistic drift alarm: every member within its limits, the full reason kept in the description', async () => {
    const event = metricAlarmEvent();
    const { start, violations } = await run(event);
    expect(violations).toEqual([]);
    expect(parameter(start, 'TriggerReason')).toBe(
      'alarm:Mlops-recommendation-Serving-MonitoringAlarmsFeatureDriftage3F2A1B0C-1Q2W3E4R5T6Y metric=feature_baseline_drift_age value=0.34 threshold=0.2 time=2026-11-27T10:00:13.467+0000');
    expect(parameter(start, 'TriggerAlarm')).toBe(event.detail.alarmName);
    // The description keeps what the parameter leaves out: the full metric with its dimensions and CloudWatch's reason.
    expect(start.PipelineExecutionDescription).toContain(event.detail.state.reason);
    expect(start.PipelineExecutionDescription).toContain(
      'aws/sagemaker/Endpoints/data-metrics/feature_baseline_drift_age{Endpoint=Mlops-recommendation-Serving-Endpoint-4F8A2C1D9E7B,MonitoringSchedule=Mlops-recommendation-Serving-DataQuality-7C3E9A1B5D2F,Feature=age}');
    expect(start.PipelineExecutionDisplayName).toBe('alarm-Mlops-recommendation-Serving-MonitoringAlarmsFeatureDriftage3F2A1B0C-1Q2W3E4'); // 82 characters
  });

  test('a 255-character alarm name with {},"\' and non-ASCII characters', async () => {
    expect(HOSTILE_NAME.length).toBe(MAX_ALARM_NAME);
    const event = metricAlarmEvent({ alarmName: HOSTILE_NAME });
    const { start, violations } = await run(event);
    expect(violations).toEqual([]);
    const reason = parameter(start, 'TriggerReason');
    expect(reason.length).toBeLessThanOrEqual(256);
    expect(reason).toMatch(/^alarm:Drift -Endpoint=-rec-prod- Feature=-âge- - 0\.2 - Überwachung 漢字 - Drift/);
    // Cut names keep the measurement: value, threshold and time always fit.
    expect(reason).toMatch(/ value=0\.34 threshold=0\.2 time=2026-11-27T10:00:13\.467\+0000$/);
    expect(parameter(start, 'TriggerAlarm').length).toBeLessThanOrEqual(256);
    expect(start.PipelineExecutionDescription).toContain(HOSTILE_NAME);
    expect(start.PipelineExecutionDisplayName).toMatch(/^alarm-Drift-Endpoint-rec-prod-Feature-ge-0-2-berwachung-Drift/);
  });

  test('a metric-math alarm: the returned expression\'s label names the metric', async () => {
    const { start, violations } = await run(metricMathAlarmEvent());
    expect(violations).toEqual([]);
    expect(parameter(start, 'TriggerReason')).toBe(
      'alarm:recommendation-max-feature-drift metric=Max feature drift -age- genre- rating- value=0.38 threshold=0.3 time=2026-11-27T11:00:09.090+0000');
    expect(start.PipelineExecutionDescription).toContain('expression MAX([m1, m2, m3])');
  });

  test('a composite alarm: no metric or threshold, the rule in the description', async () => {
    const event = compositeAlarmEvent();
    const { start, violations } = await run(event);
    expect(violations).toEqual([]);
    expect(parameter(start, 'TriggerReason')).toBe('alarm:recommendation-any-drift time=2026-11-27T10:00:14.012+0000');
    expect(start.PipelineExecutionDescription).toContain(`rule ${event.detail.configuration.alarmRule}`);
    expect(start.PipelineExecutionDescription).toContain(event.detail.state.reason);
  });

  test('a composite alarm with a 255-character name', async () => {
    const { violations } = await run(compositeAlarmEvent({ alarmName: HOSTILE_NAME }));
    expect(violations).toEqual([]);
  });

  test('a scheduled event', async () => {
    const { start, violations } = await run(scheduledEvent());
    expect(violations).toEqual([]);
    expect(parameter(start, 'TriggerReason')).toBe('schedule time=2026-11-29T03:00:00Z');
    expect(parameter(start, 'TriggerAlarm')).toBe('none');
  });

  test('a state reason with line breaks and a 1,023-character length stays one line in the description', async () => {
    const reason = `Threshold Crossed:\n${'x'.repeat(1000)}\r\nend\u2028`;
    const { start, violations } = await run(metricAlarmEvent({ reason }));
    expect(violations).toEqual([]);
    expect(start.PipelineExecutionDescription).toContain(`Threshold Crossed: ${'x'.repeat(1000)} end`);
  });

  test('property: 300 generated alarm names, reasons, values and times (seeded) all give valid calls', async () => {
    const random = seededRandom(20261127);
    const all: string[] = [];
    for (let i = 0; i < 300; i++) {
      const kind = random();
      const name = randomAlarmName(random);
      const value = (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
      const threshold = random() < 0.1 ? Number.MAX_VALUE : (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
      const event = kind < 0.6
        ? metricAlarmEvent({ alarmName: name, value, threshold, feature: randomText(random, 1 + Math.floor(random() * 40)), reason: randomText(random, Math.floor(random() * 1023)) })
        : kind < 0.8 ? metricMathAlarmEvent({ alarmName: name }) : compositeAlarmEvent({ alarmName: name });
      if (random() < 0.2) event.detail.state.timestamp = randomText(random, Math.floor(random() * 60));
      if (random() < 0.1) event.id = randomText(random, Math.floor(random() * 200));
      const { start, violations } = await run(event);
      all.push(...violations.map((v) => `#${i} ${JSON.stringify(name)}: ${v}`));
      // The summary never loses the kind.
      expect(parameter(start, 'TriggerReason')).toMatch(/^alarm:/);
    }
    expect(all.slice(0, 20)).toEqual([]);
  });
});

describe('the limits checker catches what the old values broke', () => {
  test('the old TriggerReason of a realistic drift alarm (340 characters with {, and }) breaks CustomerMetadataProperties', () => {
    const old = 'alarm:Mlops-recommendation-Serving-MonitoringAlarmsFeatureDriftage3F2A1B0C-1Q2W3E4R5T6Y metric=aws/sagemaker/Endpoints/data-metrics/feature_baseline_drift_age{Endpoint=Mlops-recommendation-Serving-Endpoint-4F8A2C1D9E7B,MonitoringSchedule=Mlops-recommendation-Serving-DataQuality-7C3E9A1B5D2F,Feature=age} value=0.34 threshold=0.2 time=2026-11-27T10:00:13.467+0000';
    expect(old.length).toBeGreaterThan(256);
    expect(CUSTOMER_METADATA_PATTERN.test(old)).toBe(false);
    expect(apiViolations('sagemaker:CreateModelPackage', { CustomerMetadataProperties: { TriggerReason: old } })).toEqual([
      expect.stringMatching(/^sagemaker:CreateModelPackage CustomerMetadataProperties\.TriggerReason is \d+ characters, more than 256/),
    ]);
  });
});
