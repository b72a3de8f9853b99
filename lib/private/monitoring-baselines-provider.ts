import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from './managed-policy-role';

/** Stack-level id of the shared provider pieces (one per stack, like the AwsCustomResource singleton Lambda). */
const PROVIDER_ID = 'ModelPackageBaselinesProvider';

/**
 * What the `AwsCustomResource` Lambda of {@link ModelPackageBaselines} runs with: a role whose permissions are
 * customer-managed policies (no AWS managed policy, no inline policy) and a KMS-encrypted, retained log group.
 * One per stack, because the AwsCustomResource provider Lambda is a singleton in its stack.
 */
export class ModelPackageBaselinesProvider extends Construct {
  /** The shared provider of the stack of `scope`, created on first use. */
  public static of(scope: Construct): ModelPackageBaselinesProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(PROVIDER_ID) as ModelPackageBaselinesProvider | undefined;
    return existing ?? new ModelPackageBaselinesProvider(stack, PROVIDER_ID);
  }

  /** Execution role of the provider Lambda. */
  public readonly role: iam.Role;
  /** Log group of the provider Lambda. */
  public readonly logGroup: logs.LogGroup;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    const key = new kms.Key(this, 'LogKey', {
      description: `Encrypts the logs of the model package baselines reader in ${stack.stackName}`,
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
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: key,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Reads the drift-check baselines of deployed model packages (DescribeModelPackage) at deploy time',
      maxSessionDuration: Duration.hours(1),
    });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [this.logGroup.logGroupArn],
    }));
  }
}
