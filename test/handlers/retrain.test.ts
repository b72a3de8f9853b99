import {
  ListPipelineExecutionsCommand, ResourceNotFound, SageMakerClient, StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lib/handlers/retrain';
import { requestToken } from '../../lib/handlers/retrain/request-token';
import { isRetryable } from '../../lib/handlers/retrain/retry';

const sagemaker = mockClient(SageMakerClient);
const PIPELINE = 'recommendation-training';
const EXECUTION_ARN = `arn:aws:sagemaker:eu-west-1:123456789012:pipeline/${PIPELINE}/execution/abc123`;
const HOUR = 3600 * 1000;

const alarmEvent = {
  'version': '0',
  'id': 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
  'detail-type': 'CloudWatch Alarm State Change',
  'source': 'aws.cloudwatch',
  'account': '123456789012',
  'time': '2024-05-01T10:00:00Z',
  'region': 'eu-west-1',
  'resources': ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:recommendation-feature-drift'],
  'detail': {
    alarmName: 'recommendation-feature-drift',
    state: {
      value: 'ALARM',
      reason: 'Threshold Crossed: 1 out of the last 1 datapoints [0.42 (01/05/24 09:55:00)] was greater than the threshold (0.3).',
      reasonData: JSON.stringify({ version: '1.0', statistic: 'Maximum', period: 3600, recentDatapoints: [0.42], threshold: 0.3 }),
      timestamp: '2024-05-01T10:00:00.123+0000',
    },
    previousState: { value: 'OK' },
    configuration: {
      metrics: [{
        id: 'm1',
        metricStat: {
          metric: { namespace: 'aws/sagemaker/Endpoints/data-metrics', name: 'feature_baseline_drift_age', dimensions: { Endpoint: 'rec', MonitoringSchedule: 'rec-dq' } },
          period: 3600, stat: 'Maximum',
        },
        returnData: true,
      }],
    },
  },
};

const scheduleEvent = {
  'version': '0',
  'id': '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  'source': 'aws.events',
  'account': '123456789012',
  'time': '2024-05-05T03:00:00Z',
  'region': 'eu-west-1',
  'resources': ['arn:aws:events:eu-west-1:123456789012:rule/RetrainSchedule'],
  'detail': {},
};

let output: string[];

beforeEach(() => {
  sagemaker.reset();
  process.env.PIPELINE_NAME = PIPELINE;
  process.env.COOLDOWN_SECONDS = String(24 * 3600);
  delete process.env.REASON_PARAMETER_NAME;
  delete process.env.ALARM_PARAMETER_NAME;
  process.env.RETRY_BASE_DELAY_MS = '1';
  process.env.RETRY_ATTEMPTS = '4';
  output = [];
  // Only the handler's JSON lines (Node may write its own warnings to stderr).
  const capture = (chunk: any) => { if (String(chunk).startsWith('{')) output.push(String(chunk)); return true; };
  jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  sagemaker.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: EXECUTION_ARN });
});

afterEach(() => jest.restoreAllMocks());

/** The JSON lines the handler wrote, parsed. */
function logLines(): any[] {
  return output.join('').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}
function decisions(): string[] {
  return logLines().filter((l) => l.decision).map((l) => l.decision);
}
function startInputs() {
  return sagemaker.commandCalls(StartPipelineExecutionCommand).map((c) => c.args[0].input);
}

