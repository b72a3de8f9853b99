import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Lets CloudTrail encrypt the log files of trails in this account and CloudWatch Logs encrypt log groups of this
 * account and region with the audit trail's key (the statements the CloudTrail and CloudWatch Logs guides
 * document). Has no effect on an imported key, whose policy must allow the same.
 */
export function allowAuditServicesToUseKey(key: kms.IKey): void {
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
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudWatchLogsEncryptsTrailLogGroup',
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
