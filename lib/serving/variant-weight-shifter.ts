import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { GuardedFunction } from '../private/guarded-function';
import { allowCloudWatchLogsToUseKey } from '../private/service-key-policy';
import { isUnresolved } from '../private/validate';

/**
 * Properties of a {@link VariantWeightShifter}.
 */
export interface VariantWeightShifterProps {
  /** The endpoint whose production variant weights the function shifts (a `ModelEndpoint` or any `sagemaker.IEndpoint`). */
  readonly endpoint: sagemaker.IEndpoint;

  /**
   * KMS key of the function's log group.
   * @default - a key with yearly rotation is created (retained)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * VPC to run the function in (it needs a route to the SageMaker API: a NAT gateway or a `sagemaker.api` interface endpoint).
   * @default - not in a VPC (it calls the SageMaker API only)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of `vpc`.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * What happens to the created key and log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A Lambda function that shifts live traffic between the production variants of one endpoint
 * (`UpdateEndpointWeightsAndCapacities`): promote a challenger step by step, or send everything back to the champion,
 * in seconds and without a redeploy. Its role may update and describe that endpoint only; one shift runs at a time
 * (reserved concurrency 1).
 *
 * Invoke it with `{ "variantName": "Challenger", "percent": 25 }` or `{ "weights": { "AllTraffic": 1, "Challenger": 0 } }`.
 * Set `retainAllVariantProperties` on the endpoint so a later deploy does not reset the weights it set.
 *
 * @example
 * const shifter = new VariantWeightShifter(this, 'Shifter', { endpoint });
 * shifter.function.grantInvoke(releaseManagerRole);
 */
export class VariantWeightShifter extends Construct {
  /** The function. */
  public readonly function: lambda.Function;
  /** Its execution role. */
  public readonly role: iam.IRole;
  /** Its encrypted log group. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: VariantWeightShifterProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const endpointName = props.endpoint.endpointName;

    const key = props.encryptionKey ?? new kms.Key(this, 'LogKey', {
      description: `Encrypts the logs of the variant weight shifter of ${isUnresolved(endpointName) ? 'an endpoint' : endpointName}`,
      enableKeyRotation: true,
      removalPolicy,
    });
    allowCloudWatchLogsToUseKey(key, 'CloudWatchLogsEncryptsShifterLogs');
    const guarded = new GuardedFunction(this, 'Function', {
      handlerName: 'shift-variant-weights',
      description: `Shifts traffic between the production variants of SageMaker endpoint ${isUnresolved(endpointName) ? '' : endpointName}`.trim(),
      roleDescription: `Shifts the variant weights of SageMaker endpoint ${isUnresolved(endpointName) ? '' : endpointName}`.trim(),
      timeout: Duration.seconds(30),
      encryptionKey: key,
      logGroupId: 'Logs',
      logRetention: props.logRetention,
      removalPolicy,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      environment: { ENDPOINT_NAME: endpointName },
      outsideVpcReason: 'calls only the SageMaker control-plane API (UpdateEndpointWeightsAndCapacities) and reaches no resource in a VPC; pass vpc to run it in one',
      noDeadLetterReason: 'invoked synchronously by an operator or a release workflow, which gets the error directly; a dead-letter queue only serves asynchronous invocations',
    });
    this.function = guarded.function;
    this.role = guarded.role;
    this.logGroup = guarded.logGroup;
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sagemaker:UpdateEndpointWeightsAndCapacities', 'sagemaker:DescribeEndpoint'],
      resources: [props.endpoint.endpointArn],
    }));
  }
}
