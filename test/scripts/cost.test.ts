import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COST_USAGE, parseCostArgs } from '../../scripts/cost';
import { configCost, sumOf } from '../../scripts/cost/config-cost';
import { readPlatformConfig } from '../../lib';
import { COST_ROWS, rowCost, synthesizePlatform, synthesizeRow } from '../../scripts/cost/platform-cost';
import { CONFIG_TABLE_HEADER, TABLE_HEADER, configItemLines, configRows, tableRow } from '../../scripts/cost/report';
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

describe('npm run cost -- --config <path>: the configured models', () => {
  test('arguments: none is the example report; --config <path> or --config=<path>; anything else the usage line', () => {
    expect(parseCostArgs([])).toEqual({});
    expect(parseCostArgs(['--config', 'a.json'])).toEqual({ config: 'a.json' });
    expect(parseCostArgs(['--config=a.json'])).toEqual({ config: 'a.json' });
    for (const argv of [['--config'], ['--config', '--x'], ['--config', 'a.json', 'b'], ['--level', '2'], ['a.json']]) {
      expect(() => parseCostArgs(argv)).toThrow(COST_USAGE);
    }
  });

  test('one row per model of the file, priced with its own settings; platform and total rows add up', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-config-'));
    try {
      const file = path.join(dir, 'mlops.config.json');
      fs.writeFileSync(file, JSON.stringify({
        platformName: 'Priced',
        level: 2,
        models: [
          {
            name: 'clicks', algorithm: 'sklearn-script', scripts: path.relative(dir, path.join(__dirname, '..', '..', 'examples', 'recommendation')),
            problemType: 'binary', dataset: { name: 'clicks', label: 'target', features: ['feature1', 'feature2'] },
            metric: { name: 'accuracy', threshold: 0.7 }, endpointInstanceCount: 2, endpointInstanceType: 'ml.m5.xlarge',
          },
          {
            name: 'churn', algorithm: 'xgboost', problemType: 'binary', serverless: true,
            dataset: { name: 'churn', label: 'churned', features: ['tenure'] }, metric: { name: 'auc', threshold: 0.8 },
          },
        ],
      }));
      const cost = configCost(file);
      expect(cost.level).toBe(2);
      expect(cost.models.map((m) => m.name)).toEqual(['clicks', 'churn']);
      // clicks: its own 2 x ml.m5.xlarge all month; churn: serverless, no instance-hours.
      const endpoints = (items: { item: string; quantity: number }[]) => items.filter((i) => i.item.startsWith('endpoint ')).map((i) => [i.item, i.quantity]);
      expect(endpoints(cost.models[0].items)).toEqual([['endpoint ml.m5.xlarge', 2 * 730]]);
      expect(endpoints(cost.models[1].items)).toEqual([]);
      expect(endpoints(cost.platform)).toEqual([]);
      expect(cost.models[1].items.find((i) => i.item === 'KMS keys')!.quantity).toBeGreaterThan(0);

      // The parts add up, item by item, to the platform as configured.
      const configured = idleCost(synthesizePlatform({ ...readPlatformConfig(file).props, level: 2 }, true, 'Priced')).items;
      const quantities = (items: { item: string; quantity: number }[]) => Object.fromEntries(items.map((i) => [i.item, i.quantity]));
      expect(quantities(sumOf([...cost.models.flatMap((m) => m.items), ...cost.platform]))).toEqual(quantities(configured));

      const rows = configRows(cost);
      expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| model clicks', '| model churn', '| platform', '| total']);
      expect(rows[0]).toMatch(/^\| model clicks \| \$[0-9.]+ \| \$[0-9.]+ \| 1460 \|/);
      expect(rows[1]).toMatch(/^\| model churn \| \$[0-9.]+ \| \$[0-9.]+ \| 0 \|/);
      const usd = (row: string) => Number(row.split(' | ')[1].slice(1));
      expect(usd(rows[3])).toBeCloseTo(usd(rows[0]) + usd(rows[1]) + usd(rows[2]), 1);
      expect(CONFIG_TABLE_HEADER[0].split('|').length).toBe(rows[0].split('|').length);
      expect(configItemLines(cost)).toContain('model clicks: endpoint ml.m5.xlarge: 1460 instance-hour x $0.23 = $335.80');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a config file the platform rejects stops with the reader\'s one line', () => {
    expect(() => configCost(path.join(os.tmpdir(), 'no-such-mlops.config.json'))).toThrow(/^config must be an existing JSON file/);
  });
});
