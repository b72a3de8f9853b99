import { Construct } from 'constructs';
import { FeatureColumnType } from './model-dataset';
import { IModelTrainer, ModelTrainerBindOptions, ModelTrainerConfig } from './model-trainer';
import { buildModelPipeline, jobSettings } from './private/pipeline-skeleton';
import { evaluateArguments } from './private/script-contract';
import { genericScriptPath, scriptAsset } from './private/script-assets';
import { ModelTrainerProps } from './trainer-props';
import { ProblemType } from '../core/problem-type';
import { checkInteger, invalid, isUnresolved } from '../private/validate';
import { ContainerImage, ObjectiveType, ParameterRange, ScalingType } from '../pipeline/definition';
import { ImageScope } from '../pipeline/images/image-scope';
import { PrebuiltImage } from '../pipeline/images/prebuilt-image';

/** XGBoost evaluation metrics that are better when larger; the tuning objective `validation:<eval_metric>` follows. */
const MAXIMIZED_EVAL_METRICS = new Set(['auc', 'aucpr', 'map', 'ndcg']);

/** The `validation:<metric>` objectives SageMaker's built-in XGBoost tuning accepts (its tunable metrics). */
const TUNABLE_EVAL_METRICS = ['accuracy', 'auc', 'aucpr', 'error', 'f1', 'logloss', 'mae', 'map', 'merror', 'mlogloss', 'mse', 'ndcg', 'rmse'];

/** The objective family each problem type needs: evaluation and monitoring read its output accordingly. */
const OBJECTIVE_PREFIX: { [problemType: string]: string } = {
  [ProblemType.BINARY_CLASSIFICATION]: 'binary:logistic',
  [ProblemType.MULTICLASS_CLASSIFICATION]: 'multi:softmax',
  [ProblemType.REGRESSION]: 'reg:',
};

/**
 * Properties of {@link BuiltInXGBoost}.
 */
export interface BuiltInXGBoostProps extends ModelTrainerProps {
  /**
   * Version of SageMaker's XGBoost algorithm container (training, evaluation and serving).
   * @default '1.7-1'
   */
  readonly version?: string;
  /**
   * Number of classes of a multiclass model (`num_class`): required for multiclass classification, unset otherwise.
   * @default - none
   */
  readonly numClasses?: number;
}

/**
 * A model trained by SageMaker's built-in XGBoost algorithm. The platform's generic preprocessing writes the CSV
 * layout the algorithm reads (label first, no header, numbers only), the algorithm trains on the `train` and
 * `validation` channels with hyperparameters per problem type (binary: `binary:logistic` with `auc`; multiclass:
 * `multi:softmax` with `num_class` and `mlogloss`, so the endpoint answers the class id Model Monitor's multiclass
 * model-quality job reads; regression: `reg:squarederror` with `rmse`; `num_round` 100;
 * yours merged over them), the platform's generic evaluation scores the model in the XGBoost image, and the
 * registered model is served by the same image. At level 4 a tuning job searches `eta`, `max_depth`,
 * `min_child_weight` and `subsample` (or `tuningRanges`), optimizing `validation:<eval_metric>`.
 *
 * Every feature must be numeric: the algorithm reads numbers only.
 *
 * @example
 * new BuiltInXGBoost({ hyperparameters: { max_depth: '6' } });
 */
export class BuiltInXGBoost implements IModelTrainer {
  /**
   * @param props the algorithm's version, classes and hyperparameters, readable afterwards (e.g. by
   * `npm run example:local`, which trains the same algorithm on your machine).
   */
  constructor(public readonly props: BuiltInXGBoostProps = {}) {}

