import { modelQualityMetricNames } from '../core/quality-metric';
import { SettingSpec } from '../settings/setting';
import {
  ALGORITHMS, FILE_SETTINGS, JsonSchema, MODEL_FILE_SETTINGS, MODEL_KEYS, PLATFORM_NAME_PATTERN, PROBLEM_TYPES,
} from './private/config-keys';

const JSON_TYPES: { [kind: string]: string } = { number: 'number', integer: 'integer', boolean: 'boolean', string: 'string' };

function settingSchema(spec: SettingSpec): JsonSchema {
  const schema: JsonSchema = { type: JSON_TYPES[spec.kind], ...spec.jsonSchema, description: `Level ${spec.level}+: ${spec.doc}. Allowed: ${spec.allowed.replace(/\\\|/g, '|')}.` };
  if (spec.default !== undefined) schema.default = spec.default;
  return schema;
}

function settingsSchemas(specs: readonly SettingSpec[]): { [name: string]: JsonSchema } {
  return Object.fromEntries(specs.map((s) => [s.name, settingSchema(s)]));
}

/** `if` part matching objects whose `key` is `value`. */
function when(values: { [key: string]: string }): JsonSchema {
  return { type: 'object', properties: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { const: v }])), required: Object.keys(values) };
}

function modelSchema(): JsonSchema {
  const byAlgorithm = ALGORITHMS.map((algorithm) => ({
    if: when({ algorithm }),
    then: {
      type: 'object',
      required: MODEL_KEYS.filter((k) => k.required && k.algorithms?.includes(algorithm)).map((k) => k.name),
      properties: Object.fromEntries(MODEL_KEYS.filter((k) => k.algorithms && !k.algorithms.includes(algorithm)).map((k) => [k.name, false])),
    },
  }));
  const byProblemType = Object.entries(PROBLEM_TYPES).map(([problemType, type]) => ({
    if: when({ problemType }),
    then: { type: 'object', properties: { metric: { type: 'object', properties: { name: { enum: modelQualityMetricNames(type) } } } } },
  }));
  return {
    type: 'object',
    additionalProperties: false,
    required: MODEL_KEYS.filter((k) => k.required && !k.algorithms).map((k) => k.name),
    properties: {
      ...Object.fromEntries(MODEL_KEYS.map((k) => [k.name, { ...k.schema, description: k.doc }])),
      ...settingsSchemas(MODEL_FILE_SETTINGS),
    },
    allOf: [
      ...byAlgorithm,
      ...byProblemType,
      { if: when({ algorithm: 'xgboost', problemType: 'multiclass' }), then: { type: 'object', required: ['numClasses'] } },
      // The built-in algorithm reads numbers only.
      {
        if: when({ algorithm: 'xgboost' }),
        then: {
          type: 'object',
          properties: {
            dataset: {
              type: 'object',
              properties: { features: { type: 'array', items: { not: { type: 'object', properties: { type: { const: 'categorical' } }, required: ['type'] } } } },
            },
          },
        },
      },
    ],
  };
}

/**
 * The JSON schema (draft-07) of `mlops.config.json`, the file the CLI app reads its platform from: `platformName`,
 * `level`, every platform setting of the settings table and `models`, each with its name, algorithm, problem type,
 * dataset, metric, the algorithm's keys and every per-model setting. `npm run generate:settings` writes it to
 * `schema/mlops-config.schema.json`, which the package ships; `readPlatformConfig` checks the same rules and more
 * (unique model names, the label not a feature, the scripts folder).
 */
export function mlopsConfigSchema(): { [keyword: string]: any } {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'cdk-mlops-maturity platform config (mlops.config.json)',
    description: 'The platform the CLI app builds: its name, level, settings and models. CLI context keys (-c key=value) override the settings given here.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'this schema, for editors' },
      platformName: { type: 'string', pattern: PLATFORM_NAME_PATTERN, description: 'id of the platform construct and prefix of its stack names' },
      level: { type: 'integer', minimum: 0, maximum: 4, default: 2, description: 'the maturity level to deploy' },
      models: { type: 'array', items: modelSchema(), description: 'the models the platform trains and serves (at least one from level 2)' },
      ...settingsSchemas(FILE_SETTINGS),
    },
    allOf: [
      // Level 2 (the default) and up train and serve models.
      {
        if: { type: 'object', properties: { level: { type: 'integer', maximum: 1 } }, required: ['level'] },
        else: { type: 'object', required: ['models'], properties: { models: { type: 'array', minItems: 1 } } },
      },
      // Serverless endpoints have no data capture, which the level-3 monitors need.
      {
        if: { type: 'object', properties: { level: { type: 'integer', minimum: 3 } }, required: ['level'] },
        then: {
          type: 'object',
          properties: { serverless: { const: false }, models: { type: 'array', items: { type: 'object', properties: { serverless: { const: false } } } } },
        },
      },
    ],
  };
}
