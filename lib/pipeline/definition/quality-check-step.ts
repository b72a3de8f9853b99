import { compact } from './private/render';
import { checkJobProps, collectJob, maxRuntimeSeconds, renderInstances, renderVpcConfig } from './private/job';
import { ResourceCollector } from './private/resource-collector';
import { renderCacheConfig } from './private/step-render';
import { checkExclusive, invalid } from '../../private/validate';
import { IModelRegistry } from '../../core/model-registry-interface';
import { StepProperty } from './expression';
import { JobStepProps } from './job-props';
import { S3Access, S3Location, SageMakerJobType } from './resources';
import { Step, StepRenderContext } from './step';
import { ProblemType } from '../../core/problem-type';

/** What a quality check baselines. */
export enum QualityCheckType {
  /** Statistics and constraints of the input data. */
  DATA_QUALITY = 'DATA_QUALITY',
  /** Metrics of the model's predictions against ground truth. */
  MODEL_QUALITY = 'MODEL_QUALITY',
}

/** Format of the baseline dataset, written as the analyzer's `dataset_format` JSON. */
export class DatasetFormat {
  /** CSV, with or without a header row. */
  public static csv(header: boolean = true): DatasetFormat {
    return new DatasetFormat({ csv: { header, output_columns_position: 'START' } });
  }
  /** JSON, one document or one per line. */
  public static json(lines: boolean = true): DatasetFormat {
    return new DatasetFormat({ json: { lines } });
  }
  /** Parquet. */
  public static parquet(): DatasetFormat {
    return new DatasetFormat({ parquet: {} });
  }

  private constructor(
    /** The format as an object. */
    public readonly value: { [key: string]: any },
  ) {}
}

/** Props of a `QualityCheckStep`. */
export interface QualityCheckStepProps extends JobStepProps {
  /** Data quality or model quality. */
  readonly checkType: QualityCheckType;
  /** The dataset to baseline (for model quality: predictions with ground truth). */
  readonly baselineDataset: S3Location;
  /**
   * Format of the dataset.
   * @default DatasetFormat.csv(true)
   */
  readonly datasetFormat?: DatasetFormat;
  /** Where the statistics, constraints and violations are written. */
  readonly output: S3Location;
  /**
   * Registry whose latest approved baselines are checked against.
   * @default - give modelPackageGroupName or neither
   */
  readonly modelRegistry?: IModelRegistry;
  /**
   * Model package group name, when it is not an `IModelRegistry`.
   * @default - none
   */
  readonly modelPackageGroupName?: string;
  /**
   * Only compute the baseline, do not check against the previous one.
   * @default false
   */
  readonly skipCheck?: boolean;
  /**
   * Fail the step when the check finds violations.
   * @default true
   */
  readonly failOnViolation?: boolean;
  /**
   * Use the new baseline for later drift checks.
   * @default false
   */
  readonly registerNewBaseline?: boolean;
  /**
   * Statistics to check against instead of the registry's.
   * @default - none
   */
  readonly suppliedBaselineStatistics?: S3Location;
  /**
   * Constraints to check against instead of the registry's.
   * @default - none
   */
  readonly suppliedBaselineConstraints?: S3Location;
  /**
   * Script that preprocesses each record (`record_preprocessor_script`).
   * @default - none
   */
  readonly recordPreprocessorScript?: S3Location;
  /**
   * Script run after the analysis (`post_analytics_processor_script`).
   * @default - none
   */
  readonly postAnalyticsProcessorScript?: S3Location;
  /**
   * Problem type (model quality only, required there).
   * @default - none
   */
  readonly problemType?: ProblemType;
  /**
   * Column or JSON path of the prediction (model quality).
   * @default - none
   */
  readonly inferenceAttribute?: string;
  /**
   * Column or JSON path of the probability (model quality, classification).
   * @default - none
   */
  readonly probabilityAttribute?: string;
  /**
   * Threshold above which a probability is the positive class (model quality, binary classification).
   * @default - none
   */
  readonly probabilityThresholdAttribute?: number;
  /**
   * Column or JSON path of the ground truth (model quality).
   * @default - none
   */
  readonly groundTruthAttribute?: string;
}

