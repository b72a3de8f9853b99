import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { modelQualityMetricNames, ProblemType } from '../../lib';
import { requirePython, ROOT, runAsset, runExample, runPython, succeeded } from './python-support';

/**
 * The churn (built-in XGBoost) and ltv (scikit-learn script mode, regression) examples, step by step as the
 * platform's pipelines run them, with the arguments of the script contract: generic preprocessing -> training ->
 * evaluation, in temporary directories standing in for the containers' /opt/ml paths.
 */

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const lines = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n');
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

const CHURN_FEATURES = ['tenure', 'monthly_charges', 'total_charges', 'contract_months', 'support_calls', 'num_products',
  'paperless_billing', 'auto_pay', 'senior_citizen', 'data_usage_gb', 'late_payments', 'satisfaction'];
const LTV_FEATURES = ['orders', 'tenure', 'avg_order_value', 'days_since_last_order', 'support_tickets', 'email_open_rate',
  'loyalty_member', 'mobile_app'];

let tmp: string;

beforeAll(() => {
  requirePython();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-pipelines-'));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('churn: generic preprocessing (xgboost layout) -> built-in XGBoost defaults -> evaluate_xgboost.py', () => {
  const schema = ['--label', 'churned', '--features', CHURN_FEATURES.join(','), '--problem-type', 'binary'];
  let processed: string;
  let modelDir: string;
  let trainStdout: string;
  let evaluation: { metrics: { [name: string]: { value: number } } };

  beforeAll(() => {
    processed = path.join(tmp, 'churn', 'processing', 'output');
    modelDir = path.join(tmp, 'churn', 'model');
    succeeded(runAsset('preprocess.py', [...schema, '--layout', 'xgboost',
      '--input-dir', path.join(ROOT, 'examples', 'churn'), '--output-dir', processed]));
    // As SageMaker's XGBoost 1.7-1 algorithm trains with the platform's defaults for binary classification
    // (objective binary:logistic, eval_metric auc, num_round 100, every other hyperparameter XGBoost's default).
    trainStdout = succeeded(runPython([path.join(ROOT, 'scripts', 'builtin_xgboost_local.py'), '--problem-type', 'binary',
      '--train', path.join(processed, 'train'), '--validation', path.join(processed, 'test'), '--model-dir', modelDir]));
    const evaluationDir = path.join(tmp, 'churn', 'evaluation');
    succeeded(runAsset('evaluate_xgboost.py', [...schema, '--metric', 'auc', '--layout', 'xgboost',
      '--model-dir', modelDir, '--test-dir', path.join(processed, 'test'), '--output-dir', evaluationDir]));
    evaluation = readJson(path.join(evaluationDir, 'evaluation.json'));
  });

  test('the committed customer_churn.csv is generate_data.py --rows 2000 --seed 42, byte for byte', () => {
    const out = path.join(tmp, 'churn-regenerated.csv');
    succeeded(runExample('churn', 'generate_data.py', ['--rows', '2000', '--seed', '42', '--out', out]));
    const committed = path.join(ROOT, 'examples', 'churn', 'customer_churn.csv');
    expect(sha256(fs.readFileSync(out))).toBe(sha256(fs.readFileSync(committed)));
    expect(lines(committed)[0]).toBe([...CHURN_FEATURES, 'churned'].join(','));
  });

  test('train.csv and test.csv: no header, the 0/1 label first, then the 12 features, numbers only; stratified 80/20', () => {
    const train = lines(path.join(processed, 'train', 'train.csv'));
    const test = lines(path.join(processed, 'test', 'test.csv'));
    expect([train.length, test.length]).toEqual([1600, 400]);
    for (const row of [...train, ...test]) {
      const cells = row.split(',');
      expect(cells).toHaveLength(13);
      expect(['0', '1']).toContain(cells[0]);
      expect(cells.every((cell) => Number.isFinite(Number(cell)))).toBe(true);
    }
    const churnRate = (rows: string[]) => rows.filter((r) => r.startsWith('1,')).length / rows.length;
    expect(Math.abs(churnRate(train) - churnRate(test))).toBeLessThan(0.005);
    expect(lines(path.join(processed, 'baseline', 'baseline.csv'))[0]).toBe(CHURN_FEATURES.join(','));
    expect(readJson(path.join(processed, 'manifest', 'manifest.json'))).toMatchObject({
      columns: ['churned', ...CHURN_FEATURES], layout: 'xgboost', rows: { total: 2000, train: 1600, test: 400 },
    });
  });

  test('the model artifact is model.tar.gz holding xgboost-model, as the built-in algorithm writes it', () => {
    const listing = spawnSync('tar', ['-tzf', path.join(modelDir, 'model.tar.gz')], { encoding: 'utf8' });
    expect(listing.stdout).toBe('xgboost-model\n');
    expect(trainStdout).toMatch(/^validation:auc=0\.[0-9]{6}$/m);
  });

  test('evaluation.json reports every binary metric; AUC clears the churn gate of 0.8', () => {
    expect(Object.keys(evaluation.metrics).sort()).toEqual(modelQualityMetricNames(ProblemType.BINARY_CLASSIFICATION).sort());
    // The committed CSV and the fixed split give AUC 0.889 with the defaults (XGBoost 1.7.4). The bar is the gate the
    // example configures (examples/mlops.config.json, as in the config: auc 0.8), so the test fails exactly
    // when the example would no longer pass its own pipeline; the margin absorbs XGBoost patch-release differences.
    expect(evaluation.metrics.auc.value).toBeGreaterThan(0.8);
    expect(evaluation.metrics.accuracy.value).toBeGreaterThan(0.75);
    for (const { value } of Object.values(evaluation.metrics)) expect(value >= 0 && value <= 1).toBe(true);
  });
});

