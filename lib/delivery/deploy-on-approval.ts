import { Duration, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DeliverySource } from './delivery-source';
import { DeploymentStageTarget } from './deployment-stage-target';
import { acknowledgeModelPackageRead } from './private/acknowledgements';
import {
  bootstrapRoleArns, DEFAULT_BOOTSTRAP_QUALIFIER, DeliveryFoundation, grantAssumeBootstrapRoles, nodeBuildSpec,
} from './private/cdk';
import { MODEL_PACKAGE_ARN_VARIABLE, modelPackageGuard, servingDeployCommand } from './private/deploy-commands';
import { createRejectFailedDeployment } from './private/reject-failed-deployment';
import { createStartDeployment, startDeploymentTarget } from './private/start-deployment';
import { checkContext, checkQualifier, checkStackSelector, checkStageName } from './private/validate';
import { MaturityLevel } from '../core/maturity-level';
import { IModelRegistry } from '../core/model-registry-interface';
import { checkAccountId, checkInteger, checkRegion, checkWholeDuration, invalid } from '../private/validate';
import { displayPath, displayUniqueId } from '../private/display-path';

/** The value of the `modelPackageArn` variable when an execution was started without one. */
const NO_MODEL_PACKAGE = 'none';

/**
 * Properties of a {@link DeployOnApproval}.
 */
export interface DeployOnApprovalProps {
  /** The registry whose approvals are deployed. */
  readonly registry: IModelRegistry;

  /** Where the CDK app that defines the serving stack comes from (the same repository as the ML code). */
  readonly source: DeliverySource;

  /**
   * `cdk deploy` selectors of the serving stacks. The CDK CLI matches a selector against each stack's construct path,
   * not its CloudFormation name: `['Mlops/churn-Serving']` under the App,
   * `['Prod/Mlops/churn-Serving']` in `new Stage(app, 'Prod')`; `*` patterns allowed.
   */
  readonly servingStacks: string[];

  /**
   * The maturity level passed to the app (`-c level=<n>`).
   * @default MaturityLevel.PRODUCTIONIZATION
   */
  readonly level?: MaturityLevel;

  /**
   * The context key the approved package's ARN is passed in (`-c <key>=<arn>`): the app reads the package of the
   * serving stack it builds from there. A platform with several models passes `modelPackageArn.<model>`.
   * @default 'modelPackageArn'
   */
  readonly modelPackageArnContextKey?: string;

  /**
   * More CDK context for `cdk deploy` (`-c key=value`). `level`, the model package key, `deployAccount` and
   * `deployRegion` are set by the pipeline.
   * @default - no further context
   */
  readonly context?: { [key: string]: string };

  /**
   * Accounts to deploy to, in order (e.g. staging, then prod). Each one gets a `Deploy-<name>` stage that runs
   * `cdk deploy` with `-c deployAccount=<account> -c deployRegion=<region>` through that account's CDK bootstrap
   * roles; the app must place the serving stack in that environment. The accounts must trust the pipeline's account
   * (`cdk bootstrap --trust`).
   * @default - one `Deploy` stage in the pipeline's own account and region
   */
  readonly stageAccounts?: DeploymentStageTarget[];

  /**
   * Whether a manual approval stage stands between two deployment stages (`stageAccounts`).
   * @default true
   */
  readonly requireApprovalBetweenStages?: boolean;

  /**
   * Qualifier of the CDK bootstrap stacks (`cdk bootstrap --qualifier`): the builds may assume only their roles.
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
   * How long build and state machine logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Timeout of each deployment build: a whole number of minutes from 5 to 480 (CodeBuild's limits).
   * @default Duration.minutes(60)
   */
  readonly buildTimeout?: Duration;

  /**
   * Whether a failed execution of the deployment pipeline (a failed `cdk deploy`, or a canary that CloudFormation
   * rolled back on an alarm at level 4) sets the model package it deployed to `Rejected`, so that a model rolled back
   * out of production is no longer `Approved` and cannot become the champion. Any failure of the execution counts,
   * including one before the deploy (e.g. the source could not be fetched).
   * @default true
   */
  readonly rejectOnFailedDeployment?: boolean;
}

