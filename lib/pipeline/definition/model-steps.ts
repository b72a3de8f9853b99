import * as iam from 'aws-cdk-lib/aws-iam';
import {
  CUSTOMER_METADATA_ENTRIES, CUSTOMER_METADATA_KEY, CUSTOMER_METADATA_VALUE, limitViolation, MemberLimit, MODEL_PACKAGE_DESCRIPTION,
} from '../../handlers/shared/api-limits';
import { compact } from './private/render';
import { renderVpcConfig } from './private/job';
import { ResourceCollector } from './private/resource-collector';
import { renderRetryPolicies } from './private/step-render';
import { checkExclusive, invalid, isUnresolved } from '../../private/validate';
import { IModelRegistry } from '../../core/model-registry-interface';
import { StepProperty } from './expression';
import { ContainerImage, JobNetworkConfig, S3Access, S3Location, SageMakerJobType } from './resources';
import { RetryPolicy, Step, StepProps, StepRenderContext } from './step';
import { ModelApprovalStatus } from '../../core/model-approval-status';

/** An inference container: image, model data and environment. */
export interface InferenceContainer {
  /** The inference image. */
  readonly image: ContainerImage;
  /**
   * The model artifacts (`model.tar.gz`), e.g. `trainingStep.modelArtifacts`.
   * @default - none (the image holds the model)
   */
  readonly modelData?: S3Location;
  /**
   * Environment variables.
   * @default - none
   */
  readonly environment?: { [key: string]: string };
  /**
   * Machine learning framework of the image, e.g. `XGBOOST` (model registry only).
   * @default - not set
   */
  readonly framework?: string;
  /**
   * Framework version (model registry only).
   * @default - not set
   */
  readonly frameworkVersion?: string;
}

function renderContainer(c: InferenceContainer, registry: boolean): any {
  const out: { [key: string]: any } = { Image: c.image.imageUri };
  if (c.modelData) out.ModelDataUrl = c.modelData.uri;
  if (c.environment) out.Environment = c.environment;
  if (registry) {
    if (c.framework) out.Framework = c.framework;
    if (c.frameworkVersion) out.FrameworkVersion = c.frameworkVersion;
  }
  return out;
}

function collectContainer(resources: ResourceCollector, c: InferenceContainer): void {
  resources.image(c.image);
  resources.s3Location(c.modelData, S3Access.READ);
}

/** Props of a `CreateModelStep`. */
export interface CreateModelStepProps extends StepProps {
  /** The model's container. */
  readonly container: InferenceContainer;
  /**
   * Block network access of the model container.
   * @default false
   */
  readonly enableNetworkIsolation?: boolean;
  /**
   * Run the model in a VPC.
   * @default - no VPC
   */
  readonly network?: JobNetworkConfig;
  /**
   * Role the model runs with.
   * @default - the pipeline's role
   */
  readonly role?: iam.IRole;
  /**
   * Retry policies (Step.* kinds only: this step starts no job).
   * @default - no retries
   */
  readonly retryPolicies?: RetryPolicy[];
}

/**
 * A create-model step (`Type: Model`): a CreateModel request without the model name.
 *
 * @example
 * const model = new CreateModelStep('CreateModel', { container: { image, modelData: train.modelArtifacts } });
 * model.modelName;
 */
export class CreateModelStep extends Step {
  constructor(name: string, private readonly props: CreateModelStepProps) {
    super(name, 'Model', props);
  }

  /** Name of the created model (`ModelName`). */
  public get modelName(): string {
    return StepProperty.of(this, 'ModelName').asString();
  }

  /** @internal */
  public _propertyRoots(): string[] {
    return ['ModelName', 'ModelArn', 'PrimaryContainer', 'Containers', 'ExecutionRoleArn', 'VpcConfig', 'EnableNetworkIsolation', 'CreationTime'];
  }

  /** @internal */
  public _collect(resources: ResourceCollector): void {
    resources.job(SageMakerJobType.MODEL);
    collectContainer(resources, this.props.container);
    resources.role(this.props.role);
    if (this.props.network) resources.usesVpc();
  }

  protected renderBody(context: StepRenderContext): { [key: string]: any } {
    const p = this.props;
    return {
      Arguments: compact({
        ExecutionRoleArn: this.roleArn(context, p.role),
        PrimaryContainer: renderContainer(p.container, false),
        VpcConfig: renderVpcConfig(p.network),
        EnableNetworkIsolation: p.enableNetworkIsolation ? true : undefined,
      }),
      RetryPolicies: renderRetryPolicies(this.name, p.retryPolicies, false),
    };
  }
}

