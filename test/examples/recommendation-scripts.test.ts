import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { modelQualityMetricNames, ProblemType } from '../../lib';
import { EXAMPLE_DIR, requirePython, ROOT, runAsset, runPython, runScript, succeeded } from './python-support';

/**
 * Runs generate_data.py -> the platform's generic preprocess.py -> train.py -> evaluate.py for real in a temporary directory laid out like
 * the SageMaker containers (`/opt/ml/...` replaced by temp dirs passed as arguments and SM_* variables) and checks
 * the artifacts each one leaves for the next step and for the pipeline.
 */

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const lines = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n');

/** The arguments the platform passes for the recommendation model. */
const SCHEMA = ['--label', 'target', '--features', 'feature1,feature2', '--problem-type', 'binary'];

let tmp: string;
let inputCsv: string;
let processingOutput: string;
let modelDir: string;
let evaluationOutput: string;
let trainStdout: string;
let evaluateStdout: string;

beforeAll(() => {
  requirePython();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recommendation-scripts-'));
  const processing = path.join(tmp, 'processing', 'opt/ml/processing');
  inputCsv = path.join(processing, 'input/data/user_interactions.csv');
  processingOutput = path.join(processing, 'output');
  modelDir = path.join(tmp, 'training', 'opt/ml/model');
  const evaluation = path.join(tmp, 'evaluation', 'opt/ml/processing');
  evaluationOutput = path.join(evaluation, 'evaluation');

  succeeded(runScript('generate_data.py', ['--rows', '1000', '--seed', '7', '--out', inputCsv]));
  succeeded(runAsset('preprocess.py', [
    ...SCHEMA, '--layout', 'header', '--input-dir', path.dirname(inputCsv), '--output-dir', processingOutput,
  ]));
  trainStdout = succeeded(runScript('train.py', [...SCHEMA, '--metric', 'accuracy', '--C', '0.5', '--solver', 'lbfgs', '--max-iter', '300'], {
    SM_CHANNEL_TRAIN: path.join(processingOutput, 'train'),
    SM_CHANNEL_TEST: path.join(processingOutput, 'test'),
    SM_MODEL_DIR: modelDir,
  }));
  // The evaluation step receives the model the way SageMaker training uploads it: model.tar.gz.
  fs.mkdirSync(path.join(evaluation, 'model'), { recursive: true });
  succeeded(spawnSync('tar', ['-czf', path.join(evaluation, 'model', 'model.tar.gz'), '-C', modelDir, '.'], {
    encoding: 'utf8',
  }));
  evaluateStdout = succeeded(runScript('evaluate.py', [
    ...SCHEMA, '--metric', 'accuracy', '--layout', 'header',
    '--model-dir', path.join(evaluation, 'model'),
    '--test-dir', path.join(processingOutput, 'test'),
    '--output-dir', evaluationOutput,
  ]));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the generic preprocess.py (assets/sagemaker) with the recommendation schema', () => {
  test('splits 80/20 into train.csv and test.csv with the header feature1,feature2,target', () => {
    const train = lines(path.join(processingOutput, 'train', 'train.csv'));
    const test = lines(path.join(processingOutput, 'test', 'test.csv'));
    expect(train[0]).toBe('feature1,feature2,target');
    expect(test[0]).toBe('feature1,feature2,target');
    expect([train.length - 1, test.length - 1]).toEqual([800, 200]);
    expect(test[1]).toMatch(/^-?\d+(\.\d+)?,\d+(\.\d+)?,[01]$/);
  });

  test('writes the data-quality baseline: the training features only, shaped like endpoint requests', () => {
    const baseline = lines(path.join(processingOutput, 'baseline', 'baseline.csv'));
    const train = lines(path.join(processingOutput, 'train', 'train.csv'));
    expect(baseline[0]).toBe('feature1,feature2');
    expect(baseline.length).toBe(train.length);
    expect(baseline[1]).toBe(train[1].split(',').slice(0, 2).join(','));
  });

  test('the manifest lists the input object with the SHA-256 of its bytes, and the split', () => {
    const bytes = fs.readFileSync(inputCsv);
    const manifest = JSON.parse(fs.readFileSync(path.join(processingOutput, 'manifest', 'manifest.json'), 'utf8'));
    expect(manifest.inputs).toEqual([{
      localPath: 'user_interactions.csv',
      uri: inputCsv,
      versionId: null,
      eTag: null,
      size: bytes.length,
      sha256: sha256(bytes),
      rows: 1000,
    }]);
    expect(manifest.rows).toEqual({ total: 1000, train: 800, test: 200 });
    expect(manifest.split).toMatchObject({ testSize: 0.2, randomState: 42, shuffle: true, stratify: 'target' });
    expect(manifest.columns).toEqual(['feature1', 'feature2', 'target']);
    expect(manifest).toMatchObject({ label: 'target', problemType: 'binary', layout: 'header', schemaVersion: 1 });
  });

  test('manifest-digest.json holds the SHA-256 of manifest.json\'s bytes', () => {
    const manifestBytes = fs.readFileSync(path.join(processingOutput, 'manifest', 'manifest.json'));
    const digest = JSON.parse(fs.readFileSync(path.join(processingOutput, 'manifest', 'manifest-digest.json'), 'utf8'));
    expect(digest).toEqual({ sha256: sha256(manifestBytes) });
  });

  test.each([
    ['a missing column', 'feature1,target\n0.5,1\n', "column 'feature2' is missing in interactions.csv"],
    ['non-numeric values', 'feature1,feature2,target\n0.5,0.1,1\n0.2,0.3,yes\n',
      "column 'target' has non-numeric values in interactions.csv (data row 2: 'yes')"],
  ])('a CSV with %s stops with one stderr line naming the column', (_case, csv, message) => {
    const input = fs.mkdtempSync(path.join(tmp, 'bad-'));
    fs.writeFileSync(path.join(input, 'interactions.csv'), csv);
    const result = runAsset('preprocess.py', [...SCHEMA, '--input-dir', input, '--output-dir', path.join(input, 'out')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`${message}\n`);
    expect(fs.existsSync(path.join(input, 'out'))).toBe(false);
  });
});

describe('train.py', () => {
  test('prints validation:accuracy on its own line, matching the tuning job\'s metric regex', () => {
    expect(trainStdout).toMatch(/^validation:accuracy=[0-9.]+$/m);
    const match = /validation:accuracy=([0-9\.]+)/.exec(trainStdout);
    expect(Number(match![1])).toBeGreaterThan(0.7);
  });

  test('model.joblib loads with joblib and predicts; the serving code shipped in the model (code/train.py) serves it', () => {
    expect(fs.readFileSync(path.join(modelDir, 'code', 'train.py'))).toEqual(fs.readFileSync(path.join(EXAMPLE_DIR, 'train.py')));
    const code = [
      'import json, sys, joblib',
      'import pandas as pd',
      'model_dir, example_dir = sys.argv[1], sys.argv[2]',
      'sys.path.insert(0, example_dir)',
      'sys.path.insert(0, model_dir + "/code")',
      'import train',
      'assert train.__file__.startswith(model_dir), train.__file__',
      'model = joblib.load(model_dir + "/model.joblib")',
      'served = train.model_fn(model_dir)',
      'rows = train.input_fn(b"2.5,0.0\\n-2.5,1.0\\n", "text/csv")',
      'prediction = train.predict_fn(rows, served)',
      'print(json.dumps({',
      '  "model": type(model).__name__,',
      '  "classifier": [type(model.named_steps["classifier"]).__name__, model.named_steps["classifier"].C],',
      '  "features": list(model.feature_names_in_),',
      '  "direct": model.predict(pd.DataFrame([[2.5, 0.0], [-2.5, 1.0]], columns=["feature1", "feature2"])).tolist(),',
      '  "csv": train.output_fn(prediction, "text/csv"),',
      '  "json": train.output_fn(prediction, "application/json"),',
      '}))',
    ].join('\n');
    const result = JSON.parse(succeeded(runPython(['-c', code, modelDir, EXAMPLE_DIR])));
    expect(result).toEqual({
      model: 'Pipeline',
      classifier: ['LogisticRegression', 0.5],
      features: ['feature1', 'feature2'],
      direct: [1, 0],
      csv: ['1\n0\n', 'text/csv'],
      json: ['{"predictions": [1, 0]}', 'application/json'],
    });
  });
});

describe('evaluate.py', () => {
  test('writes evaluation.json with every binary model-quality metric, accuracy above 0.7, and prints it', () => {
    const evaluation = JSON.parse(fs.readFileSync(path.join(evaluationOutput, 'evaluation.json'), 'utf8'));
    expect(Object.keys(evaluation.metrics).sort()).toEqual(modelQualityMetricNames(ProblemType.BINARY_CLASSIFICATION).sort());
    expect(evaluation.metrics.accuracy.value).toBeGreaterThan(0.7);
    for (const [name, { value }] of Object.entries<{ value: number }>(evaluation.metrics)) {
      expect([name, value >= 0 && value <= 1]).toEqual([name, true]);
    }
    expect(JSON.parse(evaluateStdout)).toEqual(evaluation);
  });
});

describe('generate_data.py', () => {
  test('is deterministic: seed 42 reproduces the committed user_interactions.csv byte for byte', () => {
    const out = path.join(tmp, 'regenerated.csv');
    succeeded(runScript('generate_data.py', ['--rows', '1000', '--seed', '42', '--out', out]));
    expect(sha256(fs.readFileSync(out))).toBe(sha256(fs.readFileSync(path.join(EXAMPLE_DIR, 'user_interactions.csv'))));
  });
});

describe('Python unit tests (generic preprocessing with a fake S3 client, XGBoost evaluation, serving, archives)', () => {
  test('test/examples/python passes under /usr/bin/python3', () => {
    const result = runPython(['-m', 'unittest', 'discover', '-s', path.join(ROOT, 'test/examples/python'), '-p', 'test_*.py']);
    expect(result.stderr).toMatch(/\nRan (\d+) tests in [0-9.]+s\n\nOK\n$/);
    expect(Number(/Ran (\d+) tests/.exec(result.stderr)![1])).toBeGreaterThanOrEqual(38);
    expect(result.status).toBe(0);
  });
});
