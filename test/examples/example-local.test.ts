import { spawnSync, SpawnSyncReturns } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLES_CONFIG, findModel } from '../../scripts/example-models';
import { ARTIFACTS, main, USAGE } from '../../scripts/example-local';
import { EXAMPLE_DIR, requirePython, ROOT } from './python-support';

/** `scripts/example-local.ts`: end to end as `npm run example:local` runs it, the other models and failures in process. */

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const SAMPLE = path.join(EXAMPLE_DIR, 'user_interactions.csv');
const CHURN = path.join(ROOT, 'examples', 'churn', 'customer_churn.csv');
const LTV = path.join(ROOT, 'examples', 'ltv', 'customer_value.csv');

let tmp: string;

/** Calls `main(argv)` and collects what it prints. */
function runMain(argv: string[]): { code: number; logs: string[]; errors: string[] } {
  const logs: string[] = [];
  const errors: string[] = [];
  const code = main(argv, { log: (line) => logs.push(line), error: (line) => errors.push(line) });
  return { code, logs, errors };
}

/** Writes a config file with the models `models(dir)` gives into a fresh directory `dir` below tmp; returns its path. */
function writeConfig(models: (dir: string) => unknown[]): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'config-'));
  const file = path.join(dir, 'mlops.config.json');
  fs.writeFileSync(file, JSON.stringify({ platformName: 'Test', level: 2, models: models(dir) }));
  return file;
}

/** The ltv model of examples/mlops.config.json, with its scripts folder relative to `configDir`. */
function ltvModel(configDir: string, changes: { [key: string]: unknown } = {}) {
  const examples = JSON.parse(fs.readFileSync(EXAMPLES_CONFIG, 'utf8'));
  const ltv = examples.models.find((m: { name: string }) => m.name === 'ltv');
  return { ...ltv, name: 'value', scripts: path.relative(configDir, path.join(ROOT, 'examples', 'ltv')), ...changes };
}

beforeAll(() => {
  requirePython();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'example-local-test-'));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('end to end, default model (ts-node --transpile-only scripts/example-local.ts, as the npm script runs it)', () => {
  let out: string;
  let result: SpawnSyncReturns<string>;

  beforeAll(() => {
    out = path.join(tmp, 'artifacts');
    result = spawnSync(process.execPath, [
      require.resolve('ts-node/dist/bin'), '--transpile-only', 'scripts/example-local.ts', '--data', SAMPLE, '--out', out,
    ], { cwd: ROOT, encoding: 'utf8' });
  });

  test('exits 0 and copies model.tar.gz, model.joblib, evaluation.json and the dataset manifest into --out', () => {
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fs.readdirSync(out).sort()).toEqual([...ARTIFACTS, 'model.joblib'].sort());
    expect(fs.statSync(path.join(out, 'model.joblib')).size).toBeGreaterThan(0);
    const listing = spawnSync('tar', ['-tzf', path.join(out, 'model.tar.gz')], { encoding: 'utf8' }).stdout.split('\n');
    expect(listing).toEqual(expect.arrayContaining(['./model.joblib', './code/train.py']));
  });

  test('prints the steps, the evaluation and the quality gate (accuracy above 0.7)', () => {
    const evaluation = JSON.parse(fs.readFileSync(path.join(out, 'evaluation.json'), 'utf8'));
    expect(evaluation.metrics.accuracy.value).toBeGreaterThan(0.7);
    expect(result.stdout).toContain('preprocess: 1 input file(s), 1000 rows -> train 800 / test 200');
    expect(result.stdout).toMatch(/^validation:accuracy=[0-9.]+$/m);
    expect(result.stdout).toContain(`artifacts in ${out}: model.tar.gz, model.joblib, evaluation.json, manifest.json, manifest-digest.json`);
    const printed = result.stdout.slice(result.stdout.indexOf('evaluation:\n') + 'evaluation:\n'.length, result.stdout.indexOf('quality gate:'));
    expect(JSON.parse(printed)).toEqual(evaluation);
    expect(result.stdout).toContain(`quality gate: accuracy = ${evaluation.metrics.accuracy.value} meets accuracy >= 0.7: the pipeline would register the model\n`);
  });

  test('the manifest records the SHA-256 of the data file, and its digest file matches it', () => {
    const manifestBytes = fs.readFileSync(path.join(out, 'manifest.json'));
    const manifest = JSON.parse(manifestBytes.toString('utf8'));
    expect(manifest.inputs).toHaveLength(1);
    expect(manifest.inputs[0]).toMatchObject({
      localPath: 'user_interactions.csv', sha256: sha256(fs.readFileSync(SAMPLE)), versionId: null,
    });
    expect(manifest.rows).toEqual({ total: 1000, train: 800, test: 200 });
    expect(JSON.parse(fs.readFileSync(path.join(out, 'manifest-digest.json'), 'utf8'))).toEqual({
      sha256: sha256(manifestBytes),
    });
  });
});