  public bind(scope: Construct, options: ModelTrainerBindOptions): ModelTrainerConfig {
    const props = this.props;
    const key = (k: string) => `model '${options.modelName}': ${k}`;
    options.schema.features.forEach((feature, i) => {
      if (feature.type === FeatureColumnType.CATEGORICAL) {
        invalid(scope, key(`dataset.features[${i}].type`), "'numeric' for BuiltInXGBoost (the built-in algorithm reads numbers only; encode the column first)", feature.type);
      }
    });
    const multiclass = options.problemType === ProblemType.MULTICLASS_CLASSIFICATION;
    if (multiclass) {
      if (props.numClasses === undefined) invalid(scope, key('numClasses'), 'a whole number from 3 to 1000 for a multiclass BuiltInXGBoost model', props.numClasses);
      checkInteger(scope, key('numClasses'), props.numClasses, 3, 1000);
    } else if (props.numClasses !== undefined) {
      invalid(scope, key('numClasses'), `unset for problemType ${options.problemType} (multiclass only)`, props.numClasses);
    }
    const settings = jobSettings(scope, options, props);
    const version = props.version ?? '1.7-1';
    const xgboost = ContainerImage.fromPrebuilt(scope, PrebuiltImage.xgboost(version));
    const sklearn = ContainerImage.fromPrebuilt(scope, PrebuiltImage.sklearn('1.2-1', ImageScope.TRAINING));

    const hyperparameters = { ...defaultHyperparameters(options.problemType, props.numClasses), ...props.hyperparameters };
    const evalMetric = hyperparameters.eval_metric;
    const objective = OBJECTIVE_PREFIX[options.problemType];
    if (!isUnresolved(hyperparameters.objective) && !String(hyperparameters.objective).startsWith(objective)) {
      invalid(scope, key('hyperparameters.objective'), `'${objective}${objective.endsWith(':') ? '...' : ''}' for problemType ${options.problemType} (the evaluation and the model-quality monitor read that output)`, hyperparameters.objective);
    }
    if (options.tuning && !isUnresolved(evalMetric) && !TUNABLE_EVAL_METRICS.includes(evalMetric)) {
      invalid(scope, key('hyperparameters.eval_metric'), `one of ${TUNABLE_EVAL_METRICS.join(', ')} (built-in XGBoost tunes on validation:<eval_metric>)`, evalMetric);
    }
    const ranges = props.tuningRanges ?? [
      ParameterRange.continuous('eta', 0.01, 0.3, ScalingType.LOGARITHMIC),
      ParameterRange.integer('max_depth', 3, 10),
      ParameterRange.continuous('min_child_weight', 1, 10),
      ParameterRange.continuous('subsample', 0.5, 1),
    ];

    return buildModelPipeline(scope, options, {
      preprocess: { image: sklearn, code: scriptAsset(scope, 'PreprocessScript', genericScriptPath('preprocess.py')), fileName: 'preprocess.py', layout: 'xgboost' },
      training: {
        description: `Built-in XGBoost ${version} (${hyperparameters.objective}) on the training split${options.spotTraining ? ', managed spot' : ''}`,
        image: xgboost,
        hyperparameters,
        channels: ['train', 'validation'],
        maxRuntime: settings.maxRuntime,
        spotMaxWait: settings.spotMaxWait,
        tuning: ranges.length === 0 ? undefined : {
          ranges,
          objectiveMetricName: `validation:${evalMetric}`,
          objectiveType: MAXIMIZED_EVAL_METRICS.has(evalMetric) ? ObjectiveType.MAXIMIZE : ObjectiveType.MINIMIZE,
          maxJobs: settings.maxJobs,
          maxParallelJobs: settings.maxParallelJobs,
        },
      },
      evaluation: {
        description: `The platform's XGBoost evaluation: ${options.metric.name} and the other metrics of the model on the test split`,
        image: xgboost,
        entrypoint: ['python3', '/opt/ml/processing/input/code/evaluate_xgboost.py'],
        arguments: evaluateArguments(options.schema, options.problemType, options.metric, 'xgboost'),
        code: scriptAsset(scope, 'EvaluateScript', genericScriptPath('evaluate_xgboost.py')),
      },
      // The algorithm's inference takes CSV (features only, no header) or LibSVM; it answers in CSV or JSON.
      serving: { image: xgboost, framework: 'XGBOOST', frameworkVersion: version.split('-')[0], contentTypes: ['text/csv', 'text/libsvm'] },
    });
  }
}

/** The algorithm's hyperparameters per problem type. */
function defaultHyperparameters(problemType: ProblemType, numClasses: number | undefined): { [key: string]: string } {
  switch (problemType) {
    case ProblemType.BINARY_CLASSIFICATION:
      return { objective: 'binary:logistic', eval_metric: 'auc', num_round: '100' };
    case ProblemType.MULTICLASS_CLASSIFICATION:
      return { objective: 'multi:softmax', num_class: String(numClasses), eval_metric: 'mlogloss', num_round: '100' };
    case ProblemType.REGRESSION:
      return { objective: 'reg:squarederror', eval_metric: 'rmse', num_round: '100' };
  }
}
