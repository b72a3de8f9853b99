import { Duration, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeArtifactAccess, acknowledgeCodeBuildDefaults } from './acknowledgements';
import { createArtifactBucket, createDeliveryKey, createEncryptedLogGroup } from './storage';
import { ManagedPolicyRole } from '../../private/managed-policy-role';

/** The default qualifier of `cdk bootstrap`. */
export const DEFAULT_BOOTSTRAP_QUALIFIER = 'hnb659fds';

/** The bootstrap roles the CDK CLI assumes to deploy (lookup, publish files and images, deploy). */
const BOOTSTRAP_ROLE_KINDS = ['deploy', 'file-publishing', 'image-publishing', 'lookup'];

/**
 * ARNs of the CDK bootstrap roles of one environment, `arn:<partition>:iam::<acct>:role/cdk-<q>-<kind>-role-<acct>-<region>`:
 * the only roles a deploying CodeBuild project may assume.
 */
export function bootstrapRoleArns(scope: Construct, account: string, region: string, qualifier: string): string[] {
  const partition = Stack.of(scope).partition;
  return BOOTSTRAP_ROLE_KINDS.map((kind) => `arn:${partition}:iam::${account}:role/cdk-${qualifier}-${kind}-role-${account}-${region}`);
}

/** Lets the grantee assume the CDK bootstrap roles of the environments given, and no other role. */
export function grantAssumeBootstrapRoles(grantee: iam.IGrantable, roleArns: string[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'AssumeCdkBootstrapRoles',
    actions: ['sts:AssumeRole', 'sts:TagSession'],
    resources: roleArns,
  }));
}

/** `-c key=value` arguments, in a stable order. */
export function contextArgs(context: { [key: string]: string }): string {
  return Object.keys(context).sort().map((k) => `-c ${shellWord(`${k}=${context[k]}`)}`).join(' ');
}

/** Options of {@link createDeliveryProject}. */
export interface DeliveryProjectOptions {
  readonly description: string;
  readonly buildSpec: codebuild.BuildSpec;
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly timeout: Duration;
  readonly environmentVariables?: { [name: string]: codebuild.BuildEnvironmentVariable };
}

/**
 * A CodeBuild project for a pipeline action: Node 20 image (STANDARD_7_0), privileged mode off, output encrypted with
 * the key, logs to its own encrypted CloudWatch log group with a retention.
 */