describe('the other examples and configured models', () => {
  test('--model churn: built-in XGBoost on the xgboost layout, AUC above its 0.8 threshold', () => {
    const out = path.join(tmp, 'churn');
    const run = runMain(['--model', 'churn', '--data', CHURN, '--out', out]);
    expect({ code: run.code, errors: run.errors }).toEqual({ code: 0, errors: [] });
    expect(fs.readdirSync(out).sort()).toEqual([...ARTIFACTS, 'xgboost-model'].sort());
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ layout: 'xgboost', label: 'churned', rows: { total: 2000, train: 1600, test: 400 } });
    const auc = JSON.parse(fs.readFileSync(path.join(out, 'evaluation.json'), 'utf8')).metrics.auc.value;
    expect(auc).toBeGreaterThan(0.8);
    expect(run.logs).toContain(`quality gate: auc = ${auc} meets auc >= 0.8: the pipeline would register the model`);
    expect(run.logs).toContain(`validation:auc=${auc.toFixed(6)}`);
  });

  test('--config: a model found by name in a config file, its scripts folder relative to the file', () => {
    const config = writeConfig((dir) => [ltvModel(dir)]);
    const out = path.join(tmp, 'value');
    const run = runMain(['--config', config, '--model', 'value', '--data', LTV, '--out', out]);
    expect({ code: run.code, errors: run.errors }).toEqual({ code: 0, errors: [] });
    expect(fs.readdirSync(out).sort()).toEqual([...ARTIFACTS, 'model.joblib'].sort());
    const rmse = JSON.parse(fs.readFileSync(path.join(out, 'evaluation.json'), 'utf8')).metrics.rmse.value;
    expect(rmse).toBeLessThan(12.5);
    expect(run.logs).toContain(`quality gate: rmse = ${rmse} meets rmse <= 12.5: the pipeline would register the model`);
  });

  test('a model that misses its threshold stops like the pipeline\'s gate: exit 1, one line, artifacts kept', () => {
    const config = writeConfig((dir) => [ltvModel(dir, { metric: { name: 'rmse', threshold: 1 } })]);
    const out = path.join(tmp, 'strict');
    const run = runMain(['--config', config, '--model', 'value', '--data', LTV, '--out', out]);
    const rmse = JSON.parse(fs.readFileSync(path.join(out, 'evaluation.json'), 'utf8')).metrics.rmse.value;
    expect({ code: run.code, errors: run.errors }).toEqual({
      code: 1, errors: [`quality gate: rmse = ${rmse} does not meet rmse <= 1: the pipeline would stop at its quality gate`],
    });
  });
});

describe('the model, found through the platform\'s config reader (readPlatformConfig)', () => {
  test('the trainer tells the kind: ScikitLearnScripts -> its scripts folder, BuiltInXGBoost -> the generic XGBoost path', () => {
    const recommendation = findModel('recommendation', undefined, false);
    expect(recommendation).toMatchObject({
      algorithm: 'sklearn-script', scripts: path.join(ROOT, 'examples', 'recommendation'), problemType: 'binary',
      label: 'target', features: ['feature1', 'feature2'], categorical: [],
    });
    expect(String(recommendation.metric)).toBe('accuracy >= 0.7');
    expect(findModel('churn', undefined, false)).toMatchObject({ algorithm: 'xgboost', hyperparameters: {} });
    expect(findModel('churn', undefined, false).scripts).toBeUndefined();
  });

  test('an XGBoost model\'s hyperparameters and numClasses, and categorical features, come from the config file', () => {
    const config = writeConfig((dir) => [{
      name: 'tiers', algorithm: 'xgboost', problemType: 'multiclass', numClasses: 4, hyperparameters: { max_depth: 3, eta: '0.2' },
      dataset: { name: 'tiers', label: 'tier', features: ['orders', 'tenure'] }, metric: { name: 'accuracy', threshold: 0.5 },
    }, ltvModel(dir, { dataset: { name: 'd', label: 'value', features: ['orders', { name: 'region', type: 'categorical' }] } })]);
    expect(findModel('tiers', config, true)).toMatchObject({
      algorithm: 'xgboost', problemType: 'multiclass', numClasses: 4, hyperparameters: { max_depth: '3', eta: '0.2' },
    });
    expect(findModel('value', config, true)).toMatchObject({ features: ['orders', 'region'], categorical: ['region'] });
  });
});

