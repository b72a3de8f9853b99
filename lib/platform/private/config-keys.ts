import { ProblemType } from '../../core/problem-type';
import { modelQualityMetricNames } from '../../core/quality-metric';
import { FeatureColumnType } from '../../models/model-dataset';
import { ScalingType } from '../../pipeline/definition';
import { SettingSpec } from '../../settings/setting';
import { SETTINGS } from '../../settings/settings-table';

/** A JSON schema fragment (draft-07). */
export type JsonSchema = { [keyword: string]: unknown };

/** The config file's `algorithm` values: each a ready-made trainer kind. */
export const ALGORITHMS = ['sklearn-script', 'xgboost', 'container'] as const;

/** The config file's `problemType` values and the problem types they name. */
export const PROBLEM_TYPES: { readonly [name: string]: ProblemType } = {
  binary: ProblemType.BINARY_CLASSIFICATION,
  multiclass: ProblemType.MULTICLASS_CLASSIFICATION,
  regression: ProblemType.REGRESSION,
};

/** The config file's name of a problem type (`regression` for `ProblemType.REGRESSION`). */
export function problemTypeName(problemType: ProblemType): string {
  return Object.keys(PROBLEM_TYPES).find((k) => PROBLEM_TYPES[k] === problemType)!;
}

/** The settings a config file may set at its top level (platform and model scope) and in a model (model scope). */
export const FILE_SETTINGS: readonly SettingSpec[] = SETTINGS.filter((s) => s.scope !== 'context');
/** The per-model settings, keys of a model object. */
export const MODEL_FILE_SETTINGS: readonly SettingSpec[] = SETTINGS.filter((s) => s.scope === 'model');

/** The pattern of a model name (as the settings table's `checkModelName`). */
export const MODEL_NAME_PATTERN = '^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$';
/** The pattern of a dataset name (as the data store's datasets). */
export const DATASET_NAME_PATTERN = '^[a-z0-9][a-z0-9._-]{0,62}$';
/** The pattern of an ECR image URI with a tag or digest. */
export const ECR_IMAGE_PATTERN = '^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]{1,128}|@sha256:[0-9a-f]{64})$';
/** The pattern of a column name (as the models' dataset checks: it travels on script command lines and into CSV headers). */
export const COLUMN_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]{0,63}$';
/** What a column name may be, in words. */
export const COLUMN_NAME_ALLOWED = "1-64 letters, digits, '_', '.' or '-', starting with a letter or '_'";
/** Hyperparameters the platform sets itself (the script contract's arguments and script mode's own). */
export const RESERVED_HYPERPARAMETERS_PATTERN = '^(label|features|problem-type|metric|sagemaker_.*)$';
/** The pattern of a platform name (as the settings table's `platformName`). */
export const PLATFORM_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9-]{0,39}$';

const TUNING_RANGE_TYPES = ['continuous', 'integer', 'categorical'];
/** The config file's `scaling` values of a tuning range. */
export const SCALING_TYPES: { readonly [name: string]: ScalingType } = {
  auto: ScalingType.AUTO,
  linear: ScalingType.LINEAR,
  logarithmic: ScalingType.LOGARITHMIC,
  reverseLogarithmic: ScalingType.REVERSE_LOGARITHMIC,
};

/** The key of a model object that is not a setting: its schema, which algorithms take it, whether it is required. */
export interface ModelKey {
  readonly name: string;
  readonly doc: string;
  readonly schema: JsonSchema;
  /** The algorithms that take the key. @default - every algorithm */
  readonly algorithms?: readonly string[];
  /** Required (for every algorithm that takes it). */
  readonly required?: boolean;
}

const str = (description: string): JsonSchema => ({ type: 'string', minLength: 1, description });
const column = (description: string): JsonSchema => ({ type: 'string', pattern: COLUMN_NAME_PATTERN, description });
const image = (description: string): JsonSchema => ({ type: 'string', pattern: ECR_IMAGE_PATTERN, description });
const allMetricNames = [...new Set(Object.values(PROBLEM_TYPES).flatMap(modelQualityMetricNames))];