export function createDeliveryProject(scope: Construct, id: string, options: DeliveryProjectOptions): codebuild.PipelineProject {
  const logGroup = createEncryptedLogGroup(scope, `${id}Logs`, options.encryptionKey, options.logRetention);
  const role = new ManagedPolicyRole(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
  const project = new codebuild.PipelineProject(scope, id, {
    role,
    description: options.description,
    buildSpec: options.buildSpec,
    encryptionKey: options.encryptionKey,
    timeout: options.timeout,
    environment: {
      buildImage: codebuild.LinuxBuildImage.STANDARD_7_0,
      computeType: codebuild.ComputeType.SMALL,
      privileged: false,
    },
    environmentVariables: options.environmentVariables,
    logging: { cloudWatch: { logGroup } },
  });
  acknowledgeCodeBuildDefaults(role, project);
  return project;
}

/** Buildspec that installs the app's dependencies (Node 20) and runs the commands given. */
export function nodeBuildSpec(commands: string[]): codebuild.BuildSpec {
  return codebuild.BuildSpec.fromObject({
    version: '0.2',
    env: { shell: 'bash' },
    phases: {
      install: { 'runtime-versions': { nodejs: 20 }, 'commands': ['npm ci'] },
      build: { commands },
    },
  });
}

/** Quotes a word for the shell only when it needs it (`rate(7 days)` -> `'retrainSchedule=rate(7 days)'`). */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_.:\/@=+,-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** Options of a {@link DeliveryFoundation}: the props both delivery pipelines share (pass the pipeline's props). */
export interface DeliveryFoundationOptions {
  /**
   * Key of the artifacts, build outputs and log groups.
   * @default - a key with rotation is created (`Key`, retained)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Bucket for the server access logs of the artifact bucket.
   * @default - one is created beside the artifact bucket
   */
  readonly accessLogsBucket?: s3.IBucket;
  /**
   * How long build (and other) logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Timeout of each build (validated by the caller).
   * @default Duration.minutes(60)
   */
  readonly buildTimeout?: Duration;
}

/** Options of {@link DeliveryFoundation.addProject}: what differs from one pipeline build to the next. */
export interface DeliveryFoundationProjectOptions extends Pick<DeliveryProjectOptions, 'description' | 'buildSpec' | 'environmentVariables'> {
  /** Who the project is in the artifact-access acknowledgement, e.g. `The test build`. */
  readonly who: string;
}

/** Options of {@link DeliveryFoundation.createPipeline}: what differs between the delivery pipelines. */
export interface DeliveryFoundationPipelineOptions {
  /** How executions that overlap are handled. */
  readonly executionMode: codepipeline.ExecutionMode;
  /** The stages known when the pipeline is made (more can be added). */
  readonly stages: codepipeline.StageProps[];
  /**
   * Pipeline variables.
   * @default - none
   */
  readonly variables?: codepipeline.Variable[];
}

/**
 * What the delivery pipelines (`MlCodePipeline`, `DeployOnApproval`) share: the KMS key (given or created), the
 * artifact bucket, the log retention and build timeout, the CodeBuild projects of the actions, and the CodePipeline
 * V2 with its least-privilege role, each role acknowledged for the CDK's artifact grants.
 *
 * Not a construct of its own: every resource is created directly in `scope` under the ids the pipelines always had
 * (`Key`, `ArtifactBucket`, `PipelineRole`, `Pipeline`, the project ids given), so their logical ids stay.
 */
export class DeliveryFoundation {
  /** The key of artifacts, builds and logs. */
  public readonly encryptionKey: kms.IKey;
  /** The artifact bucket. */
  public readonly artifactBucket: s3.Bucket;
  /** How long logs are kept. */
  public readonly logRetention: logs.RetentionDays;
  /** Timeout of each build. */
  public readonly buildTimeout: Duration;

  /** `keyDescription` describes the key created when `options.encryptionKey` is not given. */
  constructor(private readonly scope: Construct, keyDescription: string, options: DeliveryFoundationOptions) {
    this.encryptionKey = options.encryptionKey ?? createDeliveryKey(scope, 'Key', keyDescription);
    this.artifactBucket = createArtifactBucket(scope, this.encryptionKey, options.accessLogsBucket);
    this.logRetention = options.logRetention ?? logs.RetentionDays.ONE_YEAR;
    this.buildTimeout = options.buildTimeout ?? Duration.minutes(60);
  }

  /** A CodeBuild project for a pipeline action ({@link createDeliveryProject}) whose role may use the artifacts. */
  public addProject(id: string, options: DeliveryFoundationProjectOptions): codebuild.PipelineProject {
    const project = createDeliveryProject(this.scope, id, {
      description: options.description,
      buildSpec: options.buildSpec,
      environmentVariables: options.environmentVariables,
      encryptionKey: this.encryptionKey,
      logRetention: this.logRetention,
      timeout: this.buildTimeout,
    });
    acknowledgeArtifactAccess(project.role!, this.artifactBucket, options.who);
    return project;
  }

  /**
   * The CodePipeline V2 (`Pipeline`) on the artifact bucket, with its own role (`PipelineRole`) for every action,
   * never restarted by its own update.
   */
  public createPipeline(options: DeliveryFoundationPipelineOptions): codepipeline.Pipeline {
    const role = new ManagedPolicyRole(this.scope, 'PipelineRole', { assumedBy: new iam.ServicePrincipal('codepipeline.amazonaws.com') });
    const pipeline = new codepipeline.Pipeline(this.scope, 'Pipeline', {
      role,
      usePipelineRoleForActions: true,
      pipelineType: codepipeline.PipelineType.V2,
      executionMode: options.executionMode,
      artifactBucket: this.artifactBucket,
      restartExecutionOnUpdate: false,
      variables: options.variables,
      stages: options.stages,
    });
    acknowledgeArtifactAccess(role, this.artifactBucket, 'The pipeline role');
    return pipeline;
  }
}
