import { Annotations, Duration, Lazy, RemovalPolicy, Resource, Stack, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { aws_sagemaker as sagemakerRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import {
  DataCaptureOptions, EndpointAutoScalingOptions, EndpointDeploymentConfig, EndpointMetricOptions, ProductionVariantOptions,
  ServerlessOptions, ShadowVariantOptions, TrafficRoutingType,
} from './endpoint-options';
import { EndpointMetrics } from '../monitoring/monitoring-metrics';
import { displayUniqueId } from '../private/display-path';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { checkSageMakerName, sageMakerNameFromPath } from '../private/sagemaker-names';
import { rolePolicies } from '../private/role-policies';
import { grantEndpointExecution } from './private/role';
import { hasLocalInstanceStorage, resolveProductionVariants, resolveShadowVariant, ResolvedVariant } from './private/variants';
import { checkExclusive, checkInteger, InputError, invalid, isUnresolved } from '../private/validate';

/** Why rollback alarms without a deployment config are refused (constructor and addRollbackAlarms). */
const ROLLBACK_NEEDS_DEPLOYMENT_CONFIG = 'rollbackAlarms requires deploymentConfig: pass deploymentConfig (e.g. EndpointDeploymentConfig.canary()) so SageMaker watches the alarms during updates';

/**
 * Properties of a {@link ModelEndpoint}.
 */
export interface ModelEndpointProps {
  /** ARN of the model package (a registry version, `arn:...:model-package/<group>/<version>`) the endpoint serves. */
  readonly modelPackageArn: string;

  /**
   * Name of the endpoint. Keep it stable: clients and alarms reach the endpoint by it.
   * @default - derived from the construct path (lower case, unique per stack and path)
   */
  readonly endpointName?: string;

  /**
   * Name of the main production variant.
   * @default 'AllTraffic'
   */
  readonly variantName?: string;

  /**
   * ML instance type of the production variants (`ml.` types). Ignored with `serverless`.
   * @default 'ml.m5.large'
   */
  readonly instanceType?: string;

  /**
   * Instances each production variant starts with (>= 1). Ignored with `serverless`.
   * @default 1
   */
  readonly initialInstanceCount?: number;

  /**
   * Weight of the main variant relative to `additionalVariants` (> 0).
   * @default 1
   */
  readonly initialVariantWeight?: number;

  /**
   * More production variants that share live traffic by weight (A/B testing of challengers).
   * @default - one production variant
   */
  readonly additionalVariants?: ProductionVariantOptions[];

  /**
   * A challenger that receives a copy of a sample of the traffic; its responses are discarded (and captured).
   * @default - no shadow variant
   */
  readonly shadowVariant?: ShadowVariantOptions;

  /**
   * Serve with serverless inference instead of instances.
   * @default - instance-based
   */
  readonly serverless?: ServerlessOptions;

  /**
   * KMS key for the instances' storage volumes (and the captured data when the capture bucket has no key of its own).
   * @default - a key with yearly rotation is created (retained)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Run the model containers without network access (they cannot call out; SageMaker still downloads the artifacts):
   * the `EnableNetworkIsolation` of each SageMaker model.
   * @default true (false with `serverless`, which does not support it)
   */
  readonly enableNetworkIsolation?: boolean;

  /**
   * VPC the model containers run in.
   * @default - no VPC (SageMaker's network; with network isolation the containers have no network at all)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of `vpc` used by the endpoint.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the endpoint's network interfaces in `vpc`.
   * @default - a security group with no inbound rules is created
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Execution role of the models. Permissions are added to it when it is mutable.
   * @default - a least-privilege role (customer-managed policies) is created
   */
  readonly role?: iam.IRole;

  /**
   * Bucket that holds the model artifacts of the packages: the role may read objects under `artifactKeyPrefix`.
   * @default - no artifact read access (give it unless the role already has it)
   */
  readonly artifactBucket?: s3.IBucket;

  /**
   * Key prefix of the model artifacts in `artifactBucket`.
   * @default - the whole bucket
   */
  readonly artifactKeyPrefix?: string;

  /**
   * ECR repositories of the inference images: the role may pull from these only.
   * @default - pull from any repository of this region (built-in SageMaker images live in AWS-owned accounts)
   */
  readonly imageRepositories?: ecr.IRepository[];

  /**
   * Capture requests and responses to S3 (level 3 monitoring).
   * @default - no data capture
   */
  readonly dataCapture?: DataCaptureOptions;

  /**
   * Deployment guardrails: blue/green with all-at-once, canary or linear traffic shifting, and rollback on `rollbackAlarms`.
   * @default - SageMaker's default update (a new fleet, all traffic at once, no alarms watched)
   */
  readonly deploymentConfig?: EndpointDeploymentConfig;

  /**
   * Alarms that roll an update back while they are in ALARM (at most 10). Requires `deploymentConfig`.
   * @default - none
   */
  readonly rollbackAlarms?: cloudwatch.IAlarm[];

  /**
   * Keep the variants' current instance counts and weights on update (set it when autoscaling or the weight shifter
   * manage them, so a deploy does not reset them).
   * @default - true when `autoScaling` is set, else false
   */
  readonly retainAllVariantProperties?: boolean;

  /**
   * Keep the deployment config the endpoint currently has on update.
   * @default false
   */
  readonly retainDeploymentConfig?: boolean;

  /**
   * Target-tracking autoscaling of every instance-based production variant on invocations per instance.
   * @default - no autoscaling
   */
  readonly autoScaling?: EndpointAutoScalingOptions;

  /**
   * What happens to the created KMS key when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A real-time SageMaker endpoint that serves a model package of a registry: `AWS::SageMaker::Model` per variant
 * (`Containers: [{ ModelPackageName }]`), an `AWS::SageMaker::EndpointConfig` and the `AWS::SageMaker::Endpoint`.
 *
 * Updating `modelPackageArn` is an in-place endpoint update: the models and the endpoint config get new
 * CloudFormation-generated names (they are replaced), the endpoint keeps its name and logical id.
 *
 * Secure defaults: volumes encrypted with a rotated KMS key, network isolation, a least-privilege execution role
 * (artifacts read-only under a prefix, image pulls, this endpoint's logs), data capture encrypted.
 *
 * @example
 * const endpoint = new ModelEndpoint(this, 'Endpoint', {
 *   modelPackageArn: 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/churn/3',
 *   artifactBucket: artifacts.bucket,
 *   dataCapture: { destinationBucket: artifacts.bucket },
 *   deploymentConfig: EndpointDeploymentConfig.canary({ canarySizePercent: 10, wait: Duration.minutes(10) }),
 *   rollbackAlarms: [latencyAlarm],
 *   autoScaling: { maxCapacity: 4 },
 * });
 * endpoint.grantInvoke(apiRole);
 */
export class ModelEndpoint extends Resource implements sagemaker.IEndpoint {
  /** Name of the endpoint. */
  public readonly endpointName: string;
  /** ARN of the endpoint. */
  public readonly endpointArn: string;
  /** The L1 endpoint. */
  public readonly resource: sagemaker.CfnEndpoint;
  /** The L1 endpoint configuration (replaced whenever a variant's model changes). */
  public readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The L1 model of each variant (production and shadow), by variant name. */
  public readonly models: { [variantName: string]: sagemaker.CfnModel } = {};
  /** Execution role of the models. */
  public readonly role: iam.IRole;
  /** KMS key of the volumes (and of the capture data unless the capture bucket has its own); none for serverless. */
  public readonly encryptionKey?: kms.IKey;
  /** Names of the production variants, main first. */
  public readonly productionVariantNames: string[];
  /** Name of the shadow variant, if any. */
  public readonly shadowVariantName?: string;
  /** `s3://bucket/prefix` the captured data is written to, when data capture is on. */
  public readonly dataCaptureS3Uri?: string;
  /** Autoscaling targets, by variant name. */
  public readonly scalableTargets: { [variantName: string]: appscaling.ScalableTarget } = {};
  /** Security groups of the endpoint (with `vpc`). */
  public readonly securityGroups: ec2.ISecurityGroup[] = [];
  private readonly rollbackAlarms: cloudwatch.IAlarm[] = [];
  private readonly hasDeploymentConfig: boolean;

  constructor(scope: Construct, id: string, props: ModelEndpointProps) {
    super(scope, id);
    checkSageMakerName(this, 'endpointName', props.endpointName);
    checkExclusive(this, ['serverless', 'instanceType'], [props.serverless, props.instanceType]);
    checkExclusive(this, ['serverless', 'initialInstanceCount'], [props.serverless, props.initialInstanceCount]);
    if (props.serverless) this.checkServerless(props);
    if (props.rollbackAlarms && props.rollbackAlarms.length > 0 && !props.deploymentConfig) {
      throw new InputError(this, ROLLBACK_NEEDS_DEPLOYMENT_CONFIG);
    }
    checkInteger(this, 'rollbackAlarms.length', props.rollbackAlarms?.length, 0, 10);
    this.hasDeploymentConfig = props.deploymentConfig !== undefined;
    this.rollbackAlarms.push(...(props.rollbackAlarms ?? []));

    const variants = resolveProductionVariants(this, props);
    const shadow = resolveShadowVariant(this, props, variants);
    this.productionVariantNames = variants.map((v) => v.variantName);
    this.shadowVariantName = shadow?.variantName;
    this.endpointName = props.endpointName ?? sageMakerNameFromPath(this);

    this.encryptionKey = props.encryptionKey ?? (props.serverless ? undefined : new kms.Key(this, 'Key', {
      description: `Encrypts the storage volumes and captured data of SageMaker endpoint ${this.endpointName}`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    }));

    const capture = props.dataCapture ? this.captureConfig(id, props.dataCapture) : undefined;
    this.dataCaptureS3Uri = capture?.s3Uri;

    this.role = props.role ?? new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Execution role of the models of SageMaker endpoint ${this.endpointName}`,
    });
    grantEndpointExecution(this.role, this.role, {
      endpointName: this.endpointName,
      encryptionKey: this.encryptionKey,
      artifactBucket: props.artifactBucket,
      artifactKeyPrefix: props.artifactKeyPrefix,
      imageRepositories: props.imageRepositories,
      captureBucket: props.dataCapture?.destinationBucket,
      capturePrefix: capture?.prefix,
      captureKey: capture?.key,
      vpc: props.vpc,
    });

    const vpcConfig = props.vpc ? this.vpcConfig(props) : undefined;
    const networkIsolation = props.enableNetworkIsolation ?? !props.serverless;
    for (const variant of shadow ? [...variants, shadow] : variants) {
      const model = new sagemaker.CfnModel(this, variant.modelId, {
        executionRoleArn: this.role.roleArn,
        containers: [{ modelPackageName: variant.modelPackageArn }],
        enableNetworkIsolation: networkIsolation,
        vpcConfig,
      });
      // The role's permissions must exist before SageMaker validates the model.
      model.node.addDependency(rolePolicies(this.role));
      this.models[variant.variantName] = model;
    }

    const allInstances = [...variants, ...(shadow ? [shadow] : [])];
    const inferentia1 = allInstances.find((v) => !isUnresolved(v.instanceType) && v.instanceType?.startsWith('ml.inf1.'));
    if (props.deploymentConfig && props.deploymentConfig.policy.type !== TrafficRoutingType.ALL_AT_ONCE && inferentia1) {
      Annotations.of(this).addWarningV2('cdk-mlops-maturity:guardrailsNotOnInf1',
        `deploymentConfig ${props.deploymentConfig.policy.type} is ignored for variant ${inferentia1.variantName} on ${inferentia1.instanceType}: `
        + 'SageMaker deployment guardrails do not support Inf1 instances and update all at once');
    }
    const volumeKey = this.encryptionKey && !props.serverless && !allInstances.some((v) => hasLocalInstanceStorage(v.instanceType))
      ? this.encryptionKey : undefined;
    this.endpointConfig = new sagemaker.CfnEndpointConfig(this, 'Config', {
      productionVariants: variants.map((v) => this.renderVariant(v)),
      shadowProductionVariants: shadow ? [this.renderVariant(shadow)] : undefined,
      kmsKeyId: volumeKey?.keyArn,
      dataCaptureConfig: capture?.config,
    });
    if (!volumeKey) this.acknowledgeNoVolumeKey(props);

    this.resource = new sagemaker.CfnEndpoint(this, 'Resource', {
      endpointName: this.endpointName,
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
      deploymentConfig: this.renderDeploymentConfig(props),
      retainAllVariantProperties: props.retainAllVariantProperties ?? (props.autoScaling !== undefined),
      retainDeploymentConfig: props.retainDeploymentConfig,
    });
    this.endpointArn = this.resource.ref;

    if (props.autoScaling) this.addAutoScaling(props.autoScaling, variants);
  }

  /** A reference to this endpoint (aws-cdk-lib's `IEndpointRef`). */
  public get endpointRef(): sagemakerRefs.EndpointReference {
    return { endpointArn: this.endpointArn };
  }

  /** Lets the grantee invoke this endpoint (`sagemaker:InvokeEndpoint`), and nothing else. */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:InvokeEndpoint'], resourceArns: [this.endpointArn] });
  }

  /**
   * Model latency of a variant, in microseconds (`ModelLatency`, `Average` over 5 minutes): pass
   * `{ statistic: 'p99' }` for a percentile. The same metric as {@link EndpointMetrics.modelLatency}.
   */
  public metricModelLatency(options: EndpointMetricOptions = {}): cloudwatch.Metric {
    const { variantName, ...metricOptions } = options;
    return this.endpointMetrics.modelLatency(this.checkMetricVariant(variantName), metricOptions);
  }

  /** Requests sent to a variant (`Invocations`, `Sum` over 5 minutes). */
  public metricInvocations(options: EndpointMetricOptions = {}): cloudwatch.Metric {
    const { variantName, ...metricOptions } = options;
    return this.endpointMetrics.invocations(this.checkMetricVariant(variantName), metricOptions);
  }

  /** Requests a variant answered with a 5XX error (`Invocation5XXErrors`, `Sum` over 5 minutes). */
  public metricInvocation5XXErrors(options: EndpointMetricOptions = {}): cloudwatch.Metric {
    const { variantName, ...metricOptions } = options;
    return this.endpointMetrics.errors('5XX', this.checkMetricVariant(variantName), metricOptions);
  }

  /** Requests a variant answered with a 4XX error (`Invocation4XXErrors`, `Sum` over 5 minutes). */
  public metricInvocation4XXErrors(options: EndpointMetricOptions = {}): cloudwatch.Metric {
    const { variantName, ...metricOptions } = options;
    return this.endpointMetrics.errors('4XX', this.checkMetricVariant(variantName), metricOptions);
  }

  /** Requests per instance of a variant (`InvocationsPerInstance`, `Sum` over 5 minutes): what autoscaling tracks. */
  public metricInvocationsPerInstance(options: EndpointMetricOptions = {}): cloudwatch.Metric {
    const { variantName, ...metricOptions } = options;
    return this.endpointMetrics.invocationsPerInstance(this.checkMetricVariant(variantName), metricOptions);
  }

  /** Any `AWS/SageMaker` metric of a variant of this endpoint (`Average` over 5 minutes unless `options` say otherwise). */
  public metric(metricName: string, options: EndpointMetricOptions = {}): cloudwatch.Metric {
    const { variantName, ...metricOptions } = options;
    return this.endpointMetrics.metric(metricName, this.checkMetricVariant(variantName), metricOptions);
  }

  /** The metric factory every `metricXxx` method uses: the one `EndpointAlarms` and `MlopsDashboard` use. */
  private get endpointMetrics(): EndpointMetrics {
    return new EndpointMetrics(this.endpointName, this.productionVariantNames);
  }

  private checkMetricVariant(variantName: string | undefined): string {
    const variant = variantName ?? this.productionVariantNames[0];
    const known = [...this.productionVariantNames, ...(this.shadowVariantName ? [this.shadowVariantName] : [])];
    if (!isUnresolved(variant) && !known.includes(variant)) {
      invalid(this, 'variantName', `one of the endpoint's variants (${known.join(', ')})`, variant);
    }
    return variant;
  }

  private checkServerless(props: ModelEndpointProps): void {
    const unsupported: [string, unknown][] = [
      ['dataCapture', props.dataCapture], ['vpc', props.vpc], ['deploymentConfig', props.deploymentConfig], ['autoScaling', props.autoScaling],
      ['enableNetworkIsolation', props.enableNetworkIsolation === true ? true : undefined],
    ];
    for (const [name, value] of unsupported) {
      if (value !== undefined) {
        throw new InputError(this, `${name} cannot be used with serverless: SageMaker serverless inference does not support it`);
      }
    }
  }

  private renderVariant(v: ResolvedVariant): sagemaker.CfnEndpointConfig.ProductionVariantProperty {
    return {
      variantName: v.variantName,
      modelName: this.models[v.variantName].attrModelName,
      initialVariantWeight: v.weight,
      instanceType: v.serverless ? undefined : v.instanceType,
      initialInstanceCount: v.serverless ? undefined : v.initialInstanceCount,
      serverlessConfig: v.serverless ? {
        memorySizeInMb: v.serverless.memorySizeInMb,
        maxConcurrency: v.serverless.maxConcurrency,
        provisionedConcurrency: v.serverless.provisionedConcurrency,
      } : undefined,
    };
  }

  private captureConfig(id: string, options: DataCaptureOptions) {
    const prefix = (options.prefix ?? `data-capture/${id}`);
    if (!isUnresolved(prefix) && (prefix.length === 0 || prefix.startsWith('/') || prefix.endsWith('/'))) {
      invalid(this, 'dataCapture.prefix', 'a non-empty S3 key prefix without leading or trailing slash', prefix);
    }
    const sampling = options.samplingPercentage ?? 100;
    checkInteger(this, 'dataCapture.samplingPercentage', sampling, 0, 100);
    const modes = [
      ...(options.captureInput ?? true ? [{ captureMode: 'Input' }] : []),
      ...(options.captureOutput ?? true ? [{ captureMode: 'Output' }] : []),
    ];
    if (modes.length === 0) {
      throw new InputError(this, 'dataCapture must capture something: captureInput and captureOutput cannot both be false');
    }
    const key = options.encryptionKey ?? options.destinationBucket.encryptionKey ?? this.encryptionKey!;
    const s3Uri = options.destinationBucket.s3UrlForObject(prefix);
    const headers = options.csvContentTypes || options.jsonContentTypes
      ? { csvContentTypes: options.csvContentTypes, jsonContentTypes: options.jsonContentTypes }
      : undefined;
    const config: sagemaker.CfnEndpointConfig.DataCaptureConfigProperty = {
      enableCapture: true,
      destinationS3Uri: s3Uri,
      initialSamplingPercentage: sampling,
      captureOptions: modes,
      kmsKeyId: key.keyArn,
      captureContentTypeHeader: headers,
    };
    return { prefix, key, s3Uri, config };
  }

  private vpcConfig(props: ModelEndpointProps): sagemaker.CfnModel.VpcConfigProperty {
    const vpc = props.vpc!;
    const groups = props.securityGroups ?? [new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: `SageMaker endpoint ${this.endpointName}: no inbound rules`,
      allowAllOutbound: true,
    })];
    this.securityGroups.push(...groups);
    const subnets = vpc.selectSubnets(props.vpcSubnets).subnetIds;
    return { subnets, securityGroupIds: groups.map((g) => g.securityGroupId) };
  }

  /**
   * Adds alarms that roll a blue/green update back while they are in ALARM (at most 10 in all). Use it when the alarms
   * watch this endpoint and so can only be made after it (e.g. `EndpointAlarms.rollbackAlarms`).
   */
  public addRollbackAlarms(...alarms: cloudwatch.IAlarm[]): void {
    if (!this.hasDeploymentConfig) {
      throw new InputError(this, ROLLBACK_NEEDS_DEPLOYMENT_CONFIG);
    }
    checkInteger(this, 'rollbackAlarms.length', this.rollbackAlarms.length + alarms.length, 0, 10);
    this.rollbackAlarms.push(...alarms);
  }

  private renderDeploymentConfig(props: ModelEndpointProps): sagemaker.CfnEndpoint.DeploymentConfigProperty | undefined {
    if (!props.deploymentConfig) return undefined;
    const p = props.deploymentConfig.policy;
    const size = p.sizePercent !== undefined ? { type: 'CAPACITY_PERCENT', value: p.sizePercent } : undefined;
    return {
      blueGreenUpdatePolicy: {
        trafficRoutingConfiguration: {
          type: p.type,
          canarySize: p.type === TrafficRoutingType.CANARY ? size : undefined,
          linearStepSize: p.type === TrafficRoutingType.LINEAR ? size : undefined,
          waitIntervalInSeconds: p.waitSeconds,
        },
        terminationWaitInSeconds: p.terminationWaitSeconds,
        maximumExecutionTimeoutInSeconds: p.maximumExecutionTimeoutSeconds,
      },
      autoRollbackConfiguration: Lazy.any({
        produce: () => this.rollbackAlarms.length > 0
          ? { alarms: this.rollbackAlarms.map((a) => ({ alarmName: a.alarmName })) }
          : undefined,
      }),
    };
  }

  private addAutoScaling(options: EndpointAutoScalingOptions, variants: ResolvedVariant[]): void {
    checkInteger(this, 'autoScaling.minCapacity', options.minCapacity, 1);
    checkInteger(this, 'autoScaling.maxCapacity', options.maxCapacity, 1);
    if (options.targetInvocationsPerInstance !== undefined && !isUnresolved(options.targetInvocationsPerInstance)
      && !(options.targetInvocationsPerInstance > 0)) {
      invalid(this, 'autoScaling.targetInvocationsPerInstance', 'greater than 0', options.targetInvocationsPerInstance);
    }
    // The service-linked role Application Auto Scaling uses for SageMaker variants (created by the service on first use).
    const role = iam.Role.fromRoleArn(this, 'AutoScalingRole', Stack.of(this).formatArn({
      service: 'iam',
      region: '',
      resource: 'role',
      resourceName: 'aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint',
    }), { mutable: false });
    for (const v of variants) {
      const min = options.minCapacity ?? v.initialInstanceCount!;
      if (!isUnresolved(min) && !isUnresolved(options.maxCapacity) && min > options.maxCapacity) {
        invalid(this, 'autoScaling.minCapacity', `at most autoScaling.maxCapacity (${options.maxCapacity})`, min);
      }
      if (!isUnresolved(min) && v.initialInstanceCount! < min) {
        Annotations.of(this).addWarningV2('cdk-mlops-maturity:initialBelowMinCapacity',
          `variant ${v.variantName} starts with ${v.initialInstanceCount} instances, below autoScaling.minCapacity ${min}: autoscaling will add instances`);
      }
      const target = new appscaling.ScalableTarget(this, `Scaling${v.variantName}`, {
        serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
        resourceId: `endpoint/${this.resource.attrEndpointName}/variant/${v.variantName}`,
        scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        minCapacity: min,
        maxCapacity: options.maxCapacity,
        role,
      });
      target.scaleToTrackMetric('InvocationsPerInstance', {
        // The default name is Names.uniqueId of the whole path, which would change (and replace the policy) with it.
        policyName: displayUniqueId(target, 'InvocationsPerInstance'),
        predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
        targetValue: options.targetInvocationsPerInstance ?? 100,
        scaleInCooldown: options.scaleInCooldown ?? Duration.minutes(5),
        scaleOutCooldown: options.scaleOutCooldown ?? Duration.minutes(1),
        disableScaleIn: options.disableScaleIn ?? false,
      });
      this.scalableTargets[v.variantName] = target;
    }
  }

  private acknowledgeNoVolumeKey(props: ModelEndpointProps): void {
    const reason = props.serverless
      ? 'serverless inference attaches no storage volume to encrypt; SageMaker manages the serverless compute'
      : 'the instance type has local NVMe instance storage, encrypted by the instance hardware: SageMaker rejects a KmsKeyId for it';
    Validations.of(this.endpointConfig).acknowledge({ id: 'NIST.800.53.R5-SageMakerEndpointConfigurationKMSKeyConfigured', reason });
  }
}
