import { spawnSync, SpawnSyncReturns } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ARTIFACTS, main, USAGE } from '../../scripts/example-local';
import { EXAMPLE_DIR, requirePython, ROOT } from './python-support';

/** `scripts/example-local.ts`: once end to end as `npm run example:local` runs it, failures in process. */

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const SAMPLE = path.join(EXAMPLE_DIR, 'user_interactions.csv');

let tmp: string;

/** Calls `main(argv)` and collects what it prints. */
function runMain(argv: string[]): { code: number; logs: string[]; errors: string[] } {
  const logs: string[] = [];
  const errors: string[] = [];
  const code = main(argv, { log: (line) => logs.push(line), error: (line) => errors.push(line) });
  return { code, logs, errors };
}

beforeAll(() => {
  requirePython();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'example-local-test-'));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('end to end (ts-node --transpile-only scripts/example-local.ts, as the npm script runs it)', () => {
  let out: string;
  let result: SpawnSyncReturns<string>;

  beforeAll(() => {
    out = path.join(tmp, 'artifacts');
    result = spawnSync(process.execPath, [
      require.resolve('ts-node/dist/bin'), '--transpile-only', 'scripts/example-local.ts', '--data', SAMPLE, '--out', out,
    ], { cwd: ROOT, encoding: 'utf8' });
  });

  test('exits 0 and copies model.joblib, evaluation.json and the dataset manifest into --out', () => {
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fs.readdirSync(out).sort()).toEqual([...ARTIFACTS].sort());
    expect(fs.statSync(path.join(out, 'model.joblib')).size).toBeGreaterThan(0);
  });

  test('prints the steps and the evaluation, with accuracy above 0.7', () => {
    const evaluation = JSON.parse(fs.readFileSync(path.join(out, 'evaluation.json'), 'utf8'));
    expect(evaluation.metrics.accuracy.value).toBeGreaterThan(0.7);
    expect(result.stdout).toContain('preprocess: 1 input file(s), 1000 rows -> train 800 / test 200');
    expect(result.stdout).toMatch(/^validation:accuracy=[0-9.]+$/m);
    expect(result.stdout).toContain(`artifacts in ${out}: model.joblib, evaluation.json, manifest.json, manifest-digest.json`);
    const printed = result.stdout.slice(result.stdout.indexOf('evaluation:\n') + 'evaluation:\n'.length);
    expect(JSON.parse(printed)).toEqual(evaluation);
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

  test.each([
    [[]],
    [['--data', 'x.csv']],
    [['--out', 'dir']],
    [['--data', 'x.csv', '--out']],
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

  test('a python3 without scikit-learn/pandas: the install hint of scripts/ensure-python.sh', () => {
    const previous = process.env.EXAMPLE_PYTHON;
    process.env.EXAMPLE_PYTHON = path.join(tmp, 'no-such-python3');
    try {
      const hint = `the recommendation example needs scikit-learn and pandas for ${process.env.EXAMPLE_PYTHON}: `
        + "run 'sudo apt-get install -y python3-sklearn python3-pandas'";
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