/** A metrics or baseline file (`{ ContentType, S3Uri, ContentDigest }`). */
export interface MetricsFile {
  /** S3 URI of the file, e.g. `qualityCheck.calculatedBaselineStatistics` or a `Join`. */
  readonly s3Uri: string;
  /**
   * MIME type of the file.
   * @default 'application/json'
   */
  readonly contentType?: string;
  /**
   * Digest of the file.
   * @default - none
   */
  readonly contentDigest?: string;
}

/** Quality reports registered with the model package (`ModelMetrics`). */
export interface ModelMetrics {
  /**
   * Model quality statistics, e.g. the evaluation report (`ModelQuality.Statistics`).
   * @default - none
   */
  readonly modelQualityStatistics?: MetricsFile;
  /**
   * Model quality constraints (`ModelQuality.Constraints`).
   * @default - none
   */
  readonly modelQualityConstraints?: MetricsFile;
  /**
   * Statistics of the training data (`ModelDataQuality.Statistics`).
   * @default - none
   */
  readonly modelDataQualityStatistics?: MetricsFile;
  /**
   * Constraints of the training data (`ModelDataQuality.Constraints`).
   * @default - none
   */
  readonly modelDataQualityConstraints?: MetricsFile;
  /**
   * Bias report (`Bias.Report`).
   * @default - none
   */
  readonly biasReport?: MetricsFile;
  /**
   * Pre-training bias report (`Bias.PreTrainingReport`).
   * @default - none
   */
  readonly biasPreTrainingReport?: MetricsFile;
  /**
   * Post-training bias report (`Bias.PostTrainingReport`).
   * @default - none
   */
  readonly biasPostTrainingReport?: MetricsFile;
  /**
   * Explainability report (`Explainability.Report`).
   * @default - none
   */
  readonly explainabilityReport?: MetricsFile;
}

/** Baselines later monitors compare live data with (`DriftCheckBaselines`). */
export interface DriftCheckBaselines {
  /**
   * Model quality statistics the model-quality monitor compares with.
   * @default - none
   */
  readonly modelQualityStatistics?: MetricsFile;
  /**
   * Model quality constraints the model-quality monitor checks.
   * @default - none
   */
  readonly modelQualityConstraints?: MetricsFile;
  /**
   * Data statistics the data-quality monitor compares live traffic with.
   * @default - none
   */
  readonly modelDataQualityStatistics?: MetricsFile;
  /**
   * Data constraints the data-quality monitor checks live traffic against.
   * @default - none
   */
  readonly modelDataQualityConstraints?: MetricsFile;
  /**
   * Bias analysis config (`Bias.ConfigFile`).
   * @default - none
   */
  readonly biasConfigFile?: MetricsFile;
  /**
   * Pre-training bias constraints (`Bias.PreTrainingConstraints`).
   * @default - none
   */
  readonly biasPreTrainingConstraints?: MetricsFile;
  /**
   * Post-training bias constraints (`Bias.PostTrainingConstraints`).
   * @default - none
   */
  readonly biasPostTrainingConstraints?: MetricsFile;
  /**
   * Explainability constraints (`Explainability.Constraints`).
   * @default - none
   */
  readonly explainabilityConstraints?: MetricsFile;
  /**
   * Explainability analysis config (`Explainability.ConfigFile`).
   * @default - none
   */
  readonly explainabilityConfigFile?: MetricsFile;
}

/** Where a model came from (`MetadataProperties`). */
export interface ModelMetadata {
  /**
   * Commit the model was built from (`CommitId`).
   * @default - none
   */
  readonly commitId?: string;
  /**
   * Repository of that commit (`Repository`).
   * @default - none
   */
  readonly repository?: string;
  /**
   * What generated the model (`GeneratedBy`).
   * @default - none
   */
  readonly generatedBy?: string;
  /**
   * SageMaker project id (`ProjectId`).
   * @default - none
   */
  readonly projectId?: string;
}

