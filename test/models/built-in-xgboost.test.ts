import { Stack } from 'aws-cdk-lib';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { BuiltInXGBoost, BuiltInXGBoostProps, FeatureColumnType, ParameterRange, PlatformModel, ProblemType, QualityMetric } from '../../lib';
import { packageRoot } from '../../lib/private/package-root';
import { buildModel, stepImages, synthModel } from './model-app';

const XGBOOST = /\/sagemaker-xgboost:1\.7-1$/;
const SKLEARN = /\/sagemaker-scikit-learn:1\.2-1-cpu-py3$/;

function churn(props: BuiltInXGBoostProps = {}, extra: Partial<PlatformModel> = {}): PlatformModel {
  return {
    name: 'churn',
    problemType: ProblemType.BINARY_CLASSIFICATION,
    metric: QualityMetric.auc(0.8),
    dataset: { name: 'customer-churn', label: 'churned', features: [{ name: 'tenure' }, { name: 'monthly_charges' }] },
    trainer: new BuiltInXGBoost(props),
    ...extra,
  };
}

/** Asset hash of a file of the package, as the pipeline's script assets are hashed. */
function packageFileHash(...segments: string[]): string {
  return new s3assets.Asset(new Stack(), 'A', { path: [packageRoot(), ...segments].join('/') }).assetHash;
}

