import * as fs from 'fs';
import * as path from 'path';
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { IModelTrainer, ModelTrainerBindOptions, ModelTrainerConfig } from './model-trainer';
import { buildModelPipeline, jobSettings } from './private/pipeline-skeleton';
import { evaluateArguments, scriptModeContract, validationMetricName, validationMetricRegex } from './private/script-contract';
import { genericScriptPath, scriptAsset } from './private/script-assets';
import { sourceArchive } from './private/source-archive';
import { ModelTrainerProps } from './trainer-props';
import { InputError, invalid } from '../private/validate';
import { ContainerImage, ObjectiveType, PipelineParameter } from '../pipeline/definition';
import { ImageScope } from '../pipeline/images/image-scope';
import { PrebuiltImage } from '../pipeline/images/prebuilt-image';
import { MetricDirection } from '../core/quality-metric';

/** Hyperparameters the platform sets for script mode; a team's own may not. */
const RESERVED_HYPERPARAMETERS = /^(label|features|problem-type|metric|sagemaker_.*)$/;

/**
 * Properties of {@link ScikitLearnScripts}.
 */
export interface ScikitLearnScriptsProps extends ModelTrainerProps {
  /**
   * Folder with the team's scripts: `train.py` and `evaluate.py` (required) and `preprocess.py` (optional: the
   * platform's generic preprocessing when absent). `train.py` (with `requirements.txt`, when present) is packed as
   * script mode's source archive. `train.py` is also the serving code: the registered model runs it from `code/` in
   * the model artifact, so it must copy itself to `<SM_MODEL_DIR>/code/train.py` and define the scikit-learn serving
   * functions (`model_fn`, `input_fn`, `predict_fn`, `output_fn`), as `examples/ltv/train.py` does.
   */
  readonly scriptsDirectory: string;
  /**
   * scikit-learn container version (preprocessing, training, evaluation and serving).
   * @default '1.2-1'
   */
  readonly sklearnVersion?: string;
  /**
   * Pipeline parameters the hyperparameters read (e.g. `Join.on('', [c]).asString()` of a Float parameter `c`),
   * declared in the definition so a run can override them.
   * @default - none
   */
  readonly parameters?: PipelineParameter[];
}

/**
 * A model trained by the team's own scikit-learn scripts in SageMaker script mode: `preprocess.py` (or the
 * platform's generic one), `train.py` and `evaluate.py` of a folder, run in the scikit-learn container with the
 * script contract's arguments (`--label --features --problem-type --metric`). `train.py` prints
 * `validation:<metric>=<value>`, which tuning (level 4, when `tuningRanges` are given) optimizes in the metric's
 * direction. The registered model is served by the same container with `train.py` as its program.
 *
 * @example
 * new ScikitLearnScripts({
 *   scriptsDirectory: path.join(__dirname, 'models', 'ltv'),
 *   hyperparameters: { 'n-estimators': '200' },
 *   tuningRanges: [ParameterRange.integer('n-estimators', 50, 400)],
 * });
 */
export class ScikitLearnScripts implements IModelTrainer {
  /**
   * @param props the scripts folder and training settings, readable afterwards (e.g. by `npm run example:local`,
   * which runs the same scripts on your machine).
   */
  constructor(public readonly props: ScikitLearnScriptsProps) {}

