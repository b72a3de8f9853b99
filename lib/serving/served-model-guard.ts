import { CustomResource, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ModelEndpoint } from './model-endpoint';
import { GuardedFunction } from '../private/guarded-function';
import { acknowledgeWildcards } from '../private/nag-acknowledgements';
import { allowCloudWatchLogsToUseKey } from '../private/service-key-policy';
import { isUnresolved } from '../private/validate';
import { checkModelPackageArn } from '../registry/model-package-arn';

/** Properties of a {@link ServedModelGuard}. */
export interface ServedModelGuardProps {
  /**
   * The versioned model package the stack serves (`arn:...:model-package/<group>/<version>`), possibly in another
   * account (a registry shared with this account).
   */
  readonly modelPackageArn: string;

  /**
   * KMS key of the guard's log group.
   * @default - a key with yearly rotation is created (retained)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long the guard's logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the created key and log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A deploy-time guard of the model a stack serves: a custom resource (`Custom::ServedModelGuard`) whose Lambda runs
 * whenever the model package ARN in the template changes, before the endpoint's models do (see {@link protect}), and
 * fails the CloudFormation operation with one line saying why when
 *
 * - the model package is not `Approved` in its registry, or
 * - it is an older version of the same group than the package the stack serves now while that newer package is still
 *   `Approved` (so a later deployment by any pipeline, or a plain `cdk deploy`, never puts back an older model than the
 *   one just approved; reject the newer version to roll back on purpose).
 *
 * It never fails a rollback (it succeeds at once while the stack is `*_ROLLBACK_IN_PROGRESS`) or a delete. Its role may
 * describe the packages of that model package group only (in whichever account the registry is, with the registry's
 * resource policy sharing it) and describe this stack only.
 *
 * @example
 * const guard = new ServedModelGuard(this, 'ModelGuard', { modelPackageArn });
 * guard.protect(endpoint);
 */
export class ServedModelGuard extends Construct {
  /** The custom resource (its `ModelPackageArn` property is what is checked). */
  public readonly resource: CustomResource;
  /** The guard's function. */
  public readonly function: lambda.Function;
  /** The function's execution role. */
  public readonly role: iam.IRole;
  /** The function's encrypted log group. */
  public readonly logGroup: logs.LogGroup;
  /** The model package the guard checks. */
  public readonly modelPackageArn: string;

  constructor(scope: Construct, id: string, props: ServedModelGuardProps) {
    super(scope, id);
    checkModelPackageArn(this, 'modelPackageArn', props.modelPackageArn);
    this.modelPackageArn = props.modelPackageArn;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const stack = Stack.of(this);

    const key = props.encryptionKey ?? new kms.Key(this, 'LogKey', {
      description: `Encrypts the logs of the served-model guard of ${stack.stackName}`,
      enableKeyRotation: true,
      removalPolicy,
    });
    allowCloudWatchLogsToUseKey(key, 'CloudWatchLogsEncryptsGuardLogs');
    const guarded = new GuardedFunction(this, 'Function', {
      handlerName: 'served-model-guard',
      description: `Refuses to deploy a model package to ${stack.stackName} that is not Approved or older than the approved one it serves`,
      roleDescription: `Reads the approval status of the model packages ${stack.stackName} serves, and the stack's status`,
      timeout: Duration.minutes(2),
      encryptionKey: key,
      logGroupId: 'Logs',
      logRetention: props.logRetention,
      removalPolicy,
      environment: {},
      outsideVpcReason: 'calls only the SageMaker and CloudFormation control-plane APIs (DescribeModelPackage, DescribeStacks) during deployments; it reaches no resource in a VPC',
      noDeadLetterReason: 'CloudFormation invokes the guard and waits for its answer (at most the custom resource service timeout): an invocation that never answers fails the deployment, so no event is lost silently',
      noReservedConcurrencyReason: 'the guard runs once per deployment of its stack; reserving concurrency would take from the account\'s unreserved pool, which Lambda refuses to lower below its minimum in new accounts',
    });
    this.function = guarded.function;
    this.role = guarded.role;
    this.logGroup = guarded.logGroup;

    const readPackages = new iam.PolicyStatement({
      sid: 'ReadApprovalOfServedModelPackages',
      actions: ['sagemaker:DescribeModelPackage'],
      resources: [modelPackageGroupPattern(props.modelPackageArn)],
    });
    this.role.addToPrincipalPolicy(readPackages);
    acknowledgeWildcards(this.role, readPackages,
      'the guard compares the package being deployed with the one the stack serves: both are versions of this one model package group, whose version numbers are known only at deploy time');
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadOwnStackStatus',
      actions: ['cloudformation:DescribeStacks'],
      resources: [stack.stackId],
    }));

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::ServedModelGuard',
      properties: { ModelPackageArn: props.modelPackageArn },
      // A handler that never answers fails the deployment after 5 minutes instead of CloudFormation's hour.
      serviceTimeout: Duration.minutes(5),
    });
  }

  /**
   * Makes every model of the endpoint (production and shadow variants) wait for the guard, so no model or endpoint
   * change starts before the guard has passed.
   */
  public protect(endpoint: ModelEndpoint): void {
    for (const model of Object.values(endpoint.models)) model.node.addDependency(this.resource);
  }
}

/**
 * `arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/*`: the versions of the package's group (built
 * with CloudFormation functions when the ARN is a token).
 */
function modelPackageGroupPattern(arn: string): string {
  if (!isUnresolved(arn)) return `${arn.slice(0, arn.lastIndexOf('/'))}/*`;
  const parts = Fn.split('/', arn);
  return Fn.join('/', [Fn.select(0, parts), Fn.select(1, parts), '*']);
}
