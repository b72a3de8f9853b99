import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * An alarm topic: encrypted with `key`, SSL-only, and published to by CloudWatch alarms of this account. The topic
 * policy must say so: `enforceSSL` replaces SNS's default policy, which would otherwise let the alarms publish.
 */
export function createAlarmTopic(scope: Construct, id: string, key: kms.IKey, displayName?: string): sns.Topic {
  const topic = new sns.Topic(scope, id, { displayName, masterKey: key, enforceSSL: true });
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudWatchAlarmsOfThisAccountPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
  }));
  return topic;
}
