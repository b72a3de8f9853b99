import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { createProviderRuntime } from '../../private/provider-runtime';

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
    const runtime = createProviderRuntime(this, 'model package baselines reader', 'Reads the drift-check baselines of deployed model packages (DescribeModelPackage) at deploy time');
    this.role = runtime.role;
    this.logGroup = runtime.logGroup;
  }
}
