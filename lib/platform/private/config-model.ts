import * as fs from 'fs';
import * as path from 'path';
import { modelQualityMetricNames, QualityMetric } from '../../core/quality-metric';
import { BuiltInXGBoost } from '../../models/built-in-xgboost';
import { ContainerTrainer } from '../../models/container-trainer';
import { FeatureColumn, FeatureColumnType, ModelDataset } from '../../models/model-dataset';
import { IModelTrainer } from '../../models/model-trainer';
import { PlatformModel } from '../../models/platform-model';
import { ScikitLearnScripts } from '../../models/scikit-learn-scripts';
import { ContainerImage, MetricDefinition, ParameterRange } from '../../pipeline/definition';
import { checkSettings } from '../../settings/check-settings';
import { InputError, invalid } from '../../private/validate';
import {
  ALGORITHMS, COLUMN_NAME_ALLOWED, COLUMN_NAME_PATTERN, DATASET_NAME_PATTERN, RESERVED_HYPERPARAMETERS_PATTERN, ECR_IMAGE_PATTERN, MODEL_FILE_SETTINGS, MODEL_KEYS, MODEL_NAME_PATTERN, modelKeysFor,
  PROBLEM_TYPES, SCALING_TYPES,
} from './config-keys';
import { settingsFromJson } from './config-settings';

/** Where a value of the config file is: the file as given, its folder, and the prefix of every message. */
export interface ConfigPlace {
  /** The file as the user named it (messages start with it). */
  readonly file: string;
  /** The absolute folder of the file (the `scripts` folders are relative to it). */
  readonly dir: string;
}

type Json = { [key: string]: unknown };

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Throws one line: `<prefix><key> must be <allowed>, got <value>`. */
type Fail = (key: string, allowed: string, value: unknown) => never;

/** Checks that an object has only `allowed` keys: one line names the first other key and lists the allowed ones. */
export function checkKeys(prefix: string, where: string, obj: Json, allowed: readonly string[]): void {
  const unknown = Object.keys(obj).find((k) => !allowed.includes(k));
  if (unknown !== undefined) {
    throw new InputError(undefined, `${prefix}unknown key '${unknown}'${where}: allowed are ${allowed.join(', ')}`);
  }
}

/**
 * Reads the model object `raw` (the `index`th of `models`) into a platform model: every key checked, each finding
 * one line naming the file, the model (by name, or by index while the name is missing or bad), the key, the value
 * and what is allowed.
 */
