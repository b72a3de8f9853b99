import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * `npm run example:local -- --data <csv> --out <dir>`: runs the recommendation example's preprocess -> train ->
 * evaluate scripts with `/usr/bin/python3` in a temporary directory laid out like the SageMaker containers that run
 * them (paths passed by argument and `SM_*` environment variables), copies `model.joblib`, `evaluation.json` and the
 * dataset manifest (`manifest.json`, `manifest-digest.json`) into `<dir>` and prints the evaluation.
 *
 * A CSV the preprocess step rejects (a missing column, non-numeric values) stops the run with the script's one
 * stderr line and a non-zero exit code.
 */

/** The interpreter the example runs with locally: Debian's python3 with python3-sklearn and python3-pandas. */
export const DEFAULT_PYTHON = '/usr/bin/python3';

/** The interpreter in use: `$EXAMPLE_PYTHON` when set (also honoured by `scripts/ensure-python.sh`), else `/usr/bin/python3`. */
export function pythonPath(): string {
  return process.env.EXAMPLE_PYTHON || DEFAULT_PYTHON;
}

/** The one line printed when `--data` or `--out` is missing. */
export const USAGE = 'usage: npm run example:local -- --data <csv> --out <dir>';

/** The files copied into `--out`, in the order they are listed. */
export const ARTIFACTS = ['model.joblib', 'evaluation.json', 'manifest.json', 'manifest-digest.json'];

const ROOT = path.resolve(__dirname, '..');
const EXAMPLE_DIR = path.join(ROOT, 'examples', 'recommendation');
const ENSURE_PYTHON = path.join(ROOT, 'scripts', 'ensure-python.sh');

/** What the runner needs: the input CSV and the directory receiving the artifacts. */
export interface ExampleLocalOptions {
  /** Path of the input CSV (columns `feature1`, `feature2`, `target`). */
  readonly data: string;
  /** Directory receiving the artifacts; created when missing. */
  readonly out: string;
}

/** Where a line of output goes; the defaults write to the process's stdout and stderr. */
export interface ExampleLocalOutput {
  /** Progress and results. */
  log(line: string): void;
  /** The failure line, and warnings the scripts printed while succeeding. */
  error(line: string): void;
}

/** The outcome of a successful run. */
export interface ExampleLocalResult {
  /** The parsed `evaluation.json`: `{ metrics: { accuracy: { value }, precision: { value }, recall: { value } } }`. */
  readonly evaluation: { metrics: { [name: string]: { value: number } } };
  /** Absolute paths of the artifacts written into `--out`. */
  readonly files: string[];
}

/** A failure the runner reports as one line (`message`) and exits with `exitCode`. */
export class ExampleLocalError extends Error {
  /** @param message the one line to print; @param exitCode the process exit code (non-zero). */
  constructor(message: string, public readonly exitCode: number = 1) {
    super(message);
    this.name = 'ExampleLocalError';
  }
}

/** Parses `--data <csv> --out <dir>` (also `--data=<csv>`); anything missing or unknown throws the usage line. */
export function parseArgs(argv: string[]): ExampleLocalOptions {
  const values: { [key: string]: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--(data|out)(?:=(.*))?$/.exec(argv[i]);
    if (!match) throw new ExampleLocalError(USAGE, 2);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '' || value.startsWith('--')) throw new ExampleLocalError(USAGE, 2);
    values[match[1]] = value;
  }
  if (!values.data || !values.out) throw new ExampleLocalError(USAGE, 2);
  return { data: values.data, out: values.out };
}

const checkedInterpreters = new Set<string>();

/**
 * Throws the one-line hint of `scripts/ensure-python.sh` (run with `--check`: it never installs from here) when the
 * interpreter lacks scikit-learn or pandas. A successful check is remembered for the process.
 */
export function checkPython(): void {
  if (checkedInterpreters.has(pythonPath())) return;
  const result = spawnSync('bash', [ENSURE_PYTHON, '--check'], { encoding: 'utf8', env: process.env });
  if (result.error) throw new ExampleLocalError(`cannot run ${ENSURE_PYTHON}: ${result.error.message}`);
  if (result.status !== 0) {
    const line = result.stderr.trim().split('\n').pop();
    throw new ExampleLocalError(line || `${ENSURE_PYTHON} failed with exit code ${result.status}`);
  }
  checkedInterpreters.add(pythonPath());
}

/** The temporary directories standing in for the containers' `/opt/ml/...` paths. */
interface Layout {
  readonly processingInput: string;
  readonly processingOutput: string;
  readonly trainChannel: string;
  readonly testChannel: string;
  readonly modelDir: string;
  readonly evaluationModel: string;
  readonly evaluationTest: string;
  readonly evaluationOutput: string;
}

