import { Duration, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { DeliverySource } from './delivery-source';
import {
  bootstrapRoleArns, contextArgs, DEFAULT_BOOTSTRAP_QUALIFIER, DeliveryFoundation, grantAssumeBootstrapRoles, nodeBuildSpec,
} from './private/cdk';
import { checkContext, checkQualifier, checkStackSelector } from './private/validate';
import { checkExclusive, checkWholeDuration, invalid } from '../private/validate';
import { displayPath } from '../private/display-path';

/**
 * Properties of an {@link MlCodePipeline}.
 */
export interface MlCodePipelineProps {
  /** Where the ML project's code (the CDK app, the training code and its tests) comes from. */
  readonly source: DeliverySource;

  /** The SageMaker pipeline that the code defines: updated by `cdk deploy`, then started. */
  readonly trainingPipeline: sagemaker.IPipeline;

  /**
   * `cdk deploy` selectors of the stacks that define the training pipeline. The CDK CLI matches a selector against
   * each stack's construct path, not its CloudFormation name: `Mlops/churn-Training` under the App,
   * `Prod/Mlops/churn-Training` in `new Stage(app, 'Prod')`; `*` patterns allowed. Required when
   * `trainingPipeline` is imported.
   * @default - the construct path of the stack that defines `trainingPipeline`
   */
  readonly trainingStacks?: string[];

  /**
   * CDK context for `cdk deploy` (`-c key=value`), e.g. `{ level: '2' }`.
   * @default - no context arguments
   */
  readonly context?: { [key: string]: string };

  /**
   * Commands of the test stage, run after `npm ci` in the repository root.
   * @default ['npm test']
   */
  readonly testCommands?: string[];

  /**
   * The whole buildspec of the test stage, instead of `npm ci` + `testCommands`.
   * @default - `npm ci` then `testCommands` on Node 20
   */
  readonly testBuildSpec?: codebuild.BuildSpec;

  /**
   * Whether the last stage starts an execution of the training pipeline after updating it.
   * @default true
   */
  readonly startTrainingExecution?: boolean;

  /**
   * Qualifier of the CDK bootstrap stack (`cdk bootstrap --qualifier`): the deploy stage may assume only its roles.
   * @default 'hnb659fds'
   */
  readonly bootstrapQualifier?: string;

  /**
   * Key for the artifact bucket, the build outputs and the log groups. An imported key's policy must let CloudWatch
   * Logs of this account use it.
   * @default - a key with rotation is created (retained)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Bucket for the server access logs of the artifact bucket.
   * @default - a bucket is created (SSE-S3, versioned, retained)
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * How long the build logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Timeout of each build: a whole number of minutes from 5 to 480 (CodeBuild's limits).
   * @default Duration.minutes(60)
   */
  readonly buildTimeout?: Duration;
}

/**
 * CI/CD for the ML code (level 2): a push to the repository runs its tests, then deploys the training stack through
 * CloudFormation (`cdk deploy`) and starts an execution of the training pipeline.
 *
 * Stages: `Source` (CodeConnections or S3) -> `Test` (CodeBuild, `npm ci && npm test`) -> `Train` (CodeBuild:
 * `npx cdk deploy <training stacks> --exclusively` through the CDK bootstrap roles, then
 * `aws sagemaker start-pipeline-execution`). It deploys the training stacks only, not the stacks they depend on.
 * A CodePipeline V2; artifacts, builds and logs are encrypted with one KMS key.
 *
 * @example
 * new MlCodePipeline(this, 'MlCode', {
 *   source: DeliverySource.codeConnection({ connectionArn, repository: 'my-org/churn' }),
 *   trainingPipeline: training.pipeline,
 *   trainingStacks: ['Mlops/churn-Training'],
 *   context: { level: '2' },
 * });
 */
export class MlCodePipeline extends Construct {
  /** The CodePipeline V2. */
  public readonly pipeline: codepipeline.Pipeline;
  /** The key of artifacts, builds and logs. */
  public readonly encryptionKey: kms.IKey;
  /** The artifact bucket. */
  public readonly artifactBucket: s3.IBucket;
  /** The CodeBuild project of the test stage. */
  public readonly testProject: codebuild.PipelineProject;
  /** The CodeBuild project that deploys the training stack and starts the training pipeline. */
  public readonly trainProject: codebuild.PipelineProject;
  /** The `cdk deploy` command the train stage runs. */
  public readonly deployCommand: string;

  constructor(scope: Construct, id: string, props: MlCodePipelineProps) {
    super(scope, id);
    checkExclusive(this, ['testCommands', 'testBuildSpec'], [props.testCommands, props.testBuildSpec]);
    if (props.testCommands !== undefined && props.testCommands.length === 0) invalid(this, 'testCommands', 'a non-empty list of commands', props.testCommands);
    checkWholeDuration(this, 'buildTimeout', props.buildTimeout, 'minutes', 5, 480);
    const qualifier = props.bootstrapQualifier ?? DEFAULT_BOOTSTRAP_QUALIFIER;
    checkQualifier(this, 'bootstrapQualifier', qualifier);
    const context = props.context ?? {};
    checkContext(this, 'context', context);
    const stacks = props.trainingStacks ?? [defaultStackSelector(this, props.trainingPipeline)];
    if (stacks.length === 0) invalid(this, 'trainingStacks', 'a non-empty list of stack selectors', stacks);
    stacks.forEach((s, i) => checkStackSelector(this, `trainingStacks[${i}]`, s));

    const stack = Stack.of(this);
    const delivery = new DeliveryFoundation(this, `Encrypts the artifacts and logs of the ML code pipeline ${displayPath(this)}`, props);
    this.encryptionKey = delivery.encryptionKey;
    this.artifactBucket = delivery.artifactBucket;

    this.testProject = delivery.addProject('TestProject', {
      description: `Runs the tests of ${props.source.description}`,
      buildSpec: props.testBuildSpec ?? nodeBuildSpec(props.testCommands ?? ['npm test']),
      who: 'The test build',
    });

    // --exclusively: the training stacks only, never the (data) stacks they depend on, which the team deploys.
    this.deployCommand = ['npx cdk deploy', ...stacks.map((s) => `'${s}'`), '--exclusively --require-approval never --progress events',
      contextArgs(context)].filter((p) => p !== '').join(' ');
    const trainCommands = [this.deployCommand];
    if (props.startTrainingExecution ?? true) {
      trainCommands.push('aws sagemaker start-pipeline-execution --pipeline-name "$TRAINING_PIPELINE_NAME"'
        + ' --pipeline-execution-description "Code change ${CODEBUILD_RESOLVED_SOURCE_VERSION:-unknown}"');
    }
    this.trainProject = delivery.addProject('TrainProject', {
      description: `Deploys the training pipeline from ${props.source.description} and starts it`,
      buildSpec: nodeBuildSpec(trainCommands),
      environmentVariables: {
        TRAINING_PIPELINE_NAME: { value: props.trainingPipeline.pipelineName },
      },
      who: 'The train build',
    });
    grantAssumeBootstrapRoles(this.trainProject, bootstrapRoleArns(this, stack.account, stack.region, qualifier));
    if (props.startTrainingExecution ?? true) props.trainingPipeline.grantStartPipelineExecution(this.trainProject);

    const sourceOutput = new codepipeline.Artifact('Source');
    this.pipeline = delivery.createPipeline({
      executionMode: codepipeline.ExecutionMode.SUPERSEDED,
      stages: [
        { stageName: 'Source', actions: [props.source.bind(this, { output: sourceOutput, triggerOnChange: true })] },
        {
          stageName: 'Test',
          actions: [new actions.CodeBuildAction({ actionName: 'Test', project: this.testProject, input: sourceOutput })],
        },
        {
          stageName: 'Train',
          actions: [new actions.CodeBuildAction({ actionName: 'DeployAndStart', project: this.trainProject, input: sourceOutput })],
        },
      ],
    });
    props.source.bindTrigger(this, this.pipeline);
  }
}

/** The construct path of the stack that defines the pipeline: what `cdk deploy` selects it by. */
function defaultStackSelector(scope: Construct, pipeline: sagemaker.IPipeline): string {
  if (pipeline.node.defaultChild === undefined && pipeline.node.children.length === 0) {
    invalid(scope, 'trainingStacks', 'given when trainingPipeline is imported (the stack that defines it is unknown)', pipeline.node.path);
  }
  return Stack.of(pipeline).node.path;
}