describe('retrain handler: debounce', () => {
  test('starts nothing while an execution of the pipeline is Executing', async () => {
    sagemaker.on(ListPipelineExecutionsCommand).resolves({
      PipelineExecutionSummaries: [
        { PipelineExecutionArn: EXECUTION_ARN, PipelineExecutionStatus: 'Executing', StartTime: new Date(Date.now() - 30 * HOUR) },
      ],
    });
    const result = await handler(alarmEvent);
    expect(result.decision).toBe('skipped-running');
    expect(result.blockingExecutionArn).toBe(EXECUTION_ARN);
    expect(startInputs()).toHaveLength(0);
    expect(decisions()).toEqual(['skipped-running']);
  });

  test('a Stopping execution blocks too, even behind newer finished ones', async () => {
    sagemaker.on(ListPipelineExecutionsCommand).resolves({
      PipelineExecutionSummaries: [
        { PipelineExecutionArn: 'newer', PipelineExecutionStatus: 'Failed', StartTime: new Date(Date.now() - 40 * HOUR) },
        { PipelineExecutionArn: 'older', PipelineExecutionStatus: 'Stopping', StartTime: new Date(Date.now() - 50 * HOUR) },
      ],
    });
    const result = await handler(scheduleEvent);
    expect(result).toMatchObject({ decision: 'skipped-running', blockingExecutionArn: 'older' });
    expect(startInputs()).toHaveLength(0);
  });

  test('reads every page of executions, sorted by creation time descending', async () => {
    sagemaker.on(ListPipelineExecutionsCommand)
      .resolvesOnce({ PipelineExecutionSummaries: [{ PipelineExecutionStatus: 'Succeeded', StartTime: new Date(Date.now() - 48 * HOUR) }], NextToken: 'page2' })
      .resolvesOnce({ PipelineExecutionSummaries: [{ PipelineExecutionArn: 'old-running', PipelineExecutionStatus: 'Executing', StartTime: new Date(Date.now() - 96 * HOUR) }] });
    const result = await handler(alarmEvent);
    expect(result.decision).toBe('skipped-running');
    const calls = sagemaker.commandCalls(ListPipelineExecutionsCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ PipelineName: PIPELINE, SortBy: 'CreationTime', SortOrder: 'Descending' });
    expect(calls[1].NextToken).toBe('page2');
  });

  test('starts nothing within the cool-down after the last started execution', async () => {
    const lastStart = new Date(Date.now() - 2 * HOUR);
    sagemaker.on(ListPipelineExecutionsCommand).resolves({
      PipelineExecutionSummaries: [{ PipelineExecutionArn: EXECUTION_ARN, PipelineExecutionStatus: 'Succeeded', StartTime: lastStart }],
    });
    const result = await handler(alarmEvent);
    expect(result.decision).toBe('skipped-cooldown');
    expect(result.cooldownEndsAt).toBe(new Date(lastStart.getTime() + 24 * HOUR).toISOString());
    expect(startInputs()).toHaveLength(0);
    expect(decisions()).toEqual(['skipped-cooldown']);
  });

  test('the cool-down comes from COOLDOWN_SECONDS', async () => {
    process.env.COOLDOWN_SECONDS = String(3600);
    sagemaker.on(ListPipelineExecutionsCommand).resolves({
      PipelineExecutionSummaries: [{ PipelineExecutionStatus: 'Succeeded', StartTime: new Date(Date.now() - 2 * HOUR) }],
    });
    const result = await handler(alarmEvent);
    expect(result.decision).toBe('started');
    expect(startInputs()).toHaveLength(1);
    expect(decisions()).toEqual(['started']);
  });
});

