import { ResourceCollector } from './private/resource-collector';
import { renderCacheConfig, renderRetryPolicies } from './private/step-render';
import { checkTrainingProps, collectTrainingJob, renderTrainingJob } from './private/training';
import { checkInteger, invalid, isUnresolved } from '../../private/validate';
import { Join, StepProperty } from './expression';
import { S3Location, SageMakerJobType } from './resources';
import { Step, StepRenderContext } from './step';
import { TrainingJobProps } from './training-step';

/** How the tuner picks the next hyperparameters. */
export enum TuningStrategy {
  /** Bayesian optimization. */
  BAYESIAN = 'Bayesian',
  /** Random search. */
  RANDOM = 'Random',
  /** Every combination of categorical values (categorical ranges only, no maxJobs). */
  GRID = 'Grid',
  /** Hyperband, stopping weak jobs early. */
  HYPERBAND = 'Hyperband',
}

/** Whether the objective metric is maximized or minimized. */
export enum ObjectiveType {
  /** Higher is better. */
  MAXIMIZE = 'Maximize',
  /** Lower is better. */
  MINIMIZE = 'Minimize',
}

/** How values of a numeric range are searched. */
export enum ScalingType {
  /** SageMaker chooses. */
  AUTO = 'Auto',
  /** Linear scale. */
  LINEAR = 'Linear',
  /** Log scale (values > 0). */
  LOGARITHMIC = 'Logarithmic',
  /** Reverse log scale (0 <= value < 1). */
  REVERSE_LOGARITHMIC = 'ReverseLogarithmic',
}

/** A hyperparameter range searched by the tuner. */
export class ParameterRange {
  /** A continuous range [min, max]. */
  public static continuous(name: string, min: number, max: number, scaling: ScalingType = ScalingType.AUTO): ParameterRange {
    checkBounds(name, min, max);
    return new ParameterRange('Continuous', { Name: name, MinValue: String(min), MaxValue: String(max), ScalingType: scaling });
  }

  /** A range of whole numbers [min, max]. */
  public static integer(name: string, min: number, max: number, scaling: ScalingType = ScalingType.AUTO): ParameterRange {
    checkBounds(name, min, max);
    checkInteger(undefined, `parameter range '${name}' min`, min, Number.MIN_SAFE_INTEGER);
    checkInteger(undefined, `parameter range '${name}' max`, max, Number.MIN_SAFE_INTEGER);
    return new ParameterRange('Integer', { Name: name, MinValue: String(min), MaxValue: String(max), ScalingType: scaling });
  }

  /** A list of values. */
  public static categorical(name: string, values: string[]): ParameterRange {
    if (values.length === 0) invalid(undefined, `parameter range '${name}' values`, 'a non-empty list', values);
    return new ParameterRange('Categorical', { Name: name, Values: values });
  }

  private constructor(
    /** `Continuous`, `Integer` or `Categorical`. */
    public readonly kind: string,
    /** The range as written in `ParameterRanges`. */
    public readonly json: { [key: string]: any },
  ) {}
}

function checkBounds(name: string, min: number, max: number): void {
  if (!isUnresolved(min) && !isUnresolved(max) && !(min < max)) invalid(undefined, `parameter range '${name}' max`, `greater than min (${min})`, max);
}

/** Props of a `TuningStep`. */
export interface TuningStepProps extends TrainingJobProps {
  /**
   * Search strategy.
   * @default TuningStrategy.BAYESIAN
   */
  readonly strategy?: TuningStrategy;
  /** Metric the tuner optimizes (must be one of the metric definitions, or a built-in algorithm metric). */
  readonly objectiveMetricName: string;
  /**
   * Maximize or minimize the objective.
   * @default ObjectiveType.MAXIMIZE
   */
  readonly objectiveType?: ObjectiveType;
  /** Hyperparameter ranges to search. */
  readonly ranges: ParameterRange[];
  /**
   * Most training jobs in total (`MaxNumberOfTrainingJobs`); not allowed with Grid.
   * @default 10 (none with Grid)
   */
  readonly maxJobs?: number;
  /**
   * Most training jobs at a time (`MaxParallelTrainingJobs`).
   * @default 2
   */
  readonly maxParallelJobs?: number;
  /**
   * Stop training jobs that are unlikely to beat the best one (`TrainingJobEarlyStoppingType: Auto`).
   * @default false
   */
  readonly earlyStopping?: boolean;
}

