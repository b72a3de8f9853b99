import { compact } from './private/render';
import { checkJobProps, collectJob, maxRuntimeSeconds, renderInstances, renderVpcConfig } from './private/job';
import { ResourceCollector } from './private/resource-collector';
import { renderCacheConfig, renderRetryPolicies } from './private/step-render';
import { invalid } from '../../private/validate';
import { JsonGet, StepProperty } from './expression';
import { JobStepProps } from './job-props';
import { S3Access, S3Location, SageMakerJobType } from './resources';
import { Step, StepRenderContext } from './step';

/** How the objects of an S3 input are selected. */
export enum S3DataType {
  /** Every object under the prefix. */
  S3_PREFIX = 'S3Prefix',
  /** The objects listed in a manifest file. */
  MANIFEST_FILE = 'ManifestFile',
}

/** How input data reaches the container. */
export enum InputMode {
  /** Downloaded before the job starts. */
  FILE = 'File',
  /** Streamed. */
  PIPE = 'Pipe',
  /** Mounted, read on demand (training only). */
  FAST_FILE = 'FastFile',
}

/** How input objects are spread over the instances. */
export enum S3DataDistribution {
  /** Every instance gets all objects. */
  FULLY_REPLICATED = 'FullyReplicated',
  /** Each instance gets a share of the objects. */
  SHARDED_BY_S3_KEY = 'ShardedByS3Key',
}

/** An input of a processing job, copied from S3 to `destination` in the container. */
export interface ProcessingInput {
  /** Name of the input. */
  readonly inputName: string;
  /** Where the data is read from. */
  readonly source: S3Location;
  /** Local path in the container, e.g. `/opt/ml/processing/input`. */
  readonly destination: string;
  /**
   * How objects are selected.
   * @default S3DataType.S3_PREFIX
   */
  readonly s3DataType?: S3DataType;
  /**
   * File or Pipe.
   * @default InputMode.FILE
   */
  readonly inputMode?: InputMode;
  /**
   * How objects are spread over the instances.
   * @default S3DataDistribution.FULLY_REPLICATED
   */
  readonly distribution?: S3DataDistribution;
  /**
   * Gzip-compressed input (Pipe mode).
   * @default false
   */
  readonly gzipCompressed?: boolean;
}

/** An output of a processing job, uploaded from `source` in the container to S3. */
export interface ProcessingOutput {
  /** Name of the output (what `outputS3Uri(name)` and property files refer to). */
  readonly outputName: string;
  /** Local path in the container, e.g. `/opt/ml/processing/train`. */
  readonly source: string;
  /** Where the data is written. */
  readonly destination: S3Location;
  /**
   * Upload continuously instead of at the end of the job.
   * @default false
   */
  readonly continuousUpload?: boolean;
}

/** A JSON file a processing step writes, whose values later steps read with `Std:JsonGet`. */
export interface PropertyFile {
  /** Name of the property file. */
  readonly name: string;
  /** Name of the processing output that holds the file. */
  readonly outputName: string;
  /** Path of the file relative to that output's local path, e.g. `evaluation.json`. */
  readonly path: string;
}

/** Props of a `ProcessingStep`. */
export interface ProcessingStepProps extends JobStepProps {
  /**
   * Entry point of the container, e.g. `['python3', '/opt/ml/processing/input/code/preprocess.py']`.
   * @default - the image's entry point
   */
  readonly entrypoint?: string[];
  /**
   * Arguments passed to the entry point.
   * @default - none
   */
  readonly arguments?: string[];
  /**
   * Inputs copied from S3.
   * @default - none
   */
  readonly inputs?: ProcessingInput[];
  /**
   * Outputs uploaded to S3.
   * @default - none
   */
  readonly outputs?: ProcessingOutput[];
  /**
   * JSON files in the outputs that later steps read with `Std:JsonGet`.
   * @default - none
   */
  readonly propertyFiles?: PropertyFile[];
}

/** Renders processing inputs as the SDK does. */
function renderProcessingInputs(inputs: ProcessingInput[]): any[] {
  return inputs.map((i) => ({
    InputName: i.inputName,
    AppManaged: false,
    S3Input: {
      S3Uri: i.source.uri,
      LocalPath: i.destination,
      S3DataType: i.s3DataType ?? S3DataType.S3_PREFIX,
      S3InputMode: i.inputMode ?? InputMode.FILE,
      S3DataDistributionType: i.distribution ?? S3DataDistribution.FULLY_REPLICATED,
      S3CompressionType: i.gzipCompressed ? 'Gzip' : 'None',
    },
  }));
}

/** Renders processing outputs as the SDK does. */
function renderProcessingOutputs(outputs: ProcessingOutput[]): any[] {
  return outputs.map((o) => ({
    OutputName: o.outputName,
    AppManaged: false,
    S3Output: { S3Uri: o.destination.uri, LocalPath: o.source, S3UploadMode: o.continuousUpload ? 'Continuous' : 'EndOfJob' },
  }));
}

