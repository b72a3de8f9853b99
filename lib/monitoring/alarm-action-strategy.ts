import { RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { createAlarmTopic } from '../private/alarm-topic';
import { allowServiceOfThisAccountToUseKey } from '../private/service-key-policy';
import { checkEmail, checkExclusive } from '../private/validate';
import { displayPath } from '../private/display-path';

/**
 * What happens when an alarm changes state: one strategy for every alarm of a platform, instead of per-alarm code
 * (cdk-monitoring-constructs style). Implement it to page, open tickets or call a Lambda.
 */
export interface IAlarmActionStrategy {
  /** Adds this strategy's actions to one alarm. */
  addActions(alarm: cloudwatch.Alarm): void;
}

/** Properties of {@link SnsAlarmActionStrategy}. */
export interface SnsAlarmActionStrategyProps {
  /**
   * Topic to notify. Give one to share a topic between platforms.
   * @default - a topic encrypted with a customer-managed KMS key, SSL-only
   */
  readonly topic?: sns.ITopic;
  /**
   * KMS key of the created topic.
   * @default - a key with yearly rotation is created (retained)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * E-mail address subscribed to the created topic (the owner confirms the subscription).
   * @default - no subscription
   */
  readonly email?: string;
  /**
   * Notify also when an alarm returns to OK.
   * @default true
   */
  readonly notifyOnOk?: boolean;
}

/**
 * Alarm actions through an SNS topic: every alarm notifies the topic when it fires (and when it recovers).
 *
 * Secure defaults: a customer-managed KMS key that CloudWatch may use for this topic only, SSL-only publishing.
 *
 * @example
 * const actions = new SnsAlarmActionStrategy(this, 'OnCall', { email: 'ml-oncall@example.com' });
 * new EndpointAlarms(this, 'Alarms', { endpoint, monitor, actionStrategy: actions });
 */
export class SnsAlarmActionStrategy extends Construct implements IAlarmActionStrategy {
  /** The topic alarms notify. */
  public readonly topic: sns.ITopic;
  /** KMS key of the topic, when it was created here. */
  public readonly encryptionKey?: kms.IKey;
  private readonly notifyOnOk: boolean;

  constructor(scope: Construct, id: string, props: SnsAlarmActionStrategyProps = {}) {
    super(scope, id);
    checkEmail(this, 'email', props.email);
    checkExclusive(this, ['topic', 'encryptionKey'], [props.topic, props.encryptionKey]);
    checkExclusive(this, ['topic', 'email'], [props.topic, props.email]);
    this.notifyOnOk = props.notifyOnOk ?? true;
    if (props.topic) {
      this.topic = props.topic;
    } else {
      const key = props.encryptionKey ?? new kms.Key(this, 'Key', {
        description: `Encrypts the alarm notifications of ${displayPath(this)}`,
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      this.encryptionKey = key;
      const topic = createAlarmTopic(this, 'Topic', key);
      // CloudWatch publishes alarm notifications to the encrypted topic with this key, for alarms of this account only.
      allowServiceOfThisAccountToUseKey(key, 'CloudWatchAlarmsPublishToTopic', 'cloudwatch.amazonaws.com');
      if (props.email) topic.addSubscription(new subscriptions.EmailSubscription(props.email));
      this.topic = topic;
    }
  }

  /** Notifies the topic when the alarm fires and, with `notifyOnOk`, when it recovers. */
  public addActions(alarm: cloudwatch.Alarm): void {
    const action = new cw_actions.SnsAction(this.topic);
    alarm.addAlarmAction(action);
    if (this.notifyOnOk) alarm.addOkAction(action);
  }
}
