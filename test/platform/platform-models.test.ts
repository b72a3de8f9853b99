import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { recommendationModel } from '../../examples/recommendation/model';
import {
  BuiltInXGBoost, deployModelsFromContext, MaturityLevel, MlopsPlatform, PlatformModel, ProblemType, QualityMetric,
  ScikitLearnScripts, ServingStack,
} from '../../lib';
import { deployCommands } from '../support/cdk-cli';
import { CHECKED_CONTEXT, checkedApp, synthAndCollectWarnings } from '../support/checks';
import { pipelineDefinitionOf } from '../support/pipeline-definition';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
const CHURN_FEATURES = ['tenure', 'monthly_charges', 'total_charges', 'contract_months', 'support_calls', 'num_products',
  'paperless_billing', 'auto_pay', 'senior_citizen', 'data_usage_gb', 'late_payments', 'satisfaction'];
const LTV_FEATURES = ['orders', 'tenure', 'avg_order_value', 'days_since_last_order', 'support_tickets', 'email_open_rate',
  'loyalty_member', 'mobile_app'];

const churn: PlatformModel = {
  name: 'churn',
  problemType: ProblemType.BINARY_CLASSIFICATION,
  dataset: { name: 'customer-churn', label: 'churned', features: CHURN_FEATURES.map((name) => ({ name })), recordIdentifier: 'customer_id' },
  metric: QualityMetric.auc(0.8),
  trainer: new BuiltInXGBoost(),
};
const ltv: PlatformModel = {
  name: 'ltv',
  problemType: ProblemType.REGRESSION,
  dataset: { name: 'customer-value', label: 'value', features: LTV_FEATURES.map((name) => ({ name })) },
  metric: QualityMetric.rmse(12.5),
  trainer: new ScikitLearnScripts({ scriptsDirectory: path.join(EXAMPLES, 'ltv') }),
  // Per-model settings override the platform's.
  canaryPercent: 20,
  driftThreshold: 0.4,
};
const arn = (model: string, version = 1) => `arn:aws:sagemaker:us-east-1:123456789012:model-package/${model}/${version}`;

/** Two models at level 4, each with a package, synthesized once with both cdk-nag packs and the validator. */
const app = checkedApp();
const platform = new MlopsPlatform(app, 'Mlops', {
  level: MaturityLevel.AUTONOMOUS,
  models: [churn, ltv],
  modelPackageArns: { churn: arn('churn'), ltv: arn('ltv') },
  canaryPercent: 10,
});
const { assembly } = synthAndCollectWarnings(app);
const template = (name: string) => assembly.getStackByName(name).template;
const resources = (stack: string, type: string): any[] => Object.values<any>(template(stack).Resources).filter((r) => r.Type === type);
const alarms = (stack: string) => resources(stack, 'AWS::CloudWatch::Alarm');

