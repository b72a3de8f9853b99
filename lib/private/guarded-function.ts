import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { createAlarmTopic } from './alarm-topic';
import { handlerCode } from './handler-code';
import { ManagedPolicyRole } from './managed-policy-role';
import { acknowledgeWildcards } from './nag-acknowledgements';
import { InputError } from './validate';

/**
 * The dead-letter side of a {@link GuardedFunction} invoked asynchronously (EventBridge targets, async invokes):
 * a KMS-encrypted, SSL-only queue, an alarm on its visible messages and the topic that alarm notifies.
 */
export interface GuardedFunctionDeadLetterOptions {
  /** Description of the alarm on messages in the dead-letter queue (what was lost, where to look). */
  readonly alarmDescription: string;
  /**
   * Topic the dead-letter alarm notifies.
   * @default - a topic encrypted with the function's key, SSL only, that CloudWatch alarms of this account may publish to
   */
  readonly alarmTopic?: sns.ITopic;
  /** Display name of the topic created when `alarmTopic` is not given. */
  readonly topicDisplayName: string;
}

/** Properties of a {@link GuardedFunction}. */
export interface GuardedFunctionProps {
  /** The bundled handler to run: `lib/handlers/<handlerName>/index.ts`. */
  readonly handlerName: string;
  /** Description of the function. */
  readonly description: string;
  /** Description of the function's role. */
  readonly roleDescription: string;
  /** Environment variables of the function. */
  readonly environment: { [name: string]: string };
  /**
   * Key that encrypts the log group, the dead-letter queue and the created alarm topic. Its policy must let
   * CloudWatch Logs (and, with `deadLetter`, EventBridge and CloudWatch alarms) of this account use it.
   */
  readonly encryptionKey: kms.IKey;
  /** Timeout of one invocation. */
  readonly timeout: Duration;
  /**
   * Instruction set of the function.
   * @default - the Lambda default (x86_64)
   */
  readonly architecture?: lambda.Architecture;
  /**
   * Construct id of the log group (created in the scope given, beside the function).
   * @default 'LogGroup'
   */
  readonly logGroupId?: string;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the log group and the dead-letter queue when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * VPC to run the function in.
   * @default - outside a VPC (then `outsideVpcReason` acknowledges NIST.800.53.R5-LambdaInsideVPC)
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of `vpc` (only with `vpc`: see {@link checkVpcPlacement}).
   * @default - the private subnets of `vpc`
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the function in `vpc` (only with `vpc`: see {@link checkVpcPlacement}).
   * @default - the group Lambda creates
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** Why the function may run outside a VPC: the reason of the LambdaInsideVPC acknowledgement when `vpc` is not given. */
  readonly outsideVpcReason: string;
  /**
   * The dead-letter queue, its alarm and topic, for a function invoked asynchronously.
   * @default - no dead-letter queue (then `noDeadLetterReason` acknowledges NIST.800.53.R5-LambdaDLQ)
   */
  readonly deadLetter?: GuardedFunctionDeadLetterOptions;
  /**
   * Why the function needs no dead-letter queue (required without `deadLetter`).
   * @default - none: `deadLetter` must be given
   */
  readonly noDeadLetterReason?: string;
  /**
   * Why the function reserves no concurrency. Give it for a function that must not take from the account's unreserved
   * pool (a deploy-time custom resource handler): then it reserves none and NIST.800.53.R5-LambdaConcurrency is
   * acknowledged with this reason.
   * @default - one reserved concurrent execution (one decision at a time)
   */
  readonly noReservedConcurrencyReason?: string;
}

/**
 * Stops synth when a building block is given subnets or security groups for its function but no VPC (they would be
 * dropped silently): `vpcSubnets must be given together with vpc, got vpcSubnets without vpc`.
 */
export function checkVpcPlacement(scope: IConstruct, props: { vpc?: ec2.IVpc; vpcSubnets?: ec2.SubnetSelection; securityGroups?: ec2.ISecurityGroup[] }): void {
  if (props.vpc) return;
  const placed = (['vpcSubnets', 'securityGroups'] as const).find((name) => props[name] !== undefined);
  if (placed) throw new InputError(scope, `${placed} must be given together with vpc, got ${placed} without vpc`);
}

