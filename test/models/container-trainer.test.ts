import * as ecr from 'aws-cdk-lib/aws-ecr';
import {
  ContainerImage, ContainerTrainer, ContainerTrainerProps, ObjectiveType, ParameterRange, PlatformModel, ProblemType, QualityMetric,
} from '../../lib';
import { buildModel, stepImages, synthModel } from './model-app';

const TRAINING_URI = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn-trainer:1.4';
const SERVING_URI = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn-server:1.4';
const SKLEARN = /\/sagemaker-scikit-learn:1\.2-1-cpu-py3$/;
const AUC = { name: 'validation:auc', regex: 'validation:auc=([0-9.]+)' };

function churn(props: Partial<ContainerTrainerProps> = {}, extra: Partial<PlatformModel> = {}): PlatformModel {
  return {
    name: 'churn',
    problemType: ProblemType.BINARY_CLASSIFICATION,
    metric: QualityMetric.auc(0.8),
    dataset: { name: 'customer-churn', label: 'churned', features: [{ name: 'tenure' }, { name: 'monthly_charges' }] },
    trainer: new ContainerTrainer({ trainingImage: ContainerImage.fromUri(TRAINING_URI), metricDefinitions: [AUC], ...props }),
    ...extra,
  };
}

describe('ContainerTrainer with an ECR URI (level 2)', () => {
  const { steps, template } = synthModel(churn({ servingImage: ContainerImage.fromUri(SERVING_URI), hyperparameters: { epochs: '20' } }));

  test('trains and evaluates in the given image, serves with the serving image; preprocessing is the generic one', () => {
    expect(stepImages(steps)).toEqual({ Preprocess: expect.stringMatching(SKLEARN), Train: TRAINING_URI, Evaluate: TRAINING_URI });
    const container = steps.RegisterModel.Arguments.InferenceSpecification.Containers[0];
    expect(container.Image).toBe(SERVING_URI);
    expect(container.Framework).toBeUndefined();
    expect(steps.Preprocess.Arguments.AppSpecification.ContainerArguments).toContain('header');
  });

  test("the container gets the contract as plain hyperparameters, its metric definitions and the train/test channels", () => {
    const args = steps.Train.Arguments;
    expect(args.HyperParameters).toEqual({ 'label': 'churned', 'features': 'tenure,monthly_charges', 'problem-type': 'binary', 'metric': 'auc', 'epochs': '20' });
    expect(args.AlgorithmSpecification.MetricDefinitions).toEqual([{ Name: 'validation:auc', Regex: 'validation:auc=([0-9.]+)' }]);
    expect(args.InputDataConfig.map((c: any) => [c.ChannelName, c.ContentType])).toEqual([['train', 'text/csv'], ['test', 'text/csv']]);
  });

  test("the evaluation runs /opt/ml/code/evaluate.py of the image with the contract's arguments, isolated, without a code input", () => {
    const args = steps.Evaluate.Arguments;
    expect(args.AppSpecification).toEqual({
      ImageUri: TRAINING_URI,
      ContainerEntrypoint: ['python3', '/opt/ml/code/evaluate.py'],
      ContainerArguments: ['--label', 'churned', '--features', 'tenure,monthly_charges', '--problem-type', 'binary', '--metric', 'auc', '--layout', 'header'],
    });
    expect(args.ProcessingInputs.map((i: any) => i.InputName)).toEqual(['model', 'test']);
    expect(args.NetworkConfig.EnableNetworkIsolation).toBe(true);
  });

  test('the pipeline role may pull both images of the literal ECR URIs', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toContain('repository/churn-trainer');
    expect(policies).toContain('repository/churn-server');
  });
});

describe('ContainerTrainer options', () => {
  test("an image of the platform's repository (pull granted on it); tuning optimizes validation:<metric> in the metric's direction", () => {
    const mae = { name: 'validation:mae', regex: 'validation:mae=([0-9.]+)' };
    const { steps, template } = synthModel((stack) => churn({
      trainingImage: ContainerImage.fromEcrRepository(new ecr.Repository(stack, 'Images'), 'churn-1.4'),
      metricDefinitions: [mae],
      tuningRanges: [ParameterRange.integer('depth', 2, 8)],
    }, { problemType: ProblemType.REGRESSION, metric: QualityMetric.mae(3), name: 'ltv' }), { tuning: true }, false);
    expect(steps.Tune.Arguments.HyperParameterTuningJobConfig.HyperParameterTuningJobObjective).toEqual({ Type: 'Minimize', MetricName: 'validation:mae' });
    expect(steps.Tune.Arguments.TrainingJobDefinition.AlgorithmSpecification.TrainingImage).toMatch(/\/<Ref:Images\w+>:churn-1\.4$/);
    expect(steps.CheckMetric.Arguments.Conditions[0].Type).toBe('LessThanOrEqualTo');
    expect(JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'))).toMatch(/"ecr:BatchGetImage".*"Fn::GetAtt":\["Images\w+","Arn"\]/);
  });

  test('objective and its direction can be given; the evaluation can run in its own image and command', () => {
    const { steps } = synthModel(churn({
      metricDefinitions: [AUC, { name: 'train:loss', regex: 'loss=([0-9.]+)' }],
      tuningRanges: [ParameterRange.integer('depth', 2, 8)],
      objectiveMetricName: 'train:loss',
      objectiveType: ObjectiveType.MINIMIZE,
      evaluationImage: ContainerImage.fromUri(SERVING_URI),
      evaluationEntrypoint: ['/usr/local/bin/score'],
    }), { tuning: true }, false);
    expect(steps.Tune.Arguments.HyperParameterTuningJobConfig.HyperParameterTuningJobObjective).toEqual({ Type: 'Minimize', MetricName: 'train:loss' });
    expect(steps.Evaluate.Arguments.AppSpecification).toMatchObject({ ImageUri: SERVING_URI, ContainerEntrypoint: ['/usr/local/bin/score'] });
  });

  test('the default objective is validation:<metric>, maximized for a higher-is-better metric', () => {
    const { steps } = synthModel(churn({ tuningRanges: [ParameterRange.integer('depth', 2, 8)] }), { tuning: true }, false);
    expect(steps.Tune.Arguments.HyperParameterTuningJobConfig.HyperParameterTuningJobObjective).toEqual({ Type: 'Maximize', MetricName: 'validation:auc' });
  });
});

describe('ContainerTrainer bad input stops synth with one line', () => {
  test.each<[string, PlatformModel, string]>([
    ['an objective that is no metric definition', churn({ objectiveMetricName: 'validation:f1' }),
      "model 'churn': objectiveMetricName must be one of the metricDefinitions' names ('validation:auc'), got 'validation:f1'"],
    ['tuning without metric definitions', churn({ metricDefinitions: undefined, tuningRanges: [ParameterRange.integer('depth', 2, 8)] }),
      "model 'churn': objectiveMetricName must be one of the metricDefinitions' names (none given), got 'validation:auc'"],
    ['a hyperparameter of the contract', churn({ hyperparameters: { 'problem-type': 'x' } }),
      "model 'churn': hyperparameters must be free of label, features, problem-type and metric (the platform sets them), got 'problem-type'"],
    ['an empty evaluation command', churn({ evaluationEntrypoint: [] }), "model 'churn': evaluationEntrypoint must be a non-empty command, got []"],
  ])('%s', (_what, model, message) => {
    expect(buildModel(model)).toThrow(message);
  });
});
