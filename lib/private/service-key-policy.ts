import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

// Key-policy statements that let AWS services use a construct's KMS key, each limited to the key's account (and
// region where the service is regional). Every function adds to the key's own policy, so it has no effect on an
// imported key: that key's policy is managed elsewhere and must allow the same.

/**
 * Lets CloudWatch Logs of the key's region encrypt log groups of the key's account and region with the key: the
 * statement the CloudWatch Logs guide documents, limited by the `aws:logs:arn` encryption context.
 *
 * @param key the key whose policy gets the statement
 * @param sid statement id, unique in the key's policy
 */
export function allowCloudWatchLogsToUseKey(key: kms.IKey, sid: string): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid,
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
          service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    },
  }));
}

/**
 * Lets a service that sends messages into resources encrypted with the key (EventBridge into a dead-letter queue,
 * CloudWatch alarms into an SNS topic) decrypt and generate data keys, only on behalf of the key's account
 * (`aws:SourceAccount`).
 *
 * @param key the key whose policy gets the statement
 * @param sid statement id, unique in the key's policy
 * @param service the service principal, e.g. `events.amazonaws.com` or `cloudwatch.amazonaws.com`
 */
export function allowServiceOfThisAccountToUseKey(key: kms.IKey, sid: string, service: string): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid,
    principals: [new iam.ServicePrincipal(service)],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(key).account } },
  }));
}

/**
 * Lets CloudTrail encrypt the log files of trails of the key's account (any region) and describe the key: the two
 * statements the CloudTrail guide documents (`CloudTrailEncryptsLogFiles`, `CloudTrailDescribesKey`).
 *
 * @param key the key whose policy gets the statements
 */
export function allowCloudTrailToUseKey(key: kms.IKey): void {
  const stack = Stack.of(key);
  const trailArns = stack.formatArn({ service: 'cloudtrail', region: '*', resource: 'trail', resourceName: '*' });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudTrailEncryptsLogFiles',
    principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
    actions: ['kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: {
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailArns },
      StringEquals: { 'aws:SourceAccount': stack.account },
    },
  }));
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudTrailDescribesKey',
    principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
    actions: ['kms:DescribeKey'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
  }));
}
