import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildPlatformApp } from '../../bin/platform-app';
import { MaturityLevel, MlopsPlatform, mlopsConfigSchema, ProblemType, readPlatformConfig } from '../../lib';
import { SettingSpec } from '../../lib/settings/setting';
import { SETTINGS } from '../../lib/settings/settings-table';
import { synthPlatform } from '../support/platform-apps';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');
const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', 'mlops-config.schema.json'), 'utf8'));
const EXAMPLES_CONFIG = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'mlops.config.json'), 'utf8'));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-config-'));
const ARN = (model: string) => `arn:aws:sagemaker:us-east-1:123456789012:model-package/${model}/1`;

const example = (name: string) => structuredClone(EXAMPLES_CONFIG.models.find((m: { name: string }) => m.name === name));

/**
 * The sample config with the examples' real feature lists and scripts (`scripts` relative to the file, as a
 * team writes it), a platform setting, a per-model setting and level 4's tuning ranges for the script-mode model.
 */
function sample(): any {
  return {
    $schema: path.relative(TMP, path.join(ROOT, 'schema', 'mlops-config.schema.json')),
    platformName: 'Acme',
    level: 3,
    driftThreshold: 0.25,
    latencyP99Ms: 400,
    models: [
      example('churn'),
      {
        ...example('ltv'),
        scripts: path.relative(TMP, path.join(EXAMPLES, 'ltv')),
        monitorSchedule: 'daily',
        tuningRanges: [
          { name: 'n-estimators', type: 'integer', min: 50, max: 400 },
          { name: 'learning-rate', type: 'continuous', min: 0.01, max: 0.3, scaling: 'logarithmic' },
        ],
      },
    ],
  };
}

let written = 0;
/** Writes a config file (an object as JSON, a string as is) into the test's folder and returns its path. */
function write(config: unknown, name = `config-${++written}.json`): string {
  const file = path.join(TMP, name);
  fs.writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return file;
}