/**
 * A processing step (`Type: Processing`): a CreateProcessingJob request.
 *
 * @example
 * const preprocess = new ProcessingStep('Preprocess', {
 *   image: ContainerImage.fromAwsRegistry('683313688378', 'sagemaker-scikit-learn', '1.2-1-cpu-py3'),
 *   entrypoint: ['python3', '/opt/ml/processing/input/code/preprocess.py'],
 *   inputs: [{ inputName: 'raw', source: S3Location.fromBucket(data, 'raw/'), destination: '/opt/ml/processing/input' }],
 *   outputs: [{ outputName: 'train', source: '/opt/ml/processing/train', destination: S3Location.fromBucket(artifacts, 'train') }],
 * });
 * preprocess.outputS3Uri('train');
 */
export class ProcessingStep extends Step {
  constructor(name: string, private readonly props: ProcessingStepProps) {
    super(name, 'Processing', props);
    checkJobProps(name, props);
    const outputs = new Set((props.outputs ?? []).map((o) => o.outputName));
    const seen = new Set<string>();
    for (const file of props.propertyFiles ?? []) {
      if (!outputs.has(file.outputName)) {
        invalid(undefined, `step '${name}' property file '${file.name}' outputName`, `one of the step's outputs (${[...outputs].join(', ') || 'none'})`, file.outputName);
      }
      if (seen.has(file.name)) throw new Error(`step '${name}' declares property file '${file.name}' twice`);
      seen.add(file.name);
    }
  }

  /** S3 URI the output `outputName` was uploaded to (`ProcessingOutputConfig.Outputs['<name>'].S3Output.S3Uri`). */
  public outputS3Uri(outputName: string): string {
    if (!(this.props.outputs ?? []).some((o) => o.outputName === outputName)) {
      invalid(undefined, `step '${this.name}' outputName`, `one of ${(this.props.outputs ?? []).map((o) => `'${o.outputName}'`).join(', ') || 'its outputs (it has none)'}`, outputName);
    }
    return StepProperty.of(this, `ProcessingOutputConfig.Outputs['${outputName}'].S3Output.S3Uri`).asString();
  }

  /** The output `outputName` as an S3 location (keeps its bucket, so that readers get access). */
  public output(outputName: string): S3Location {
    const output = (this.props.outputs ?? []).find((o) => o.outputName === outputName);
    const uri = this.outputS3Uri(outputName);
    return output ? S3Location.under(output.destination, uri) : S3Location.fromUri(uri);
  }

  /** Reads `path` from the property file `propertyFileName` of this step (`Std:JsonGet`). */
  public jsonGet(propertyFileName: string, path: string): JsonGet {
    return JsonGet.fromPropertyFile(this, propertyFileName, path);
  }

  /** Name of the processing job. */
  public get processingJobName(): string {
    return StepProperty.of(this, 'ProcessingJobName').asString();
  }

  /** @internal */
  public _propertyRoots(): string[] {
    return ['ProcessingJobName', 'ProcessingJobArn', 'ProcessingJobStatus', 'ProcessingOutputConfig', 'ProcessingInputs', 'ProcessingResources',
      'AppSpecification', 'Environment', 'ExitMessage', 'FailureReason', 'RoleArn', 'StoppingCondition', 'NetworkConfig'];
  }

  /** @internal */
  public _propertyFileNames(): string[] {
    return (this.props.propertyFiles ?? []).map((f) => f.name);
  }

  /** @internal */
  public _collect(resources: ResourceCollector): void {
    collectJob(resources, this.props, SageMakerJobType.PROCESSING);
    for (const i of this.props.inputs ?? []) resources.s3Location(i.source, S3Access.READ);
    for (const o of this.props.outputs ?? []) resources.s3Location(o.destination, S3Access.READ_WRITE);
  }

  protected renderBody(context: StepRenderContext): { [key: string]: any } {
    const p = this.props;
    const args: { [key: string]: any } = {
      ProcessingResources: { ClusterConfig: renderInstances(p) },
      AppSpecification: compact({ ImageUri: p.image.imageUri, ContainerEntrypoint: p.entrypoint, ContainerArguments: p.arguments }),
      RoleArn: this.roleArn(context, p.role),
    };
    if (p.inputs && p.inputs.length > 0) args.ProcessingInputs = renderProcessingInputs(p.inputs);
    if (p.outputs && p.outputs.length > 0) {
      args.ProcessingOutputConfig = compact({ Outputs: renderProcessingOutputs(p.outputs), KmsKeyId: p.outputKmsKey?.keyArn });
    }
    if (p.environment) args.Environment = p.environment;
    args.StoppingCondition = { MaxRuntimeInSeconds: maxRuntimeSeconds(p) };
    args.NetworkConfig = compact({
      EnableInterContainerTrafficEncryption: p.encryptInterContainerTraffic ?? true,
      EnableNetworkIsolation: p.enableNetworkIsolation ?? false,
      VpcConfig: renderVpcConfig(p.network),
    });
    return {
      Arguments: args,
      CacheConfig: renderCacheConfig(p.cache),
      RetryPolicies: renderRetryPolicies(this.name, p.retryPolicies, true),
      PropertyFiles: p.propertyFiles?.map((f) => ({ PropertyFileName: f.name, OutputName: f.outputName, FilePath: f.path })),
    };
  }
}