export function modelFromConfig(raw: unknown, index: number, place: ConfigPlace): PlatformModel {
  if (!isObject(raw)) invalid(undefined, `${place.file}: models[${index}]`, 'an object ({ "name", "algorithm", "problemType", "dataset", "metric" })', raw);
  const nameOk = typeof raw.name === 'string' && new RegExp(MODEL_NAME_PATTERN).test(raw.name);
  const prefix = `${place.file}: ${nameOk ? `model '${raw.name}'` : `models[${index}]`}: `;
  const fail: Fail = (key, allowed, value) => invalid(undefined, prefix + key, allowed, value);
  if (!nameOk) fail('name', '1-32 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen', raw.name);
  const name = raw.name as string;

  const algorithm = raw.algorithm;
  if (typeof algorithm !== 'string' || !(ALGORITHMS as readonly string[]).includes(algorithm)) fail('algorithm', `one of ${ALGORITHMS.join(', ')}`, algorithm);
  const allowedKeys = modelKeysFor(algorithm);
  const unknown = Object.keys(raw).find((k) => !allowedKeys.includes(k));
  if (unknown !== undefined) {
    const other = MODEL_KEYS.find((k) => k.name === unknown)?.algorithms;
    const why = other ? ` (it is for algorithm ${other.join(', ')})` : '';
    throw new InputError(undefined, `${prefix}unknown key '${unknown}' for algorithm '${algorithm}'${why}: allowed are ${allowedKeys.join(', ')}`);
  }
  for (const key of MODEL_KEYS.filter((k) => k.required && (!k.algorithms || k.algorithms.includes(algorithm)))) {
    if (raw[key.name] === undefined) fail(key.name, `given (${key.doc})`, undefined);
  }

  const typeNames = Object.keys(PROBLEM_TYPES);
  if (typeof raw.problemType !== 'string' || !typeNames.includes(raw.problemType)) fail('problemType', `one of ${typeNames.join(', ')}`, raw.problemType);
  const problemType = PROBLEM_TYPES[raw.problemType];

  const dataset = datasetFromConfig(raw.dataset, prefix, fail);

  const metricRaw = raw.metric;
  if (!isObject(metricRaw)) fail('metric', 'an object { "name", "threshold" }', metricRaw);
  checkKeys(prefix, ' in metric', metricRaw, ['name', 'threshold']);
  const metricNames = modelQualityMetricNames(problemType);
  if (typeof metricRaw.name !== 'string' || !metricNames.includes(metricRaw.name)) {
    fail('metric.name', `one of ${metricNames.join(', ')} for problemType '${raw.problemType}'`, metricRaw.name);
  }
  if (typeof metricRaw.threshold !== 'number') fail('metric.threshold', 'a number', metricRaw.threshold);
  const metric = rethrow(prefix, () => QualityMetric.of(metricRaw.name as string, metricRaw.threshold as number));

  const settings = settingsFromJson(raw, MODEL_FILE_SETTINGS, prefix);
  checkSettings(undefined, settings, prefix);

  const trainer = trainerFromConfig(algorithm, raw, raw.problemType, prefix, fail, place);
  return { ...settings, name, problemType, dataset, metric, trainer };
}

function datasetFromConfig(raw: unknown, prefix: string, fail: Fail): ModelDataset {
  if (!isObject(raw)) fail('dataset', 'an object { "name", "label", "features" }', raw);
  checkKeys(prefix, ' in dataset', raw, ['name', 'label', 'features', 'recordIdentifier']);
  if (typeof raw.name !== 'string' || !new RegExp(DATASET_NAME_PATTERN).test(raw.name)) {
    fail('dataset.name', "1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit", raw.name);
  }
  const columnName = (v: unknown) => typeof v === 'string' && new RegExp(COLUMN_NAME_PATTERN).test(v);
  if (!columnName(raw.label)) fail('dataset.label', COLUMN_NAME_ALLOWED, raw.label);
  if (raw.recordIdentifier !== undefined && !columnName(raw.recordIdentifier)) fail('dataset.recordIdentifier', COLUMN_NAME_ALLOWED, raw.recordIdentifier);
  if (!Array.isArray(raw.features) || raw.features.length === 0) fail('dataset.features', 'a non-empty list of column names or { "name", "type" }', raw.features);
  const types = Object.values(FeatureColumnType) as string[];
  const seen = new Set<string>();
  const features: FeatureColumn[] = raw.features.map((f: unknown, i: number) => {
    const key = `dataset.features[${i}]`;
    let feature: FeatureColumn;
    if (typeof f === 'string') {
      if (!columnName(f)) fail(key, COLUMN_NAME_ALLOWED, f);
      feature = { name: f };
    } else if (isObject(f)) {
      checkKeys(prefix, ` in ${key}`, f, ['name', 'type']);
      if (!columnName(f.name)) fail(`${key}.name`, COLUMN_NAME_ALLOWED, f.name);
      if (f.type !== undefined && (typeof f.type !== 'string' || !types.includes(f.type))) fail(`${key}.type`, `one of ${types.join(', ')}`, f.type);
      feature = { name: f.name as string, type: f.type as FeatureColumnType | undefined };
    } else {
      return fail(key, 'a column name or { "name", "type" }', f);
    }
    if (feature.name === raw.label) fail(key, `a column other than the label '${raw.label}'`, feature.name);
    if (seen.has(feature.name)) fail(key, 'a column not listed before (feature names are unique)', feature.name);
    seen.add(feature.name);
    return feature;
  });
  return { name: raw.name, label: raw.label as string, features, recordIdentifier: raw.recordIdentifier as string | undefined };
}

