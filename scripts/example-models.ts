import * as fs from 'fs';
import * as path from 'path';
import { BuiltInXGBoost } from '../lib/models/built-in-xgboost';
import { FeatureColumnType } from '../lib/models/model-dataset';
import { PlatformModel } from '../lib/models/platform-model';
import { problemTypeArgument } from '../lib/models/private/script-contract';
import { ScikitLearnScripts } from '../lib/models/scikit-learn-scripts';
import { QualityMetric } from '../lib/core/quality-metric';
import { readPlatformConfig } from '../lib/platform/config-file';
import { InputError } from '../lib/private/validate';

/**
 * The models `npm run example:local` can run, read with the platform's own config reader (`readPlatformConfig`, so a
 * file the platform rejects is rejected here with the same one line) from an `mlops.config.json` or from
 * `examples/mlops.config.json`, which configures the package's three examples: `recommendation`, `churn` and `ltv`.
 * The model's trainer tells how it runs locally: `ScikitLearnScripts` runs its scripts folder, `BuiltInXGBoost` the
 * generic XGBoost path; a `ContainerTrainer` (or any other trainer) cannot run locally.
 */

/** The config file describing the package's examples; its models are known without a config file of your own. */
export const EXAMPLES_CONFIG = path.resolve(__dirname, '..', 'examples', 'mlops.config.json');

/** How a model is trained, as far as a local run is concerned. */
export type LocalAlgorithm = 'sklearn-script' | 'xgboost';

/** What a local run needs of a model. */
export interface LocalModel {
  /** The model's name. */
  readonly name: string;
  /** `sklearn-script` or `xgboost`. */
  readonly algorithm: LocalAlgorithm;
  /** Absolute path of the scripts folder (sklearn-script only). */
  readonly scripts?: string;
  /** The scripts' `--problem-type`: binary, multiclass or regression. */
  readonly problemType: string;
  /** The label column. */
  readonly label: string;
  /** The feature columns, in model order. */
  readonly features: string[];
  /** The features whose type is `categorical`. */
  readonly categorical: string[];
  /** The quality metric and its threshold. */
  readonly metric: QualityMetric;
  /** Built-in XGBoost hyperparameters of the trainer, merged over the defaults by the local trainer. */
  readonly hyperparameters: { [key: string]: string };
  /** The number of classes (multiclass XGBoost). */
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

/** What a local run needs of a model of `file`, read by the platform's config reader; its trainer tells the kind. */
export function toLocalModel(file: string, model: PlatformModel): LocalModel {
  const common = {
    name: model.name,
    problemType: problemTypeArgument(model.problemType),
    label: model.dataset.label,
    features: model.dataset.features.map((f) => f.name),
    categorical: model.dataset.features.filter((f) => f.type === FeatureColumnType.CATEGORICAL).map((f) => f.name),
    metric: model.metric,
  };
  const trainer = model.trainer;
  if (trainer instanceof ScikitLearnScripts) {
    return { ...common, algorithm: 'sklearn-script', scripts: path.resolve(trainer.props.scriptsDirectory), hyperparameters: {} };
  }
  if (trainer instanceof BuiltInXGBoost) {
    return { ...common, algorithm: 'xgboost', hyperparameters: { ...trainer.props.hyperparameters }, numClasses: trainer.props.numClasses };
  }
  throw new ModelConfigError(`${file}: model '${model.name}': algorithm 'container' cannot run locally (example:local runs sklearn-script and xgboost models)`);
}

/** Reads `file` with the platform's config reader; its one-line error becomes a {@link ModelConfigError}. */
function readModels(file: string): PlatformModel[] {
  try {
    return readPlatformConfig(file).props.models;
  } catch (error) {
    if (error instanceof InputError) throw new ModelConfigError(error.message);
    throw error;
  }
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
    known.push(...models.map((m) => m.name));
  }
  throw new ModelConfigError(`--model must be one of ${[...new Set(known)].join(', ')}, got ${name}`);
}