/**
 * A Lambda function of the library with its guard rails, for the building blocks that run one of the bundled
 * handlers (retraining trigger, champion/challenger approval, variant weight shifter): a least-privilege
 * {@link ManagedPolicyRole}, an encrypted log group with retention, Node 24, 256 MB, reserved concurrency 1 (one
 * decision at a time; none with `noReservedConcurrencyReason`), an optional VPC with scoped network-interface permissions and, for asynchronous functions, a
 * KMS-encrypted SSL-only dead-letter queue (2 retries, 6 hours) whose visible messages raise an alarm on a topic;
 * with the cdk-nag acknowledgements these choices need.
 *
 * Not a construct of its own: the function gets the id given and every other resource its fixed id, all directly in
 * `scope`, so the building blocks keep the construct ids (and logical ids) they always had:
 * `<logGroupId>`, `Role`, `DeadLetterQueue`, `DeadLetterAlarm`, `AlarmTopic`.
 */
export class GuardedFunction {
  /** The function. */
  public readonly function: lambda.Function;
  /** Its execution role (grants land in customer-managed policies). */
  public readonly role: ManagedPolicyRole;
  /** Its encrypted log group. */
  public readonly logGroup: logs.LogGroup;
  /** The dead-letter queue, with `deadLetter`. */
  public readonly deadLetterQueue?: sqs.Queue;
  /** The alarm on messages in the dead-letter queue, with `deadLetter`. */
  public readonly deadLetterAlarm?: cloudwatch.Alarm;
  /** The topic the dead-letter alarm notifies, with `deadLetter`. */
  public readonly alarmTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: GuardedFunctionProps) {
    if (!props.deadLetter && props.noDeadLetterReason === undefined) {
      throw new Error('GuardedFunction needs deadLetter or noDeadLetterReason, got neither');
    }
    checkVpcPlacement(scope, props);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const key = props.encryptionKey;

    if (props.deadLetter) {
      this.deadLetterQueue = new sqs.Queue(scope, 'DeadLetterQueue', {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: key,
        dataKeyReuse: Duration.hours(1),
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        removalPolicy,
      });
      Validations.of(this.deadLetterQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: 'this queue is itself the dead-letter queue of the function and of the EventBridge rule targets that invoke it',
      });
    }

    this.logGroup = new logs.LogGroup(scope, props.logGroupId ?? 'LogGroup', {
      encryptionKey: key,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });

    this.role = new ManagedPolicyRole(scope, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.roleDescription,
    });
    this.grantGuardPermissions(props);

    this.function = new lambda.Function(scope, id, {
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: props.architecture,
      code: handlerCode(props.handlerName),
      handler: 'index.handler',
      role: this.role,
      memorySize: 256,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.noReservedConcurrencyReason === undefined ? 1 : undefined,
      logGroup: this.logGroup,
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: props.deadLetter ? 2 : undefined,
      maxEventAge: props.deadLetter ? Duration.hours(6) : undefined,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      environment: props.environment,
    });
    // The role's policies (network interfaces, logs) exist before Lambda validates and first runs the function.
    this.function.node.addDependency(this.role);

    if (!props.vpc) {
      Validations.of(this.function).acknowledge({ id: 'NIST.800.53.R5-LambdaInsideVPC', reason: props.outsideVpcReason });
    }
    if (props.noReservedConcurrencyReason !== undefined) {
      Validations.of(this.function).acknowledge({ id: 'NIST.800.53.R5-LambdaConcurrency', reason: props.noReservedConcurrencyReason });
    }
    if (props.deadLetter) {
      this.alarmTopic = props.deadLetter.alarmTopic ?? createAlarmTopic(scope, 'AlarmTopic', key, props.deadLetter.topicDisplayName);
      this.deadLetterAlarm = new cloudwatch.Alarm(scope, 'DeadLetterAlarm', {
        alarmDescription: props.deadLetter.alarmDescription,
        metric: this.deadLetterQueue!.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.deadLetterAlarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));
    } else {
      Validations.of(this.function).acknowledge({ id: 'NIST.800.53.R5-LambdaDLQ', reason: props.noDeadLetterReason! });
    }
  }

  /** Writing its own logs, encrypting dead letters, and Lambda's network interfaces in a VPC. */
  private grantGuardPermissions(props: GuardedFunctionProps): void {
    const role = this.role;
    this.logGroup.grantWrite(role);
    if (props.deadLetter) {
      // Lambda sends failed asynchronous invocations to the encrypted queue with the function's role.
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'SendFailedEventsToDeadLetterQueue',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.encryptionKey.keyArn],
      }));
    }
    if (props.vpc) {
      const networkInterfaces = new iam.PolicyStatement({
        sid: 'ManageFunctionNetworkInterfaces',
        actions: [
          'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      });
      role.addToPrincipalPolicy(networkInterfaces);
      acknowledgeWildcards(role, networkInterfaces,
        'Lambda manages the function\'s VPC network interfaces with the execution role; EC2 Describe* and network-interface actions support no resource-level permissions');
    }
  }
}
