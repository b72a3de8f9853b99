import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DataStore } from '../../lib/data/data-store';
import { IAlarmActionStrategy, SnsAlarmActionStrategy } from '../../lib/monitoring/alarm-action-strategy';
import { EndpointAlarms, EndpointAlarmsProps } from '../../lib/monitoring/endpoint-alarms';
import { MlopsDashboard } from '../../lib/monitoring/mlops-dashboard';
import { ModelMonitor } from '../../lib/monitoring/model-monitor';
import { EndpointMetrics } from '../../lib/monitoring/monitoring-metrics';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';
import { FakeEndpoint, FakePipeline } from './fixtures';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function monitorIn(stack: Stack, groundTruth = true): ModelMonitor {
  const store = new DataStore(stack, 'Store');
  return new ModelMonitor(stack, 'Monitor', {
    endpoint: new FakeEndpoint(stack, 'Endpoint', 'recommendation-endpoint'),
    dataCaptureBucket: store.bucket,
    baselineBucket: store.bucket,
    dataQualityStatisticsS3Uri: 's3://b-1/baselines/statistics.json',
    dataQualityConstraintsS3Uri: 's3://b-1/baselines/constraints.json',
    groundTruthBucket: groundTruth ? store.bucket : undefined,
    outputBucket: store.bucket,
  });
}

describe('EndpointAlarms and MlopsDashboard, nag-checked', () => {
  const app = checkedApp();
  const stack = new Stack(app, 'Alarms', { env: ENV });
  const monitor = monitorIn(stack);
  const endpoint = stack.node.findChild('Endpoint') as FakeEndpoint;
  const pipeline = new FakePipeline(stack, 'Pipeline', 'recommendation-training');
  const actions = new SnsAlarmActionStrategy(stack, 'OnCall', { email: 'ml-oncall@example.com' });
  const alarms = new EndpointAlarms(stack, 'EndpointAlarms', {
    endpoint, monitor, pipeline,
    variantNames: ['Champion', 'Challenger'],
    driftFeatures: ['item_price'],
    driftThresholds: { user_age: 0.35 },
    modelQualityThresholds: { accuracy: 0.75, false_positive_rate: 0.1 },
    latencyP99Ms: 300,
    actionStrategy: actions,
  });
  const dashboard = new MlopsDashboard(stack, 'Dashboard', { endpoint, monitor, alarms, pipeline });
  const { warnings } = synthAndCollectWarnings(app);
  const template = Template.fromStack(stack);
  const topicRef = { Ref: stack.getLogicalId(actions.topic.node.defaultChild as sns.CfnTopic) };
  const body = JSON.stringify(stack.resolve((dashboard.dashboard.node.defaultChild as cloudwatch.CfnDashboard).dashboardBody));

  test('nag-clean with no warnings left', () => {
    expect(warnings).toEqual([]);
  });

  test('drift alarm per feature: own threshold, or the default 0.2', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'aws/sagemaker/Endpoints/data-metrics',
      MetricName: 'feature_baseline_drift_user_age',
      Dimensions: [{ Name: 'Endpoint', Value: 'recommendation-endpoint' }, { Name: 'MonitoringSchedule', Value: monitor.dataQualityScheduleName }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0.35,
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'feature_baseline_drift_item_price', Threshold: 0.2 });
    expect(alarms.driftAlarms).toHaveLength(2);
    expect(alarms.driftThresholds).toEqual({ item_price: 0.2, user_age: 0.35 });
  });

  test('model-quality alarms: accuracy below its floor, false positive rate above its ceiling', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'aws/sagemaker/Endpoints/model-metrics', MetricName: 'accuracy', Threshold: 0.75, ComparisonOperator: 'LessThanThreshold',
      Dimensions: [{ Name: 'Endpoint', Value: 'recommendation-endpoint' }, { Name: 'MonitoringSchedule', Value: monitor.modelQualityScheduleName }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'false_positive_rate', Threshold: 0.1, ComparisonOperator: 'GreaterThanThreshold' });
  });

  test('p99 latency in microseconds over the worst variant', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 300000,
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'MAX([l0, l1])' }),
        Match.objectLike({ MetricStat: Match.objectLike({ Stat: 'p99', Metric: Match.objectLike({ MetricName: 'ModelLatency', Namespace: 'AWS/SageMaker', Dimensions: Match.arrayWith([{ Name: 'VariantName', Value: 'Challenger' }]) }) }) }),
      ]),
    });
  });

  test('5XX and 4XX error RATES: errors over invocations of every variant, in percent', () => {
    for (const [errorClass, threshold] of [['5XX', 1], ['4XX', 5]] as const) {
      const c = errorClass.toLowerCase();
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: threshold,
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: `IF((FILL(inv${c}_0, 0) + FILL(inv${c}_1, 0)) > 0, 100 * (FILL(err${c}_0, 0) + FILL(err${c}_1, 0)) / (FILL(inv${c}_0, 0) + FILL(inv${c}_1, 0)), 0)` }),
          Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: `Invocation${errorClass}Errors` }) }) }),
          Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'Invocations' }) }) }),
        ]),
      });
    }
  });

  test('failed monitoring jobs (EventBridge rule counted by AWS/Events) and failed pipeline executions', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events', MetricName: 'TriggeredRules', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Dimensions: [{ Name: 'RuleName', Value: { Ref: Match.stringLikeRegexp('MonitoringJobFailed') } }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Sagemaker/ModelBuildingPipeline', MetricName: 'ExecutionFailed', Statistic: 'Sum', Period: 3600,
      Dimensions: [{ Name: 'PipelineName', Value: 'recommendation-training' }], Threshold: 1,
    });
  });

  test('every alarm notifies the one topic on ALARM and OK; no hard-coded alarm names', () => {
    const all = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[];
    expect(all).toHaveLength(alarms.allAlarms.length);
    expect(all).toHaveLength(2 + 2 + 1 + 2 + 1 + 1);
    for (const alarm of all) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
      expect(alarm.Properties.OKActions).toEqual([topicRef]);
      expect(alarm.Properties.AlarmName).toBeUndefined();
    }
  });

  test('categories for the retraining trigger and the canary rollback', () => {
    expect(alarms.retrainingAlarms).toEqual([...alarms.driftAlarms, ...alarms.modelQualityAlarms]);
    expect(alarms.rollbackAlarms).toEqual([alarms.latencyAlarm, ...alarms.errorAlarms, ...alarms.modelQualityAlarms]);
    expect(alarms.allAlarms).toEqual(expect.arrayContaining([alarms.monitoringJobAlarm, alarms.pipelineAlarm]));
  });

  test('the topic: KMS-encrypted, SSL only, publishable by CloudWatch alarms of this account, e-mail subscription', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        // enforceSSL replaces SNS's default policy: without this statement no alarm could notify anyone.
        Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish',
          Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }),
      ]) },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ml-oncall@example.com', TopicArn: topicRef });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } })]) },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Sid: 'CloudWatchAlarmsPublishToTopic', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Principal: { Service: 'cloudwatch.amazonaws.com' },
      })]) },
    });
  });

  test('dashboard: derived name and the platform widgets', () => {
    const resource = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0] as any;
    expect(resource.Properties.DashboardName).toBe(dashboard.dashboardName);
    expect(dashboard.dashboardName).toMatch(/^Alarms-Dashboard-[A-Za-z0-9]+$/);
    for (const text of [
      'Pipeline executions', 'ExecutionSucceeded', 'ExecutionFailed', 'Invocations', 'Model latency p50 / p90 / p99',
      '\\"p50\\"', '\\"p90\\"', '\\"p99\\"', 'p99 latency per variant', 'Error rate (%)', '5XX / 4XX errors per variant',
      'Feature baseline drift', 'feature_baseline_drift_user_age', 'user_age threshold', 'Model quality', 'accuracy threshold',
      'Model registry versions have no CloudWatch metric', '\\"type\\":\\"alarm\\"',
    ]) {
      expect(body).toContain(text);
    }
    expect(body).toContain('\\"value\\":0.35');
    expect(body).toContain('\\"value\\":300000');
  });
});

