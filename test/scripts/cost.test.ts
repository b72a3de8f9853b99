import * as fs from 'fs';
import * as path from 'path';
import { COST_ROWS, rowCost, synthesizeRow } from '../../scripts/cost/platform-cost';
import { TABLE_HEADER, tableRow } from '../../scripts/cost/report';
import { runsPerMonth } from '../../scripts/cost/cron';
import {
  CfnTemplate, alarmMetrics, difference, endpointVariants, idleCost, monitoringSchedules, networkUse, totalOf,
} from '../../scripts/cost/template-cost';

/** An endpoint, its config with one instance variant, one shadow variant and one serverless variant, and autoscaling. */
const ENDPOINT: CfnTemplate = {
  Resources: {
    Config: {
      Type: 'AWS::SageMaker::EndpointConfig',
      Properties: {
        ProductionVariants: [
          { VariantName: 'AllTraffic', InstanceType: 'ml.m5.large', InitialInstanceCount: 2 },
          { VariantName: 'Serverless', ServerlessConfig: { MaxConcurrency: 5, MemorySizeInMB: 2048 } },
        ],
        ShadowProductionVariants: [{ VariantName: 'Shadow', InstanceType: 'ml.m5.xlarge', InitialInstanceCount: 1 }],
      },
    },
    Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: { 'Fn::GetAtt': ['Config', 'EndpointConfigName'] } } },
    // Scales the shadow variant in to 3 at idle; the production variant has no target and keeps its 2.
    Scaling: {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: {
        MinCapacity: 3, MaxCapacity: 6, ScalableDimension: 'sagemaker:variant:DesiredInstanceCount', ServiceNamespace: 'sagemaker',
        ResourceId: { 'Fn::Join': ['', ['endpoint/', { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] }, '/variant/Shadow']] },
      },
    },
    UnusedConfig: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: [{ VariantName: 'A', InstanceType: 'ml.m5.large', InitialInstanceCount: 9 }] } },
  },
};

/** An hourly schedule naming its job definition as the platform does (Select/Split of its ARN), and a daily inline one. */
const MONITORING: CfnTemplate = {
  Resources: {
    Quality: {
      Type: 'AWS::SageMaker::DataQualityJobDefinition',
      Properties: { JobResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20 } }, StoppingCondition: { MaxRuntimeInSeconds: 1800 } },
    },
    Hourly: {
      Type: 'AWS::SageMaker::MonitoringSchedule',
      Properties: {
        MonitoringScheduleConfig: {
          MonitoringJobDefinitionName: { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['Quality', 'JobDefinitionArn'] }] }] },
          MonitoringType: 'DataQuality',
          ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' },
        },
      },
    },
    Daily: {
      Type: 'AWS::SageMaker::MonitoringSchedule',
      Properties: {
        MonitoringScheduleConfig: {
          MonitoringJobDefinition: { MonitoringResources: { ClusterConfig: { InstanceCount: 2, InstanceType: 'ml.m5.large', VolumeSizeInGB: 20 } } },
          ScheduleConfig: { ScheduleExpression: 'cron(0 0 ? * * *)' },
        },
      },
    },
  },
};

const metricStat = (name: string, period: number) => ({ Id: name, MetricStat: { Metric: { MetricName: name, Namespace: 'X' }, Period: period, Stat: 'Sum' }, ReturnData: false });
const ALARMS: CfnTemplate = {
  Resources: {
    Key1: { Type: 'AWS::KMS::Key' },
    Key2: { Type: 'AWS::KMS::Key' },
    Single: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'ModelLatency', Period: 300, ExtendedStatistic: 'p99' } },
    Math: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { Metrics: [{ Id: 'e', Expression: '100 * errors / invocations', ReturnData: true }, metricStat('errors', 300), metricStat('invocations', 300)] },
    },
    HighResolution: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Invocations', Period: 10 } },
    Anomaly: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { Metrics: [metricStat('m', 300), { Id: 'band', Expression: 'ANOMALY_DETECTION_BAND(m, 2)', ReturnData: true }], ThresholdMetricId: 'band' },
    },
    Composite: { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmRule: 'ALARM(Single)' } },
    Dashboard: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: '{}' } },
    Secret: { Type: 'AWS::SecretsManager::Secret' },
    Interface: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Interface', SubnetIds: ['a', 'b'] } },
    Gateway: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Gateway' } },
    Nat: { Type: 'AWS::EC2::NatGateway' },
    Bucket: { Type: 'AWS::S3::Bucket' },
  },
};