/** Every key of a model object besides the per-model settings, in the README's order. */
export const MODEL_KEYS: readonly ModelKey[] = [
  { name: 'name', required: true, doc: 'the model\'s name: its stacks are `<platform>-<name>-Training` and `-Serving`', schema: { type: 'string', pattern: MODEL_NAME_PATTERN } },
  { name: 'algorithm', required: true, doc: 'how it is trained', schema: { enum: [...ALGORITHMS] } },
  { name: 'problemType', required: true, doc: 'what it predicts', schema: { enum: Object.keys(PROBLEM_TYPES) } },
  {
    name: 'dataset', required: true, doc: 'the dataset in the platform\'s dataset store (`datasets/<name>/`, CSV with a header row): `{ "name", "label", "features": [names or { "name", "type": "numeric"|"categorical" }], "recordIdentifier"? }`',
    schema: {
      type: 'object', additionalProperties: false, required: ['name', 'label', 'features'],
      properties: {
        name: { type: 'string', pattern: DATASET_NAME_PATTERN, description: 'key prefix datasets/<name>/ in the dataset store' },
        label: column('the label column (not a feature)'),
        features: {
          type: 'array', minItems: 1, description: 'feature columns: names, or { name, type }',
          items: {
            oneOf: [
              column('a numeric feature column'),
              {
                type: 'object', additionalProperties: false, required: ['name'],
                properties: { name: column('the column'), type: { enum: Object.values(FeatureColumnType) } },
              },
            ],
          },
        },
        recordIdentifier: column('the column identifying a record in the model\'s feature group (level 4); default record_id'),
      },
    },
  },
  {
    name: 'metric', required: true, doc: 'the quality metric and its threshold (in the metric\'s direction: `rmse`, `mae`, `mse` must stay at or below it)',
    schema: {
      type: 'object', additionalProperties: false, required: ['name', 'threshold'],
      properties: { name: { enum: allMetricNames }, threshold: { type: 'number' } },
    },
  },
  {
    name: 'scripts', algorithms: ['sklearn-script'], required: true, doc: 'folder with `train.py` and `evaluate.py` (and optionally `preprocess.py`), relative to the config file',
    schema: str('folder relative to the config file'),
  },
  {
    name: 'numClasses', algorithms: ['xgboost'], doc: 'number of classes (required for `multiclass`)',
    schema: { type: 'integer', minimum: 3, maximum: 1000 },
  },
  { name: 'image', algorithms: ['container'], required: true, doc: 'the training image (an ECR image URI)', schema: image('<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>') },
  { name: 'servingImage', algorithms: ['container'], doc: 'the serving image (default: `image`)', schema: image('<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>') },
  { name: 'evaluationImage', algorithms: ['container'], doc: 'the evaluation image (default: `image`)', schema: image('<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>') },
  {
    name: 'evaluationEntrypoint', algorithms: ['container'], doc: 'the evaluation command (default: `["python3", "/opt/ml/code/evaluate.py"]`)',
    schema: { type: 'array', minItems: 1, items: { type: 'string' } },
  },
  {
    name: 'metricDefinitions', algorithms: ['container'], doc: 'metrics the training container prints: `[{ "name", "regex" }]`',
    schema: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['name', 'regex'], properties: { name: str('metric name'), regex: str('regular expression') } },
    },
  },
  {
    name: 'objectiveMetricName', algorithms: ['container'], doc: 'the metric tuning optimizes, one of `metricDefinitions` (default: `validation:<metric>`)',
    schema: str('one of the metricDefinitions\' names'),
  },
  {
    name: 'hyperparameters', doc: 'hyperparameters of the training job (strings or numbers; not `label`, `features`, `problem-type`, `metric` or `sagemaker_*`, which the platform sets)',
    schema: {
      type: 'object',
      additionalProperties: { type: ['string', 'number', 'boolean'] },
      propertyNames: { not: { pattern: RESERVED_HYPERPARAMETERS_PATTERN } },
    },
  },
  {
    name: 'tuningRanges', doc: 'what level 4\'s tuning searches: `[{ "name", "type": "continuous"|"integer", "min", "max", "scaling"? }]` or `{ "name", "type": "categorical", "values" }`',
    schema: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['name', 'type'],
        properties: {
          name: str('hyperparameter'),
          type: { enum: TUNING_RANGE_TYPES },
          min: { type: 'number' },
          max: { type: 'number' },
          scaling: { enum: Object.keys(SCALING_TYPES) },
          values: { type: 'array', minItems: 1, items: { type: 'string' } },
        },
        if: { type: 'object', properties: { type: { const: 'categorical' } } },
        then: { type: 'object', required: ['values'], properties: { min: false, max: false, scaling: false } },
        else: { type: 'object', required: ['min', 'max'], properties: { values: false } },
      },
    },
  },
];

/** The keys a model object of an algorithm may have: its own keys and the per-model settings. */
export function modelKeysFor(algorithm: string): string[] {
  return [
    ...MODEL_KEYS.filter((k) => !k.algorithms || k.algorithms.includes(algorithm)).map((k) => k.name),
    ...MODEL_FILE_SETTINGS.map((s) => s.name),
  ];
}

/** The keys the top level of a config file may have. */
export const TOP_KEYS: readonly string[] = ['$schema', 'platformName', 'level', 'models', ...FILE_SETTINGS.map((s) => s.name)];