describe('retrain handler: reasons in the audit trail', () => {
  beforeEach(() => {
    sagemaker.on(ListPipelineExecutionsCommand).resolves({ PipelineExecutionSummaries: [] });
  });

  test('an alarm passes alarm name, metric, value and time as parameters and description', async () => {
    const result = await handler(alarmEvent);
    expect(result).toMatchObject({ decision: 'started', pipelineExecutionArn: EXECUTION_ARN });
    const [input] = startInputs();
    expect(input.PipelineName).toBe(PIPELINE);
    expect(input.PipelineParameters).toEqual([
      {
        Name: 'TriggerReason',
        Value: 'alarm:recommendation-feature-drift metric=feature_baseline_drift_age value=0.42 threshold=0.3 time=2024-05-01T10:00:00.123+0000',
      },
      { Name: 'TriggerAlarm', Value: 'recommendation-feature-drift' },
    ]);
    expect(input.PipelineExecutionDescription).toContain("Retraining triggered by alarm 'recommendation-feature-drift'");
    expect(input.PipelineExecutionDescription).toContain('value 0.42');
    expect(input.PipelineExecutionDescription).toContain('Threshold Crossed');
    expect(input.PipelineExecutionDescription).toContain('aws/sagemaker/Endpoints/data-metrics/feature_baseline_drift_age{Endpoint=rec,MonitoringSchedule=rec-dq}');
    expect(input.PipelineExecutionDisplayName).toBe('alarm-recommendation-feature-drift');
    const started = logLines().find((l) => l.decision === 'started');
    expect(started).toMatchObject({ level: 'INFO', pipelineName: PIPELINE, eventId: alarmEvent.id, pipelineExecutionArn: EXECUTION_ARN });
    expect(started.reason).toMatchObject({ kind: 'alarm', alarmName: 'recommendation-feature-drift', value: 0.42 });
  });

  test('a schedule passes "schedule" as the reason and no alarm', async () => {
    await handler(scheduleEvent);
    const [input] = startInputs();
    expect(input.PipelineParameters).toEqual([
      { Name: 'TriggerReason', Value: 'schedule time=2024-05-05T03:00:00Z' },
      { Name: 'TriggerAlarm', Value: 'none' },
    ]);
    expect(input.PipelineExecutionDescription).toBe(
      'Retraining triggered by schedule at 2024-05-05T03:00:00Z (rule arn:aws:events:eu-west-1:123456789012:rule/RetrainSchedule)');
    expect(input.PipelineExecutionDisplayName).toBe('schedule');
  });

  test('empty parameter names pass the reason only as the description', async () => {
    process.env.REASON_PARAMETER_NAME = '';
    process.env.ALARM_PARAMETER_NAME = '';
    await handler(alarmEvent);
    const [input] = startInputs();
    expect(input.PipelineParameters).toBeUndefined();
    expect(input.PipelineExecutionDescription).toContain('recommendation-feature-drift');
  });

  test('custom parameter names are used', async () => {
    process.env.REASON_PARAMETER_NAME = 'RetrainReason';
    process.env.ALARM_PARAMETER_NAME = '';
    await handler(scheduleEvent);
    expect(startInputs()[0].PipelineParameters).toEqual([{ Name: 'RetrainReason', Value: 'schedule time=2024-05-05T03:00:00Z' }]);
  });

  test('values are cut to SageMaker limits (description 3072, parameter 256 as model metadata, display name 82)', async () => {
    const longName = 'a'.repeat(300);
    const event = {
      ...alarmEvent,
      detail: { ...alarmEvent.detail, alarmName: `${longName}-${longName}-${longName}-${longName}`, state: { ...alarmEvent.detail.state, reason: 'x'.repeat(5000) } },
    };
    await handler(event);
    const [input] = startInputs();
    expect(input.PipelineExecutionDescription!.length).toBe(3072);
    for (const p of input.PipelineParameters!) expect(p.Value!.length).toBeLessThanOrEqual(256);
    expect(input.PipelineParameters![0].Value).toMatch(/^alarm:a{100,}\.\.\. value=0\.42 threshold=0\.3 time=2024-05-01T10:00:00\.123\+0000$/);
    expect(input.PipelineExecutionDisplayName!.length).toBeLessThanOrEqual(82);
    expect(input.PipelineExecutionDisplayName).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}$/);
  });
});