const INPUT = '/opt/ml/processing/input/baseline_dataset_input';
const OUTPUT = '/opt/ml/processing/output';
const RECORD_SCRIPT = '/opt/ml/processing/input/record_preprocessor_script_input';
const POST_SCRIPT = '/opt/ml/processing/input/post_analytics_processor_script_input';

/**
 * A quality check step (`Type: QualityCheck`): runs the Model Monitor analyzer (give its image, the untagged
 * `sagemaker-model-monitor-analyzer` of the region) to baseline data or model quality.
 *
 * @example
 * const dataQuality = new QualityCheckStep('DataQuality', {
 *   checkType: QualityCheckType.DATA_QUALITY, image: analyzerImage,
 *   baselineDataset: preprocess.output('train'), output: S3Location.fromBucket(artifacts, 'baselines/data'),
 *   modelRegistry: registry, skipCheck: true, registerNewBaseline: true,
 * });
 * dataQuality.calculatedBaselineStatistics;
 */
export class QualityCheckStep extends Step {
  constructor(name: string, private readonly props: QualityCheckStepProps) {
    super(name, 'QualityCheck', props);
    checkJobProps(name, props);
    if (props.retryPolicies !== undefined) invalid(undefined, `step '${name}' retryPolicies`, 'unset: SageMaker takes no RetryPolicies on QualityCheck steps', props.retryPolicies.length);
    checkExclusive(undefined, ['modelRegistry', 'modelPackageGroupName'], [props.modelRegistry, props.modelPackageGroupName]);
    const modelProps = ['problemType', 'inferenceAttribute', 'probabilityAttribute', 'probabilityThresholdAttribute', 'groundTruthAttribute'] as const;
    if (props.checkType === QualityCheckType.MODEL_QUALITY) {
      if (!props.problemType) invalid(undefined, `step '${name}' problemType`, 'set for a MODEL_QUALITY check', undefined);
    } else {
      for (const key of modelProps) {
        if (props[key] !== undefined) invalid(undefined, `step '${name}' ${key}`, 'unset for a DATA_QUALITY check', props[key]);
      }
    }
  }

  /** S3 URI of the statistics the step calculated (`CalculatedBaselineStatistics`). */
  public get calculatedBaselineStatistics(): string {
    return StepProperty.of(this, 'CalculatedBaselineStatistics').asString();
  }
  /** S3 URI of the constraints the step calculated (`CalculatedBaselineConstraints`). */
  public get calculatedBaselineConstraints(): string {
    return StepProperty.of(this, 'CalculatedBaselineConstraints').asString();
  }
  /** S3 URI of the statistics used for drift checks (`BaselineUsedForDriftCheckStatistics`). */
  public get baselineUsedForDriftCheckStatistics(): string {
    return StepProperty.of(this, 'BaselineUsedForDriftCheckStatistics').asString();
  }
  /** S3 URI of the constraints used for drift checks (`BaselineUsedForDriftCheckConstraints`). */
  public get baselineUsedForDriftCheckConstraints(): string {
    return StepProperty.of(this, 'BaselineUsedForDriftCheckConstraints').asString();
  }

  /** @internal */
  public _propertyRoots(): string[] {
    return ['CalculatedBaselineStatistics', 'CalculatedBaselineConstraints', 'BaselineUsedForDriftCheckStatistics', 'BaselineUsedForDriftCheckConstraints'];
  }

  /** @internal */
  public _collect(resources: ResourceCollector): void {
    const p = this.props;
    collectJob(resources, p, SageMakerJobType.PROCESSING);
    resources.s3Location(p.baselineDataset, S3Access.READ);
    resources.s3Location(p.output, S3Access.READ_WRITE);
    for (const l of [p.suppliedBaselineStatistics, p.suppliedBaselineConstraints, p.recordPreprocessorScript, p.postAnalyticsProcessorScript]) {
      resources.s3Location(l, S3Access.READ);
    }
    resources.registry(p.modelRegistry);
    resources.groupName(p.modelPackageGroupName);
  }

