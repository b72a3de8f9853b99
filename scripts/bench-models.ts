import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { recommendationModel } from '../examples/recommendation/model';
import {
  BuiltInXGBoost, MaturityLevel, MlopsPlatform, PlatformModel, ProblemType, QualityMetric, ScikitLearnScripts,
} from '../lib';

/**
 * The platforms `npm run bench -- --models N` and test/platform/scale.test.ts synthesize: N models at level 4, each
 * with an approved package (so every model has its serving stack), cycling through the package's three examples:
 * the recommendation model (scikit-learn script mode, accuracy), churn (built-in XGBoost, AUC) and ltv (scikit-learn
 * script mode regression, RMSE). Model i is `<kind><i>` with its own dataset `<dataset>-<i>`; the feature lists come
 * from `examples/mlops.config.json`.
 */

const EXAMPLES = path.resolve(__dirname, '..', 'examples');

/** A feature list of `examples/mlops.config.json`, by model name. */
function exampleFeatures(model: string): string[] {
  const config = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'mlops.config.json'), 'utf8'));
  const found = config.models.find((m: { name: string }) => m.name === model);
  if (!found) throw new Error(`examples/mlops.config.json has no model '${model}'`);
  return found.dataset.features;
}

/** The i-th bench model (0-based): recommendation, churn, ltv, recommendation, ... */
export function benchModel(index: number): PlatformModel {
  const n = index + 1;
  switch (index % 3) {
    case 0: {
      const base = recommendationModel({ name: `recommendation${n}` });
      return { ...base, dataset: { ...base.dataset, name: `${base.dataset.name}-${n}` } };
    }
    case 1:
      return {
        name: `churn${n}`,
        problemType: ProblemType.BINARY_CLASSIFICATION,
        dataset: { name: `customer-churn-${n}`, label: 'churned', features: exampleFeatures('churn').map((name) => ({ name })) },
        metric: QualityMetric.auc(0.8),
        trainer: new BuiltInXGBoost(),
      };
    default:
      return {
        name: `ltv${n}`,
        problemType: ProblemType.REGRESSION,
        dataset: { name: `customer-value-${n}`, label: 'value', features: exampleFeatures('ltv').map((name) => ({ name })) },
        metric: QualityMetric.rmse(12.5),
        trainer: new ScikitLearnScripts({ scriptsDirectory: path.join(EXAMPLES, 'ltv') }),
      };
  }
}

/** The first `count` bench models. */
export function benchModels(count: number): PlatformModel[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`models must be a whole number >= 1, got ${count}`);
  return Array.from({ length: count }, (_, i) => benchModel(i));
}

/** A level-4 platform with `count` bench models, each serving package version 1 of its own group. */
export function benchPlatform(app: App, count: number): MlopsPlatform {
  const models = benchModels(count);
  const modelPackageArns = Object.fromEntries(models.map((m) =>
    [m.name, `arn:aws:sagemaker:us-east-1:123456789012:model-package/${m.name}/1`]));
  return new MlopsPlatform(app, 'Mlops', { level: MaturityLevel.AUTONOMOUS, models, modelPackageArns });
}