describe('BuiltInXGBoost, binary classification (level 2)', () => {
  const { steps, built } = synthModel(churn());

  test('trains and evaluates in the XGBoost 1.7-1 image and preprocesses in the scikit-learn image', () => {
    expect(stepImages(steps)).toEqual({ Preprocess: expect.stringMatching(SKLEARN), Train: expect.stringMatching(XGBOOST), Evaluate: expect.stringMatching(XGBOOST) });
    const container = steps.RegisterModel.Arguments.InferenceSpecification.Containers[0];
    expect(container).toMatchObject({ Image: expect.stringMatching(XGBOOST), Framework: 'XGBOOST', FrameworkVersion: '1.7' });
    expect(container.Environment).toBeUndefined();
    expect(steps.RegisterModel.Arguments.InferenceSpecification.SupportedContentTypes).toEqual(['text/csv', 'text/libsvm']);
  });

  test("the platform's generic preprocessing writes the XGBoost CSV layout", () => {
    const args = steps.Preprocess.Arguments.AppSpecification.ContainerArguments;
    expect(args.slice(2)).toEqual(['--label', 'churned', '--features', 'tenure,monthly_charges', '--problem-type', 'binary', '--layout', 'xgboost']);
    expect(steps.Preprocess.Arguments.AppSpecification.ContainerEntrypoint).toEqual(['python3', '/opt/ml/processing/input/code/preprocess.py']);
    const preprocess = built.node.findChild('PreprocessScript') as s3assets.Asset;
    expect(preprocess.assetHash).toBe(packageFileHash('assets', 'sagemaker', 'preprocess.py'));
  });

  test('the algorithm reads the train and validation channels as CSV, with the binary defaults and no metric definitions', () => {
    const args = steps.Train.Arguments;
    expect(args.InputDataConfig.map((c: any) => [c.ChannelName, c.ContentType, c.DataSource.S3DataSource.S3Uri.Get])).toEqual([
      ['train', 'text/csv', "Steps.Preprocess.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"],
      ['validation', 'text/csv', "Steps.Preprocess.ProcessingOutputConfig.Outputs['test'].S3Output.S3Uri"],
    ]);
    expect(args.HyperParameters).toEqual({ objective: 'binary:logistic', eval_metric: 'auc', num_round: '100' });
    expect(args.AlgorithmSpecification.MetricDefinitions).toBeUndefined();
    expect(args.EnableManagedSpotTraining).toBe(true);
  });

  test("the platform's XGBoost evaluation scores the model with the contract's arguments", () => {
    const app = steps.Evaluate.Arguments.AppSpecification;
    expect(app.ContainerEntrypoint).toEqual(['python3', '/opt/ml/processing/input/code/evaluate_xgboost.py']);
    expect(app.ContainerArguments).toEqual(['--label', 'churned', '--features', 'tenure,monthly_charges', '--problem-type', 'binary', '--metric', 'auc', '--layout', 'xgboost']);
    expect(steps.Evaluate.Arguments.NetworkConfig.EnableNetworkIsolation).toBe(true);
    const evaluate = built.node.findChild('EvaluateScript') as s3assets.Asset;
    expect(evaluate.assetHash).toBe(packageFileHash('assets', 'sagemaker', 'evaluate_xgboost.py'));
  });

  test('gates on auc >= MetricThreshold and records the metric with the package', () => {
    expect(steps.CheckMetric.Arguments.Conditions).toEqual([{
      Type: 'GreaterThanOrEqualTo',
      LeftValue: { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' }, Path: 'metrics.auc.value' } },
      RightValue: { Get: 'Parameters.MetricThreshold' },
    }]);
    const metadata = steps.RegisterModel.Arguments.CustomerMetadataProperties;
    expect(metadata.Metric).toBe('auc');
    expect(metadata.MetricValue).toEqual({ 'Std:Join': { On: '', Values: [steps.CheckMetric.Arguments.Conditions[0].LeftValue] } });
  });
});

describe('BuiltInXGBoost tuning (level 4)', () => {
  test('binary: a Bayesian search over eta, max_depth, min_child_weight and subsample maximizing validation:auc', () => {
    const { steps } = synthModel(churn(), { tuning: true });
    expect(steps.Train).toBeUndefined();
    const config = steps.Tune.Arguments.HyperParameterTuningJobConfig;
    expect(config.HyperParameterTuningJobObjective).toEqual({ Type: 'Maximize', MetricName: 'validation:auc' });
    expect(config.ParameterRanges.ContinuousParameterRanges.map((r: any) => r.Name)).toEqual(['eta', 'min_child_weight', 'subsample']);
    expect(config.ParameterRanges.IntegerParameterRanges).toEqual([{ Name: 'max_depth', MinValue: '3', MaxValue: '10', ScalingType: 'Auto' }]);
    expect(steps.Tune.Arguments.TrainingJobDefinition.StaticHyperParameters).toEqual({ objective: 'binary:logistic', eval_metric: 'auc', num_round: '100' });
  });

  test('regression: reg:squarederror minimizing validation:rmse, gated on rmse <= MetricThreshold; ranges and hyperparameters of your own', () => {
    const { steps, definition } = synthModel(churn({
      hyperparameters: { max_depth: '4', eta: '0.1' }, tuningRanges: [ParameterRange.continuous('eta', 0.05, 0.5)],
    }, { name: 'ltv', problemType: ProblemType.REGRESSION, metric: QualityMetric.rmse(12.5) }), { tuning: true }, false);
    const config = steps.Tune.Arguments.HyperParameterTuningJobConfig;
    expect(config.HyperParameterTuningJobObjective).toEqual({ Type: 'Minimize', MetricName: 'validation:rmse' });
    expect(config.ParameterRanges.ContinuousParameterRanges.map((r: any) => r.Name)).toEqual(['eta']);
    // The searched eta is left out of the static hyperparameters (SageMaker refuses one that is both).
    expect(steps.Tune.Arguments.TrainingJobDefinition.StaticHyperParameters).toEqual({ objective: 'reg:squarederror', eval_metric: 'rmse', num_round: '100', max_depth: '4' });
    expect(steps.CheckMetric.Arguments.Conditions[0]).toMatchObject({ Type: 'LessThanOrEqualTo', RightValue: { Get: 'Parameters.MetricThreshold' } });
    expect(definition.Parameters).toContainEqual({ Name: 'MetricThreshold', Type: 'Float', DefaultValue: 12.5 });
    expect(steps.Preprocess.Arguments.AppSpecification.ContainerArguments).toContain('regression');
  });

  test('multiclass: multi:softmax with num_class, minimizing validation:mlogloss', () => {
    const { steps } = synthModel(churn({ numClasses: 4 }, {
      problemType: ProblemType.MULTICLASS_CLASSIFICATION, metric: QualityMetric.weightedF1(0.6),
    }), { tuning: true }, false);
    expect(steps.Tune.Arguments.TrainingJobDefinition.StaticHyperParameters).toEqual({ objective: 'multi:softmax', num_class: '4', eval_metric: 'mlogloss', num_round: '100' });
    expect(steps.Tune.Arguments.HyperParameterTuningJobConfig.HyperParameterTuningJobObjective).toEqual({ Type: 'Minimize', MetricName: 'validation:mlogloss' });
    expect(steps.Evaluate.Arguments.AppSpecification.ContainerArguments).toEqual(expect.arrayContaining(['multiclass', 'weighted_f1']));
  });
});

describe('BuiltInXGBoost bad input stops synth with one line', () => {
  test.each<[string, PlatformModel, string]>([
    ['a categorical feature', churn({}, { dataset: { name: 'customer-churn', label: 'churned', features: [{ name: 'tenure' }, { name: 'plan', type: FeatureColumnType.CATEGORICAL }] } }),
      "model 'churn': dataset.features[1].type must be 'numeric' for BuiltInXGBoost (the built-in algorithm reads numbers only; encode the column first), got 'categorical'"],
    ['multiclass without numClasses', churn({}, { problemType: ProblemType.MULTICLASS_CLASSIFICATION, metric: QualityMetric.accuracy(0.6) }),
      "model 'churn': numClasses must be a whole number from 3 to 1000 for a multiclass BuiltInXGBoost model, got undefined"],
    ['numClasses 2', churn({ numClasses: 2 }, { problemType: ProblemType.MULTICLASS_CLASSIFICATION, metric: QualityMetric.accuracy(0.6) }),
      "model 'churn': numClasses must be a whole number from 3 to 1000, got 2"],
    ['numClasses for a binary model', churn({ numClasses: 3 }),
      "model 'churn': numClasses must be unset for problemType BinaryClassification (multiclass only), got 3"],
    ['an unknown version', churn({ version: '9.9-9' }), 'xgboost version must be one of'],
    ['an objective of another problem type', churn({ hyperparameters: { objective: 'reg:squarederror' } }),
      "model 'churn': hyperparameters.objective must be 'binary:logistic' for problemType BinaryClassification (the evaluation and the model-quality monitor read that output), got 'reg:squarederror'"],
    ['class probabilities for a multiclass model', churn({ numClasses: 3, hyperparameters: { objective: 'multi:softprob' } }, { problemType: ProblemType.MULTICLASS_CLASSIFICATION, metric: QualityMetric.accuracy(0.6) }),
      "model 'churn': hyperparameters.objective must be 'multi:softmax' for problemType MulticlassClassification"],
  ])('%s', (_what, model, message) => {
    expect(buildModel(model)).toThrow(message);
  });

  test('with tuning, an eval_metric the built-in tuner cannot optimize stops synth (without tuning it is the user\'s choice)', () => {
    const model = churn({ hyperparameters: { eval_metric: 'ndcg@5' } });
    expect(buildModel(model, { tuning: true })).toThrow("model 'churn': hyperparameters.eval_metric must be one of accuracy, auc, aucpr, error, f1, logloss, mae, map, merror, mlogloss, mse, ndcg, rmse (built-in XGBoost tunes on validation:<eval_metric>), got 'ndcg@5'");
    expect(buildModel(model)).not.toThrow();
  });
});