/**
 * Deploy-on-approval (level 2): approving a model package in the registry deploys the serving stack with that exact
 * model package, through CloudFormation (`cdk deploy`), never by updating the endpoint out of band.
 *
 * The registry's "model package approved" rule starts a small state machine that starts the deployment pipeline
 * (CodePipeline V2) with the pipeline variable `modelPackageArn` set from the event (EventBridge's CodePipeline
 * target cannot pass variables). The pipeline checks out the app (`Source`, never started by pushes), and each
 * `Deploy` stage (CodeBuild) checks that the ARN belongs to the registry's group and is still `Approved`, then runs
 * `npx cdk deploy <servingStacks> -c level=<n> -c modelPackageArn=<arn>`. With `stageAccounts`, one stage per
 * account with a manual approval between them.
 *
 * When an execution fails (a failed deploy, or at level 4 a canary rolled back by CloudFormation on an alarm), a
 * second rule and state machine set the model package of that execution to `Rejected` (`rejectOnFailedDeployment`),
 * so a model rolled back out of production does not stay `Approved` and cannot become the champion.
 *
 * @example
 * new DeployOnApproval(this, 'DeployOnApproval', {
 *   registry,
 *   source: DeliverySource.codeConnection({ connectionArn, repository: 'my-org/churn' }),
 *   servingStacks: ['Mlops/churn-Serving'],
 *   stageAccounts: [
 *     { name: 'staging', account: '111111111111', region: 'eu-west-1' },
 *     { name: 'prod', account: '222222222222', region: 'eu-west-1' },
 *   ],
 * });
 */
export class DeployOnApproval extends Construct {
  /** The deployment pipeline (CodePipeline V2, queued executions). */
  public readonly pipeline: codepipeline.Pipeline;
  /** The pipeline variable that carries the approved model package ARN. */
  public readonly modelPackageArnVariable: codepipeline.Variable;
  /** The rule on "model package approved" events of the registry's group. */
  public readonly approvalRule: events.Rule;
  /** The state machine that starts the pipeline with the ARN of the approved package. */
  public readonly starter: sfn.StateMachine;
  /**
   * The rule on failed executions of the deployment pipeline.
   * @default - undefined when `rejectOnFailedDeployment` is false
   */
  public readonly deploymentFailedRule?: events.Rule;
  /**
   * The state machine that rejects the model package of a failed deployment pipeline execution.
   * @default - undefined when `rejectOnFailedDeployment` is false
   */
  public readonly rejecter?: sfn.StateMachine;
  /** The key of artifacts, builds and logs. */
  public readonly encryptionKey: kms.IKey;
  /** The artifact bucket. */
  public readonly artifactBucket: s3.IBucket;
  /** The deployment CodeBuild projects, by pipeline stage name (`Deploy`, or `Deploy-<name>` per stage account). */
  public readonly deployProjects: { [stageName: string]: codebuild.PipelineProject } = {};