/** The message of the error `fn` throws. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, got none');
}

const ajv = new Ajv({ allErrors: true, strictTypes: true, allowUnionTypes: true });
const validate = ajv.compile(SCHEMA);

describe('the config file schema (schema/mlops-config.schema.json)', () => {
  test('is the one generated from the settings table and the model keys', () => {
    expect(SCHEMA).toEqual(mlopsConfigSchema());
  });

  test('accepts the examples\' config and the issue\'s sample', () => {
    expect([validate(EXAMPLES_CONFIG), validate.errors]).toEqual([true, null]);
    expect([validate(sample()), validate.errors]).toEqual([true, null]);
  });
});

describe('the schema says what the settings table\'s checks say', () => {
  const accepts = (spec: SettingSpec, value: unknown): [boolean, boolean] => {
    let checked = true;
    try {
      spec.check!(undefined, spec.name, value);
    } catch {
      checked = false;
    }
    return [checked, validate({ level: 0, [spec.name]: value }) as boolean];
  };
  const rows = SETTINGS.filter((s) => s.jsonSchema !== undefined);

  test.each(rows.map((s) => [s.name, s]))('%s: the same values at the bounds', (_name, spec) => {
    const rule = spec.jsonSchema as { minimum?: number; maximum?: number; exclusiveMinimum?: number; enum?: string[]; pattern?: string };
    const step = spec.kind === 'integer' ? 1 : 0.001;
    const cases: Array<[unknown, boolean]> = [];
    if (rule.minimum !== undefined) cases.push([rule.minimum, true], [rule.minimum - step, false]);
    if (rule.maximum !== undefined) cases.push([rule.maximum, true], [rule.maximum + step, false]);
    if (rule.exclusiveMinimum !== undefined) cases.push([rule.exclusiveMinimum, false], [rule.exclusiveMinimum + step, true]);
    if (rule.enum) cases.push(...rule.enum.map((v): [unknown, boolean] => [v, true]), ['not-one-of-them', false]);
    if (rule.pattern) cases.push(['ml.m5.large', true], ['ml.g5.12xlarge', true], ['m5.large', false], ['ml.m5', false]);
    expect(cases.length).toBeGreaterThan(1);
    for (const [value, ok] of cases) expect([value, ...accepts(spec, value)]).toEqual([value, ok, ok]);
  });
});

describe('readPlatformConfig', () => {
  test('reads the examples\' config into the platform\'s props', () => {
    const config = readPlatformConfig(path.join(EXAMPLES, 'mlops.config.json'));
    expect(config.platformName).toBe('Examples');
    expect(config.props.level).toBe(MaturityLevel.PRODUCTIONIZATION);
    expect(config.props.models.map((m) => [m.name, m.problemType, m.metric.toString(), m.trainer.constructor.name])).toEqual([
      ['recommendation', ProblemType.BINARY_CLASSIFICATION, 'accuracy >= 0.7', 'ScikitLearnScripts'],
      ['churn', ProblemType.BINARY_CLASSIFICATION, 'auc >= 0.8', 'BuiltInXGBoost'],
      ['ltv', ProblemType.REGRESSION, 'rmse <= 12.5', 'ScikitLearnScripts'],
    ]);
    expect(config.props.models[1].dataset.features).toHaveLength(12);
    expect(config.props.models[1].dataset.features[0]).toEqual({ name: 'tenure' });
  });

  test('settings are JSON values, per-model settings are keys of the model, features may be typed', () => {
    const config = sample();
    config.models[1].dataset.features[0] = { name: 'orders', type: 'categorical' };
    config.models[0].numClasses = undefined;
    const read = readPlatformConfig(write(config));
    expect(read.props.driftThreshold).toBe(0.25);
    expect(read.props.models[1].monitorSchedule).toBe('daily');
    expect(read.props.models[0].monitorSchedule).toBeUndefined();
    expect(read.props.models[1].dataset.features[0]).toEqual({ name: 'orders', type: 'categorical' });
  });

  test('a container model: its images, metric definitions, hyperparameters and tuning ranges reach its pipeline', () => {
    const image = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-train:1.4';
    const file = write({
      platformName: 'Own',
      level: 4,
      models: [{
        name: 'fraud',
        algorithm: 'container',
        problemType: 'binary',
        dataset: { name: 'transactions', label: 'fraud', features: ['amount', { name: 'merchant', type: 'categorical' }] },
        metric: { name: 'f1', threshold: 0.6 },
        image,
        servingImage: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-serve@sha256:' + 'a'.repeat(64),
        metricDefinitions: [{ name: 'validation:f1', regex: 'validation:f1=([0-9.]+)' }],
        hyperparameters: { epochs: 10, optimizer: 'adam' },
        tuningRanges: [{ name: 'depth', type: 'integer', min: 2, max: 8 }, { name: 'optimizer', type: 'categorical', values: ['adam', 'sgd'] }],
      }],
    });
    expect([validate(JSON.parse(fs.readFileSync(file, 'utf8'))), validate.errors]).toEqual([true, null]);
    const config = readPlatformConfig(file);
    const app = new App();
    const platform = new MlopsPlatform(app, config.platformName!, { ...config.props, level: config.props.level! });
    const pipeline = JSON.stringify(Template.fromStack(platform.trainingStacks.fraud).findResources('AWS::SageMaker::Pipeline'));
    expect(pipeline).toContain('fraud-train:1.4');
    expect(pipeline).toContain('fraud-serve@sha256:');
    expect(pipeline).toContain('validation:f1=([0-9.]+)');
    expect(pipeline).toContain('\\"epochs\\":\\"10\\"');
    expect(pipeline).toContain('\\"Type\\":\\"Tuning\\"');
    expect(pipeline).toContain('\\"Name\\":\\"depth\\"');
  });

  const cases: Array<[string, (c: any) => void, (file: string) => string | RegExp, boolean]> = [
    // [what, how the sample is broken, the exact message, whether the schema can say it too]
    ['an unknown top-level key', (c) => { c.levle = 4; },
      (f) => new RegExp(`^${esc(f)}: unknown key 'levle': allowed are \\$schema, platformName, level, models, trainingInstanceType, spotTraining, .*, shadowModelPackageArn$`), true],
    ['a key of another algorithm', (c) => { c.models[0].scripts = 'churn'; },
      (f) => new RegExp(`^${esc(f)}: model 'churn': unknown key 'scripts' for algorithm 'xgboost' \\(it is for algorithm sklearn-script\\): allowed are name, algorithm, problemType, dataset, metric, numClasses, hyperparameters, tuningRanges, trainingInstanceType, .*, shadowModelPackageArn$`), true],
    ['an unknown model key', (c) => { c.models[1].learningRate = 0.1; },
      (f) => new RegExp(`^${esc(f)}: model 'ltv': unknown key 'learningRate' for algorithm 'sklearn-script': allowed are name, algorithm, problemType, dataset, metric, scripts, hyperparameters, tuningRanges, .*$`), true],
    ['an unknown algorithm', (c) => { c.models[0].algorithm = 'lightgbm'; },
      (f) => `${f}: model 'churn': algorithm must be one of sklearn-script, xgboost, container, got 'lightgbm'`, true],
    ['an unknown problem type', (c) => { c.models[1].problemType = 'Regression'; },
      (f) => `${f}: model 'ltv': problemType must be one of binary, multiclass, regression, got 'Regression'`, true],
    ['a metric that does not fit the problem type', (c) => { c.models[1].metric = { name: 'auc', threshold: 0.8 }; },
      (f) => `${f}: model 'ltv': metric.name must be one of mae, mse, rmse, r2 for problemType 'regression', got 'auc'`, true],
    ['a metric without threshold', (c) => { delete c.models[0].metric.threshold; },
      (f) => `${f}: model 'churn': metric.threshold must be a number, got undefined`, true],
    ['a threshold outside the metric\'s range', (c) => { c.models[0].metric.threshold = 1.5; },
      (f) => `${f}: model 'churn': metric threshold for 'auc' must be a number from 0 to 1, got 1.5`, false],
    ['the label listed as a feature', (c) => { c.models[0].dataset.features.push('churned'); },
      (f) => `${f}: model 'churn': dataset.features[12] must be a column other than the label 'churned', got 'churned'`, false],
    ['a feature listed twice', (c) => { c.models[1].dataset.features.push('orders'); },
      (f) => `${f}: model 'ltv': dataset.features[8] must be a column not listed before (feature names are unique), got 'orders'`, false],
    ['an empty feature list', (c) => { c.models[1].dataset.features = []; },
      (f) => `${f}: model 'ltv': dataset.features must be a non-empty list of column names or { "name", "type" }, got []`, true],
    ['a bad feature type', (c) => { c.models[1].dataset.features[1] = { name: 'tenure', type: 'text' }; },
      (f) => `${f}: model 'ltv': dataset.features[1].type must be one of numeric, categorical, got 'text'`, true],
    ['a column name the scripts cannot take', (c) => { c.models[0].dataset.features[1] = 'monthly charges'; },
      (f) => `${f}: model 'churn': dataset.features[1] must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or '_', got 'monthly charges'`, true],
    ['a categorical feature for XGBoost', (c) => { c.models[0].dataset.features[2] = { name: 'total_charges', type: 'categorical' }; },
      (f) => `${f}: model 'churn': dataset.features[2].type must be 'numeric' for algorithm 'xgboost' (the built-in algorithm reads numbers only; encode the column first), got 'categorical'`, true],
    ['a hyperparameter the platform sets', (c) => { c.models[1].hyperparameters = { 'metric': 'mae' }; },
      (f) => `${f}: model 'ltv': hyperparameters must be free of label, features, problem-type, metric and sagemaker_* (the platform sets them), got 'metric'`, true],
    ['a container tuned on a metric it does not print', (c) => {
      c.models[0] = { ...c.models[0], algorithm: 'container', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn:1', tuningRanges: [{ name: 'depth', type: 'integer', min: 2, max: 8 }] };
    }, (f) => `${f}: model 'churn': objectiveMetricName must be one of the metricDefinitions' names (none given) to tune on, got 'validation:auc'`, false],
    ['duplicate model names', (c) => { c.models[1].name = 'churn'; },
      (f) => `${f}: models[1].name must be a name no other model of the file has, got 'churn'`, false],
    ['a bad model name (named by index)', (c) => { c.models[1].name = 'LTV'; },
      (f) => `${f}: models[1]: name must be 1-32 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen, got 'LTV'`, true],
    ['a missing scripts folder', (c) => { c.models[1].scripts = 'models/ltv'; },
      (f) => `${f}: model 'ltv': scripts must be an existing folder with train.py and evaluate.py, relative to the config file (${path.join(TMP, 'models', 'ltv')} does not exist), got 'models/ltv'`, false],
    ['a scripts folder without evaluate.py', (c) => { c.models[1].scripts = path.relative(TMP, path.join(EXAMPLES, 'churn')); },
      (f) => `${f}: model 'ltv': scripts must be a folder with train.py and evaluate.py (${path.join(EXAMPLES, 'churn')} has no train.py, evaluate.py), got '${path.relative(TMP, path.join(EXAMPLES, 'churn'))}'`, false],
    ['a sklearn-script model without scripts', (c) => { delete c.models[1].scripts; },
      (f) => `${f}: model 'ltv': scripts must be given (folder with \`train.py\` and \`evaluate.py\` (and optionally \`preprocess.py\`), relative to the config file), got undefined`, true],
    ['serverless at level 3', (c) => { c.models[0].serverless = true; },
      (f) => `${f}: model 'churn': serverless must be false at level 3 (serverless endpoints have no data capture, which the level-3 monitors need; use it at level 2), got true`, true],
    ['a platform-wide serverless at level 3', (c) => { c.serverless = true; },
      (f) => `${f}: serverless (model 'churn' inherits it) must be false at level 3 (serverless endpoints have no data capture, which the level-3 monitors need; use it at level 2), got true`, true],
    ['a setting of the wrong JSON type', (c) => { c.models[0].spotTraining = 'false'; },
      (f) => `${f}: model 'churn': spotTraining must be true or false (a JSON boolean, not a string), got 'false'`, true],
    ['a setting out of range (the table\'s check)', (c) => { c.models[1].canaryPercent = 80; },
      (f) => `${f}: model 'ltv': canaryPercent must be a whole number from 1 to 50, got 80`, true],
    ['a model setting at odds with the file\'s', (c) => { c.minCapacity = 5; c.models[1].maxCapacity = 2; },
      (f) => `${f}: model 'ltv': maxCapacity must be at least minCapacity (5), got 2`, false],
    ['a promotion metric of another problem type', (c) => { c.promotionMetric = 'auc'; },
      (f) => `${f}: promotionMetric (model 'ltv' inherits it) must be one of mae, mse, rmse, r2 for problemType 'regression', got 'auc'`, false],
    ['a level as a string', (c) => { c.level = '3'; },
      (f) => `${f}: level must be one of 0, 1, 2, 3, 4 (a JSON number), got '3'`, true],
    ['no models at level 3', (c) => { c.models = []; },
      (f) => `${f}: models must be at least one model at level 3 (level 2 and up train and serve models), got []`, true],
    ['multiclass XGBoost without numClasses', (c) => { c.models[0].problemType = 'multiclass'; c.models[0].metric = { name: 'accuracy', threshold: 0.8 }; },
      (f) => `${f}: model 'churn': numClasses must be a whole number from 3 to 1000 for problemType 'multiclass', got undefined`, true],
    ['a container model with a bad image', (c) => { c.models[0] = { ...c.models[0], algorithm: 'container', image: 'churn:latest' }; },
      (f) => `${f}: model 'churn': image must be an ECR image URI <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> (or @sha256:<digest>), got 'churn:latest'`, true],
    ['a bad tuning range', (c) => { c.models[1].tuningRanges[0].max = 10; c.models[1].tuningRanges[0].min = 50; },
      (f) => `${f}: model 'ltv': tuningRanges[0]: parameter range 'n-estimators' max must be greater than min (50), got 10`, false],
  ];

  test.each(cases)('%s stops with one line naming the file, the model and the key', (_what, breakIt, message, schemaSaysIt) => {
    const config = sample();
    breakIt(config);
    const file = write(config);
    const error = errorOf(() => readPlatformConfig(file));
    expect(error).not.toContain('\n');
    const expected = message(file);
    if (typeof expected === 'string') expect(error).toBe(expected);
    else expect(error).toMatch(expected);
    // What the schema can express, it rejects too (editors show it while typing).
    if (schemaSaysIt) expect(validate(config)).toBe(false);
  });

  test('bad JSON names the file and the position', () => {
    const file = write('{\n  "level": 3,\n  "models": [ }\n}\n');
    expect(errorOf(() => readPlatformConfig(file))).toMatch(new RegExp(`^${esc(file)}: not valid JSON at line 3, column 15: [^\\n]+$`));
    const trailing = write('{ "level": 3, }');
    expect(errorOf(() => readPlatformConfig(trailing))).toMatch(new RegExp(`^${esc(trailing)}: not valid JSON at line 1, column 15: `));
  });

  test('a config path that does not exist names the key', () => {
    expect(errorOf(() => readPlatformConfig(path.join(TMP, 'missing.json'))))
      .toBe(`config must be an existing JSON file (${path.join(TMP, 'missing.json')} not found), got '${path.join(TMP, 'missing.json')}'`);
  });

  test('the level the platform is built at decides the level checks (a -c level override)', () => {
    const config = sample();
    config.level = 2;
    config.models[0].serverless = true;
    const file = write(config);
    expect(readPlatformConfig(file).props.models[0].serverless).toBe(true);
    expect(errorOf(() => readPlatformConfig(file, { level: MaturityLevel.AUTONOMOUS })))
      .toBe(`${file}: model 'churn': serverless must be false at level 4 (serverless endpoints have no data capture, which the level-3 monitors need; use it at level 2), got true`);
  });
});

describe('the app reads the config file', () => {
  const FILE = write(sample(), 'acme.config.json');
  const packages = { 'modelPackageArn.churn': ARN('churn'), 'modelPackageArn.ltv': ARN('ltv') };

  test('a bad file stops the app with its one line (serverless given in the file, level 4 from context)', () => {
    const config = sample();
    config.models[1].serverless = true;
    config.level = 2;
    const file = write(config);
    expect(errorOf(() => buildPlatformApp(new App({ context: { config: file, level: '4' } }))))
      .toBe(`${file}: model 'ltv': serverless must be false at level 4 (serverless endpoints have no data capture, which the level-3 monitors need; use it at level 2), got true`);
    expect(errorOf(() => buildPlatformApp(new App({ context: { config: path.join(TMP, 'nope.json') } }))))
      .toBe(`config must be an existing JSON file (${path.join(TMP, 'nope.json')} not found), got '${path.join(TMP, 'nope.json')}'`);
  });

  test('without a config file the app serves the example model (as before)', () => {
    const { platform } = buildPlatformApp(new App({ context: { level: '2' } }));
    expect(platform.node.id).toBe('Mlops');
    expect(platform.models.map((m) => m.name)).toEqual(['recommendation']);
  });

  test('mlops.config.json in the app\'s directory is read without -c config', () => {
    const dir = fs.mkdtempSync(path.join(TMP, 'app-'));
    const config = sample();
    config.models[1].scripts = path.relative(dir, path.join(EXAMPLES, 'ltv'));
    fs.writeFileSync(path.join(dir, 'mlops.config.json'), JSON.stringify(config));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const { platform } = buildPlatformApp(new App({ context: { platformName: 'Other' } }));
      expect([platform.node.id, platform.level, platform.models.map((m) => m.name)]).toEqual(['Other', 3, ['churn', 'ltv']]);
    } finally {
      process.chdir(cwd);
    }
  });

  describe.each([
    // level 2 and 4 from context (overriding the file's 3), level 3 from the file.
    [2, { level: '2' }],
    [3, { latencyP99Ms: '250' }],
    [4, { level: '4' }],
  ])('level %i', (level, extra) => {
    const synth = () => synthPlatform({ config: FILE, ...packages, ...extra });
    const templates = () => synth().templates;
    const resources = (stack: string, type: string) => Object.entries(templates()[stack].Resources as { [id: string]: any })
      .filter(([, r]) => r.Type === type);

    test('each model has its own training and serving stack, registry and pipeline; both checks pass', () => {
      const names = Object.keys(templates()).sort();
      const expected = ['Acme-Data', 'Acme-churn-Serving', 'Acme-churn-Training', 'Acme-ltv-Serving', 'Acme-ltv-Training'];
      expect(names).toEqual(level >= 3 ? [...expected, 'Acme-Governance'].sort() : expected);
      expect(synth().warnings).toEqual([]);
      for (const model of ['churn', 'ltv']) {
        expect(resources(`Acme-${model}-Training`, 'AWS::SageMaker::ModelPackageGroup')).toHaveLength(1);
        expect(resources(`Acme-${model}-Training`, 'AWS::SageMaker::Pipeline')).toHaveLength(1);
        expect(JSON.stringify(resources(`Acme-${model}-Serving`, 'AWS::SageMaker::Model'))).toContain(ARN(model));
      }
      const churn = JSON.stringify(resources('Acme-churn-Training', 'AWS::SageMaker::Pipeline'));
      expect(churn).toContain('sagemaker-xgboost');
      expect(churn).toContain('binary:logistic');
      const ltv = JSON.stringify(resources('Acme-ltv-Training', 'AWS::SageMaker::Pipeline'));
      expect(ltv).not.toContain('sagemaker-xgboost');
      expect(ltv).toContain('LessThanOrEqualTo');
      expect(ltv).toContain('rmse');
      // The config file is the app's: the delivery pipelines pass it to `cdk deploy` (a non-default path).
      const builds = JSON.stringify(resources('Acme-ltv-Training', 'AWS::CodeBuild::Project'));
      expect(builds).toContain(`config=${FILE}`);
      // Only the settings given as context: the file's own are read from the pushed file, never pinned as context.
      expect(builds).not.toContain('driftThreshold');
      if (level === 3) expect(builds).toContain('latencyP99Ms=250');
    });

    if (level >= 3) {
      test('monitors: one drift alarm per feature, the regression model\'s quality monitor and its rmse alarm', () => {
        const alarms = (model: string) => resources(`Acme-${model}-Serving`, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
        const drift = (model: string) => alarms(model).filter((a) => JSON.stringify(a.AlarmDescription).includes('Baseline drift of feature'));
        expect(drift('churn')).toHaveLength(12);
        expect(drift('ltv')).toHaveLength(8);
        expect(drift('ltv').every((a) => a.Threshold === 0.25)).toBe(true);
        const quality = resources('Acme-ltv-Serving', 'AWS::SageMaker::ModelQualityJobDefinition');
        expect(quality).toHaveLength(1);
        expect(quality[0][1].Properties.ModelQualityAppSpecification.ProblemType).toBe('Regression');
        const rmse = alarms('ltv').filter((a) => a.MetricName === 'rmse');
        expect(rmse).toHaveLength(1);
        expect(rmse[0]).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 12.5 });
        const churnQuality = resources('Acme-churn-Serving', 'AWS::SageMaker::ModelQualityJobDefinition');
        expect(churnQuality[0][1].Properties.ModelQualityAppSpecification.ProblemType).toBe('BinaryClassification');
        // Context overrides the file's settings (level 3 only: -c latencyP99Ms=250 over the file's 400).
        const latency = alarms('churn').filter((a) => a.MetricName === 'ModelLatency' || JSON.stringify(a).includes('ModelLatency'));
        expect(latency.length).toBeGreaterThan(0);
        expect(latency.every((a) => a.Threshold === (level === 3 ? 250_000 : 400_000))).toBe(true);
        // The model's own setting (ltv: daily monitors) over the platform's (hourly).
        const schedules = (model: string) => resources(`Acme-${model}-Serving`, 'AWS::SageMaker::MonitoringSchedule')
          .map(([, r]) => r.Properties.MonitoringScheduleConfig.ScheduleConfig.ScheduleExpression);
        expect(new Set(schedules('ltv'))).toEqual(new Set(['cron(0 0 ? * * *)']));
        expect(new Set(schedules('churn'))).toEqual(new Set(['cron(0 * ? * * *)']));
      });
    }

    if (level === 4) {
      test('tuning and champion/challenger in each metric\'s direction', () => {
        const churn = JSON.stringify(resources('Acme-churn-Training', 'AWS::SageMaker::Pipeline'));
        const ltv = JSON.stringify(resources('Acme-ltv-Training', 'AWS::SageMaker::Pipeline'));
        expect(churn).toContain('\\"Type\\":\\"Tuning\\"');
        expect(churn).toContain('Maximize');
        expect(ltv).toContain('\\"Type\\":\\"Tuning\\"');
        expect(ltv).toContain('Minimize');
        const env = (model: string) => resources(`Acme-${model}-Training`, 'AWS::Lambda::Function')
          .map(([, r]) => r.Properties.Environment?.Variables ?? {}).filter((v) => v.HIGHER_IS_BETTER !== undefined);
        expect(env('ltv')).toEqual([expect.objectContaining({ HIGHER_IS_BETTER: 'false', PROMOTION_METRIC: 'rmse' })]);
        expect(env('churn')).toEqual([expect.objectContaining({ HIGHER_IS_BETTER: 'true', PROMOTION_METRIC: 'auc' })]);
      });
    }
  });
});

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
