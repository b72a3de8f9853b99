import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findModel, LocalModel, ModelConfigError } from './example-models';

/**
 * `npm run example:local -- [--model <name>] [--config <path>] --data <csv> --out <dir>`: trains and evaluates a
 * configured scikit-learn script-mode or built-in XGBoost model on your machine, with `/usr/bin/python3`, the way the
 * platform's pipeline does, in a temporary directory laid out like the SageMaker containers (paths passed by argument
 * and `SM_*` environment variables):
 *
 * 1. preprocess: the model's own `preprocess.py`, else the platform's generic `assets/sagemaker/preprocess.py`
 *    (layout `header` for script mode, `xgboost` for built-in XGBoost), with `--label --features --problem-type`;
 * 2. train: the model's `train.py` in script mode with `--label --features --problem-type --metric`, or, for XGBoost,
 *    `scripts/builtin_xgboost_local.py`, which trains as the built-in algorithm does with the platform's defaults;
 * 3. evaluate: the model's `evaluate.py`, or `assets/sagemaker/evaluate_xgboost.py`, on `model.tar.gz`.
 *
 * The model is found by name in `--config` (default `mlops.config.json` at the repository root, when it exists) or
 * among the examples of `examples/mlops.config.json` (`recommendation`, the default, `churn`, `ltv`). The run copies
 * `model.tar.gz`, the model file(s) in it, `evaluation.json` and the dataset manifest (`manifest.json`,
 * `manifest-digest.json`) into `<dir>`, prints the evaluation and checks the model's metric against its threshold as
 * the pipeline's quality gate does (exit code 1 when it is not met).
 *
 * A CSV the preprocess step rejects (a missing column, non-numeric values) stops the run with the script's one
 * stderr line and a non-zero exit code.
 */

/** The interpreter the examples run with locally: Debian's python3 with python3-sklearn, python3-pandas and python3-xgboost. */
export const DEFAULT_PYTHON = '/usr/bin/python3';

/** The interpreter in use: `$EXAMPLE_PYTHON` when set (also honoured by `scripts/ensure-python.sh`), else `/usr/bin/python3`. */
export function pythonPath(): string {
  return process.env.EXAMPLE_PYTHON || DEFAULT_PYTHON;
}

/** The one line printed when `--data` or `--out` is missing, or an argument is unknown. */
export const USAGE = 'usage: npm run example:local -- [--model <name>] [--config <path>] --data <csv> --out <dir>';

/** The files copied into `--out` besides the model file(s) inside `model.tar.gz`. */
export const ARTIFACTS = ['model.tar.gz', 'evaluation.json', 'manifest.json', 'manifest-digest.json'];

/** The model run when `--model` is not given. */
export const DEFAULT_MODEL = 'recommendation';

const ROOT = path.resolve(__dirname, '..');
const ASSETS = path.join(ROOT, 'assets', 'sagemaker');
const BUILTIN_XGBOOST = path.join(ROOT, 'scripts', 'builtin_xgboost_local.py');
const ENSURE_PYTHON = path.join(ROOT, 'scripts', 'ensure-python.sh');
/** The config file read when `--config` is not given (used only when it exists). */
export const DEFAULT_CONFIG = path.join(ROOT, 'mlops.config.json');

/** What the runner needs: the model, the input CSV and the directory receiving the artifacts. */
export interface ExampleLocalOptions {
  /** Path of the input CSV (a header row naming the model's label and feature columns). */
  readonly data: string;
  /** Directory receiving the artifacts; created when missing. */
  readonly out: string;
  /**
   * The model's name in the config file or among the examples.
   * @default 'recommendation'
   */
  readonly model?: string;
  /**
   * The config file to find the model in; when given, it must exist.
   * @default - `mlops.config.json` at the repository root when it exists, then `examples/mlops.config.json`
   */
  readonly config?: string;
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
  /** The model that ran. */
  readonly model: LocalModel;
  /** The parsed `evaluation.json`: `{ metrics: { <name>: { value }, ... } }`. */
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

/** Parses `--data <csv> --out <dir> [--model <name>] [--config <path>]` (also `--data=<csv>`); anything missing or unknown throws the usage line. */
export function parseArgs(argv: string[]): ExampleLocalOptions {
  const values: { [key: string]: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--(data|out|model|config)(?:=(.*))?$/.exec(argv[i]);
    if (!match) throw new ExampleLocalError(USAGE, 2);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '' || value.startsWith('--')) throw new ExampleLocalError(USAGE, 2);
    values[match[1]] = value;
  }
  if (!values.data || !values.out) throw new ExampleLocalError(USAGE, 2);
  return { data: values.data, out: values.out, model: values.model, config: values.config };
}

const checkedInterpreters = new Set<string>();

/**
 * Throws the one-line hint of `scripts/ensure-python.sh` (run with `--check`: it never installs from here) when the
 * interpreter lacks scikit-learn, pandas or xgboost. A successful check is remembered for the process.
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
  /** Where the XGBoost stand-in writes its own model.tar.gz (unused: the runner packs modelDir as SageMaker does). */
  readonly packDir: string;
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
    packDir: path.join(root, 'train', 'xgboost'),
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
  return spawnSync(pythonPath(), [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env },
  });
}

/** The arguments every script of the contract takes: the model's schema. */
function schemaArgs(model: LocalModel): string[] {
  return ['--label', model.label, '--features', model.features.join(','), '--problem-type', model.problemType];
}