describe('ltv: generic preprocessing (header layout) -> train.py (script mode) -> evaluate.py', () => {
  const schema = ['--label', 'value', '--features', LTV_FEATURES.join(','), '--problem-type', 'regression'];
  let processed: string;
  let modelDir: string;
  let trainStdout: string;
  let evaluation: { metrics: { [name: string]: { value: number } } };

  beforeAll(() => {
    processed = path.join(tmp, 'ltv', 'processing', 'output');
    modelDir = path.join(tmp, 'ltv', 'model');
    succeeded(runAsset('preprocess.py', [...schema, '--layout', 'header',
      '--input-dir', path.join(ROOT, 'examples', 'ltv'), '--output-dir', processed]));
    trainStdout = succeeded(runExample('ltv', 'train.py', [...schema, '--metric', 'rmse'], {
      SM_CHANNEL_TRAIN: path.join(processed, 'train'), SM_CHANNEL_TEST: path.join(processed, 'test'), SM_MODEL_DIR: modelDir,
    }));
    const archiveDir = path.join(tmp, 'ltv', 'archive');
    fs.mkdirSync(archiveDir);
    succeeded(spawnSync('tar', ['-czf', path.join(archiveDir, 'model.tar.gz'), '-C', modelDir, '.'], { encoding: 'utf8' }));
    const evaluationDir = path.join(tmp, 'ltv', 'evaluation');
    succeeded(runExample('ltv', 'evaluate.py', [...schema, '--metric', 'rmse', '--layout', 'header',
      '--model-dir', archiveDir, '--test-dir', path.join(processed, 'test'), '--output-dir', evaluationDir]));
    evaluation = readJson(path.join(evaluationDir, 'evaluation.json'));
  });

  test('the committed customer_value.csv is generate_data.py --rows 2000 --seed 42, byte for byte', () => {
    const out = path.join(tmp, 'ltv-regenerated.csv');
    succeeded(runExample('ltv', 'generate_data.py', ['--rows', '2000', '--seed', '42', '--out', out]));
    const committed = path.join(ROOT, 'examples', 'ltv', 'customer_value.csv');
    expect(sha256(fs.readFileSync(out))).toBe(sha256(fs.readFileSync(committed)));
    expect(lines(committed)[0]).toBe([...LTV_FEATURES, 'value'].join(','));
  });

  test('train.csv has the header row, features then the label; the split is not stratified', () => {
    const train = lines(path.join(processed, 'train', 'train.csv'));
    expect(train[0]).toBe([...LTV_FEATURES, 'value'].join(','));
    expect(train).toHaveLength(1601);
    expect(readJson(path.join(processed, 'manifest', 'manifest.json')).split.stratify).toBeNull();
  });

  test('train.py prints validation:rmse and ships its serving code in the model', () => {
    expect(trainStdout).toMatch(/^validation:rmse=[0-9]+\.[0-9]{6}$/m);
    expect(fs.readFileSync(path.join(modelDir, 'code', 'train.py'))).toEqual(fs.readFileSync(path.join(ROOT, 'examples', 'ltv', 'train.py')));
  });

  test('evaluation.json reports every regression metric; RMSE stays below the ltv gate of 12.5', () => {
    expect(Object.keys(evaluation.metrics).sort()).toEqual(modelQualityMetricNames(ProblemType.REGRESSION).sort());
    // The committed data gives RMSE 9.74 (deterministic: random_state 42). The gate, 12.5 (the example), is
    // passed by the gradient-boosted trees and failed by a linear regression on the same split (16.5) or by a
    // constant guess (44): it catches a model that lost the data's non-linear recency effect.
    expect(evaluation.metrics.rmse.value).toBeLessThan(12.5);
    expect(evaluation.metrics.r2.value).toBeGreaterThan(0.9);
    expect(evaluation.metrics.rmse.value).toBeCloseTo(Math.sqrt(evaluation.metrics.mse.value), 9);
    expect(Number(/validation:rmse=([0-9.]+)/.exec(trainStdout)![1])).toBeCloseTo(evaluation.metrics.rmse.value, 5);
  });
});