describe('two models on one platform (level 4)', () => {
  test('one shared data stack and governance; a training and a serving stack per model', () => {
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual([
      'Mlops-Data', 'Mlops-Governance', 'Mlops-churn-Serving', 'Mlops-churn-Training', 'Mlops-ltv-Serving', 'Mlops-ltv-Training',
    ]);
    expect(Object.keys(platform.dataStack.datasets).sort()).toEqual(['customer-churn', 'customer-value']);
    // One dataset store: both pipelines read their dataset prefix from the same bucket, imported from the data stack.
    const datasetImports = (stack: string) => [...new Set(JSON.stringify(template(stack)).match(/"Fn::ImportValue":"[^"]*DatasetsBucket[^"]*"/g) ?? [])];
    expect(datasetImports('Mlops-churn-Training').length).toBeGreaterThan(0);
    expect(datasetImports('Mlops-ltv-Training')).toEqual(datasetImports('Mlops-churn-Training'));
    expect(JSON.stringify(pipelineDefinitionOf(template('Mlops-churn-Training')))).toContain('/datasets/customer-churn');
    expect(JSON.stringify(pipelineDefinitionOf(template('Mlops-ltv-Training')))).toContain('/datasets/customer-value');
  });

  test('each model has its own pipeline: built-in XGBoost for churn (AUC >= 0.8), script mode for ltv (RMSE <= 12.5)', () => {
    const churnDefinition = JSON.stringify(pipelineDefinitionOf(template('Mlops-churn-Training')));
    expect(churnDefinition).toMatch(/sagemaker-xgboost:1\.7-1/);
    expect(churnDefinition).toContain('datasets/customer-churn');
    const ltvDefinition = pipelineDefinitionOf(template('Mlops-ltv-Training'));
    const gate = ltvDefinition.Steps.find((s: any) => s.Type === 'Condition');
    expect(gate.Arguments.Conditions[0].Type).toBe('LessThanOrEqualTo');
    expect(JSON.stringify(gate)).toContain('metrics.rmse.value');
    expect(JSON.stringify(ltvDefinition)).toContain('datasets/customer-value');
    expect(resources('Mlops-churn-Training', 'AWS::SageMaker::ModelPackageGroup')).toHaveLength(1);
    expect(resources('Mlops-ltv-Training', 'AWS::SageMaker::ModelPackageGroup')).toHaveLength(1);
  });

  test("each model's deploy-on-approval deploys only that model's serving stack, with that model's package key", () => {
    const deploys = deployCommands(assembly).filter((c) => Object.keys(c.context).some((k) => k.startsWith('modelPackageArn')));
    expect(deploys.map((c) => [c.stack, c.selectors, Object.keys(c.context).filter((k) => k.startsWith('modelPackageArn'))]).sort()).toEqual([
      ['Mlops/churn-Training', ['Mlops/churn-Serving'], ['modelPackageArn.churn']],
      ['Mlops/ltv-Training', ['Mlops/ltv-Serving'], ['modelPackageArn.ltv']],
    ]);
    for (const c of deploys) expect(c.options).toContain('--exclusively');
    // Approving one model cannot change the other: the serving stacks share nothing but the data stack's exports.
    const churnServing = JSON.stringify(template('Mlops-churn-Serving'));
    expect(churnServing).not.toMatch(/ltv/);
    expect(JSON.stringify(template('Mlops-ltv-Serving'))).not.toMatch(/churn/);
  });

  test('monitoring follows each model: features, problem type and the metric in its direction', () => {
    const drift = (stack: string) => alarms(stack).filter((a) => /drift/i.test(a.Properties.AlarmDescription ?? ''));
    expect(drift('Mlops-churn-Serving')).toHaveLength(CHURN_FEATURES.length);
    expect(drift('Mlops-ltv-Serving')).toHaveLength(LTV_FEATURES.length);
    expect(drift('Mlops-ltv-Serving').map((a) => a.Properties.Threshold)).toEqual(LTV_FEATURES.map(() => 0.4));
    expect(drift('Mlops-churn-Serving').map((a) => a.Properties.Threshold)).toEqual(CHURN_FEATURES.map(() => 0.2));
    const quality = (stack: string) => alarms(stack).filter((a) => /Model quality/.test(a.Properties.AlarmDescription ?? ''));
    expect(quality('Mlops-ltv-Serving').map((a) => [a.Properties.ComparisonOperator, a.Properties.Threshold, a.Properties.MetricName]))
      .toEqual([['GreaterThanThreshold', 12.5, 'rmse']]);
    expect(quality('Mlops-churn-Serving').map((a) => [a.Properties.ComparisonOperator, a.Properties.Threshold, a.Properties.MetricName]))
      .toEqual([['LessThanThreshold', 0.8, 'auc']]);
    const [ltvQuality] = resources('Mlops-ltv-Serving', 'AWS::SageMaker::ModelQualityJobDefinition');
    expect(ltvQuality.Properties.ModelQualityAppSpecification.ProblemType).toBe('Regression');
  });

  test('champion/challenger compares each model on its metric, in its direction', () => {
    const env = (stack: string) => resources(stack, 'AWS::Lambda::Function')
      .map((f) => f.Properties.Environment?.Variables).find((v) => v?.PROMOTION_METRIC);
    expect(env('Mlops-churn-Training')).toMatchObject({ PROMOTION_METRIC: 'auc', HIGHER_IS_BETTER: 'true', MINIMUM_VALUE: '0.8', GUARD_METRICS: 'precision,recall' });
    expect(env('Mlops-ltv-Training')).toMatchObject({ PROMOTION_METRIC: 'rmse', HIGHER_IS_BETTER: 'false', MINIMUM_VALUE: '12.5', GUARD_METRICS: '' });
  });

  test('per-model settings override the platform: the canary size', () => {
    const canary = (stack: string) => resources(stack, 'AWS::SageMaker::Endpoint')[0].Properties.DeploymentConfig
      .BlueGreenUpdatePolicy.TrafficRoutingConfiguration.CanarySize.Value;
    expect([canary('Mlops-churn-Serving'), canary('Mlops-ltv-Serving')]).toEqual([10, 20]);
  });

  test("each model has its own feature group from its dataset's columns; the first keeps the one-model id", () => {
    const groups = Object.entries<any>(template('Mlops-Data').Resources).filter(([, r]) => r.Type === 'AWS::SageMaker::FeatureGroup');
    expect(groups.map(([id]) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual(['Features', 'Featuresltv']);
    const [, churnGroup] = groups[0];
    expect(churnGroup.Properties.RecordIdentifierFeatureName).toBe('customer_id');
    expect(churnGroup.Properties.FeatureDefinitions.map((f: any) => f.FeatureName)).toEqual(['customer_id', 'event_time', ...CHURN_FEATURES]);
    expect(groups[1][1].Properties.RecordIdentifierFeatureName).toBe('record_id');
  });

  test('one dashboard per model', () => {
    expect(resources('Mlops-churn-Serving', 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
    expect(resources('Mlops-ltv-Serving', 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });
});

describe('bad models stop synth with one line naming the model and the key', () => {
  const build = (props: object) => () => new MlopsPlatform(new App(), 'Mlops', { level: MaturityLevel.PRODUCTIONIZATION, models: [churn], ...props });
  test.each<[string, object, string]>([
    ['no models', { models: [] }, 'models must list at least one model at level 2 (level 2 and up train and serve models), got none'],
    ['duplicate names', { models: [churn, { ...ltv, name: 'churn' }] }, "models[].name must be unique model names, got 'churn'"],
    ['serverless at level 3', { level: MaturityLevel.MONITORING_AND_GOVERNANCE, models: [{ ...churn, serverless: true }] },
      "model 'churn': serverless must be false at level 3: serverless endpoints have no data capture, which the level-3 monitors need (use it at level 2)"],
    ['a bad per-model setting', { models: [{ ...churn, canaryPercent: 80 }] }, "model 'churn': canaryPercent must be a whole number from 1 to 50, got 80"],
    ['the one-model package with two models', { models: [churn, ltv], modelPackageArn: arn('churn') }, 'modelPackageArn is for a one-model platform: with 2 models give modelPackageArns (by model name), got modelPackageArn'],
    ['a package for an unknown model', { modelPackageArns: { fraud: arn('fraud') } }, "modelPackageArns key must be a model name (churn), got 'fraud'"],
    ['a promotion metric of another problem type', { level: MaturityLevel.AUTONOMOUS, models: [{ ...ltv, promotionMetric: 'auc' }] }, "model 'ltv': promotionMetric must be one of mae, mse, rmse, r2 for problemType Regression, got 'auc'"],
  ])('%s', (_what, props, message) => {
    expect(build(props)).toThrow(message);
  });

  test('serverless is a level-2 option: no instances, no data capture', () => {
    const p = new MlopsPlatform(new App(), 'Mlops', { level: MaturityLevel.PRODUCTIONIZATION, models: [{ ...churn, serverless: true }], modelPackageArn: arn('churn') });
    const [config] = Object.values<any>(Template.fromStack(p.servingStacks.churn).findResources('AWS::SageMaker::EndpointConfig'));
    const [variant] = config.Properties.ProductionVariants;
    expect(variant.ServerlessConfig).toEqual({ MemorySizeInMB: 2048, MaxConcurrency: 5 });
    expect([variant.InstanceType, variant.InitialInstanceCount, config.Properties.DataCaptureConfig]).toEqual([undefined, undefined, undefined]);
  });
});

describe('a one-model platform keeps its shape', () => {
  test('the package key stays modelPackageArn and the model name travels as before', () => {
    const p = new MlopsPlatform(new App(), 'Mlops', { level: MaturityLevel.PRODUCTIONIZATION, models: [recommendationModel()] });
    expect(p.modelPackageArnContextKey('recommendation')).toBe('modelPackageArn');
    expect(new MlopsPlatform(new App(), 'M2', { level: MaturityLevel.PRODUCTIONIZATION, models: [churn, ltv] }).modelPackageArnContextKey('ltv'))
      .toBe('modelPackageArn.ltv');
  });
});

describe("the README's two-model example", () => {
  const fixture = path.resolve(__dirname, '..', 'fixtures', 'two-models-app.ts');

  test('is this fixture word for word', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
    const app = fs.readFileSync(fixture, 'utf8').replace("from '../../lib';", "from 'cdk-mlops-maturity';");
    expect(readme).toContain('```ts\n' + app + '```');
  });

  test('synthesizes with the checks, a serving stack for the model whose package the context gives', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'two-models-'));
    const saved = { CDK_OUTDIR: process.env.CDK_OUTDIR, CDK_CONTEXT_JSON: process.env.CDK_CONTEXT_JSON };
    process.env.CDK_OUTDIR = outdir;
    process.env.CDK_CONTEXT_JSON = JSON.stringify({ ...CHECKED_CONTEXT, 'modelPackageArn.churn': arn('churn', 3) });
    try {
      jest.isolateModules(() => require(fixture));
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    try {
      const synthesized = new CloudAssembly(outdir);
      expect(synthesized.stacks.map((s) => s.stackName).sort())
        .toEqual(['Acme-Data', 'Acme-Governance', 'Acme-churn-Serving', 'Acme-churn-Training', 'Acme-ltv-Training']);
      const schedules = Object.values<any>(synthesized.getStackByName('Acme-churn-Serving').template.Resources)
        .filter((r) => r.Type === 'AWS::SageMaker::MonitoringSchedule');
      expect(schedules.map((r) => r.Properties.MonitoringScheduleConfig.ScheduleConfig.ScheduleExpression)).toEqual(['cron(0 * ? * * *)', 'cron(0 * ? * * *)']);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('package context keys are never ignored', () => {
  const build = (models: PlatformModel[], context: { [key: string]: string }) => {
    const p = new MlopsPlatform(new App({ context }), 'Mlops', { level: MaturityLevel.PRODUCTIONIZATION, models });
    return { lookups: deployModelsFromContext(p), served: Object.keys(p.servingStacks) };
  };

  test('the per-model key works on a one-model platform too', () => {
    expect(build([churn], { 'modelPackageArn.churn': arn('churn') })).toEqual({ lookups: [], served: ['churn'] });
    expect(build([churn], { modelPackageArn: 'latest-approved' })).toEqual({ lookups: ['churn'], served: [] });
  });

  test('the one-model key with several models stops synth with one line', () => {
    expect(() => build([churn, ltv], { modelPackageArn: arn('churn') }))
      .toThrow("modelPackageArn must be unset with 2 models: give each model's package as modelPackageArn.churn, modelPackageArn.ltv, got 'arn:aws:sagemaker:us-east-1:123456789012:model-package/churn/1'");
  });

  test('a model package below level 2 stops synth, with or without models', () => {
    expect(() => new MlopsPlatform(new App(), 'Mlops', { level: MaturityLevel.PRE_PRODUCTION, modelPackageArn: arn('churn') }))
      .toThrow('modelPackageArn needs level 2 or more, got level 1');
  });

  test('ServingStack used on its own refuses serverless from level 3 instead of ignoring it', () => {
    const p = new MlopsPlatform(new App(), 'Mlops', { level: MaturityLevel.MONITORING_AND_GOVERNANCE, models: [churn] });
    expect(() => new ServingStack(new App(), 'Serving', {
      level: MaturityLevel.MONITORING_AND_GOVERNANCE, model: churn, modelPackageArn: arn('churn'), artifactStore: p.dataStack.artifactStore,
      pipeline: p.trainingStacks.churn.pipeline, settings: { serverless: true },
    })).toThrow('settings.serverless must be false at level 3: serverless endpoints have no data capture');
  });
});