describe('retrain handler: resilience', () => {
  beforeEach(() => {
    sagemaker.on(ListPipelineExecutionsCommand).resolves({ PipelineExecutionSummaries: [] });
  });

  test('throttled, then succeeds with the same request token', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    sagemaker.on(ListPipelineExecutionsCommand).rejectsOnce(throttled).resolves({ PipelineExecutionSummaries: [] });
    sagemaker.on(StartPipelineExecutionCommand).rejectsOnce(throttled).resolves({ PipelineExecutionArn: EXECUTION_ARN });
    const result = await handler(alarmEvent);
    expect(result.decision).toBe('started');
    expect(sagemaker.commandCalls(ListPipelineExecutionsCommand)).toHaveLength(2);
    const inputs = startInputs();
    expect(inputs).toHaveLength(2);
    expect(inputs[0].ClientRequestToken).toBe(inputs[1].ClientRequestToken);
    expect(logLines().filter((l) => l.retry).map((l) => l.errorName)).toEqual(['ThrottlingException', 'ThrottlingException']);
  });

  test('gives up after RETRY_ATTEMPTS and logs the error decision', async () => {
    process.env.RETRY_ATTEMPTS = '3';
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    sagemaker.on(StartPipelineExecutionCommand).rejects(throttled);
    await expect(handler(alarmEvent)).rejects.toThrow('Rate exceeded');
    expect(startInputs()).toHaveLength(3);
    expect(decisions()).toEqual(['error']);
  });

  test('a non-retryable error is not retried', async () => {
    const invalid = Object.assign(new Error('Parameter TriggerReason is not declared'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    sagemaker.on(StartPipelineExecutionCommand).rejects(invalid);
    await expect(handler(alarmEvent)).rejects.toThrow('not declared');
    expect(startInputs()).toHaveLength(1);
  });

  test('a re-delivered event asks for the same execution (same ClientRequestToken)', async () => {
    await handler(alarmEvent);
    await handler({ ...alarmEvent });
    await handler({ ...alarmEvent, id: '0f0e4c57-1c3b-4a3b-8a4e-5e7d7f8e9a10' });
    const tokens = startInputs().map((i) => i.ClientRequestToken);
    expect(tokens[0]).toBe(tokens[1]);
    expect(tokens[2]).not.toBe(tokens[0]);
    expect(tokens[0]).toMatch(new RegExp(`^retrain-${alarmEvent.id}-[0-9a-f]{12}$`));
    for (const token of tokens) {
      expect(token!.length).toBeGreaterThanOrEqual(32);
      expect(token!.length).toBeLessThanOrEqual(128);
    }
  });

  test('one alarm event reaching the triggers of two pipelines starts both (the token names the pipeline)', async () => {
    await handler(alarmEvent);
    process.env.PIPELINE_NAME = 'another-training';
    await handler(alarmEvent);
    const [first, second] = startInputs();
    expect(first.PipelineName).not.toBe(second.PipelineName);
    expect(first.ClientRequestToken).not.toBe(second.ClientRequestToken);
  });

  test('a missing pipeline fails with a clear error', async () => {
    sagemaker.on(ListPipelineExecutionsCommand).rejects(new ResourceNotFound({ message: 'Pipeline does not exist', $metadata: { httpStatusCode: 400 } }));
    await expect(handler(alarmEvent)).rejects.toThrow(
      `pipeline '${PIPELINE}' was not found (ResourceNotFound: Pipeline does not exist): check that the training pipeline is deployed`);
    expect(startInputs()).toHaveLength(0);
    const error = logLines().find((l) => l.decision === 'error');
    expect(error).toMatchObject({ level: 'ERROR', errorName: 'ResourceNotFound', pipelineName: PIPELINE });
  });

  test('a missing PIPELINE_NAME fails naming the variable', async () => {
    delete process.env.PIPELINE_NAME;
    await expect(handler(alarmEvent)).rejects.toThrow('PIPELINE_NAME must be set');
  });
});

describe('retrain handler helpers', () => {
  test('request tokens hash ids that do not fit 32-128 characters of [A-Za-z0-9-]', () => {
    const short = requestToken('abc', PIPELINE);
    const odd = requestToken('id with spaces/and:colons'.repeat(10), PIPELINE);
    expect(short).toMatch(/^retrain-[0-9a-f]{64}$/);
    expect(odd).toMatch(/^retrain-[0-9a-f]{64}$/);
    expect(requestToken('abc', PIPELINE)).toBe(short);
  });

  test('throttling, 429 and 5xx are retryable; validation is not', () => {
    expect(isRetryable({ name: 'ThrottlingException' })).toBe(true);
    expect(isRetryable({ name: 'Whatever', $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isRetryable({ name: 'Whatever', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isRetryable({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } })).toBe(false);
    expect(isRetryable(undefined)).toBe(false);
  });
});