/**
 * A hyperparameter tuning step (`Type: Tuning`): a CreateHyperParameterTuningJob request.
 *
 * @example
 * const tune = new TuningStep('Tune', {
 *   image, output: S3Location.fromBucket(artifacts, 'tuning'), inputs,
 *   objectiveMetricName: 'validation:auc',
 *   ranges: [ParameterRange.continuous('eta', 0.01, 0.3), ParameterRange.integer('max_depth', 3, 10)],
 *   maxJobs: 20, maxParallelJobs: 4,
 * });
 * tune.topModelS3Uri(0); // the best model's model.tar.gz
 */
export class TuningStep extends Step {
  constructor(name: string, private readonly props: TuningStepProps) {
    super(name, 'Tuning', props);
    checkTrainingProps(name, props);
    if (props.ranges.length === 0) invalid(undefined, `step '${name}' ranges`, 'a non-empty list', props.ranges);
    const strategy = props.strategy ?? TuningStrategy.BAYESIAN;
    if (strategy === TuningStrategy.GRID) {
      const other = props.ranges.find((r) => r.kind !== 'Categorical');
      if (other) invalid(undefined, `step '${name}' ranges`, 'categorical only with the Grid strategy', other.json.Name);
      if (props.maxJobs !== undefined) invalid(undefined, `step '${name}' maxJobs`, 'unset with the Grid strategy (the grid decides)', props.maxJobs);
    }
    checkInteger(undefined, `step '${name}' maxJobs`, props.maxJobs, 1, 10000);
    checkInteger(undefined, `step '${name}' maxParallelJobs`, props.maxParallelJobs, 1, 100);
  }

  /** Name of the best training job (`BestTrainingJob.TrainingJobName`). */
  public get bestTrainingJobName(): string {
    return StepProperty.of(this, 'BestTrainingJob.TrainingJobName').asString();
  }

  /**
   * S3 URI of the model of the k-th best training job (0 = best), as the SDK builds it:
   * `Std:Join` of the output path, `TrainingJobSummaries[k].TrainingJobName` and `output/model.tar.gz`.
   */
  public topModelS3Uri(k: number = 0): string {
    checkInteger(undefined, `step '${this.name}' top model k`, k, 0, 99);
    const base = this.props.output.uri.replace(/\/+$/, '');
    return Join.on('/', [base, StepProperty.of(this, `TrainingJobSummaries[${k}].TrainingJobName`), 'output/model.tar.gz']).asString();
  }

  /** The k-th best model as an S3 location in the output bucket (for CreateModel / RegisterModel). */
  public topModel(k: number = 0): S3Location {
    return S3Location.under(this.props.output, this.topModelS3Uri(k));
  }

  /** @internal */
  public _propertyRoots(): string[] {
    return ['HyperParameterTuningJobName', 'HyperParameterTuningJobArn', 'HyperParameterTuningJobStatus', 'BestTrainingJob', 'TrainingJobSummaries',
      'ObjectiveStatusCounters', 'TrainingJobStatusCounters', 'HyperParameterTuningJobConfig', 'TrainingJobDefinition', 'FailureReason'];
  }

  /** @internal */
  public _collect(resources: ResourceCollector): void {
    collectTrainingJob(resources, this.props, SageMakerJobType.TUNING);
  }

  protected renderBody(context: StepRenderContext): { [key: string]: any } {
    const p = this.props;
    const strategy = p.strategy ?? TuningStrategy.BAYESIAN;
    const ranges: { [key: string]: any[] } = {};
    for (const kind of ['Continuous', 'Integer', 'Categorical']) {
      const list = p.ranges.filter((r) => r.kind === kind).map((r) => r.json);
      if (list.length > 0) ranges[`${kind}ParameterRanges`] = list;
    }
    const limits: { [key: string]: any } = {};
    if (strategy !== TuningStrategy.GRID) limits.MaxNumberOfTrainingJobs = p.maxJobs ?? 10;
    limits.MaxParallelTrainingJobs = p.maxParallelJobs ?? 2;
    const config: { [key: string]: any } = {
      Strategy: strategy,
      HyperParameterTuningJobObjective: { Type: p.objectiveType ?? ObjectiveType.MAXIMIZE, MetricName: p.objectiveMetricName },
      ResourceLimits: limits,
      ParameterRanges: ranges,
      TrainingJobEarlyStoppingType: p.earlyStopping ? 'Auto' : 'Off',
    };
    return {
      Arguments: {
        HyperParameterTuningJobConfig: config,
        TrainingJobDefinition: renderTrainingJob(p, this.roleArn(context, p.role), true),
      },
      CacheConfig: renderCacheConfig(p.cache),
      RetryPolicies: renderRetryPolicies(this.name, p.retryPolicies, true),
    };
  }
}
