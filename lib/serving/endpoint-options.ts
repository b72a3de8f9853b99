import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { checkInteger, invalid } from '../private/validate';

/**
 * A further production variant of a {@link ModelEndpoint}: a challenger model package that receives a weighted share
 * of live traffic (A/B testing). Each variant gets its own SageMaker model.
 */
export interface ProductionVariantOptions {
  /** Name of the variant (letters, digits, hyphens; unique within the endpoint). Keep it stable: autoscaling targets are keyed by it. */
  readonly variantName: string;
  /** ARN of the model package (registry version) this variant serves. */
  readonly modelPackageArn: string;
  /**
   * Relative weight of the variant: its share of traffic is its weight divided by the sum of all weights.
   * @default 1
   */
  readonly initialVariantWeight?: number;
  /**
   * ML instance type of the variant.
   * @default - the endpoint's `instanceType`
   */
  readonly instanceType?: string;
  /**
   * Number of instances the variant starts with.
   * @default - the endpoint's `initialInstanceCount`
   */
  readonly initialInstanceCount?: number;
}

/**
 * A shadow variant: SageMaker copies a sample of the production variant's requests to it, discards its responses
 * (clients always get the production answer) and captures them, so a challenger is tested on live traffic at no risk.
 */
export interface ShadowVariantOptions {
  /** ARN of the challenger model package. */
  readonly modelPackageArn: string;
  /**
   * Name of the shadow variant.
   * @default 'Shadow'
   */
  readonly variantName?: string;
  /**
   * Percentage (1-100) of production requests copied to the shadow variant.
   * @default 100
   */
  readonly samplingPercentage?: number;
  /**
   * ML instance type of the shadow variant.
   * @default - the endpoint's `instanceType`
   */
  readonly instanceType?: string;
  /**
   * Number of instances of the shadow variant.
   * @default 1
   */
  readonly initialInstanceCount?: number;
}

/**
 * Serverless inference for the endpoint's single variant: no instances, pay per request. SageMaker does not support
 * data capture, VPC, network isolation, several variants, shadow variants or deployment guardrails with it.
 */
export interface ServerlessOptions {
  /**
   * Memory of each worker in MB: 1024, 2048, 3072, 4096, 5120 or 6144.
   * @default 2048
   */
  readonly memorySizeInMb?: number;
  /**
   * Maximum concurrent invocations (1-200).
   * @default 5
   */
  readonly maxConcurrency?: number;
  /**
   * Provisioned (warm) concurrency, at most `maxConcurrency`.
   * @default - none
   */
  readonly provisionedConcurrency?: number;
}

/**
 * Endpoint data capture: requests and responses written to S3 as JSON lines, for model monitoring (level 3).
 */
export interface DataCaptureOptions {
  /** Bucket that receives the captured data. */
  readonly destinationBucket: s3.IBucket;
  /**
   * Key prefix of the captured data (no leading or trailing slash).
   * @default 'data-capture/<endpoint construct id>'
   */
  readonly prefix?: string;
  /**
   * Percentage (0-100, whole number) of requests captured.
   * @default 100
   */
  readonly samplingPercentage?: number;
  /**
   * Capture the requests.
   * @default true
   */
  readonly captureInput?: boolean;
  /**
   * Capture the responses.
   * @default true
   */
  readonly captureOutput?: boolean;
  /**
   * KMS key that encrypts the captured objects.
   * @default - the bucket's key when it has one, else the endpoint's key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Content types captured as CSV text (others are base64 encoded).
   * @default - SageMaker's default (`text/csv`)
   */
  readonly csvContentTypes?: string[];
  /**
   * Content types captured as JSON text.
   * @default - SageMaker's default (`application/json`)
   */
  readonly jsonContentTypes?: string[];
}

/** How traffic moves to the new fleet during a blue/green endpoint update. */
export enum TrafficRoutingType {
  /** Everything at once after the new fleet is healthy. */
  ALL_AT_ONCE = 'ALL_AT_ONCE',
  /** A canary share first, then the rest after a bake time. */
  CANARY = 'CANARY',
  /** Equal steps with a bake time between them. */
  LINEAR = 'LINEAR',
}

/** Options common to every blue/green deployment. */
export interface BlueGreenCommonOptions {
  /**
   * How long the old fleet is kept after all traffic moved, so a rollback is instant (0-60 minutes).
   * @default Duration.minutes(5)
   */
  readonly terminationWait?: Duration;
  /**
   * Upper bound of the whole deployment (10 minutes to 4 hours).
   * @default - SageMaker's default
   */
  readonly maximumExecutionTimeout?: Duration;
}

/** Options of {@link EndpointDeploymentConfig.canary}. */
export interface CanaryDeploymentOptions extends BlueGreenCommonOptions {
  /**
   * Share of the new fleet's capacity that takes traffic first (1-50 percent).
   * @default 10
   */
  readonly canarySizePercent?: number;
  /**
   * Bake time after the canary shift, during which the rollback alarms are watched (0-60 minutes).
   * @default Duration.minutes(10)
   */
  readonly wait?: Duration;
}

