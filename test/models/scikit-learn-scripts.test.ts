import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import {
  FeatureColumnType, ParameterRange, PlatformModel, ProblemType, QualityMetric, ScikitLearnScripts, ScikitLearnScriptsProps,
} from '../../lib';
import { packageRoot } from '../../lib/private/package-root';
import { buildModel, scriptsFolder, stepImages, synthModel } from './model-app';

const SKLEARN = /\/sagemaker-scikit-learn:1\.2-1-cpu-py3$/;
const SCRIPTS = scriptsFolder(['train.py', 'evaluate.py']);

function ltv(props: Partial<ScikitLearnScriptsProps> = {}, extra: Partial<PlatformModel> = {}): PlatformModel {
  return {
    name: 'ltv',
    problemType: ProblemType.REGRESSION,
    metric: QualityMetric.rmse(12.5),
    dataset: { name: 'customer-value', label: 'value', features: [{ name: 'orders' }, { name: 'tenure' }] },
    trainer: new ScikitLearnScripts({ scriptsDirectory: SCRIPTS, ...props }),
    ...extra,
  };
}

describe('ScikitLearnScripts, a regression model (level 2)', () => {
  const { steps, built, definition, template } = synthModel(ltv({ hyperparameters: { 'n-estimators': '200' } }));

  test('every job runs in the scikit-learn image; the registered model is served by it with train.py as its program', () => {
    expect(stepImages(steps)).toEqual({ Preprocess: expect.stringMatching(SKLEARN), Train: expect.stringMatching(SKLEARN), Evaluate: expect.stringMatching(SKLEARN) });
    const container = steps.RegisterModel.Arguments.InferenceSpecification.Containers[0];
    expect(container).toMatchObject({ Framework: 'SKLEARN', FrameworkVersion: '1.2', Environment: expect.objectContaining({ SAGEMAKER_PROGRAM: 'train.py' }) });
  });

  test('gates on rmse <= MetricThreshold (default the metric threshold) and fails naming metric, value and threshold', () => {
    expect(definition.Parameters.map((p: any) => p.Name)).toEqual([
      'MetricThreshold', 'TrainingInstanceType', 'ProcessingInstanceType', 'ModelApprovalStatus', 'TriggerReason', 'TriggerAlarm',
    ]);
    expect(definition.Parameters[0]).toEqual({ Name: 'MetricThreshold', Type: 'Float', DefaultValue: 12.5 });
    expect(steps.CheckMetric.Arguments.Conditions).toEqual([{
      Type: 'LessThanOrEqualTo',
      LeftValue: { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' }, Path: 'metrics.rmse.value' } },
      RightValue: { Get: 'Parameters.MetricThreshold' },
    }]);
    const message = JSON.stringify(steps.MetricNotMet.Arguments.ErrorMessage);
    expect(message).toContain('rmse must be <= the threshold');
    expect(message).toContain('Parameters.MetricThreshold');
    expect(message).toContain('metrics.rmse.value');
  });

  test("script mode runs train.py with the contract's hyperparameters (JSON-encoded, as the SDK writes strings) and yours", () => {
    const args = steps.Train.Arguments;
    expect(args.HyperParameters).toMatchObject({
      'sagemaker_program': '"train.py"', 'label': '"value"', 'features': '"orders,tenure"', 'problem-type': '"regression"', 'metric': '"rmse"', 'n-estimators': '200',
    });
    expect(args.AlgorithmSpecification.MetricDefinitions).toEqual([{ Name: 'validation:rmse', Regex: 'validation:rmse=([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)' }]);
    expect(args.InputDataConfig.map((c: any) => [c.ChannelName, c.ContentType])).toEqual([['train', 'text/csv'], ['test', 'text/csv']]);
  });

  test('the metric regex reads what train.py prints, negative and scientific values included', () => {
    const regex = new RegExp(steps.Train.Arguments.AlgorithmSpecification.MetricDefinitions[0].Regex);
    expect('epoch 3 validation:rmse=12.25'.match(regex)?.[1]).toBe('12.25');
    expect('validation:rmse=1.5e-05'.match(regex)?.[1]).toBe('1.5e-05');
    expect('validation:rmse=-0.5'.match(regex)?.[1]).toBe('-0.5');
  });

  test("without preprocess.py in the folder the platform's generic preprocessing runs, with the header layout", () => {
    const preprocess = built.node.findChild('PreprocessScript') as s3assets.Asset;
    const generic = new s3assets.Asset(new Stack(), 'A', { path: path.join(packageRoot(), 'assets', 'sagemaker', 'preprocess.py') });
    expect(preprocess.assetHash).toBe(generic.assetHash);
    expect(steps.Preprocess.Arguments.AppSpecification.ContainerArguments.slice(2)).toEqual([
      '--label', 'value', '--features', 'orders,tenure', '--problem-type', 'regression', '--layout', 'header',
    ]);
  });

  test("evaluate.py of the folder gets the contract's arguments", () => {
    expect(steps.Evaluate.Arguments.AppSpecification).toMatchObject({
      ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/evaluate.py'],
      ContainerArguments: ['--label', 'value', '--features', 'orders,tenure', '--problem-type', 'regression', '--metric', 'rmse', '--layout', 'header'],
    });
    const evaluate = built.node.findChild('EvaluateScript') as s3assets.Asset;
    expect(evaluate.assetHash).toBe(new s3assets.Asset(new Stack(), 'A', { path: path.join(SCRIPTS, 'evaluate.py') }).assetHash);
  });

  test('the pipeline role reads the source archive (one object)', () => {
    expect(JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'))).toMatch(/"Action":"s3:GetObject","Effect":"Allow","Resource":\{"Fn::Join":\["",\["arn:",\{"Ref":"AWS::Partition"\},":s3:::cdk-[a-z0-9]+-assets-123456789012-eu-west-1\/[0-9a-f]{64}\.gz"\]\]\}/);
  });
});

describe('ScikitLearnScripts options', () => {
  test("a folder's own preprocess.py runs instead of the generic one; categorical features are named to it", () => {
    const dir = scriptsFolder(['train.py', 'evaluate.py', 'preprocess.py']);
    const { steps, built } = synthModel(ltv({ scriptsDirectory: dir }, {
      dataset: { name: 'customer-value', label: 'value', features: [{ name: 'orders' }, { name: 'plan', type: FeatureColumnType.CATEGORICAL }] },
    }), {}, false);
    const preprocess = built.node.findChild('PreprocessScript') as s3assets.Asset;
    expect(preprocess.assetHash).toBe(new s3assets.Asset(new Stack(), 'A', { path: path.join(dir, 'preprocess.py') }).assetHash);
    expect(steps.Preprocess.Arguments.AppSpecification.ContainerArguments.slice(-2)).toEqual(['--categorical', 'plan']);
  });

  test('at level 4 with ranges: tuning minimizes validation:rmse (the metric is lower-is-better); ranged hyperparameters are not static', () => {
    const { steps } = synthModel(ltv({
      hyperparameters: { 'n-estimators': '200', 'max-depth': '5' }, tuningRanges: [ParameterRange.integer('n-estimators', 50, 400)],
    }), { tuning: true }, false);
    expect(steps.Tune.Arguments.HyperParameterTuningJobConfig.HyperParameterTuningJobObjective).toEqual({ Type: 'Minimize', MetricName: 'validation:rmse' });
    const statics = steps.Tune.Arguments.TrainingJobDefinition.StaticHyperParameters;
    expect(statics['max-depth']).toBe('5');
    expect(statics['n-estimators']).toBeUndefined();
  });

  test('a higher-is-better metric is maximized', () => {
    const { steps } = synthModel(ltv({ tuningRanges: [ParameterRange.integer('n-estimators', 50, 400)] }, { metric: QualityMetric.r2(0.5) }), { tuning: true }, false);
    expect(steps.Tune.Arguments.HyperParameterTuningJobConfig.HyperParameterTuningJobObjective).toEqual({ Type: 'Maximize', MetricName: 'validation:r2' });
    expect(steps.CheckMetric.Arguments.Conditions[0].Type).toBe('GreaterThanOrEqualTo');
  });

  test('without ranges there is no tuning step, even at level 4', () => {
    const { steps } = synthModel(ltv(), { tuning: true }, false);
    expect(steps.Tune).toBeUndefined();
    expect(steps.Train.Type).toBe('Training');
  });

  test('requirements.txt travels in the source archive with train.py', () => {
    const dir = scriptsFolder(['train.py', 'evaluate.py']);
    const without = synthModel(ltv({ scriptsDirectory: dir }), {}, false).steps.Train.Arguments.HyperParameters.sagemaker_submit_directory;
    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'lightgbm==4.3.0\n');
    const withRequirements = synthModel(ltv({ scriptsDirectory: dir }), {}, false).steps.Train.Arguments.HyperParameters.sagemaker_submit_directory;
    expect(withRequirements).not.toEqual(without);
  });
});

describe('ScikitLearnScripts bad input stops synth with one line', () => {
  const noEvaluate = scriptsFolder(['train.py']);
  test.each<[string, PlatformModel, string]>([
    ['a missing folder', ltv({ scriptsDirectory: '/nonexistent/models/ltv' }),
      "model 'ltv': scriptsDirectory must be an existing folder with train.py and evaluate.py, got '/nonexistent/models/ltv'"],
    ['a folder without evaluate.py', ltv({ scriptsDirectory: noEvaluate }),
      `model 'ltv': scriptsDirectory must be a folder with train.py and evaluate.py (missing: evaluate.py), got '${noEvaluate}'`],
    ['a hyperparameter of the contract', ltv({ hyperparameters: { label: 'x' } }),
      "model 'ltv': hyperparameters must not set label, features, problem-type, metric or sagemaker_* (the platform sets them), got 'label'"],
    ['an unknown scikit-learn version', ltv({ sklearnVersion: '0.1' }), 'sklearn version must be one of'],
  ])('%s', (_what, model, message) => {
    expect(buildModel(model)).toThrow(message);
  });
});