describe('cost functions over hand-made templates', () => {
  test('runs per month of a cron schedule, over 730 hours', () => {
    expect(runsPerMonth('cron(0 * ? * * *)')).toBeCloseTo(730);
    expect(runsPerMonth('cron(0 0 ? * * *)')).toBeCloseTo(730 / 24);
    expect(runsPerMonth('cron(0 */6 ? * * *)')).toBeCloseTo(4 * 730 / 24);
    expect(runsPerMonth('cron(0 8,20 ? * 2-6 *)')).toBeCloseTo(2 * 5 * 730 / 24 / 7);
    expect(() => runsPerMonth('NOW')).toThrow("cannot count the runs of schedule 'NOW'");
    expect(() => runsPerMonth('cron(0 25 ? * * *)')).toThrow("field '25' is outside 0-23");
  });

  test('endpoint instances: InitialInstanceCount, the autoscaling MinCapacity when a target scales the variant, 0 serverless', () => {
    expect(endpointVariants(ENDPOINT)).toEqual([
      { variant: 'Endpoint/AllTraffic', instanceType: 'ml.m5.large', instances: 2 },
      { variant: 'Endpoint/Serverless', instanceType: 'serverless', instances: 0 },
      { variant: 'Endpoint/Shadow', instanceType: 'ml.m5.xlarge', instances: 3 },
    ]); // the config no endpoint uses costs nothing
    const items = idleCost([ENDPOINT]).items;
    expect(items.map((i) => [i.item, i.quantity, i.monthlyUsd])).toEqual([
      ['endpoint ml.m5.large', 2 * 730, 2 * 730 * 0.115],
      ['endpoint ml.m5.xlarge', 3 * 730, 3 * 730 * 0.23],
    ]);
  });

  test('an instance type without a price, or serverless provisioned concurrency, stops the report with one line', () => {
    const config = ENDPOINT.Resources!.Config.Properties;
    const withType = (variant: object): CfnTemplate => ({
      Resources: { ...ENDPOINT.Resources, Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ...config, ProductionVariants: [variant] } } },
    });
    expect(() => idleCost([withType({ VariantName: 'A', InstanceType: 'ml.p4d.24xlarge', InitialInstanceCount: 1 })]))
      .toThrow("no hosting price for instance type 'ml.p4d.24xlarge' in scripts/cost/prices.ts");
    expect(() => endpointVariants(withType({ VariantName: 'A', ServerlessConfig: { MaxConcurrency: 1, MemorySizeInMB: 1024, ProvisionedConcurrency: 1 } })))
      .toThrow('endpoint variant Endpoint/A: provisioned concurrency costs while idle');
  });

  test('monitoring jobs: runs from the cron, instances and maximum runtime from the job definition', () => {
    expect(monitoringSchedules(MONITORING)).toEqual([
      { schedule: 'Hourly', instanceType: 'ml.m5.xlarge', instanceCount: 1, runsPerMonth: 730, maxRuntimeHours: 0.5 },
      { schedule: 'Daily', instanceType: 'ml.m5.large', instanceCount: 2, runsPerMonth: 730 / 24, maxRuntimeHours: 1 },
    ]);
    const noCluster: CfnTemplate = { Resources: { ...MONITORING.Resources, Quality: { Type: 'AWS::SageMaker::DataQualityJobDefinition', Properties: {} } } };
    expect(() => monitoringSchedules(noCluster)).toThrow('monitoring schedule Hourly: its job has no ClusterConfig.InstanceType to price');
    const [hourly, daily] = idleCost([MONITORING]).items;
    // 10 minutes a run; the upper bound bills each run its maximum runtime.
    expect(hourly.item).toBe('monitoring jobs ml.m5.xlarge');
    expect(hourly.quantity).toBeCloseTo(730 / 6);
    expect(hourly.monthlyUsd).toBeCloseTo(730 / 6 * 0.23);
    expect(hourly.upperBoundUsd).toBeCloseTo(730 * 0.5 * 0.23);
    expect(daily.quantity).toBeCloseTo(2 * 730 / 24 / 6);
    expect(daily.upperBoundUsd).toBeCloseTo(2 * 730 / 24 * 0.115);
  });

  test('keys, alarms per metric (math, high resolution, anomaly band, composite), dashboards, secrets, network', () => {
    expect(alarmMetrics(ALARMS)).toEqual({ standardMetrics: 1 + 2 + 3, highResolutionMetrics: 1, composite: 1 });
    expect(networkUse(ALARMS)).toEqual({ interfaceEndpointAzs: 2, natGateways: 1 });
    const cost = idleCost([ALARMS]);
    expect(cost.items.map((i) => [i.item, i.quantity, Math.round(i.monthlyUsd * 100) / 100])).toEqual([
      ['KMS keys', 2, 2],
      ['alarm metrics', 6, 0.6],
      ['high-resolution alarm metrics', 1, 0.3],
      ['composite alarms', 1, 0.5],
      ['dashboards', 1, 3],
      ['secrets', 1, 0.4],
      ['interface VPC endpoint AZs', 2 * 730, 14.6],
      ['NAT gateways', 730, 32.85],
    ]);
    expect(totalOf(cost.items).monthlyUsd).toBeCloseTo(2 + 0.6 + 0.3 + 0.5 + 3 + 0.4 + 14.6 + 32.85);
    expect(cost.perUse.map((p) => [p.type, p.count])).toEqual([['AWS::S3::Bucket', 1]]);
  });

  test('items add up across templates; the difference of two costs is item by item', () => {
    const one = idleCost([ALARMS]).items;
    const two = idleCost([ALARMS, ALARMS, ENDPOINT]).items;
    expect(difference(two, one).map((i) => [i.item, i.quantity])).toEqual([
      ['KMS keys', 2], ['alarm metrics', 6], ['high-resolution alarm metrics', 1], ['composite alarms', 1], ['dashboards', 1],
      ['secrets', 1], ['interface VPC endpoint AZs', 1460], ['NAT gateways', 730], ['endpoint ml.m5.large', 1460], ['endpoint ml.m5.xlarge', 2190],
    ]);
  });
});