  public bind(scope: Construct, options: ModelTrainerBindOptions): ModelTrainerConfig {
    const props = this.props;
    const key = (k: string) => `model '${options.modelName}': ${k}`;
    const dir = props.scriptsDirectory;
    const missing = ['train.py', 'evaluate.py'].filter((f) => !fs.existsSync(path.join(dir ?? '', f)));
    if (typeof dir !== 'string' || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      invalid(scope, key('scriptsDirectory'), 'an existing folder with train.py and evaluate.py', dir);
    }
    if (missing.length > 0) invalid(scope, key('scriptsDirectory'), `a folder with train.py and evaluate.py (missing: ${missing.join(', ')})`, dir);
    const reserved = Object.keys(props.hyperparameters ?? {}).filter((k) => RESERVED_HYPERPARAMETERS.test(k));
    if (reserved.length > 0) {
      throw new InputError(scope, `${key('hyperparameters')} must not set label, features, problem-type, metric or sagemaker_* (the platform sets them), got '${reserved[0]}'`);
    }
    const settings = jobSettings(scope, options, props);
    const version = props.sklearnVersion ?? '1.2-1';
    const sklearn = ContainerImage.fromPrebuilt(scope, PrebuiltImage.sklearn(version, ImageScope.TRAINING));
    const serving = ContainerImage.fromPrebuilt(scope, PrebuiltImage.sklearn(version, ImageScope.INFERENCE));

    const ownPreprocess = fs.existsSync(path.join(dir, 'preprocess.py'));
    const sources = ['train.py', ...(fs.existsSync(path.join(dir, 'requirements.txt')) ? ['requirements.txt'] : [])];
    const sourceDir = new s3assets.Asset(scope, 'TrainingSource', { path: sourceArchive(dir, sources) });
    const metric = options.metric;
    const ranges = props.tuningRanges ?? [];

    return buildModelPipeline(scope, options, {
      preprocess: {
        image: sklearn,
        code: scriptAsset(scope, 'PreprocessScript', ownPreprocess ? path.join(dir, 'preprocess.py') : genericScriptPath('preprocess.py')),
        fileName: 'preprocess.py',
        layout: 'header',
      },
      training: {
        description: `train.py on the training split (scikit-learn ${version} script mode${options.spotTraining ? ', managed spot' : ''})`,
        image: sklearn,
        // Script mode: the container downloads sourcedir.tar.gz and runs train.py with the hyperparameters as arguments.
        hyperparameters: {
          sagemaker_program: '"train.py"',
          sagemaker_submit_directory: `"${sourceDir.s3ObjectUrl}"`,
          sagemaker_container_log_level: '20',
          sagemaker_region: `"${Aws.REGION}"`,
          ...scriptModeContract(options.schema, options.problemType, metric),
          ...props.hyperparameters,
        },
        metricDefinitions: [{ name: validationMetricName(metric), regex: validationMetricRegex(metric) }],
        channels: ['train', 'test'],
        maxRuntime: settings.maxRuntime,
        spotMaxWait: settings.spotMaxWait,
        tuning: ranges.length === 0 ? undefined : {
          ranges,
          objectiveMetricName: validationMetricName(metric),
          objectiveType: metric.direction === MetricDirection.HIGHER_IS_BETTER ? ObjectiveType.MAXIMIZE : ObjectiveType.MINIMIZE,
          maxJobs: settings.maxJobs,
          maxParallelJobs: settings.maxParallelJobs,
        },
        parameters: props.parameters,
      },
      evaluation: {
        description: `evaluate.py: ${metric.name} and the other metrics of the model on the test split`,
        image: sklearn,
        entrypoint: ['python3', '/opt/ml/processing/input/code/evaluate.py'],
        arguments: evaluateArguments(options.schema, options.problemType, metric, 'header'),
        code: scriptAsset(scope, 'EvaluateScript', path.join(dir, 'evaluate.py')),
      },
      serving: {
        image: serving,
        environment: {
          SAGEMAKER_PROGRAM: 'train.py',
          SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code',
          SAGEMAKER_CONTAINER_LOG_LEVEL: '20',
          SAGEMAKER_REGION: Aws.REGION,
        },
        framework: 'SKLEARN',
        frameworkVersion: version.split('-')[0],
      },
      // Script mode reads the training code archive (one object) from the asset bucket.
      policyStatements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [sourceDir.bucket.arnForObjects(sourceDir.s3ObjectKey)] })],
    });
  }
}