  protected renderBody(context: StepRenderContext): { [key: string]: any } {
    const p = this.props;
    const input = (name: string, source: S3Location, path: string) => ({
      InputName: name,
      AppManaged: false,
      S3Input: { S3Uri: source.uri, LocalPath: path, S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated', S3CompressionType: 'None' },
    });
    const inputs = [input('baseline_dataset_input', p.baselineDataset, INPUT)];
    if (p.recordPreprocessorScript) inputs.push(input('record_preprocessor_script_input', p.recordPreprocessorScript, RECORD_SCRIPT));
    if (p.postAnalyticsProcessorScript) inputs.push(input('post_analytics_processor_script_input', p.postAnalyticsProcessorScript, POST_SCRIPT));
    const model = p.checkType === QualityCheckType.MODEL_QUALITY;
    const environment = compact({
      dataset_format: JSON.stringify((p.datasetFormat ?? DatasetFormat.csv(true)).value),
      dataset_source: INPUT,
      output_path: OUTPUT,
      publish_cloudwatch_metrics: 'Disabled',
      record_preprocessor_script: p.recordPreprocessorScript ? `${RECORD_SCRIPT}/${scriptName(p.recordPreprocessorScript)}` : undefined,
      post_analytics_processor_script: p.postAnalyticsProcessorScript ? `${POST_SCRIPT}/${scriptName(p.postAnalyticsProcessorScript)}` : undefined,
      analysis_type: model ? 'MODEL_QUALITY' : undefined,
      problem_type: p.problemType,
      inference_attribute: p.inferenceAttribute,
      probability_attribute: p.probabilityAttribute,
      probability_threshold_attribute: p.probabilityThresholdAttribute !== undefined ? String(p.probabilityThresholdAttribute) : undefined,
      ground_truth_attribute: p.groundTruthAttribute,
      ...p.environment,
    });
    const args = {
      ProcessingResources: { ClusterConfig: renderInstances(p) },
      AppSpecification: { ImageUri: p.image.imageUri },
      RoleArn: this.roleArn(context, p.role),
      ProcessingInputs: inputs,
      ProcessingOutputConfig: compact({
        Outputs: [{ OutputName: 'quality_check_output', AppManaged: false, S3Output: { S3Uri: p.output.uri, LocalPath: OUTPUT, S3UploadMode: 'EndOfJob' } }],
        KmsKeyId: p.outputKmsKey?.keyArn,
      }),
      Environment: environment,
      StoppingCondition: { MaxRuntimeInSeconds: maxRuntimeSeconds(p) },
      NetworkConfig: compact({
        EnableInterContainerTrafficEncryption: p.encryptInterContainerTraffic ?? true,
        EnableNetworkIsolation: p.enableNetworkIsolation ?? false,
        VpcConfig: renderVpcConfig(p.network),
      }),
    };
    return {
      Arguments: args,
      CheckType: p.checkType,
      ModelPackageGroupName: p.modelRegistry?.modelPackageGroupName ?? p.modelPackageGroupName ?? null,
      SkipCheck: p.skipCheck ?? false,
      FailOnViolation: p.failOnViolation ?? true,
      RegisterNewBaseline: p.registerNewBaseline ?? false,
      SuppliedBaselineStatistics: p.suppliedBaselineStatistics?.uri ?? null,
      SuppliedBaselineConstraints: p.suppliedBaselineConstraints?.uri ?? null,
      CacheConfig: renderCacheConfig(p.cache),
    };
  }
}

/** The file name at the end of a script's S3 URI. */
function scriptName(location: S3Location): string {
  const uri = location.uri;
  const slash = uri.lastIndexOf('/');
  return slash >= 0 ? uri.slice(slash + 1) : uri;
}