  constructor(scope: Construct, id: string, props: DeployOnApprovalProps) {
    super(scope, id);
    const level = props.level ?? MaturityLevel.PRODUCTIONIZATION;
    checkInteger(this, 'level', level, 0, 4);
    if (props.servingStacks.length === 0) invalid(this, 'servingStacks', 'a non-empty list of stack selectors', props.servingStacks);
    props.servingStacks.forEach((s, i) => checkStackSelector(this, `servingStacks[${i}]`, s));
    const context = props.context ?? {};
    checkContext(this, 'context', context);
    const packageKey = props.modelPackageArnContextKey ?? MODEL_PACKAGE_ARN_VARIABLE;
    if (!/^[A-Za-z][A-Za-z0-9.-]{0,99}$/.test(packageKey)) {
      invalid(this, 'modelPackageArnContextKey', "a context key: letters, digits, '.' or '-', starting with a letter", packageKey);
    }
    for (const reserved of ['level', packageKey, 'deployAccount', 'deployRegion']) {
      if (reserved in context) invalid(this, 'context', `free of '${reserved}' (the pipeline sets it)`, context);
    }
    const qualifier = props.bootstrapQualifier ?? DEFAULT_BOOTSTRAP_QUALIFIER;
    checkQualifier(this, 'bootstrapQualifier', qualifier);
    checkWholeDuration(this, 'buildTimeout', props.buildTimeout, 'minutes', 5, 480);
    const stageAccounts = props.stageAccounts ?? [];
    validateStageAccounts(this, stageAccounts);

    const stack = Stack.of(this);
    const delivery = new DeliveryFoundation(this, `Encrypts the artifacts and logs of the deployment pipeline ${displayPath(this)}`, props);
    this.encryptionKey = delivery.encryptionKey;
    this.artifactBucket = delivery.artifactBucket;

    this.modelPackageArnVariable = new codepipeline.Variable({
      variableName: MODEL_PACKAGE_ARN_VARIABLE,
      description: 'ARN of the approved model package to deploy (set from the approval event)',
      defaultValue: NO_MODEL_PACKAGE,
    });

    const sourceOutput = new codepipeline.Artifact('Source');
    this.pipeline = delivery.createPipeline({
      executionMode: codepipeline.ExecutionMode.QUEUED,
      variables: [this.modelPackageArnVariable],
      stages: [{ stageName: 'Source', actions: [props.source.bind(this, { output: sourceOutput, triggerOnChange: false })] }],
    });

    const targetEnvs = stageAccounts.length > 0
      ? stageAccounts.map((t) => ({ stageName: `Deploy-${t.name}`, account: t.account, region: t.region, target: t as DeploymentStageTarget | undefined }))
      : [{ stageName: 'Deploy', account: stack.account, region: stack.region, target: undefined }];
    targetEnvs.forEach((env, index) => {
      if (index > 0 && (props.requireApprovalBetweenStages ?? true)) {
        this.pipeline.addStage({
          stageName: `Approve-${env.target!.name}`,
          actions: [new actions.ManualApprovalAction({
            actionName: 'Approve',
            additionalInformation: `Deploy model package ${this.modelPackageArnVariable.reference()} to ${env.target!.name} (${env.account}, ${env.region})?`,
          })],
        });
      }
      const projectId = env.target ? `Deploy-${env.target.name}-Project` : 'DeployProject';
      const project = delivery.addProject(projectId, {
        description: `Deploys the serving stack with an approved model package of ${props.registry.modelPackageGroupName} to ${env.target ? env.target.name : 'this account'}`,
        buildSpec: nodeBuildSpec([modelPackageGuard(), servingDeployCommand(props.servingStacks, level, context, env.target, packageKey)]),
        environmentVariables: { MODEL_PACKAGE_ARN_PATTERN: { value: props.registry.modelPackageArnPattern } },
        who: `The ${env.stageName} build`,
      });
      grantAssumeBootstrapRoles(project, bootstrapRoleArns(this, env.account, env.region, qualifier));
      // Only the approval status check of the guard: DescribeModelPackage on the group's versions.
      project.addToRolePolicy(new iam.PolicyStatement({
        actions: ['sagemaker:DescribeModelPackage'],
        resources: [props.registry.modelPackageArnPattern],
      }));
      acknowledgeModelPackageRead(project.role!, props.registry.modelPackageArnPattern);
      this.deployProjects[env.stageName] = project;
      this.pipeline.addStage({
        stageName: env.stageName,
        actions: [new actions.CodeBuildAction({
          actionName: 'CdkDeploy',
          project,
          input: sourceOutput,
          environmentVariables: { MODEL_PACKAGE_ARN: { value: this.modelPackageArnVariable.reference() } },
        })],
      });
    });

    this.starter = createStartDeployment(this, 'StartDeployment', {
      pipeline: this.pipeline,
      variableName: MODEL_PACKAGE_ARN_VARIABLE,
      encryptionKey: this.encryptionKey,
      logRetention: delivery.logRetention,
    });
    const target = startDeploymentTarget(this, this.starter);
    // The registry owns its rule when it lives in this stack; a rule in another stack that targets this one while
    // this one reads the registry would make the two stacks depend on each other, so the same rule is made here.
    // Its id comes from the display path: Names.uniqueId of the platform's child stacks would give it a new logical id.
    this.approvalRule = Stack.of(props.registry) === stack
      ? props.registry.onModelApproved(`${displayUniqueId(this)}Approved`, { target, description: `Deploys approved model packages through ${displayPath(this)}` })
      : new events.Rule(this, 'ModelApproved', {
        description: `Deploys approved model packages of ${props.registry.modelPackageGroupName} through ${displayPath(this)}`,
        eventPattern: {
          source: ['aws.sagemaker'],
          detailType: ['SageMaker Model Package State Change'],
          detail: { ModelPackageGroupName: [props.registry.modelPackageGroupName], ModelApprovalStatus: ['Approved'] },
        },
        targets: [target],
      });

    if (props.rejectOnFailedDeployment ?? true) {
      const reject = createRejectFailedDeployment(this, 'RejectFailedDeployment', {
        pipeline: this.pipeline,
        variableName: MODEL_PACKAGE_ARN_VARIABLE,
        noneValue: NO_MODEL_PACKAGE,
        modelPackageGroupName: props.registry.modelPackageGroupName,
        modelPackageArnPattern: props.registry.modelPackageArnPattern,
        encryptionKey: this.encryptionKey,
        logRetention: delivery.logRetention,
      });
      this.rejecter = reject.stateMachine;
      this.deploymentFailedRule = reject.rule;
    }
  }
}

function validateStageAccounts(scope: Construct, stages: DeploymentStageTarget[]): void {
  const seen = new Set<string>();
  stages.forEach((s, i) => {
    checkStageName(scope, `stageAccounts[${i}].name`, s.name);
    checkAccountId(scope, `stageAccounts[${i}].account`, s.account);
    checkRegion(scope, `stageAccounts[${i}].region`, s.region);
    if (seen.has(s.name)) invalid(scope, `stageAccounts[${i}].name`, 'unique among the stages', s.name);
    seen.add(s.name);
  });
}
