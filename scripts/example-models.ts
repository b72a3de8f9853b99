import * as fs from 'fs';
import * as path from 'path';

/**
 * The models `npm run example:local` can run, read from an `mlops.config.json` (the format of `bin/`'s config file;
 * only the keys a local run needs) or from `examples/mlops.config.json`, which configures the package's three
 * examples: `recommendation`, `churn` and `ltv`.
 */

/** The config file describing the package's examples; its models are known without a config file of your own. */
export const EXAMPLES_CONFIG = path.resolve(__dirname, '..', 'examples', 'mlops.config.json');

/** How a model is trained, as far as a local run is concerned. */
export type LocalAlgorithm = 'sklearn-script' | 'xgboost';

/** The problem types of the config file, as the scripts' `--problem-type` spells them. */
export const PROBLEM_TYPES = ['binary', 'multiclass', 'regression'] as const;

/** A problem type of the config file. */
export type LocalProblemType = typeof PROBLEM_TYPES[number];

/** What a local run needs of a model. */
export interface LocalModel {
  /** The model's name. */
  readonly name: string;
  /** `sklearn-script` or `xgboost`. */
  readonly algorithm: LocalAlgorithm;
  /** Absolute path of the scripts folder (sklearn-script only). */
  readonly scripts?: string;
  /** binary, multiclass or regression. */
  readonly problemType: LocalProblemType;
  /** The label column. */
  readonly label: string;
  /** The feature columns, in model order. */
  readonly features: string[];
  /** The features whose type is `categorical`. */
  readonly categorical: string[];
  /** The quality metric's name (`accuracy`, `auc`, `rmse`, ...). */
  readonly metric: string;
  /** The quality metric's threshold, when the config gives one. */
  readonly threshold?: number;
  /** Built-in XGBoost hyperparameters from the config (`hyperparameters`), merged over the defaults. */
  readonly hyperparameters: { [key: string]: string };
  /** The number of classes (multiclass XGBoost, config key `numClasses`). */
  readonly numClasses?: number;
}

/** A config file or model the runner cannot use; the message is one line naming the file, model and key. */
export class ModelConfigError extends Error {
  /** @param message the one line to print. */
  constructor(message: string) {
    super(message);
    this.name = 'ModelConfigError';
  }
}

type Json = { [key: string]: unknown };

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const show = (value: unknown) => JSON.stringify(value) ?? String(value);

/** Reads the models of a config file; a file that is not JSON or has no `models` list throws one line. */
function readModels(file: string): Json[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ModelConfigError(`${file}: not a readable JSON file (${(error as Error).message.split('\n')[0]})`);
  }
  if (!isObject(parsed) || !Array.isArray(parsed.models)) throw new ModelConfigError(`${file}: 'models' must be a list of models`);
  return parsed.models.filter(isObject);
}

/** Turns one model object of `file` into what a local run needs; every bad key throws one line. */
export function toLocalModel(file: string, model: Json): LocalModel {
  const name = String(model.name);
  const bad = (key: string, allowed: string, value: unknown) =>
    new ModelConfigError(`${file}: model '${name}': ${key} must be ${allowed}, got ${show(value)}`);
  const algorithm = model.algorithm;
  if (algorithm === 'container') {
    throw new ModelConfigError(`${file}: model '${name}': algorithm 'container' cannot run locally (example:local runs sklearn-script and xgboost models)`);
  }
  if (algorithm !== 'sklearn-script' && algorithm !== 'xgboost') throw bad('algorithm', 'one of sklearn-script, xgboost, container', algorithm);
  const problemType = model.problemType;
  if (!PROBLEM_TYPES.includes(problemType as LocalProblemType)) throw bad('problemType', `one of ${PROBLEM_TYPES.join(', ')}`, problemType);
  const dataset = isObject(model.dataset) ? model.dataset : {};
  if (typeof dataset.label !== 'string' || !dataset.label) throw bad('dataset.label', 'the label column', dataset.label);
  if (!Array.isArray(dataset.features) || dataset.features.length === 0) {
    throw bad('dataset.features', 'a non-empty list of names or { "name", "type" } objects', dataset.features);
  }
  const features: string[] = [];
  const categorical: string[] = [];
  for (const feature of dataset.features) {
    const column = typeof feature === 'string' ? { name: feature } : isObject(feature) ? feature : {};
    if (typeof column.name !== 'string' || !column.name) throw bad('dataset.features', 'names or { "name", "type" } objects', feature);
    if (column.type !== undefined && column.type !== 'numeric' && column.type !== 'categorical') {
      throw bad(`dataset.features '${column.name}' type`, 'numeric or categorical', column.type);
    }
    features.push(column.name);
    if (column.type === 'categorical') categorical.push(column.name);
  }
  const metric = isObject(model.metric) ? model.metric : {};
  if (typeof metric.name !== 'string' || !metric.name) throw bad('metric.name', 'a metric name', metric.name);
  if (metric.threshold !== undefined && typeof metric.threshold !== 'number') throw bad('metric.threshold', 'a number', metric.threshold);
  let scripts: string | undefined;
  if (algorithm === 'sklearn-script') {
    if (typeof model.scripts !== 'string' || !model.scripts) throw bad('scripts', 'the folder holding train.py and evaluate.py', model.scripts);
    scripts = path.resolve(path.dirname(file), model.scripts);
    for (const script of ['train.py', 'evaluate.py']) {
      if (!fs.existsSync(path.join(scripts, script))) throw bad('scripts', `a folder holding ${script}`, model.scripts);
    }
  }
  const hyperparameters: { [key: string]: string } = {};
  if (model.hyperparameters !== undefined) {
    if (!isObject(model.hyperparameters)) throw bad('hyperparameters', 'an object of strings', model.hyperparameters);
    for (const [key, value] of Object.entries(model.hyperparameters)) hyperparameters[key] = String(value);
  }
  if (model.numClasses !== undefined && (!Number.isInteger(model.numClasses) || (model.numClasses as number) < 2)) {
    throw bad('numClasses', 'an integer of at least 2', model.numClasses);
  }
  return {
    name,
    algorithm,
    scripts,
    problemType: problemType as LocalProblemType,
    label: dataset.label,
    features,
    categorical,
    metric: metric.name,
    threshold: metric.threshold as number | undefined,
    hyperparameters,
    numClasses: model.numClasses as number | undefined,
  };
}

/**
 * Finds `name` in `configFile` when it exists (a config given with `--config` must exist), else among the examples
 * of `examples/mlops.config.json`. An unknown name throws one line listing the names known.
 */
export function findModel(name: string, configFile: string | undefined, required: boolean): LocalModel {
  const sources: string[] = [];
  if (configFile && fs.existsSync(configFile)) sources.push(configFile);
  else if (configFile && required) throw new ModelConfigError(`--config must be an existing file, got ${configFile}`);
  sources.push(EXAMPLES_CONFIG);
  const known: string[] = [];
  for (const file of sources) {
    const models = readModels(file);
    const model = models.find((m) => m.name === name);
    if (model) return toLocalModel(file, model);
    known.push(...models.map((m) => String(m.name)));
  }
  throw new ModelConfigError(`--model must be one of ${[...new Set(known)].join(', ')}, got ${name}`);
}