describe('EndpointAlarms defaults and inputs', () => {
  test('defaults: accuracy >= 0.7, p99 1000 ms, 5XX 1% / 4XX 5%, single variant AllTraffic, a new SNS strategy', () => {
    const stack = new Stack(new App(), 'Defaults', { env: ENV });
    const monitor = monitorIn(stack);
    const alarms = new EndpointAlarms(stack, 'A', { endpoint: stack.node.findChild('Endpoint') as FakeEndpoint, monitor });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'accuracy', Threshold: 0.7 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ModelLatency', ExtendedStatistic: 'p99', Threshold: 1000000, Period: 300,
      Dimensions: Match.arrayWith([{ Name: 'VariantName', Value: 'AllTraffic' }]),
    });
    // The alarm asks the shared factory for p99 (its default, like ModelEndpoint.metricModelLatency(), is Average).
    const p99 = alarms.endpointMetrics.modelLatency('AllTraffic', { statistic: 'p99' });
    expect(stack.resolve(alarms.latencyAlarm.metric.toMetricConfig())).toEqual(stack.resolve(p99.toMetricConfig()));
    expect(alarms.endpointMetrics.modelLatency('AllTraffic').statistic).toBe('Average');
    expect(alarms.errorAlarms).toHaveLength(2);
    expect(alarms.driftAlarms).toHaveLength(0);
    expect(alarms.actionStrategy).toBeInstanceOf(SnsAlarmActionStrategy);
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });

  test('a custom strategy is applied to every alarm, without per-alarm code', () => {
    const stack = new Stack(new App(), 'Custom', { env: ENV });
    const seen: cloudwatch.Alarm[] = [];
    const strategy: IAlarmActionStrategy = { addActions: (alarm) => { seen.push(alarm); } };
    const alarms = new EndpointAlarms(stack, 'A', { endpoint: new FakeEndpoint(stack, 'E', 'ep'), actionStrategy: strategy });
    expect(seen).toEqual(alarms.allAlarms);
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 0);
  });

  const bad: [string, (stack: Stack) => Partial<EndpointAlarmsProps>, RegExp][] = [
    ['negative drift threshold', () => ({ driftThresholds: { user_age: -0.1 } }), /^driftThresholds.user_age must be a number >= 0, got -0.1 \(in Bad\/A\)$/],
    ['negative default drift', () => ({ defaultDriftThreshold: -1, driftFeatures: ['a'] }), /^defaultDriftThreshold must be a number >= 0, got -1 \(in Bad\/A\)$/],
    ['negative latency', () => ({ latencyP99Ms: -5 }), /^latencyP99Ms must be a number >= 0, got -5 \(in Bad\/A\)$/],
    ['error rate over 100', () => ({ errorRateThresholds: { '5XX': 120 } }), /^errorRateThresholds.5XX must be between 0 and 100, got 120 \(in Bad\/A\)$/],
    ['unknown error class', () => ({ errorRateThresholds: { '3XX': 1 } }), /^errorRateThresholds key must be '5XX' or '4XX', got '3XX' \(in Bad\/A\)$/],
    ['negative model quality', () => ({ modelQualityThresholds: { accuracy: -1 } }), /^modelQualityThresholds.accuracy must be a number >= 0, got -1 \(in Bad\/A\)$/],
    ['unknown model-quality metric', () => ({ modelQualityThresholds: { rmse: 1 } }), /^modelQualityThresholds key for BinaryClassification must be one of accuracy, .*, got 'rmse' \(in Bad\/A\)$/],
    ['bad feature name', () => ({ driftFeatures: ['user age'] }), /^driftFeatures must be a label of 1 to 200 .*, got 'user age' \(in Bad\/A\)$/],
  ];
  test.each(bad)('%s stops synth with one line', (_name, extra, message) => {
    const stack = new Stack(new App(), 'Bad', { env: ENV });
    const monitor = monitorIn(stack);
    expect(() => new EndpointAlarms(stack, 'A', { endpoint: stack.node.findChild('Endpoint') as FakeEndpoint, monitor, ...extra(stack) }))
      .toThrow(message);
  });

  test('drift alarms need a monitor; model-quality thresholds need ground truth', () => {
    const stack = new Stack(new App(), 'NoMonitor', { env: ENV });
    expect(() => new EndpointAlarms(stack, 'A', { endpoint: new FakeEndpoint(stack, 'E', 'ep'), driftFeatures: ['a'] }))
      .toThrow(/^monitor must be given for drift alarms, got undefined \(in NoMonitor\/A\)$/);
    const stack2 = new Stack(new App(), 'NoGroundTruth', { env: ENV });
    const monitor = monitorIn(stack2, false);
    expect(() => new EndpointAlarms(stack2, 'A', { endpoint: stack2.node.findChild('Endpoint') as FakeEndpoint, monitor, modelQualityThresholds: { accuracy: 0.8 } }))
      .toThrow(/^monitor must monitor model quality \(groundTruthBucket\) for modelQualityThresholds/);
  });

  test.each(['not-an-email', 'a@b', 'two words@example.com'])('a malformed e-mail stops synth with one line: %s', (email) => {
    const stack = new Stack(new App(), 'Email');
    expect(() => new SnsAlarmActionStrategy(stack, 'S', { email })).toThrow(new RegExp(`^email must be an e-mail address like 'ml-oncall@example.com', got '${email}' \\(in Email/S\\)$`));
  });

  test('a given topic is used as is; giving it with an e-mail is an error', () => {
    const stack = new Stack(new App(), 'Topic', { env: ENV });
    const topic = sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:eu-west-1:123456789012:alerts');
    expect(new SnsAlarmActionStrategy(stack, 'S', { topic }).topic).toBe(topic);
    expect(() => new SnsAlarmActionStrategy(stack, 'S2', { topic, email: 'a@example.com' })).toThrow(/^topic and email cannot both be given/);
    const key = new kms.Key(stack, 'K');
    expect(() => new SnsAlarmActionStrategy(stack, 'S3', { topic, encryptionKey: key })).toThrow(/^topic and encryptionKey cannot both be given/);
  });

  test('dashboard name: a given valid name is used, an invalid one stops synth', () => {
    const stack = new Stack(new App(), 'Dash', { env: ENV });
    const endpoint = new FakeEndpoint(stack, 'E', 'ep');
    expect(new MlopsDashboard(stack, 'D', { endpoint, dashboardName: 'my-dash_1' }).dashboardName).toBe('my-dash_1');
    expect(() => new MlopsDashboard(stack, 'D2', { endpoint, dashboardName: 'my dash' }))
      .toThrow(/^dashboardName must be 1 to 255 letters, digits, '-' or '_', got 'my dash' \(in Dash\/D2\)$/);
  });

  test('metric factories: variants are required and error classes checked', () => {
    expect(() => new EndpointMetrics('ep', [])).toThrow(/^variantNames must be a non-empty list/);
    expect(() => new EndpointMetrics('ep').errorRate('3XX')).toThrow(/^errorClass must be '5XX' or '4XX', got '3XX'$/);
  });
});
