import { Duration, Validations } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { createEncryptedLogGroup } from './storage';
import { ManagedPolicyRole } from '../../private/managed-policy-role';
import { acknowledgeWildcardResources } from '../../private/nag-acknowledgements';
import { displayPath } from '../../private/display-path';

/** Options of {@link createRejectFailedDeployment}. */
export interface RejectFailedDeploymentOptions {
  readonly pipeline: codepipeline.IPipeline;
  /** The pipeline variable that carries the model package ARN. */
  readonly variableName: string;
  /** The variable's value when no package was given (the pipeline's default), skipped. */
  readonly noneValue: string;
  /** Name of the registry's model package group (for descriptions). */
  readonly modelPackageGroupName: string;
  /** `arn:...:model-package/<group>/*`: only packages of this group are rejected. */
  readonly modelPackageArnPattern: string;
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
}

/** What {@link createRejectFailedDeployment} creates. */
export interface RejectFailedDeployment {
  readonly stateMachine: sfn.StateMachine;
  readonly rule: events.Rule;
}

/** The state names of the reject state machine (tests read them). */
export const REJECT_STATES = {
  read: 'GetPipelineExecution',
  hasVariables: 'HasVariables',
  find: 'FindModelPackageArn',
  check: 'IsModelPackageOfThisGroup',
  reject: 'RejectModelPackage',
  skip: 'NoModelPackageToReject',
} as const;

/**
 * When an execution of the deployment pipeline fails (a `cdk deploy` that failed, or a canary that CloudFormation
 * rolled back on an alarm), sets the model package of that execution to `Rejected`, so that a model rolled back out of
 * production is no longer `Approved` (and can never become the champion).
 *
 * Rule: "CodePipeline Pipeline Execution State Change" of this pipeline, state FAILED -> state machine (AWS SDK
 * integrations, no Lambda): `codepipeline:GetPipelineExecution` reads the execution's resolved variables, a Choice skips
 * executions without a package (`none`) or with an ARN outside the registry's group, and `sagemaker:UpdateModelPackage`
 * sets `ModelApprovalStatus: Rejected` with a description naming the execution.
 */
export function createRejectFailedDeployment(scope: Construct, id: string, options: RejectFailedDeploymentOptions): RejectFailedDeployment {
  const read = new tasks.CallAwsService(scope, `${id}GetExecution`, {
    stateName: REJECT_STATES.read,
    service: 'codepipeline',
    action: 'getPipelineExecution',
    iamAction: 'codepipeline:GetPipelineExecution',
    iamResources: [options.pipeline.pipelineArn],
    parameters: {
      PipelineName: options.pipeline.pipelineName,
      PipelineExecutionId: sfn.JsonPath.stringAt('$.executionId'),
    },
    resultPath: '$.execution',
  });
  read.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 4 });

  const find = new sfn.Pass(scope, `${id}Find`, {
    stateName: REJECT_STATES.find,
    parameters: {
      'arns.$': `$.execution.PipelineExecution.Variables[?(@.Name == '${options.variableName}')].ResolvedValue`,
    },
    resultPath: '$.found',
  });

  const skip = new sfn.Succeed(scope, `${id}Skip`, {
    stateName: REJECT_STATES.skip,
    comment: `The execution deployed no model package of ${options.modelPackageGroupName} (variable missing, '${options.noneValue}' or another group)`,
  });

  const reject = new tasks.CallAwsService(scope, `${id}Reject`, {
    stateName: REJECT_STATES.reject,
    service: 'sagemaker',
    action: 'updateModelPackage',
    iamAction: 'sagemaker:UpdateModelPackage',
    iamResources: [options.modelPackageArnPattern],
    parameters: {
      ModelPackageArn: sfn.JsonPath.stringAt('$.found.arns[0]'),
      ModelApprovalStatus: 'Rejected',
      ApprovalDescription: sfn.JsonPath.format(
        'Rejected automatically: deployment pipeline execution {} failed or was rolled back (canary alarm or failed cdk deploy)',
        sfn.JsonPath.stringAt('$.executionId')),
    },
    resultPath: '$.rejected',
  });
  reject.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 4 });

  const check = new sfn.Choice(scope, `${id}Check`, { stateName: REJECT_STATES.check })
    .when(sfn.Condition.and(
      sfn.Condition.isPresent('$.found.arns[0]'),
      sfn.Condition.isString('$.found.arns[0]'),
      sfn.Condition.not(sfn.Condition.stringEquals('$.found.arns[0]', options.noneValue)),
      sfn.Condition.stringMatches('$.found.arns[0]', options.modelPackageArnPattern),
    ), reject)
    .otherwise(skip);

  const hasVariables = new sfn.Choice(scope, `${id}HasVariables`, { stateName: REJECT_STATES.hasVariables })
    .when(sfn.Condition.isPresent('$.execution.PipelineExecution.Variables'), find.next(check))
    .otherwise(skip);

  const role = new ManagedPolicyRole(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
  const logGroup = createEncryptedLogGroup(scope, `${id}Logs`, options.encryptionKey, options.logRetention);
  const stateMachine = new sfn.StateMachine(scope, id, {
    comment: `Rejects the model package of ${options.modelPackageGroupName} whose deployment pipeline execution failed or was rolled back`,
    definitionBody: sfn.DefinitionBody.fromChainable(read.next(hasVariables)),
    stateMachineType: sfn.StateMachineType.STANDARD,
    timeout: Duration.minutes(5),
    role,
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Step Functions log delivery (logs:CreateLogDelivery, ...Describe/List) and X-Ray trace upload (xray:PutTraceSegments, ...) do not support resource-level permissions; the CDK grants them on * for this state machine only',
  });
  acknowledgeWildcardResources(role, [options.modelPackageArnPattern],
    `UpdateModelPackage (reject) on the versions of model package group ${options.modelPackageGroupName} only: which version a failed deployment carried is known only when the execution fails`);

  const eventRole = new ManagedPolicyRole(scope, `${id}EventRole`, { assumedBy: new iam.ServicePrincipal('events.amazonaws.com') });
  const rule = new events.Rule(scope, `${id}Rule`, {
    description: `Rejects the model package of a failed or rolled-back execution of deployment pipeline ${displayPath(options.pipeline)}`,
    eventPattern: {
      source: ['aws.codepipeline'],
      detailType: ['CodePipeline Pipeline Execution State Change'],
      detail: { pipeline: [options.pipeline.pipelineName], state: ['FAILED'] },
    },
    targets: [new targets.SfnStateMachine(stateMachine, {
      input: events.RuleTargetInput.fromObject({
        executionId: events.EventField.fromPath('$.detail.execution-id'),
        eventId: events.EventField.eventId,
      }),
      role: eventRole,
      retryAttempts: 8,
      maxEventAge: Duration.hours(2),
    })],
  });
  return { stateMachine, rule };
}
