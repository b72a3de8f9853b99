import { Duration } from 'aws-cdk-lib';
import { ResourceCollector } from './private/resource-collector';
import { renderCacheConfig, renderRetryPolicies } from './private/step-render';
import { checkTrainingProps, collectTrainingJob, renderTrainingJob } from './private/training';
import { StepProperty } from './expression';
import { JobStepProps } from './job-props';
import { InputMode, S3DataDistribution, S3DataType } from './processing-step';
import { S3Location, SageMakerJobType } from './resources';
import { Step, StepRenderContext } from './step';

/** A training channel: data the algorithm reads under `/opt/ml/input/data/<channelName>`. */
export interface TrainingChannel {
  /** Name of the channel, e.g. `train`. */
  readonly channelName: string;
  /** Where the data is read from. */
  readonly source: S3Location;
  /**
   * MIME type of the data, e.g. `text/csv`.
   * @default - not set
   */
  readonly contentType?: string;
  /**
   * How objects are selected.
   * @default S3DataType.S3_PREFIX
   */
  readonly s3DataType?: S3DataType;
  /**
   * How objects are spread over the instances.
   * @default S3DataDistribution.FULLY_REPLICATED
   */
  readonly distribution?: S3DataDistribution;
  /**
   * Input mode of this channel.
   * @default - the job's input mode
   */
  readonly inputMode?: InputMode;
}

/** A metric the algorithm prints, captured by a regular expression (`MetricDefinitions[]`). */
export interface MetricDefinition {
  /** Name of the metric, e.g. `validation:auc`. */
  readonly name: string;
  /** Regular expression whose first group is the value, e.g. `auc: ([0-9.]+)`. */
  readonly regex: string;
}

/** Props of a training job, shared by `TrainingStep` and the job definition of `TuningStep`. */
export interface TrainingJobProps extends JobStepProps {
  /** S3 location the model artifacts are written under (`OutputDataConfig.S3OutputPath`). */
  readonly output: S3Location;
  /**
   * Input channels.
   * @default - none
   */
  readonly inputs?: TrainingChannel[];
  /**
   * Input mode of the algorithm.
   * @default InputMode.FILE
   */
  readonly inputMode?: InputMode;
  /**
   * Hyperparameters, written as given. For script mode the SDK's convention is JSON-encoded strings,
   * e.g. `{ sagemaker_program: '"train.py"' }`.
   * @default - none
   */
  readonly hyperparameters?: { [key: string]: string };
  /**
   * Metrics captured from the logs (needed for `finalMetric` and tuning objectives of custom images).
   * @default - none
   */
  readonly metricDefinitions?: MetricDefinition[];
  /**
   * Train on spot capacity (`EnableManagedSpotTraining`), with checkpoints so interrupted jobs resume.
   * @default false
   */
  readonly useSpotInstances?: boolean;
  /**
   * Longest the job may wait for spot capacity plus run; at least `maxRuntime`.
   * @default - twice maxRuntime, when spot is used
   */
  readonly maxWaitTime?: Duration;
  /**
   * Where checkpoints are kept (`CheckpointConfig.S3Uri`).
   * @default - none; required when useSpotInstances is true
   */
  readonly checkpoint?: S3Location;
  /**
   * Local checkpoint directory in the container.
   * @default '/opt/ml/checkpoints'
   */
  readonly checkpointLocalPath?: string;
}

/** Props of a `TrainingStep`. */
export interface TrainingStepProps extends TrainingJobProps {}

/**
 * A training step (`Type: Training`): a CreateTrainingJob request.
 *
 * @example
 * const train = new TrainingStep('Train', {
 *   image: ContainerImage.fromAwsRegistry('683313688378', 'sagemaker-xgboost', '1.7-1'),
 *   inputs: [{ channelName: 'train', source: preprocess.output('train'), contentType: 'text/csv' }],
 *   output: S3Location.fromBucket(artifacts, 'models'),
 *   hyperparameters: { objective: 'binary:logistic', num_round: '100' },
 *   useSpotInstances: true,
 *   checkpoint: S3Location.fromBucket(artifacts, 'checkpoints'),
 * });
 * train.modelArtifactsS3Uri; train.finalMetric('validation:auc');
 */
export class TrainingStep extends Step {
  constructor(name: string, private readonly props: TrainingStepProps) {
    super(name, 'Training', props);
    checkTrainingProps(name, props);
  }

  /** S3 URI of `model.tar.gz` (`ModelArtifacts.S3ModelArtifacts`). */
  public get modelArtifactsS3Uri(): string {
    return StepProperty.of(this, 'ModelArtifacts.S3ModelArtifacts').asString();
  }

  /** The model artifacts as an S3 location in the output bucket (for CreateModel / RegisterModel). */
  public get modelArtifacts(): S3Location {
    return S3Location.under(this.props.output, this.modelArtifactsS3Uri);
  }

  /** Name of the training job. */
  public get trainingJobName(): string {
    return StepProperty.of(this, 'TrainingJobName').asString();
  }

  /** Final value of the metric `metricName` (`FinalMetricDataList['<name>'].Value`), a number. */
  public finalMetric(metricName: string): number {
    return StepProperty.of(this, `FinalMetricDataList['${metricName}'].Value`).asNumber();
  }

  /** @internal */
  public _propertyRoots(): string[] {
    return ['TrainingJobName', 'TrainingJobArn', 'TrainingJobStatus', 'SecondaryStatus', 'ModelArtifacts', 'FinalMetricDataList', 'HyperParameters',
      'AlgorithmSpecification', 'OutputDataConfig', 'ResourceConfig', 'StoppingCondition', 'TrainingTimeInSeconds', 'BillableTimeInSeconds',
      'FailureReason', 'RoleArn', 'InputDataConfig', 'CheckpointConfig', 'Environment'];
  }

  /** @internal */
  public _collect(resources: ResourceCollector): void {
    collectTrainingJob(resources, this.props, SageMakerJobType.TRAINING);
  }

  protected renderBody(context: StepRenderContext): { [key: string]: any } {
    return {
      Arguments: renderTrainingJob(this.props, this.roleArn(context, this.props.role), false),
      CacheConfig: renderCacheConfig(this.props.cache),
      RetryPolicies: renderRetryPolicies(this.name, this.props.retryPolicies, true),
    };
  }
}