/** Props of a `RegisterModelStep`. */
export interface RegisterModelStepProps extends StepProps {
  /**
   * The registry (model package group) to register in; the pipeline role may then create packages in it.
   * @default - give modelPackageGroupName
   */
  readonly modelRegistry?: IModelRegistry;
  /**
   * Name of the model package group, when it is not an `IModelRegistry`.
   * @default - give modelRegistry
   */
  readonly modelPackageGroupName?: string;
  /** Inference containers. */
  readonly containers: InferenceContainer[];
  /** MIME types the model accepts, e.g. `['text/csv']`. */
  readonly contentTypes: string[];
  /** MIME types the model returns. */
  readonly responseTypes: string[];
  /**
   * Instance types for real-time endpoints.
   * @default - not set
   */
  readonly realtimeInstanceTypes?: string[];
  /**
   * Instance types for batch transform.
   * @default - not set
   */
  readonly transformInstanceTypes?: string[];
  /**
   * Approval status at registration: a `ModelApprovalStatus` value or a parameter (`param.asString()`).
   * @default ModelApprovalStatus.PENDING_MANUAL_APPROVAL
   */
  readonly approvalStatus?: string;
  /**
   * Quality reports of the model.
   * @default - none
   */
  readonly modelMetrics?: ModelMetrics;
  /**
   * Baselines for drift checks.
   * @default - none
   */
  readonly driftCheckBaselines?: DriftCheckBaselines;
  /**
   * Description of the model package.
   * @default - none
   */
  readonly modelPackageDescription?: string;
  /**
   * Free-form metadata (`CustomerMetadataProperties`).
   * @default - none
   */
  readonly customerMetadata?: { [key: string]: string };
  /**
   * Where the model came from.
   * @default - none
   */
  readonly metadata?: ModelMetadata;
  /**
   * ML domain, e.g. `MACHINE_LEARNING`.
   * @default - not set
   */
  readonly domain?: string;
  /**
   * ML task, e.g. `CLASSIFICATION`, `REGRESSION`, `OTHER`.
   * @default - not set
   */
  readonly task?: string;
  /**
   * Skip the model validation (`SkipModelValidation: All`).
   * @default false
   */
  readonly skipModelValidation?: boolean;
  /**
   * Retry policies (Step.* kinds only: this step starts no job).
   * @default - no retries
   */
  readonly retryPolicies?: RetryPolicy[];
}

function file(f: MetricsFile | undefined): any {
  if (!f) return undefined;
  return compact({ ContentType: f.contentType ?? 'application/json', S3Uri: f.s3Uri, ContentDigest: f.contentDigest });
}

function pair(statistics: MetricsFile | undefined, constraints: MetricsFile | undefined): any {
  if (!statistics && !constraints) return undefined;
  return compact({ Statistics: file(statistics), Constraints: file(constraints) });
}

const APPROVAL = Object.values(ModelApprovalStatus) as string[];

/** Stops synth when a value known now breaks the API member it is sent in (values known at run time are skipped). */
function checkMember(name: string, limit: MemberLimit, value: string | undefined, allowed: string): void {
  if (value === undefined || isUnresolved(value)) return;
  if (limitViolation(limit, value) !== undefined) invalid(undefined, name, allowed, value);
}

/**
 * A register-model step (`Type: RegisterModel`): a CreateModelPackage request in a model package group.
 *
 * @example
 * const register = new RegisterModelStep('Register', {
 *   modelRegistry: registry,
 *   containers: [{ image, modelData: train.modelArtifacts }],
 *   contentTypes: ['text/csv'], responseTypes: ['text/csv'],
 *   modelMetrics: { modelQualityStatistics: { s3Uri: `${evaluationUri}/evaluation.json` } },
 * });
 * register.modelPackageArn;
 */
export class RegisterModelStep extends Step {
  constructor(name: string, private readonly props: RegisterModelStepProps) {
    super(name, 'RegisterModel', props);
    checkExclusive(undefined, ['modelRegistry', 'modelPackageGroupName'], [props.modelRegistry, props.modelPackageGroupName]);
    if (!props.modelRegistry && !props.modelPackageGroupName) {
      invalid(undefined, `step '${name}' modelRegistry`, 'given (or modelPackageGroupName)', undefined);
    }
    if (props.containers.length === 0) invalid(undefined, `step '${name}' containers`, 'a non-empty list', props.containers);
    const status = props.approvalStatus;
    if (status !== undefined && !isUnresolved(status) && !APPROVAL.includes(status)) {
      invalid(undefined, `step '${name}' approvalStatus`, `one of ${APPROVAL.join(', ')}`, status);
    }
    checkMember(`step '${name}' modelPackageDescription`, MODEL_PACKAGE_DESCRIPTION, props.modelPackageDescription,
      'at most 1024 letters, marks, spaces, symbols, numbers or punctuation (no line breaks or other control characters)');
    const metadata = Object.entries(props.customerMetadata ?? {});
    if (props.customerMetadata && (metadata.length < CUSTOMER_METADATA_ENTRIES.minItems! || metadata.length > CUSTOMER_METADATA_ENTRIES.maxItems!)) {
      invalid(undefined, `step '${name}' customerMetadata`, '1 to 50 entries', `${metadata.length} entries`);
    }
    const allowed = "of letters, numbers, spaces and _ . : / = + - @ (SageMaker's CustomerMetadataProperties)";
    for (const [key, value] of metadata) {
      checkMember(`step '${name}' customerMetadata key`, CUSTOMER_METADATA_KEY, key, `1 to 128 characters ${allowed}`);
      checkMember(`step '${name}' customerMetadata.${key}`, CUSTOMER_METADATA_VALUE, value, `1 to 256 characters ${allowed}`);
    }
  }