describe('failures print one line', () => {
  test.each([
    ['a missing column', 'feature2,target\n0.1,1\n', "column 'feature1' is missing in bad.csv"],
    ['non-numeric values', 'feature1,feature2,target\n0.5,high,1\n',
      "column 'feature2' has non-numeric values in bad.csv (data row 1: 'high')"],
  ])('a CSV with %s: the script\'s stderr line, exit non-zero, nothing written', (_case, csv, message) => {
    const dir = fs.mkdtempSync(path.join(tmp, 'bad-'));
    fs.writeFileSync(path.join(dir, 'bad.csv'), csv);
    const out = path.join(dir, 'out');
    expect(runMain(['--data', path.join(dir, 'bad.csv'), '--out', out])).toEqual({ code: 1, logs: [], errors: [message] });
    expect(fs.existsSync(out)).toBe(false);
  });

  test('a churn CSV with a categorical value: one line naming the column (the xgboost layout holds numbers only)', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'bad-'));
    const lines = fs.readFileSync(CHURN, 'utf8').split('\n');
    lines[3] = lines[3].replace(/^[0-9]+,/, 'long,');
    fs.writeFileSync(path.join(dir, 'churn.csv'), lines.join('\n'));
    expect(runMain(['--model', 'churn', '--data', path.join(dir, 'churn.csv'), '--out', path.join(dir, 'out')])).toEqual({
      code: 1, logs: [], errors: ["column 'tenure' has non-numeric values in churn.csv (data row 3: 'long')"],
    });
  });

  test.each([
    [[]],
    [['--data', 'x.csv']],
    [['--out', 'dir']],
    [['--data', 'x.csv', '--out']],
    [['--data', 'x.csv', '--out', 'dir', '--model']],
    [['--data', 'x.csv', '--out', 'dir', '--verbose']],
  ])('arguments %j: the usage line, exit 2', (argv) => {
    expect(runMain(argv)).toEqual({ code: 2, logs: [], errors: [USAGE] });
  });

  test('--data=<path> that does not exist', () => {
    const missing = path.join(tmp, 'missing.csv');
    expect(runMain([`--data=${missing}`, `--out=${path.join(tmp, 'never')}`])).toEqual({
      code: 1, logs: [], errors: [`--data must be an existing CSV file, got ${missing}`],
    });
  });

  test('an unknown model lists the models known', () => {
    expect(runMain(['--model', 'fraud', '--data', SAMPLE, '--out', path.join(tmp, 'never')])).toEqual({
      code: 1, logs: [], errors: ['--model must be one of recommendation, churn, ltv, got fraud'],
    });
  });

  test('a --config that does not exist', () => {
    const missing = path.join(tmp, 'none.json');
    expect(runMain(['--config', missing, '--data', SAMPLE, '--out', path.join(tmp, 'never')])).toEqual({
      code: 1, logs: [], errors: [`--config must be an existing file, got ${missing}`],
    });
  });

  test.each([
    ['a container model', { algorithm: 'container', scripts: undefined, image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/ltv:1' },
      "model 'value': algorithm 'container' cannot run locally (example:local runs sklearn-script and xgboost models)"],
    ['an unknown algorithm', { algorithm: 'lightgbm' }, "model 'value': algorithm must be one of sklearn-script, xgboost, container, got 'lightgbm'"],
    ['an unknown problem type', { problemType: 'ranking' }, "model 'value': problemType must be one of binary, multiclass, regression, got 'ranking'"],
    ['a scripts folder without train.py', { scripts: '.' },
      "model 'value': scripts must be a folder with train.py and evaluate.py (<dir> has no train.py, evaluate.py), got '.'"],
    ['an empty feature list', { dataset: { name: 'd', label: 'value', features: [] } },
      "model 'value': dataset.features must be a non-empty list of column names or { \"name\", \"type\" }, got []"],
    ['a feature of an unknown type', { dataset: { name: 'd', label: 'value', features: [{ name: 'orders', type: 'date' }] } },
      "model 'value': dataset.features[0].type must be one of numeric, categorical, got 'date'"],
  ])('%s in the config file: the platform config reader\'s one line naming the file, model and key', (_case, changes, message) => {
    const config = writeConfig((dir) => [ltvModel(dir, changes)]);
    expect(runMain(['--config', config, '--model', 'value', '--data', LTV, '--out', path.join(tmp, 'never')])).toEqual({
      code: 1, logs: [], errors: [`${config}: ${message.replace('<dir>', path.dirname(config))}`],
    });
  });

  test('a python3 without scikit-learn/pandas/xgboost: the install hint of scripts/ensure-python.sh', () => {
    const previous = process.env.EXAMPLE_PYTHON;
    process.env.EXAMPLE_PYTHON = path.join(tmp, 'no-such-python3');
    try {
      const hint = `the examples need scikit-learn, pandas and xgboost for ${process.env.EXAMPLE_PYTHON}: `
        + "run 'sudo apt-get install -y python3-sklearn python3-pandas python3-xgboost'";
      expect(runMain(['--data', SAMPLE, '--out', path.join(tmp, 'never')])).toEqual({ code: 1, logs: [], errors: [hint] });
      // The tests' own guard fails with that line alone, not a stack trace.
      expect(requirePython).toThrow(hint);
      try {
        requirePython();
      } catch (error) {
        expect((error as Error).stack).toBe(hint);
      }
    } finally {
      if (previous === undefined) delete process.env.EXAMPLE_PYTHON;
      else process.env.EXAMPLE_PYTHON = previous;
    }
  });
});
