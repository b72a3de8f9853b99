import { Annotations, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../handlers/champion-challenger/settings';
import { checkFinite, checkKeyPrefix, checkMetricName, checkMetricNames, checkNonNegative } from './private/validate';
import { checkVpcPlacement, GuardedFunction } from '../private/guarded-function';
import { acknowledgeWildcards } from '../private/nag-acknowledgements';
import { allowCloudWatchLogsToUseKey, allowServiceOfThisAccountToUseKey } from '../private/service-key-policy';
import { invalid, isUnresolved } from '../private/validate';
import { ModelRegistry } from '../registry/model-registry';
import { IModelRegistry } from '../core/model-registry-interface';
import { displayPath } from '../private/display-path';
import { LambdaRuleTarget } from '../private/lambda-rule-target';

/**
 * Properties of a {@link ChampionChallengerApproval}.
 */
export interface ChampionChallengerApprovalProps {
  /** The model registry whose newly registered model packages are judged. */
  readonly registry: IModelRegistry;

  /**
   * Bucket holding the evaluation reports the model packages point at (`ModelMetrics.ModelQuality.Statistics`).
   * The function may read them (and decrypt them with the bucket's key, when the bucket knows it); a report
   * anywhere else rejects the challenger.
   */
  readonly reportsBucket: s3.IBucket;

  /**
   * Key prefix the evaluation reports live under; read access is limited to it.
   * @default - any key of `reportsBucket`
   */
  readonly reportsKeyPrefix?: string;

  /**
   * Metric of the evaluation report that decides promotion.
   * @default 'accuracy'
   */
  readonly promotionMetric?: string;

  /**
   * How much the challenger must beat the champion by on `promotionMetric` (absolute difference). With 0 the
   * challenger must still be strictly better: a tie never replaces the champion.
   * @default 0.01
   */
  readonly promotionMargin?: number;

  /**
   * Whether a larger value of the metrics is better (accuracy, precision) or a smaller one (rmse, log loss).
   * Applies to `promotionMetric` and `guardMetrics`.
   * @default true
   */
  readonly higherIsBetter?: boolean;

  /**
   * Metrics on which the challenger may never be worse than the champion (beyond `guardMetricTolerance`), even
   * when it wins on `promotionMetric`. They are compared in the direction of `higherIsBetter`.
   * @default ['precision', 'recall'] when higherIsBetter, none otherwise
   */
  readonly guardMetrics?: string[];

  /**
   * How much worse than the champion a guard metric may be.
   * @default 0
   */
  readonly guardMetricTolerance?: number;

  /**
   * The bar the first model (no approved champion yet) must clear on `promotionMetric`: at least this value when
   * `higherIsBetter`, at most this value otherwise. Required when `higherIsBetter` is false.
   * @default 0.7 when higherIsBetter
   */
  readonly minimumValue?: number;

  /**
   * Customer-managed key encrypting the dead-letter queue, the log group and the alarm topic. A key you pass must
   * already allow CloudWatch Logs, EventBridge and CloudWatch alarms to use it.
   * @default - a key with rotation is created (retained)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long the function's logs (one JSON line per decision) are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Topic the dead-letter alarm notifies.
   * @default - a topic encrypted with `encryptionKey` is created
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * VPC to run the function in. It needs a route to the SageMaker API and to S3 (NAT or VPC endpoints).
   * @default - not in a VPC: the function only calls the SageMaker and S3 APIs
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of `vpc` for the function.
   * @default - the private subnets of `vpc`
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/** Defaults of the comparison, shared by the docs above and the construct. */
const DEFAULTS = {
  promotionMetric: 'accuracy',
  promotionMargin: 0.01,
  guardMetrics: ['precision', 'recall'],
  guardMetricTolerance: 0,
  minimumValue: 0.7,
};

function envNumber(value: number): string {
  return isUnresolved(value) ? Token.asString(value) : String(value);
}

/**
 * Champion/challenger approval (maturity level 4): approves a newly registered model by itself when it is better
 * than the model in production, and rejects it otherwise.
 *
 * When a model package is registered in the group (`PendingManualApproval`), a Lambda function reads the
 * challenger's evaluation report and the champion's (the newest Approved package of the group) and approves the
 * challenger only when it beats the champion by `promotionMargin` on `promotionMetric` and is not worse on any of
 * `guardMetrics`. The first model is approved when it clears `minimumValue`. Every decision is written to the
 * package's `ApprovalDescription` and logged as one JSON line. A challenger without an evaluation report is
 * rejected; when the champion has none, the challenger is left pending for a person (the description says why).
 *
 * Secure defaults: reserved concurrency 1 (two registrations can never both become champion), a least-privilege
 * role (approve and read this group, read the reports), a KMS-encrypted log group with retention, failed
 * invocations and undeliverable events to a KMS-encrypted dead-letter queue whose messages raise an alarm.
 *
 * @example
 * const approval = new ChampionChallengerApproval(this, 'ChampionChallenger', {
 *   registry,
 *   reportsBucket: artifacts.bucket,
 *   promotionMetric: 'accuracy',
 *   promotionMargin: 0.01,
 *   minimumValue: 0.7,
 * });
 */
export class ChampionChallengerApproval extends Construct {
  /** The function that compares and decides. */
  public readonly handler: lambda.Function;
  /** The EventBridge rule for model packages registered in the group. */
  public readonly rule: events.Rule;
  /** Failed invocations (after retries) and events that could not be delivered. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Alarm raised when the dead-letter queue holds a message. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** The topic the alarm notifies. */
  public readonly alarmTopic: sns.ITopic;
  /** The key encrypting the queue, the logs and the created topic. */
  public readonly encryptionKey: kms.IKey;
  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;
  /** The function's role. */
  public readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: ChampionChallengerApprovalProps) {
    super(scope, id);
    const higherIsBetter = props.higherIsBetter ?? true;
    checkMetricName(this, 'promotionMetric', props.promotionMetric);
    checkNonNegative(this, 'promotionMargin', props.promotionMargin);
    checkMetricNames(this, 'guardMetrics', props.guardMetrics);
    checkNonNegative(this, 'guardMetricTolerance', props.guardMetricTolerance);
    checkFinite(this, 'minimumValue', props.minimumValue);
    checkKeyPrefix(this, 'reportsKeyPrefix', props.reportsKeyPrefix);
    if (!higherIsBetter && props.minimumValue === undefined) {
      invalid(this, 'minimumValue', 'given when higherIsBetter is false (the ceiling the first model must stay under)', undefined);
    }
    checkVpcPlacement(this, props);
    const registry = this.registryInThisStack(props.registry);

    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
      description: `Encrypts the dead letters, logs and alarms of ${displayPath(this)}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The services that write into the encrypted resources: the function's log group, the rule target's
    // dead-letter queue, the alarm publishing to the encrypted topic.
    allowCloudWatchLogsToUseKey(this.encryptionKey, 'CloudWatchLogsEncryptsApprovalLogs');
    allowServiceOfThisAccountToUseKey(this.encryptionKey, 'EventBridgeDeadLettersApprovalEvents', 'events.amazonaws.com');
    allowServiceOfThisAccountToUseKey(this.encryptionKey, 'CloudWatchAlarmsPublishApprovalAlarms', 'cloudwatch.amazonaws.com');

    const guarded = new GuardedFunction(this, 'Handler', {
      handlerName: 'champion-challenger',
      description: `Approves or rejects model packages registered in ${registry.modelPackageGroupName} against the champion`,
      roleDescription: `Champion/challenger approval of model package group ${registry.modelPackageGroupName}`,
      timeout: Duration.minutes(2),
      encryptionKey: this.encryptionKey,
      logGroupId: 'Logs',
      logRetention: props.logRetention,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      environment: {
        [ENV.modelPackageGroupName]: registry.modelPackageGroupName,
        [ENV.reportsBucketName]: props.reportsBucket.bucketName,
        [ENV.reportsKeyPrefix]: props.reportsKeyPrefix ?? '',
        [ENV.promotionMetric]: props.promotionMetric ?? DEFAULTS.promotionMetric,
        [ENV.promotionMargin]: envNumber(props.promotionMargin ?? DEFAULTS.promotionMargin),
        [ENV.higherIsBetter]: String(higherIsBetter),
        [ENV.guardMetrics]: (props.guardMetrics ?? (higherIsBetter ? DEFAULTS.guardMetrics : [])).join(','),
        [ENV.guardMetricTolerance]: envNumber(props.guardMetricTolerance ?? DEFAULTS.guardMetricTolerance),
        [ENV.minimumValue]: envNumber(props.minimumValue ?? DEFAULTS.minimumValue),
      },
      outsideVpcReason: 'the approval function only calls the SageMaker and S3 APIs over TLS with IAM authorization and reaches no private resource; pass vpc to run it in one',
      deadLetter: {
        alarmDescription: `A model package registered in ${registry.modelPackageGroupName} could not be judged: see the dead-letter queue and the function's logs`,
        alarmTopic: props.alarmTopic,
        topicDisplayName: 'Champion/challenger approval alarms',
      },
    });
    this.handler = guarded.function;
    this.role = guarded.role;
    this.logGroup = guarded.logGroup;
    this.deadLetterQueue = guarded.deadLetterQueue!;
    this.deadLetterAlarm = guarded.deadLetterAlarm!;
    this.alarmTopic = guarded.alarmTopic!;
    this.grantPermissions(guarded.role, registry, props);

    this.rule = registry.onModelRegistered('ChampionChallengerRegistered', {
      description: `Judges model packages registered in ${registry.modelPackageGroupName} against the champion`,
      target: new LambdaRuleTarget(this.handler, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
      }),
    });
  }

  /**
   * The rule has to live beside the function: a rule in the registry's stack targeting a function in this one makes
   * the two stacks reference each other. A registry of another stack is imported here by name.
   */
  private registryInThisStack(registry: IModelRegistry): IModelRegistry {
    const here = Stack.of(this);
    const there = Stack.of(registry);
    if (here === there) return registry;
    if (!Token.isUnresolved(here.account) && !Token.isUnresolved(there.account)
      && (here.account !== there.account || here.region !== there.region)) {
      Annotations.of(this).addWarningV2('cdk-mlops-maturity:championChallengerOtherEnvironment',
        `registry is in ${there.account}/${there.region}, this approval in ${here.account}/${here.region}: SageMaker events of the group only reach rules in the registry's account and region`);
    }
    return ModelRegistry.fromModelRegistryName(this, 'Registry', registry.modelPackageGroupName);
  }

  private grantPermissions(role: iam.Role, registry: IModelRegistry, props: ChampionChallengerApprovalProps): void {
    registry.grantApprove(role);
    registry.grantRead(role);

    const reports = new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [props.reportsBucket.arnForObjects(`${props.reportsKeyPrefix ?? ''}*`)],
    });
    role.addToPrincipalPolicy(reports);
    // ListBucket, limited to the reports prefix, for the handler's existence check: a ListObjectsV2 with Prefix = the
    // report's key (that request carries the prefix, so the condition holds). The handler does not rely on S3 turning
    // a GetObject of a missing key into 404 rather than 403 (that depends on ListBucket without a prefix, which this
    // condition need not grant): not listed means missing, and a GetObject error after a listing is a real error.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [props.reportsBucket.bucketArn],
      conditions: props.reportsKeyPrefix ? { StringLike: { 's3:prefix': [`${props.reportsKeyPrefix}*`] } } : undefined,
    }));
    props.reportsBucket.encryptionKey?.grantDecrypt(role);

    acknowledgeWildcards(role, reports,
      'the evaluation reports are written per pipeline execution under the reports prefix; their keys are not known when the role is made');
    acknowledgeWildcards(role, new iam.PolicyStatement({ actions: ['sagemaker:UpdateModelPackage'], resources: [registry.modelPackageArnPattern] }),
      'the versions of this one model package group are created after deployment; the pattern is limited to the group');
    acknowledgeWildcards(role, new iam.PolicyStatement({ actions: ['sagemaker:ListModelPackages'], resources: ['*'] }),
      'SageMaker supports no resource-level permissions on ListModelPackages / ListModelPackageGroups: finding the champion needs them');
  }
}