  /** ARN of the new model package (`ModelPackageArn`). */
  public get modelPackageArn(): string {
    return StepProperty.of(this, 'ModelPackageArn').asString();
  }

  /** @internal */
  public _propertyRoots(): string[] {
    return ['ModelPackageArn', 'ModelPackageName', 'ModelPackageGroupName', 'ModelPackageVersion', 'ModelApprovalStatus', 'ModelPackageStatus',
      'InferenceSpecification', 'ModelMetrics', 'DriftCheckBaselines', 'CustomerMetadataProperties', 'CreationTime'];
  }

  /** @internal */
  public _collect(resources: ResourceCollector): void {
    resources.registry(this.props.modelRegistry);
    resources.groupName(this.props.modelPackageGroupName);
    for (const c of this.props.containers) collectContainer(resources, c);
  }

  protected renderBody(_context: StepRenderContext): { [key: string]: any } {
    const p = this.props;
    const args: { [key: string]: any } = {
      ModelPackageGroupName: p.modelRegistry?.modelPackageGroupName ?? p.modelPackageGroupName,
      InferenceSpecification: compact({
        Containers: p.containers.map((c) => renderContainer(c, true)),
        SupportedContentTypes: p.contentTypes,
        SupportedResponseMIMETypes: p.responseTypes,
        SupportedRealtimeInferenceInstanceTypes: p.realtimeInstanceTypes,
        SupportedTransformInstanceTypes: p.transformInstanceTypes,
      }),
      ModelApprovalStatus: p.approvalStatus ?? ModelApprovalStatus.PENDING_MANUAL_APPROVAL,
    };
    if (p.skipModelValidation) args.SkipModelValidation = 'All';
    const m = p.modelMetrics;
    if (m) {
      args.ModelMetrics = compact({
        ModelQuality: pair(m.modelQualityStatistics, m.modelQualityConstraints),
        ModelDataQuality: pair(m.modelDataQualityStatistics, m.modelDataQualityConstraints),
        Bias: compact({ Report: file(m.biasReport), PreTrainingReport: file(m.biasPreTrainingReport), PostTrainingReport: file(m.biasPostTrainingReport) }),
        Explainability: compact({ Report: file(m.explainabilityReport) }),
      });
    }
    const d = p.driftCheckBaselines;
    if (d) {
      const bias = compact({ ConfigFile: file(d.biasConfigFile), PreTrainingConstraints: file(d.biasPreTrainingConstraints), PostTrainingConstraints: file(d.biasPostTrainingConstraints) });
      const explainability = compact({ Constraints: file(d.explainabilityConstraints), ConfigFile: file(d.explainabilityConfigFile) });
      args.DriftCheckBaselines = compact({
        ModelQuality: pair(d.modelQualityStatistics, d.modelQualityConstraints),
        ModelDataQuality: pair(d.modelDataQualityStatistics, d.modelDataQualityConstraints),
        Bias: Object.keys(bias).length > 0 ? bias : undefined,
        Explainability: Object.keys(explainability).length > 0 ? explainability : undefined,
      });
    }
    if (p.modelPackageDescription) args.ModelPackageDescription = p.modelPackageDescription;
    if (p.customerMetadata) args.CustomerMetadataProperties = p.customerMetadata;
    if (p.metadata) {
      args.MetadataProperties = compact({ CommitId: p.metadata.commitId, Repository: p.metadata.repository, GeneratedBy: p.metadata.generatedBy, ProjectId: p.metadata.projectId });
    }
    if (p.domain) args.Domain = p.domain;
    if (p.task) args.Task = p.task;
    return { Arguments: args, RetryPolicies: renderRetryPolicies(this.name, p.retryPolicies, false) };
  }
}
