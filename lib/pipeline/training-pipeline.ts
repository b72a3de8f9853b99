import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, ArnFormat, IResource, Names, Resource, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { PipelineDefinition } from './definition/pipeline-definition';
import { PipelineMetrics } from './pipeline-metrics';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { createDefinitionBucket, definitionHash, uploadDefinition } from './private/definition-upload';
import { acknowledgeRoleWildcards, grantPipelineRole } from './private/role';
import { rolePolicies } from '../private/role-policies';
import { checkInteger, InputError } from '../private/validate';
import { displayPath } from '../private/display-path';

/**
 * Largest rendered definition written inline (`PipelineDefinitionBody`). A CloudFormation template may be at most
 * 1 MB (uploaded through S3); tokens grow when they resolve, so a quarter of it is the most one property may take.
 */
export const INLINE_DEFINITION_LIMIT = 250_000;

/** A SageMaker training pipeline: a `sagemaker.IPipeline` with metrics and events. */
export interface ITrainingPipeline extends sagemaker.IPipeline, IResource {
  /**
   * A metric of this pipeline, e.g. `ExecutionFailed`. Every metric of this interface comes from
   * {@link PipelineMetrics}: `Sum` (`Average` for durations) over 5 minutes unless `props` say otherwise.
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Executions started (`Sum`). */
  metricExecutionStarted(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Executions that succeeded (`Sum`). */
  metricExecutionSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Executions that failed (`Sum`). */
  metricExecutionFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Executions that were stopped (`Sum`). */
  metricExecutionStopped(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Duration of executions in milliseconds (`Average`). */
  metricExecutionDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** A step metric (`StepStarted`, `StepFailed`, `StepSucceeded`, `StepStopped`: `Sum`; `StepDuration`: `Average`) of one step. */
  metricStep(metricName: string, stepName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** EventBridge rule for "SageMaker Model Building Pipeline Execution Status Change" events of this pipeline. */
  onExecutionStatusChange(id: string, options?: events.OnEventOptions): events.Rule;
}

abstract class TrainingPipelineBase extends Resource implements ITrainingPipeline {
  public abstract readonly pipelineName: string;
  public abstract readonly pipelineArn: string;

  public get pipelineRef(): sagemaker.PipelineReference {
    return { pipelineName: this.pipelineName };
  }

  public grantStartPipelineExecution(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:StartPipelineExecution'], resourceArns: [this.pipelineArn] });
  }

  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return PipelineMetrics.metric(metricName, this.pipelineName, props).attachTo(this);
  }

  public metricExecutionStarted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return PipelineMetrics.executionsStarted(this.pipelineName, props).attachTo(this);
  }
  public metricExecutionSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return PipelineMetrics.executionsSucceeded(this.pipelineName, props).attachTo(this);
  }
  public metricExecutionFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return PipelineMetrics.executionsFailed(this.pipelineName, props).attachTo(this);
  }
  public metricExecutionStopped(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return PipelineMetrics.executionsStopped(this.pipelineName, props).attachTo(this);
  }
  public metricExecutionDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return PipelineMetrics.executionDuration(this.pipelineName, props).attachTo(this);
  }
  public metricStep(metricName: string, stepName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return PipelineMetrics.step(metricName, this.pipelineName, stepName, props).attachTo(this);
  }

  public onExecutionStatusChange(id: string, options: events.OnEventOptions = {}): events.Rule {
    const rule = new events.Rule(this, id, { description: options.description, ruleName: options.ruleName, crossStackScope: options.crossStackScope });
    rule.addEventPattern({
      source: ['aws.sagemaker'],
      detailType: ['SageMaker Model Building Pipeline Execution Status Change'],
      detail: { pipelineArn: [this.pipelineArn] },
    });
    rule.addEventPattern(options.eventPattern);
    if (options.target) rule.addTarget(options.target);
    return rule;
  }
}

/** Props of a `TrainingPipeline`. */
export interface TrainingPipelineProps {
  /** The pipeline definition (steps, parameters). */
  readonly definition: PipelineDefinition;
  /**
   * Role the pipeline and (by default) its jobs run with; it is granted what the definition uses.
   * @default - a role trusted by SageMaker, scoped to the definition's resources
   */
  readonly role?: iam.IRole;
  /**
   * Description of the pipeline.
   * @default - none
   */
  readonly description?: string;
  /**
   * Display name of the pipeline.
   * @default - none
   */
  readonly displayName?: string;
  /**
   * Most steps run at a time (`ParallelismConfiguration.MaxParallelExecutionSteps`).
   * @default - SageMaker's default (50)
   */
  readonly maxParallelSteps?: number;
  /**
   * Bucket a definition too large to inline (over `INLINE_DEFINITION_LIMIT` characters) that holds deploy-time
   * values is uploaded to, at deploy time, under `pipeline-definitions/<pipeline name>/<sha256 of the definition>.json`
   * (retained; nothing else in the bucket is touched). The pipeline role is granted read on that object; SageMaker
   * reads it with the credentials of the principal that deploys the stack, which needs read (and decrypt) on it too.
   * Unused when the definition is inlined.
   * @default - when needed, a versioned, KMS-encrypted, private, SSL-only, retained bucket is created
   */
  readonly definitionBucket?: s3.IBucket;
}

/**
 * A SageMaker pipeline (`AWS::SageMaker::Pipeline`) built from a `PipelineDefinition`, with an execution role scoped
 * to exactly what the definition uses. Its name is derived from the construct path.
 *
 * @example
 * const pipeline = new TrainingPipeline(this, 'Training', { definition });
 * pipeline.grantStartPipelineExecution(retrainFunction);
 * pipeline.onExecutionStatusChange('Failed', { eventPattern: { detail: { currentPipelineExecutionStatus: ['Failed'] } }, target });
 */
