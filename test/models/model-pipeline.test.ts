import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  BuiltInXGBoost, ContainerImage, DataStore, ModelPipeline, ModelRegistry, ExecutionVariable, FeatureColumnType, IModelTrainer, ModelTrainerBindOptions, ModelTrainerConfig,
  PipelineDefinition, PlatformModel, ProblemType, ProcessingStep, QualityMetric, S3Location,
} from '../../lib';
import { buildModel, synthModel } from './model-app';

function churn(extra: Partial<PlatformModel> = {}): PlatformModel {
  return {
    name: 'churn',
    problemType: ProblemType.BINARY_CLASSIFICATION,
    metric: QualityMetric.auc(0.8),
    dataset: { name: 'customer-churn', label: 'churned', features: [{ name: 'tenure' }, { name: 'monthly_charges' }] },
    trainer: new BuiltInXGBoost(),
    ...extra,
  };
}

/** The open seam: a trainer of one's own, written with the typed definition layer; it records what it was given. */
class ScoringJob implements IModelTrainer {
  public given?: ModelTrainerBindOptions;
  public bind(_scope: Construct, options: ModelTrainerBindOptions): ModelTrainerConfig {
    this.given = options;
    const step = new ProcessingStep('Score', {
      image: ContainerImage.fromUri('123456789012.dkr.ecr.eu-west-1.amazonaws.com/scorer:2'),
      instanceType: options.processingInstanceType,
      outputKmsKey: options.artifactStore.encryptionKey,
      volumeKmsKey: options.artifactStore.encryptionKey,
      inputs: [{ inputName: 'data', source: S3Location.fromBucket(options.dataset.store.bucket, options.dataset.prefix), destination: '/opt/ml/processing/input' }],
      outputs: [{
        outputName: 'scores', source: '/opt/ml/processing/output',
        destination: S3Location.fromBucket(options.artifactStore.bucket, `${options.modelName}/runs/${ExecutionVariable.PIPELINE_EXECUTION_ID}/scores`),
      }],
    });
    return {
      definition: new PipelineDefinition({ steps: [step] }),
      policyStatements: [new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': 'Scores' } } })],
    };
  }
}

describe('ModelPipeline', () => {
  test("binds any IModelTrainer with the model and the platform's settings, deploys its definition and adds its permissions", () => {
    const trainer = new ScoringJob();
    const { built, definition, template } = synthModel(churn({ trainer }), {
      tuning: true, trainingInstanceType: 'ml.c5.xlarge', processingInstanceType: 'ml.c5.large', spotTraining: false, cacheExpiry: Duration.hours(6),
    });
    expect(definition.Steps.map((s: any) => s.Name)).toEqual(['Score']);
    expect(built.node.findChild('Pipeline')).toBe(built.pipeline);
    expect(built.definition.steps.map((s) => s.name)).toEqual(['Score']);
    const given = trainer.given!;
    expect(given).toMatchObject({
      modelName: 'churn', problemType: ProblemType.BINARY_CLASSIFICATION, tuning: true, trainingInstanceType: 'ml.c5.xlarge',
      processingInstanceType: 'ml.c5.large', spotTraining: false, schema: churn().dataset,
    });
    expect(given.cacheExpiry.toHours()).toBe(6);
    expect(given.metric.name).toBe('auc');
    expect(given.dataset.prefix).toBe('datasets/customer-churn/');
    expect(JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'))).toContain('"cloudwatch:namespace":"Scores"');
  });

  test('defaults: no tuning, ml.m5.large instances, spot training, 12-hour cache', () => {
    const trainer = new ScoringJob();
    buildModel(churn({ trainer }))();
    expect(trainer.given).toMatchObject({ tuning: false, trainingInstanceType: 'ml.m5.large', processingInstanceType: 'ml.m5.large', spotTraining: true });
    expect(trainer.given!.cacheExpiry.toHours()).toBe(12);
  });
});

describe('a bad model stops synth with one line naming the model and the key', () => {
  const features = (...names: string[]) => names.map((name) => ({ name }));
  test.each<[string, PlatformModel, string]>([
    ['a metric that does not fit the problem type', churn({ name: 'ltv', problemType: ProblemType.REGRESSION }),
      "model 'ltv': metric must be one of mae, mse, rmse, r2 for problemType Regression, got 'auc'"],
    ['the label listed as a feature', churn({ dataset: { name: 'customer-churn', label: 'churned', features: features('tenure', 'churned') } }),
      "model 'churn': dataset.features must be columns other than the label 'churned', got 'churned'"],
    ['an empty feature list', churn({ dataset: { name: 'customer-churn', label: 'churned', features: [] } }),
      "model 'churn': dataset.features must be a non-empty list of feature columns, got []"],
    ['duplicate feature names', churn({ dataset: { name: 'customer-churn', label: 'churned', features: features('tenure', 'plan', 'tenure') } }),
      "model 'churn': dataset.features must be unique column names, got 'tenure'"],
    ['a feature name with a comma', churn({ dataset: { name: 'customer-churn', label: 'churned', features: features('tenure,plan') } }),
      "model 'churn': dataset.features[0].name must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or '_', got 'tenure,plan'"],
    ['an unknown feature type', churn({ dataset: { name: 'customer-churn', label: 'churned', features: [{ name: 'tenure', type: 'date' as FeatureColumnType }] } }),
      "model 'churn': dataset.features[0].type must be one of numeric, categorical, got 'date'"],
    ['an unknown problem type', churn({ problemType: 'Ranking' as ProblemType }),
      "model 'churn': problemType must be one of BinaryClassification, MulticlassClassification, Regression, got 'Ranking'"],
    ['a model name with capitals', churn({ name: 'Churn' }),
      "model name must be 1-32 lowercase letters, digits or hyphens, starting with a letter, got 'Churn'"],
  ])('%s', (_what, model, message) => {
    expect(buildModel(model)).toThrow(`${message} (in Training/Model)`);
  });

  test('a dataset that is not the one the model names', () => {
    const stack = new Stack();
    const store = new DataStore(stack, 'Store');
    expect(() => new ModelPipeline(stack, 'Model', { model: churn(), dataset: store.dataset('other'), artifactStore: store, registry: new ModelRegistry(stack, 'Registry') }))
      .toThrow("model 'churn': dataset.name must be the name of the dataset given ('other'), got 'customer-churn'");
  });
});