function trainerFromConfig(algorithm: string, raw: Json, problemType: string, prefix: string, fail: Fail, place: ConfigPlace): IModelTrainer {
  const hyperparameters = hyperparametersFromConfig(raw.hyperparameters, fail);
  const tuningRanges = tuningRangesFromConfig(raw.tuningRanges, prefix, fail);
  switch (algorithm) {
    case 'sklearn-script': {
      if (typeof raw.scripts !== 'string' || raw.scripts === '') fail('scripts', 'a folder relative to the config file', raw.scripts);
      const dir = path.resolve(place.dir, raw.scripts);
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        fail('scripts', `an existing folder with train.py and evaluate.py, relative to the config file (${dir} does not exist)`, raw.scripts);
      }
      const missing = ['train.py', 'evaluate.py'].filter((f) => !fs.existsSync(path.join(dir, f)));
      if (missing.length > 0) fail('scripts', `a folder with train.py and evaluate.py (${dir} has no ${missing.join(', ')})`, raw.scripts);
      return new ScikitLearnScripts({ scriptsDirectory: dir, hyperparameters, tuningRanges });
    }
    case 'xgboost': {
      const numClasses = raw.numClasses;
      if (problemType === 'multiclass' && numClasses === undefined) fail('numClasses', "a whole number from 3 to 1000 for problemType 'multiclass'", numClasses);
      if (numClasses !== undefined && problemType !== 'multiclass') fail('numClasses', `unset for problemType '${problemType}' (multiclass only)`, numClasses);
      if (numClasses !== undefined && (!Number.isInteger(numClasses) || (numClasses as number) < 3 || (numClasses as number) > 1000)) {
        fail('numClasses', 'a whole number from 3 to 1000', numClasses);
      }
      const features = (raw.dataset as { features: unknown[] }).features;
      features.forEach((f, i) => {
        if (isObject(f) && f.type === 'categorical') {
          fail(`dataset.features[${i}].type`, "'numeric' for algorithm 'xgboost' (the built-in algorithm reads numbers only; encode the column first)", f.type);
        }
      });
      return new BuiltInXGBoost({ numClasses: numClasses as number | undefined, hyperparameters, tuningRanges });
    }
    default: {
      const image = (key: string): ContainerImage | undefined => {
        const uri = raw[key];
        if (uri === undefined) return undefined;
        if (typeof uri !== 'string' || !new RegExp(ECR_IMAGE_PATTERN).test(uri)) {
          fail(key, 'an ECR image URI <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> (or @sha256:<digest>)', uri);
        }
        return ContainerImage.fromUri(uri);
      };
      const entrypoint = raw.evaluationEntrypoint;
      if (entrypoint !== undefined && (!Array.isArray(entrypoint) || entrypoint.length === 0 || entrypoint.some((p) => typeof p !== 'string'))) {
        fail('evaluationEntrypoint', 'a non-empty list of strings (the command)', entrypoint);
      }
      if (raw.objectiveMetricName !== undefined && typeof raw.objectiveMetricName !== 'string') fail('objectiveMetricName', 'a string', raw.objectiveMetricName);
      const metricDefinitions = metricDefinitionsFromConfig(raw.metricDefinitions, prefix, fail);
      const objective = (raw.objectiveMetricName as string | undefined) ?? `validation:${(raw.metric as Json).name}`;
      const names = (metricDefinitions ?? []).map((d) => d.name);
      if (((tuningRanges?.length ?? 0) > 0 || raw.objectiveMetricName !== undefined) && !names.includes(objective)) {
        fail('objectiveMetricName', `one of the metricDefinitions' names (${names.map((n) => `'${n}'`).join(', ') || 'none given'}) to tune on`, objective);
      }
      return new ContainerTrainer({
        trainingImage: image('image')!,
        servingImage: image('servingImage'),
        evaluationImage: image('evaluationImage'),
        evaluationEntrypoint: entrypoint as string[] | undefined,
        metricDefinitions,
        objectiveMetricName: raw.objectiveMetricName as string | undefined,
        hyperparameters,
        tuningRanges,
      });
    }
  }
}