export class TrainingPipeline extends TrainingPipelineBase {
  /** Imports a pipeline by name. */
  public static fromPipelineName(scope: Construct, id: string, pipelineName: string): ITrainingPipeline {
    class Import extends TrainingPipelineBase {
      public readonly pipelineName = pipelineName;
      public readonly pipelineArn = pipelineArnOf(Stack.of(scope), pipelineName);
    }
    return new Import(scope, id);
  }

  public readonly pipelineName: string;
  public readonly pipelineArn: string;
  /** The execution role. */
  public readonly role: iam.IRole;
  /** The L1 pipeline. */
  public readonly resource: sagemaker.CfnPipeline;
  /** The S3 asset holding the definition, when it was too large to write inline. */
  public readonly definitionAsset?: s3assets.Asset;
  /** The bucket the definition is uploaded to at deploy time, when it was too large to inline and holds deploy-time values. */
  public readonly definitionBucket?: s3.IBucket;
  /** The deployment that uploads the definition, when it was too large to inline and holds deploy-time values. */
  public readonly definitionDeployment?: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: TrainingPipelineProps) {
    super(scope, id);
    checkInteger(this, 'maxParallelSteps', props.maxParallelSteps, 1, 256);
    this.pipelineName = Names.uniqueResourceName(this, { maxLength: 256, separator: '-', allowedSpecialCharacters: '-' }).toLowerCase().replace(/^-+|-+$/g, '');
    this.pipelineArn = pipelineArnOf(Stack.of(this), this.pipelineName);

    this.role = props.role ?? new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Execution role of the SageMaker pipeline ${displayPath(this)}`,
    });
    const resources = props.definition.resources();
    grantPipelineRole(this, this.role, resources);
    for (const usage of resources.unscopedS3Locations) {
      Annotations.of(this).addWarningV2(`cdk-mlops-maturity:unscoped-s3:${usage.stepName}`,
        `step '${usage.stepName}' uses an S3 URI whose bucket is unknown; the role gets no access to it: use S3Location.fromBucket or fromUri(uri, bucket)`);
    }
    for (const image of resources.images.filter((i) => !i.repository && !i.repositoryArn)) {
      Annotations.of(this).addWarningV2('cdk-mlops-maturity:unknown-image', `the role cannot be granted pull access to image ${image.imageUri}: use ContainerImage.fromEcrRepository or fromAwsRegistry`);
    }

    // Checked here too, so that the message names this pipeline (render() would say the same without the path).
    const problems = props.definition.validate({ role: this.role });
    if (problems.length > 0) throw new InputError(this, `Invalid pipeline definition:\n${problems.join('\n')}`);
    const body = props.definition.render({ role: this.role });
    const stack = Stack.of(this);
    const size = JSON.stringify(body).length;
    // PipelineDefinition and ParallelismConfiguration are untyped (`any`) in the L1: CloudFormation's keys are written as is.
    let definition: any;
    if (size <= INLINE_DEFINITION_LIMIT) {
      definition = { PipelineDefinitionBody: stack.toJsonString(body) };
    } else if (Token.isUnresolved(JSON.stringify(body))) {
      // Deploy-time values (role ARN, bucket names, ...) are substituted when the deployment writes the object. The key
      // holds the hash of the definition as the stack writes it, so any change is a new location and updates the pipeline.
      this.definitionBucket = props.definitionBucket ?? createDefinitionBucket(this, 'DefinitionBucket');
      const key = `pipeline-definitions/${this.pipelineName}/${definitionHash(this, body)}.json`;
      this.definitionDeployment = uploadDefinition(this, 'DefinitionUpload', this.definitionBucket, key, body);
      this.definitionBucket.encryptionKey?.grantDecrypt(this.role);
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.definitionBucket.arnForObjects(key)] }));
      definition = { PipelineDefinitionS3Location: { Bucket: this.definitionBucket.bucketName, Key: key } };
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-definition-'));
      const file = path.join(dir, 'definition.json');
      fs.writeFileSync(file, JSON.stringify(body));
      // The asset's object key is the hash of its content, so a changed definition is a new location and updates the pipeline.
      this.definitionAsset = new s3assets.Asset(this, 'Definition', { path: file });
      definition = { PipelineDefinitionS3Location: { Bucket: this.definitionAsset.s3BucketName, Key: this.definitionAsset.s3ObjectKey } };
    }

    this.resource = new sagemaker.CfnPipeline(this, 'Resource', {
      pipelineName: this.pipelineName,
      roleArn: this.role.roleArn,
      pipelineDefinition: definition,
      pipelineDescription: props.description,
      pipelineDisplayName: props.displayName,
      parallelismConfiguration: props.maxParallelSteps ? { MaxParallelExecutionSteps: props.maxParallelSteps } : undefined,
    });
    // The role's policies must exist before SageMaker validates the definition against the role.
    this.resource.node.addDependency(rolePolicies(this.role));
    // The definition object must exist before CloudFormation creates or updates the pipeline from it.
    if (this.definitionDeployment) this.resource.node.addDependency(this.definitionDeployment);
    // Acknowledged once every grant is in (later grants, e.g. by other constructs, stay findings of their own).
    acknowledgeRoleWildcards(this.role);
  }
}

/** ARN of a pipeline: SageMaker writes names in ARNs in lower case. */
function pipelineArnOf(stack: Stack, pipelineName: string): string {
  return stack.formatArn({
    service: 'sagemaker',
    resource: 'pipeline',
    resourceName: Token.isUnresolved(pipelineName) ? pipelineName : pipelineName.toLowerCase(),
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}