describe('cost of the synthesized platform', () => {
  const row = (label: string) => COST_ROWS.find((r) => r.label === label)!;

  test('level 2 without a served model has no endpoint: 0 instance-hours', () => {
    const templates = synthesizeRow(row('2, not served yet'), 1);
    expect(templates.flatMap(endpointVariants)).toEqual([]);
    const items = idleCost(templates).items;
    expect(items.filter((i) => i.item.startsWith('endpoint '))).toEqual([]);
    expect(items.find((i) => i.item === 'KMS keys')!.quantity).toBeGreaterThan(0); // the walk did see the templates
  });

  test('a serverless level-2 model has an endpoint and no idle instance-hours', () => {
    const templates = synthesizeRow(row('2, serverless'), 1);
    expect(templates.flatMap(endpointVariants)).toEqual([expect.objectContaining({ instanceType: 'serverless', instances: 0 })]);
    expect(idleCost(templates).items.filter((i) => i.item.startsWith('endpoint ') || i.item.startsWith('monitoring '))).toEqual([]);
  });

  test("the README's cost table has the script's header, and its level-3 row is what the templates cost today", () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## What it costs to have'));
    expect(section).toContain(TABLE_HEADER.join('\n'));
    const level3 = rowCost(row('3'));
    expect(section).toContain(`${tableRow(level3)}\n`);
    // The "Level 3 ... what it costs at idle" section quotes the same totals.
    expect(readme).toContain(`about $${Math.round(level3.platform.concat(level3.perModel).reduce((sum, i) => sum + i.monthlyUsd, 0))} a month`);
  });
});
