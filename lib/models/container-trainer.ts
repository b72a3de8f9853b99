import { Construct } from 'constructs';
import { IModelTrainer, ModelTrainerBindOptions, ModelTrainerConfig } from './model-trainer';
import { buildModelPipeline, jobSettings } from './private/pipeline-skeleton';
import { datasetArguments, evaluateArguments, problemTypeArgument, validationMetricName } from './private/script-contract';
import { genericScriptPath, scriptAsset } from './private/script-assets';
import { ModelTrainerProps } from './trainer-props';
import { MetricDirection } from '../core/quality-metric';
import { InputError, invalid } from '../private/validate';
import { ContainerImage, MetricDefinition, ObjectiveType } from '../pipeline/definition';
import { ImageScope } from '../pipeline/images/image-scope';
import { PrebuiltImage } from '../pipeline/images/prebuilt-image';

/** Hyperparameters the platform sets for a container; a team's own may not. */
const RESERVED_HYPERPARAMETERS = ['label', 'features', 'problem-type', 'metric'];

/**
 * Properties of {@link ContainerTrainer}.
 */
export interface ContainerTrainerProps extends ModelTrainerProps {
  /**
   * The training image: from the platform's image repository (`ContainerImage.fromEcrRepository`) or any ECR URI
   * (`ContainerImage.fromUri`).
   */
  readonly trainingImage: ContainerImage;
  /**
   * The image that serves the registered model.
   * @default - the training image
   */
  readonly servingImage?: ContainerImage;
  /**
   * The image the evaluation runs in.
   * @default - the training image
   */
  readonly evaluationImage?: ContainerImage;
  /**
   * The evaluation command in the evaluation image; the contract's arguments follow it.
   * @default ['python3', '/opt/ml/code/evaluate.py']
   */
  readonly evaluationEntrypoint?: string[];
  /**
   * Metrics the training container prints, captured from its logs by regular expression (`validation:auc`, ...).
   * @default - none
   */
  readonly metricDefinitions?: MetricDefinition[];
  /**
   * The metric a tuning job optimizes: one of `metricDefinitions`.
   * @default 'validation:<the model's metric>'
   */
  readonly objectiveMetricName?: string;
  /**
   * Whether the tuning job maximizes or minimizes the objective.
   * @default - the direction of the model's metric
   */
  readonly objectiveType?: ObjectiveType;
}

/**
 * A model trained by the team's own container image. The platform's generic preprocessing writes the splits (CSV
 * with a header row) to the `train` and `test` channels; the training job gets the contract as hyperparameters
 * (`label`, `features`, `problem-type`, `metric`, plus yours) and writes `model.tar.gz`; the evaluation runs
 * `evaluationEntrypoint` in the evaluation image with the contract's arguments and writes `evaluation.json`;
 * the registered model is served by the serving image. Tuning (level 4) runs when `tuningRanges` are given,
 * optimizing `objectiveMetricName`, which must be one of `metricDefinitions`.
 *
 * @example
 * new ContainerTrainer({
 *   trainingImage: ContainerImage.fromEcrRepository(platform.data.imageRepository, 'churn-1.4'),
 *   metricDefinitions: [{ name: 'validation:auc', regex: 'validation:auc=([0-9.]+)' }],
 * });
 */
export class ContainerTrainer implements IModelTrainer {
  constructor(private readonly props: ContainerTrainerProps) {}

  public bind(scope: Construct, options: ModelTrainerBindOptions): ModelTrainerConfig {
    const props = this.props;
    const key = (k: string) => `model '${options.modelName}': ${k}`;
    if (!(props.trainingImage instanceof ContainerImage)) {
      throw new InputError(scope, `${key('trainingImage')} must be a ContainerImage (ContainerImage.fromEcrRepository or fromUri)`);
    }
    const reserved = Object.keys(props.hyperparameters ?? {}).filter((k) => RESERVED_HYPERPARAMETERS.includes(k));
    if (reserved.length > 0) {
      invalid(scope, key('hyperparameters'), 'free of label, features, problem-type and metric (the platform sets them)', reserved[0]);
    }
    const metric = options.metric;
    const metricNames = (props.metricDefinitions ?? []).map((d) => d.name);
    const ranges = props.tuningRanges ?? [];
    const objective = props.objectiveMetricName ?? validationMetricName(metric);
    if ((ranges.length > 0 || props.objectiveMetricName !== undefined) && !metricNames.includes(objective)) {
      invalid(scope, key('objectiveMetricName'), `one of the metricDefinitions' names (${metricNames.map((n) => `'${n}'`).join(', ') || 'none given'})`, objective);
    }
    if (props.evaluationEntrypoint !== undefined && props.evaluationEntrypoint.length === 0) {
      invalid(scope, key('evaluationEntrypoint'), 'a non-empty command', props.evaluationEntrypoint);
    }
    const settings = jobSettings(scope, options, props);
    const sklearn = ContainerImage.fromPrebuilt(scope, PrebuiltImage.sklearn('1.2-1', ImageScope.TRAINING));
    const [, label, , features] = datasetArguments(options.schema, options.problemType);

    return buildModelPipeline(scope, options, {
      preprocess: { image: sklearn, code: scriptAsset(scope, 'PreprocessScript', genericScriptPath('preprocess.py')), fileName: 'preprocess.py', layout: 'header' },
      training: {
        description: `The team's training container on the training split${options.spotTraining ? ', managed spot' : ''}`,
        image: props.trainingImage,
        hyperparameters: { 'label': label, 'features': features, 'problem-type': problemTypeArgument(options.problemType), 'metric': metric.name, ...props.hyperparameters },
        metricDefinitions: props.metricDefinitions,
        channels: ['train', 'test'],
        maxRuntime: settings.maxRuntime,
        spotMaxWait: settings.spotMaxWait,
        tuning: ranges.length === 0 ? undefined : {
          ranges,
          objectiveMetricName: objective,
          objectiveType: props.objectiveType
            ?? (metric.direction === MetricDirection.HIGHER_IS_BETTER ? ObjectiveType.MAXIMIZE : ObjectiveType.MINIMIZE),
          maxJobs: settings.maxJobs,
          maxParallelJobs: settings.maxParallelJobs,
        },
      },
      evaluation: {
        description: `The team's evaluation: ${metric.name} and the other metrics of the model on the test split`,
        image: props.evaluationImage ?? props.trainingImage,
        entrypoint: props.evaluationEntrypoint ?? ['python3', '/opt/ml/code/evaluate.py'],
        arguments: evaluateArguments(options.schema, options.problemType, metric, 'header'),
      },
      serving: { image: props.servingImage ?? props.trainingImage },
    });
  }
}
