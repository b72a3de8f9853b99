import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as path from 'path';
import { checkPython, ExampleLocalError, pythonPath } from '../../scripts/example-local';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** The recommendation example's scripts. */
export const EXAMPLE_DIR = path.join(ROOT, 'examples', 'recommendation');

/** The platform's generic scripts: preprocess.py, evaluate_xgboost.py. */
export const ASSETS_DIR = path.join(ROOT, 'assets', 'sagemaker');

/**
 * Throws the one-line hint of `scripts/ensure-python.sh` when `/usr/bin/python3` lacks scikit-learn, pandas or xgboost, as an
 * error whose stack is that line only, so jest reports the hint instead of a stack trace.
 */
export function requirePython(): void {
  try {
    checkPython();
  } catch (error) {
    if (!(error instanceof ExampleLocalError)) throw error;
    const hint = new Error(error.message);
    hint.stack = error.message;
    throw hint;
  }
}

/** Runs `examples/recommendation/<script>` with the example's interpreter; stdout and stderr as text. */
export function runScript(script: string, args: string[], env: { [key: string]: string } = {}): SpawnSyncReturns<string> {
  return runPython([path.join(EXAMPLE_DIR, script), ...args], env);
}

/** Runs the platform's generic `assets/sagemaker/<script>` with the example's interpreter. */
export function runAsset(script: string, args: string[], env: { [key: string]: string } = {}): SpawnSyncReturns<string> {
  return runPython([path.join(ASSETS_DIR, script), ...args], env);
}

/** Runs `examples/<example>/<script>` with the example's interpreter. */
export function runExample(example: string, script: string, args: string[], env: { [key: string]: string } = {}): SpawnSyncReturns<string> {
  return runPython([path.join(ROOT, 'examples', example, script), ...args], env);
}

/** Runs the example's interpreter with `args` (no bytecode files written into the repository). */
export function runPython(args: string[], env: { [key: string]: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(pythonPath(), args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env },
  });
}

/** Throws with the process's stderr when it did not exit 0; returns its stdout. */
export function succeeded(result: SpawnSyncReturns<string>): string {
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`exit ${result.status}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}
