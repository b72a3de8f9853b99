import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from './managed-policy-role';

/** What a CDK singleton provider Lambda (AwsCustomResource, BucketDeployment) of this library runs with. */
export interface ProviderRuntime {
  /** Execution role: customer-managed policies only (no AWS managed policy, no inline policy). */
  readonly role: iam.Role;
  /** KMS-encrypted, retained log group with a one-year retention. */
  readonly logGroup: logs.LogGroup;
}

/**
 * Creates, inside `scope` (one provider construct per stack), the log key (`LogKey`), log group (`Logs`) and role
 * (`Role`) a provider Lambda runs with; the role may write to the log group only.
 */
export function createProviderRuntime(scope: Construct, logsOf: string, roleDescription: string): ProviderRuntime {
  const stack = Stack.of(scope);
  const key = new kms.Key(scope, 'LogKey', {
    description: `Encrypts the logs of the ${logsOf} in ${stack.stackName}`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.${stack.urlSuffix}`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    },
  }));
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    encryptionKey: key,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const role = new ManagedPolicyRole(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: roleDescription,
    maxSessionDuration: Duration.hours(1),
  });
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [logGroup.logGroupArn],
  }));
  return { role, logGroup };
}
