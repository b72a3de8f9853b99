import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { handlerCode } from '../private/handler-code';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { acknowledgeWildcards } from '../private/nag-acknowledgements';
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
    const stack = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const endpointName = props.endpoint.endpointName;

    const key = props.encryptionKey ?? new kms.Key(this, 'LogKey', {
      description: `Encrypts the logs of the variant weight shifter of ${isUnresolved(endpointName) ? 'an endpoint' : endpointName}`,
      enableKeyRotation: true,
      removalPolicy,
    });
    // CloudWatch Logs encrypts with the key for log groups of this account and region only.
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      },
    }));
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: key,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });

    const role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Shifts the variant weights of SageMaker endpoint ${isUnresolved(endpointName) ? '' : endpointName}`.trim(),
    });
    this.role = role;
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sagemaker:UpdateEndpointWeightsAndCapacities', 'sagemaker:DescribeEndpoint'],
      resources: [props.endpoint.endpointArn],
    }));
    const logStreams = new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [this.logGroup.logGroupArn],
    });
    role.addToPrincipalPolicy(logStreams);
    acknowledgeWildcards(role, logStreams, "log streams of the function's own log group (the group ARN ends in ':*')");
    if (props.vpc) {
      const eni = new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        resources: ['*'],
      });
      role.addToPrincipalPolicy(eni);
      acknowledgeWildcards(role, eni, 'Lambda VPC networking: these EC2 network-interface actions support no resource-level permissions');
    }

    this.function = new lambda.Function(this, 'Function', {
      description: `Shifts traffic between the production variants of SageMaker endpoint ${isUnresolved(endpointName) ? '' : endpointName}`.trim(),
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: handlerCode('shift-variant-weights'),
      role,
      timeout: Duration.seconds(30),
      memorySize: 256,
      reservedConcurrentExecutions: 1,
      logGroup: this.logGroup,
      environment: { ENDPOINT_NAME: endpointName },
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
    });
    this.function.node.addDependency(role);

    Validations.of(this.function).acknowledge({
      id: 'NIST.800.53.R5-LambdaDLQ',
      reason: 'invoked synchronously by an operator or a release workflow, which gets the error directly; a dead-letter queue only serves asynchronous invocations',
    });
    if (!props.vpc) {
      Validations.of(this.function).acknowledge({
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason: 'calls only the SageMaker control-plane API (UpdateEndpointWeightsAndCapacities) and reaches no resource in a VPC; pass vpc to run it in one',
      });
    }
  }
}
