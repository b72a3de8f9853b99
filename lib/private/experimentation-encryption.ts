import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Lets the services that write into the champion/challenger approval's encrypted resources use its key, each only
 * for this account: CloudWatch Logs (the function's log group, by encryption context), EventBridge (the rule
 * target's dead-letter queue) and CloudWatch (the alarm publishing to the encrypted topic).
 *
 * No effect on an imported key: its policy is managed elsewhere and must allow the same.
 */
export function allowApprovalServicesToUseKey(key: kms.IKey): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudWatchLogsEncryptsApprovalLogs',
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
  const services: Array<[string, string]> = [
    ['EventBridgeDeadLettersApprovalEvents', 'events.amazonaws.com'],
    ['CloudWatchAlarmsPublishApprovalAlarms', 'cloudwatch.amazonaws.com'],
  ];
  for (const [sid, service] of services) {
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid,
      principals: [new iam.ServicePrincipal(service)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));
  }
}