/** Options of {@link EndpointDeploymentConfig.linear}. */
export interface LinearDeploymentOptions extends BlueGreenCommonOptions {
  /**
   * Share of capacity moved at each step (10-50 percent).
   * @default 20
   */
  readonly stepPercent?: number;
  /**
   * Bake time between steps (0-60 minutes).
   * @default Duration.minutes(5)
   */
  readonly interval?: Duration;
}

/** The rendered blue/green policy of an {@link EndpointDeploymentConfig}. */
export interface EndpointDeploymentConfigPolicy {
  /** Traffic routing type. */
  readonly type: TrafficRoutingType;
  /** Canary or linear step share in percent (CANARY, LINEAR). */
  readonly sizePercent?: number;
  /** Bake time in seconds (CANARY, LINEAR). */
  readonly waitSeconds?: number;
  /** Termination wait in seconds. */
  readonly terminationWaitSeconds: number;
  /** Maximum execution time in seconds. */
  readonly maximumExecutionTimeoutSeconds?: number;
}

function checkMinutes(name: string, value: Duration | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const seconds = value.toSeconds();
  if (seconds < min * 60 || seconds > max * 60) invalid(undefined, name, `between ${min} and ${max} minutes`, value.toHumanString());
  return seconds;
}

/**
 * Deployment guardrails of a {@link ModelEndpoint}: how an update (a new model package) replaces the fleet.
 * Blue/green: a new fleet is provisioned, traffic shifts to it (all at once, canary, or linear), the rollback
 * alarms are watched, and the old fleet is only terminated when the shift succeeded.
 */
export class EndpointDeploymentConfig {
  /** Canary: `canarySizePercent` of capacity first, wait, then the rest. */
  public static canary(options: CanaryDeploymentOptions = {}): EndpointDeploymentConfig {
    const sizePercent = options.canarySizePercent ?? 10;
    checkInteger(undefined, 'deploymentConfig.canarySizePercent', sizePercent, 1, 50);
    return new EndpointDeploymentConfig({
      type: TrafficRoutingType.CANARY,
      sizePercent,
      waitSeconds: checkMinutes('deploymentConfig.wait', options.wait ?? Duration.minutes(10), 0, 60),
      ...EndpointDeploymentConfig.common(options),
    });
  }

  /** Linear: `stepPercent` of capacity at each step, waiting `interval` between steps. */
  public static linear(options: LinearDeploymentOptions = {}): EndpointDeploymentConfig {
    const sizePercent = options.stepPercent ?? 20;
    checkInteger(undefined, 'deploymentConfig.stepPercent', sizePercent, 10, 50);
    return new EndpointDeploymentConfig({
      type: TrafficRoutingType.LINEAR,
      sizePercent,
      waitSeconds: checkMinutes('deploymentConfig.interval', options.interval ?? Duration.minutes(5), 0, 60),
      ...EndpointDeploymentConfig.common(options),
    });
  }

  /** All traffic at once, once the new fleet is healthy (still blue/green: the old fleet waits for rollback). */
  public static allAtOnce(options: BlueGreenCommonOptions = {}): EndpointDeploymentConfig {
    return new EndpointDeploymentConfig({ type: TrafficRoutingType.ALL_AT_ONCE, ...EndpointDeploymentConfig.common(options) });
  }

  private static common(options: BlueGreenCommonOptions) {
    return {
      terminationWaitSeconds: checkMinutes('deploymentConfig.terminationWait', options.terminationWait ?? Duration.minutes(5), 0, 60)!,
      maximumExecutionTimeoutSeconds: checkMinutes('deploymentConfig.maximumExecutionTimeout', options.maximumExecutionTimeout, 10, 240),
    };
  }

  private constructor(
    /** The rendered policy. */
    public readonly policy: EndpointDeploymentConfigPolicy,
  ) {}
}

/**
 * Autoscaling of each instance-based production variant: target tracking on `SageMakerVariantInvocationsPerInstance`.
 */
export interface EndpointAutoScalingOptions {
  /**
   * Fewest instances per variant (>= 1).
   * @default - the variant's initial instance count
   */
  readonly minCapacity?: number;
  /** Most instances per variant (>= minCapacity). */
  readonly maxCapacity: number;
  /**
   * Invocations per instance per minute to hold.
   * @default 100
   */
  readonly targetInvocationsPerInstance?: number;
  /**
   * Wait after a scale-in before the next one.
   * @default Duration.minutes(5)
   */
  readonly scaleInCooldown?: Duration;
  /**
   * Wait after a scale-out before the next one.
   * @default Duration.minutes(1)
   */
  readonly scaleOutCooldown?: Duration;
  /**
   * Never remove instances automatically (scale out only).
   * @default false
   */
  readonly disableScaleIn?: boolean;
}

/** Options of the metric methods of {@link ModelEndpoint}. */
export interface EndpointMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The variant whose metric is returned.
   * @default - the endpoint's main production variant
   */
  readonly variantName?: string;
}
