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

/** Options of {@link createStartDeployment}. */
export interface StartDeploymentOptions {
  readonly pipeline: codepipeline.IPipeline;
  readonly variableName: string;
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
}

/**
 * A state machine that starts the deployment pipeline with the approved model package ARN as pipeline variable.
 *
 * EventBridge's CodePipeline target starts a pipeline without variables, so the rule targets this state machine
 * instead; its one task calls `codepipeline:StartPipelineExecution` with `variables` (AWS SDK integration, no Lambda),
 * with the event id as client request token so that a redelivered event does not deploy twice.
 * The state machine expects `{ modelPackageArn, eventId }` (see {@link startDeploymentInput}).
 */
export function createStartDeployment(scope: Construct, id: string, options: StartDeploymentOptions): sfn.StateMachine {
  const start = new tasks.CallAwsService(scope, `${id}Task`, {
    stateName: 'StartDeploymentPipeline',
    service: 'codepipeline',
    action: 'startPipelineExecution',
    iamAction: 'codepipeline:StartPipelineExecution',
    iamResources: [options.pipeline.pipelineArn],
    parameters: {
      Name: options.pipeline.pipelineName,
      ClientRequestToken: sfn.JsonPath.stringAt('$.eventId'),
      Variables: [{ Name: options.variableName, Value: sfn.JsonPath.stringAt('$.modelPackageArn') }],
    },
    resultPath: '$.execution',
  });
  start.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 4 });

  const role = new ManagedPolicyRole(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
  const logGroup = createEncryptedLogGroup(scope, `${id}Logs`, options.encryptionKey, options.logRetention);
  const machine = new sfn.StateMachine(scope, id, {
    comment: 'Starts the deployment pipeline with the approved model package ARN as the pipeline variable',
    definitionBody: sfn.DefinitionBody.fromChainable(start),
    stateMachineType: sfn.StateMachineType.STANDARD,
    timeout: Duration.minutes(5),
    role,
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
  });
  const resourceStar = 'AwsSolutions-IAM5[Resource::*]';
  Validations.of(role).acknowledge({
    id: resourceStar,
    reason: 'Step Functions log delivery (logs:CreateLogDelivery, ...Describe/List) and X-Ray trace upload (xray:PutTraceSegments, ...) do not support resource-level permissions; the CDK grants them on * for this state machine only',
  });
  return machine;
}

/** The input the rule gives the state machine: the model package ARN and the event id of the approval. */
export function startDeploymentInput(): events.RuleTargetInput {
  return events.RuleTargetInput.fromObject({
    modelPackageArn: events.EventField.fromPath('$.detail.ModelPackageArn'),
    eventId: events.EventField.eventId,
  });
}

/** The rule target: the state machine, with the transformed input, through a role that may start only it. */
export function startDeploymentTarget(scope: Construct, machine: sfn.IStateMachine): events.IRuleTarget {
  const role = new ManagedPolicyRole(scope, 'ApprovalEventRole', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com') });
  return new targets.SfnStateMachine(machine, { input: startDeploymentInput(), role, retryAttempts: 8, maxEventAge: Duration.hours(2) });
}