/** The preprocessing script: the model's own `preprocess.py`, else the platform's generic one. */
function preprocessScript(model: LocalModel): string {
  const own = model.scripts && path.join(model.scripts, 'preprocess.py');
  return own && fs.existsSync(own) ? own : path.join(ASSETS, 'preprocess.py');
}

/** Trains into `dirs.modelDir` and packs it as SageMaker does: `model.tar.gz` of the model directory's files. */
function train(model: LocalModel, dirs: Layout, output: ExampleLocalOutput, log: (text: string) => void): void {
  if (model.algorithm === 'xgboost') {
    const args = ['--problem-type', model.problemType, '--hyperparameters', JSON.stringify(model.hyperparameters),
      '--train', dirs.trainChannel, '--validation', dirs.testChannel, '--model-dir', dirs.packDir];
    if (model.numClasses) args.push('--num-class', String(model.numClasses));
    log(checked('train', python(BUILTIN_XGBOOST, args), output));
    fs.mkdirSync(dirs.modelDir, { recursive: true });
    fs.renameSync(path.join(dirs.packDir, 'xgboost-model'), path.join(dirs.modelDir, 'xgboost-model'));
  } else {
    log(checked('train', python(path.join(model.scripts!, 'train.py'), [...schemaArgs(model), '--metric', model.metric.name], {
      SM_CHANNEL_TRAIN: dirs.trainChannel,
      SM_CHANNEL_TEST: dirs.testChannel,
      SM_MODEL_DIR: dirs.modelDir,
    }), output));
  }
  // SageMaker uploads the model directory as model.tar.gz and hands that to the evaluation step.
  fs.mkdirSync(dirs.evaluationModel, { recursive: true });
  checked('package model', spawnSync('tar', [
    '-czf', path.join(dirs.evaluationModel, 'model.tar.gz'), '-C', dirs.modelDir, '.',
  ], { encoding: 'utf8' }), output);
}

/** The metric's gate as the pipeline applies it. */
function gate(model: LocalModel, evaluation: ExampleLocalResult['evaluation']): { line: string; met: boolean } {
  const metric = model.metric;
  const value = evaluation.metrics[metric.name]?.value;
  if (value === undefined) throw new ExampleLocalError(`evaluation.json has no metrics.${metric.name}.value`);
  const met = metric.isMetBy(value);
  return {
    line: `quality gate: ${metric.name} = ${value} ${met ? 'meets' : 'does not meet'} ${metric}: the pipeline would ${met ? 'register the model' : 'stop at its quality gate'}`,
    met,
  };
}

/** Runs preprocess -> train -> evaluate of the model on `options.data` and copies the artifacts into `options.out`. */
export function runExampleLocal(options: ExampleLocalOptions, output: ExampleLocalOutput): ExampleLocalResult {
  let model: LocalModel;
  try {
    model = findModel(options.model ?? DEFAULT_MODEL, options.config ?? DEFAULT_CONFIG, options.config !== undefined);
  } catch (error) {
    if (error instanceof ModelConfigError) throw new ExampleLocalError(error.message);
    throw error;
  }
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
    const xgboost = model.algorithm === 'xgboost';
    const dataLayout = xgboost ? 'xgboost' : 'header';

    logLines(checked('preprocess', python(preprocessScript(model), [
      ...schemaArgs(model), '--layout', dataLayout,
      ...(model.categorical.length ? ['--categorical', model.categorical.join(',')] : []),
      '--input-dir', dirs.processingInput, '--output-dir', dirs.processingOutput,
    ]), output));

    copyInto(path.join(dirs.processingOutput, 'train', 'train.csv'), dirs.trainChannel);
    copyInto(path.join(dirs.processingOutput, 'test', 'test.csv'), dirs.testChannel);
    train(model, dirs, output, logLines);

    copyInto(path.join(dirs.processingOutput, 'test', 'test.csv'), dirs.evaluationTest);
    checked('evaluate', python(xgboost ? path.join(ASSETS, 'evaluate_xgboost.py') : path.join(model.scripts!, 'evaluate.py'), [
      ...schemaArgs(model), '--metric', model.metric.name, '--layout', dataLayout,
      '--model-dir', dirs.evaluationModel, '--test-dir', dirs.evaluationTest, '--output-dir', dirs.evaluationOutput,
    ]), output);

    const modelFiles = fs.readdirSync(dirs.modelDir).filter((f) => fs.statSync(path.join(dirs.modelDir, f)).isFile()).sort();
    const sources = [
      path.join(dirs.evaluationModel, 'model.tar.gz'),
      ...modelFiles.map((f) => path.join(dirs.modelDir, f)),
      path.join(dirs.evaluationOutput, 'evaluation.json'),
      path.join(dirs.processingOutput, 'manifest', 'manifest.json'),
      path.join(dirs.processingOutput, 'manifest', 'manifest-digest.json'),
    ];
    const files = sources.map((file) => copyInto(file, out));
    const evaluationText = fs.readFileSync(path.join(out, 'evaluation.json'), 'utf8');
    const evaluation = JSON.parse(evaluationText);
    output.log(`artifacts in ${out}: ${files.map((f) => path.basename(f)).join(', ')}`);
    output.log('evaluation:');
    logLines(evaluationText);
    const verdict = gate(model, evaluation);
    if (!verdict.met) throw new ExampleLocalError(verdict.line);
    output.log(verdict.line);
    return { model, evaluation, files };
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