function layout(root: string): Layout {
  return {
    processingInput: path.join(root, 'preprocess', 'opt/ml/processing/input/data'),
    processingOutput: path.join(root, 'preprocess', 'opt/ml/processing/output'),
    trainChannel: path.join(root, 'train', 'opt/ml/input/data/train'),
    testChannel: path.join(root, 'train', 'opt/ml/input/data/test'),
    modelDir: path.join(root, 'train', 'opt/ml/model'),
    evaluationModel: path.join(root, 'evaluate', 'opt/ml/processing/model'),
    evaluationTest: path.join(root, 'evaluate', 'opt/ml/processing/test'),
    evaluationOutput: path.join(root, 'evaluate', 'opt/ml/processing/evaluation'),
  };
}

function copyInto(file: string, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, path.basename(file));
  fs.copyFileSync(file, target);
  return target;
}

function checked(step: string, result: SpawnSyncReturns<string>, output: ExampleLocalOutput): string {
  if (result.error) throw new ExampleLocalError(`${step}: ${result.error.message}`);
  if (result.status !== 0) {
    const stderr = result.stderr.trim();
    throw new ExampleLocalError(stderr || `${step} failed with exit code ${result.status}`, result.status ?? 1);
  }
  for (const line of result.stderr.split('\n').filter((l) => l.trim())) output.error(`${step}: ${line}`);
  return result.stdout;
}

function python(script: string, args: string[], env: { [key: string]: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(pythonPath(), [path.join(EXAMPLE_DIR, script), ...args], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env },
  });
}

/** Runs preprocess -> train -> evaluate on `options.data` and copies the artifacts into `options.out`. */
export function runExampleLocal(options: ExampleLocalOptions, output: ExampleLocalOutput): ExampleLocalResult {
  const data = path.resolve(options.data);
  if (!fs.existsSync(data) || !fs.statSync(data).isFile()) {
    throw new ExampleLocalError(`--data must be an existing CSV file, got ${options.data}`);
  }
  const out = path.resolve(options.out);
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) {
    throw new ExampleLocalError(`--out must be a directory, got ${options.out}`);
  }
  checkPython();

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'example-local-'));
  try {
    const dirs = layout(work);
    copyInto(data, dirs.processingInput);
    const logLines = (text: string) => text.split('\n').filter((l) => l.trim()).forEach((l) => output.log(l));

    logLines(checked('preprocess', python('preprocess.py', [
      '--input-dir', dirs.processingInput, '--output-dir', dirs.processingOutput,
    ]), output));

    copyInto(path.join(dirs.processingOutput, 'train', 'train.csv'), dirs.trainChannel);
    copyInto(path.join(dirs.processingOutput, 'test', 'test.csv'), dirs.testChannel);
    logLines(checked('train', python('train.py', [], {
      SM_CHANNEL_TRAIN: dirs.trainChannel,
      SM_CHANNEL_TEST: dirs.testChannel,
      SM_MODEL_DIR: dirs.modelDir,
    }), output));

    // SageMaker hands the trained model to the evaluation step as model.tar.gz.
    fs.mkdirSync(dirs.evaluationModel, { recursive: true });
    checked('package model', spawnSync('tar', [
      '-czf', path.join(dirs.evaluationModel, 'model.tar.gz'), '-C', dirs.modelDir, 'model.joblib',
    ], { encoding: 'utf8' }), output);
    copyInto(path.join(dirs.processingOutput, 'test', 'test.csv'), dirs.evaluationTest);
    checked('evaluate', python('evaluate.py', [
      '--model-dir', dirs.evaluationModel, '--test-dir', dirs.evaluationTest, '--output-dir', dirs.evaluationOutput,
    ]), output);

    const sources = [
      path.join(dirs.modelDir, 'model.joblib'),
      path.join(dirs.evaluationOutput, 'evaluation.json'),
      path.join(dirs.processingOutput, 'manifest', 'manifest.json'),
      path.join(dirs.processingOutput, 'manifest', 'manifest-digest.json'),
    ];
    const files = sources.map((file) => copyInto(file, out));
    const evaluationText = fs.readFileSync(path.join(out, 'evaluation.json'), 'utf8');
    output.log(`artifacts in ${out}: ${ARTIFACTS.join(', ')}`);
    output.log('evaluation:');
    logLines(evaluationText);
    return { evaluation: JSON.parse(evaluationText), files };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const CONSOLE_OUTPUT: ExampleLocalOutput = {
  log: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
};

/** Command-line entry point: returns the exit code; failures print one line (the script's stderr, passed through). */
export function main(argv: string[], output: ExampleLocalOutput = CONSOLE_OUTPUT): number {
  try {
    runExampleLocal(parseArgs(argv), output);
    return 0;
  } catch (error) {
    if (error instanceof ExampleLocalError) {
      output.error(error.message);
      return error.exitCode;
    }
    throw error;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
