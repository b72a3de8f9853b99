import { Annotations, Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { checkVpcPlacement, GuardedFunction } from '../private/guarded-function';
import { scheduleFromExpression } from '../private/schedule-expression';
import { allowCloudWatchLogsToUseKey, allowServiceOfThisAccountToUseKey } from '../private/service-key-policy';
import { checkExclusive, invalid, isUnresolved } from '../private/validate';
import { displayPath } from '../private/display-path';
import { LambdaRuleTarget } from '../private/lambda-rule-target';

/** SageMaker pipeline parameter names: 1-256 of `[A-Za-z0-9_-]`. */
const PARAMETER_NAME = /^[A-Za-z0-9\-_]{1,256}$/;
/** Longest cool-down accepted. */
const MAX_COOLDOWN_DAYS = 365;

/**
 * Properties of a {@link RetrainingTrigger}.
 */
export interface RetrainingTriggerProps {
  /** The training pipeline to start (any `sagemaker.IPipeline`, e.g. the platform's `TrainingPipeline`). */
  readonly pipeline: sagemaker.IPipeline;

  /**
   * Drift and model-quality alarms: each one entering ALARM asks for a retraining. More can be added with
   * {@link RetrainingTrigger.addAlarm}.
   * @default - no alarm (then a schedule is needed)
   */
  readonly alarms?: cloudwatch.IAlarm[];

  /**
   * Retrain on a schedule as well, e.g. `events.Schedule.rate(Duration.days(7))`.
   * @default - no schedule
   */
  readonly schedule?: events.Schedule;

  /**
   * The schedule as an EventBridge expression string (`rate(7 days)`, `cron(0 3 ? * SUN *)`), checked at synth.
   * Give `schedule` or `scheduleExpression`, not both.
   * @default - no schedule
   */
  readonly scheduleExpression?: string;

  /**
   * No new execution until this long after the last one started (debounce: a flapping alarm retrains once).
   * `Duration.seconds(0)` turns the cool-down off; a running execution still blocks a second one.
   * @default Duration.hours(24)
   */
  readonly cooldown?: Duration;

  /**
   * Name of the String pipeline parameter that receives the reason: a summary of at most 256 characters of letters,
   * numbers, spaces and `_.:/=+-@` (`alarm:<name> metric=<metric name> value=... threshold=... time=...` or
   * `schedule time=...`), so the pipeline may register it as model package metadata (`CustomerMetadataProperties`
   * allows no more); the full alarm name, metric and CloudWatch's reason go into the execution description (up to
   * 3,072 characters). The pipeline must declare the parameter. Set to `''` to pass the reason only as the execution
   * description (then `alarmParameterName` defaults to `''` too).
   * @default 'TriggerReason'
   */
  readonly reasonParameterName?: string;

  /**
   * Name of the String pipeline parameter that receives the alarm name (`none` for a schedule), within the same
   * limits as the reason (characters outside them become `-`). The pipeline must declare it. Set to `''` not to
   * pass it.
   * @default 'TriggerAlarm' ('' when `reasonParameterName` is '')
   */
  readonly alarmParameterName?: string;

  /**
   * KMS key that encrypts the dead-letter queue, the log group and the created alarm topic. A key you give must
   * allow `logs.<region>.amazonaws.com`, `events.amazonaws.com` and `cloudwatch.amazonaws.com` to use it.
   * @default - a key with yearly rotation is created (retained)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long the function's decision logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Topic the dead-letter alarm notifies (subscribe the on-call to it).
   * @default - a KMS-encrypted, SSL-only topic is created
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * VPC to run the function in. It calls only the SageMaker API: the VPC needs a SageMaker API interface endpoint
   * (`com.amazonaws.<region>.sagemaker.api`) or a NAT gateway.
   * @default - the function runs outside a VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of `vpc` for the function (only with `vpc`).
   * @default - the private subnets of `vpc`
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the function in `vpc` (only with `vpc`).
   * @default - a group allowing outbound HTTPS only
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * What happens to the key, log group and dead-letter queue when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Level-3 retraining trigger: drift and model-quality alarms entering ALARM, and an optional schedule, start the
 * training pipeline through EventBridge and a Lambda function that debounces them.
 *
 * The function starts no execution while one is Executing or Stopping, none within `cooldown` of the last start,
 * and passes the reason (alarm, metric, value, time, or schedule) as pipeline parameters and as the execution
 * description, so the audit trail says why each model was retrained. Re-delivered events reuse their
 * `ClientRequestToken`, throttling is retried with backoff, reserved concurrency 1 keeps two alarms from racing,
 * and an event that still fails lands in a KMS-encrypted dead-letter queue whose alarm notifies `alarmTopic`.
 *
 * @example
 * const trigger = new RetrainingTrigger(this, 'Retraining', {
 *   pipeline: trainingPipeline,
 *   alarms: [driftAlarm, modelQualityAlarm],
 *   schedule: events.Schedule.rate(Duration.days(7)),
 *   cooldown: Duration.hours(12),
 * });
 */
export class RetrainingTrigger extends Construct {
  /** The function that decides and starts the pipeline. */
  public readonly handler: lambda.Function;
  /** Receives the events that could not be handled (EventBridge delivery or function failure), KMS-encrypted. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Alarm on messages in the dead-letter queue (a retraining request was lost). */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** The topic the dead-letter alarm notifies. */
  public readonly alarmTopic: sns.ITopic;
  /** EventBridge rules that invoke the function: the alarm rule (when alarms are given) and the schedule rule. */
  public readonly rules: events.Rule[] = [];
  /** The function's log group (encrypted, with retention). */
  public readonly logGroup: logs.LogGroup;
  /** The key that encrypts the queue, log group and created topic. */
  public readonly encryptionKey: kms.IKey;
  /** The function's role (least privilege: list and start executions of this pipeline only). */
  public readonly role: iam.IRole;

  private readonly pipeline: sagemaker.IPipeline;
  private alarmRule?: events.Rule;

  constructor(scope: Construct, id: string, props: RetrainingTriggerProps) {
    super(scope, id);
    checkExclusive(this, ['schedule', 'scheduleExpression'], [props.schedule, props.scheduleExpression]);
    checkVpcPlacement(this, props);
    const schedule = props.scheduleExpression !== undefined
      ? scheduleFromExpression(this, 'scheduleExpression', props.scheduleExpression)
      : props.schedule;
    const cooldownSeconds = checkCooldown(this, props.cooldown);
    const reasonParameterName = checkParameterName(this, 'reasonParameterName', props.reasonParameterName, 'TriggerReason');
    const alarmParameterName = checkParameterName(this, 'alarmParameterName', props.alarmParameterName, reasonParameterName === '' ? '' : 'TriggerAlarm');
    if (reasonParameterName !== '' && reasonParameterName === alarmParameterName) {
      invalid(this, 'alarmParameterName', `different from reasonParameterName`, alarmParameterName);
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (removalPolicy !== RemovalPolicy.RETAIN) {
      Annotations.of(this).addWarningV2('cdk-mlops-maturity:retrainingTriggerNotRetained',
        `removalPolicy is ${removalPolicy}: the trigger's key, decision logs and dead-letter queue can be deleted with the stack`);
    }
    this.pipeline = props.pipeline;

    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
      description: `Encrypts the dead-letter queue, logs and alarm topic of the retraining trigger ${displayPath(this)}`,
      enableKeyRotation: true,
      removalPolicy,
    });
    // The services that write into the encrypted resources: the function's log group, the rule targets'
    // dead-letter queue, alarms publishing to the encrypted topic.
    allowCloudWatchLogsToUseKey(this.encryptionKey, 'CloudWatchLogsEncryptsLogGroups');
    allowServiceOfThisAccountToUseKey(this.encryptionKey, 'EventBridgeSendsToDeadLetterQueue', 'events.amazonaws.com');
    allowServiceOfThisAccountToUseKey(this.encryptionKey, 'CloudWatchAlarmsPublishToTopic', 'cloudwatch.amazonaws.com');

    const guarded = new GuardedFunction(this, 'Handler', {
      handlerName: 'retrain',
      description: 'Starts the training pipeline on drift/quality alarms and schedule, debounced (running, cool-down)',
      roleDescription: `Starts the training pipeline for the retraining trigger ${displayPath(this)}`,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.minutes(2),
      encryptionKey: this.encryptionKey,
      logRetention: props.logRetention,
      removalPolicy,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.vpc ? props.securityGroups ?? [this.createSecurityGroup(props.vpc)] : undefined,
      environment: {
        PIPELINE_NAME: props.pipeline.pipelineName,
        COOLDOWN_SECONDS: String(cooldownSeconds),
        REASON_PARAMETER_NAME: reasonParameterName,
        ALARM_PARAMETER_NAME: alarmParameterName,
        SDK_MAX_ATTEMPTS: '5',
      },
      outsideVpcReason: 'The retraining function only calls the SageMaker API (ListPipelineExecutions, StartPipelineExecution) over TLS with IAM auth, reads no data and accepts no inbound traffic; pass `vpc` to run it in the platform VPC',
      deadLetter: {
        alarmDescription: `A retraining request for pipeline ${props.pipeline.pipelineName} failed and is in the dead-letter queue of ${displayPath(this)}`,
        alarmTopic: props.alarmTopic,
        topicDisplayName: 'Retraining trigger alarms',
      },
    });
    this.handler = guarded.function;
    this.role = guarded.role;
    this.logGroup = guarded.logGroup;
    this.deadLetterQueue = guarded.deadLetterQueue!;
    this.deadLetterAlarm = guarded.deadLetterAlarm!;
    this.alarmTopic = guarded.alarmTopic!;
    this.grantHandlerPermissions(guarded.role);

    (props.alarms ?? []).forEach((alarm) => this.addAlarm(alarm));
    if (schedule) {
      const rule = new events.Rule(this, 'ScheduleRule', {
        description: `Retrains ${props.pipeline.pipelineName} on schedule (debounced by ${displayPath(this)})`,
        schedule,
      });
      rule.addTarget(this.target());
      this.rules.push(rule);
    }

    this.node.addValidation({
      validate: () => this.rules.length === 0
        ? ['RetrainingTrigger needs alarms or a schedule (alarms, schedule or scheduleExpression), got none: nothing would ever start the pipeline']
        : [],
    });
  }

  /** Adds an alarm whose transition to ALARM asks for a retraining. */
  public addAlarm(alarm: cloudwatch.IAlarm): void {
    if (!this.alarmRule) {
      this.alarmRule = new events.Rule(this, 'AlarmRule', {
        description: `Retrains ${this.pipeline.pipelineName} when a drift or model-quality alarm enters ALARM (debounced by ${displayPath(this)})`,
        eventPattern: {
          source: ['aws.cloudwatch'],
          detailType: ['CloudWatch Alarm State Change'],
          resources: [alarm.alarmArn],
          detail: { state: { value: ['ALARM'] } },
        },
      });
      this.alarmRule.addTarget(this.target());
      this.rules.unshift(this.alarmRule);
      return;
    }
    this.alarmRule.addEventPattern({ resources: [alarm.alarmArn] });
  }

  /** Metric: failed retraining requests waiting in the dead-letter queue. */
  public metricDeadLetterMessages(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible(props);
  }

  private target(): LambdaRuleTarget {
    return new LambdaRuleTarget(this.handler, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 8,
      maxEventAge: Duration.hours(6),
    });
  }

  private grantHandlerPermissions(role: iam.IRole): void {
    this.pipeline.grantStartPipelineExecution(role);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadExecutionsOfThisPipeline',
      actions: ['sagemaker:ListPipelineExecutions'],
      resources: [this.pipeline.pipelineArn],
    }));
  }

  private createSecurityGroup(vpc: ec2.IVpc): ec2.SecurityGroup {
    const group = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'Retraining trigger function: outbound HTTPS to the SageMaker API only',
      allowAllOutbound: false,
    });
    group.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443), 'SageMaker API interface endpoint');
    group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'SageMaker API through NAT when no endpoint');
    return group;
  }
}

function checkCooldown(scope: Construct, cooldown: Duration | undefined): number {
  if (cooldown === undefined) return 24 * 3600;
  if (cooldown.isUnresolved()) {
    return cooldown.toSeconds();
  }
  const seconds = cooldown.toSeconds();
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_COOLDOWN_DAYS * 86400) {
    invalid(scope, 'cooldown', `a whole number of seconds from 0 to ${MAX_COOLDOWN_DAYS} days`, cooldown.toHumanString());
  }
  return seconds;
}

function checkParameterName(scope: Construct, name: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (value === '' || isUnresolved(value) || Token.isUnresolved(value)) return value;
  if (!PARAMETER_NAME.test(value)) invalid(scope, name, "a SageMaker pipeline parameter name (1-256 of A-Z a-z 0-9 '_' '-') or '' for none", value);
  return value;
}