function hyperparametersFromConfig(raw: unknown, fail: Fail): { [key: string]: string } | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) fail('hyperparameters', 'an object of names to strings or numbers', raw);
  const reserved = Object.keys(raw).find((k) => new RegExp(RESERVED_HYPERPARAMETERS_PATTERN).test(k));
  if (reserved !== undefined) fail('hyperparameters', 'free of label, features, problem-type, metric and sagemaker_* (the platform sets them)', reserved);
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => {
    if (!['string', 'number', 'boolean'].includes(typeof v)) fail(`hyperparameters.${k}`, 'a string, number or boolean', v);
    return [k, String(v)];
  }));
}

function metricDefinitionsFromConfig(raw: unknown, prefix: string, fail: Fail): MetricDefinition[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) fail('metricDefinitions', 'a list of { "name", "regex" }', raw);
  return raw.map((d: unknown, i: number) => {
    const key = `metricDefinitions[${i}]`;
    if (!isObject(d)) return fail(key, 'an object { "name", "regex" }', d);
    checkKeys(prefix, ` in ${key}`, d, ['name', 'regex']);
    if (typeof d.name !== 'string' || d.name === '') fail(`${key}.name`, 'a metric name', d.name);
    if (typeof d.regex !== 'string' || d.regex === '') fail(`${key}.regex`, 'a regular expression', d.regex);
    return { name: d.name, regex: d.regex };
  });
}

function tuningRangesFromConfig(raw: unknown, prefix: string, fail: Fail): ParameterRange[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) fail('tuningRanges', 'a list of ranges', raw);
  return raw.map((r: unknown, i: number) => {
    const key = `tuningRanges[${i}]`;
    if (!isObject(r)) return fail(key, 'an object { "name", "type", ... }', r);
    if (typeof r.name !== 'string' || r.name === '') fail(`${key}.name`, 'a hyperparameter name', r.name);
    const name = r.name;
    if (r.type === 'categorical') {
      checkKeys(prefix, ` in ${key} (categorical)`, r, ['name', 'type', 'values']);
      if (!Array.isArray(r.values) || r.values.length === 0 || r.values.some((v) => typeof v !== 'string')) fail(`${key}.values`, 'a non-empty list of strings', r.values);
      return ParameterRange.categorical(name, r.values as string[]);
    }
    if (r.type !== 'continuous' && r.type !== 'integer') fail(`${key}.type`, 'one of continuous, integer, categorical', r.type);
    checkKeys(prefix, ` in ${key} (${r.type})`, r, ['name', 'type', 'min', 'max', 'scaling']);
    if (typeof r.min !== 'number') fail(`${key}.min`, 'a number', r.min);
    if (typeof r.max !== 'number') fail(`${key}.max`, 'a number', r.max);
    const scalings = Object.keys(SCALING_TYPES);
    if (r.scaling !== undefined && (typeof r.scaling !== 'string' || !scalings.includes(r.scaling))) fail(`${key}.scaling`, `one of ${scalings.join(', ')}`, r.scaling);
    const scaling = SCALING_TYPES[(r.scaling as string | undefined) ?? 'auto'];
    const make = r.type === 'integer' ? ParameterRange.integer : ParameterRange.continuous;
    return rethrow(`${prefix}${key}: `, () => make(name, r.min as number, r.max as number, scaling));
  });
}

/** Runs `fn`, prefixing the one-line message of an error it throws. */
export function rethrow<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new InputError(undefined, `${prefix}${e instanceof InputError ? e.problem : (e as Error).message}`);
  }
}
