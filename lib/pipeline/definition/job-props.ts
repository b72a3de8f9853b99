import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ContainerImage, JobNetworkConfig } from './resources';
import { CacheConfig, RetryPolicy, StepProps } from './step';

/** Props shared by the steps that start a SageMaker job (processing, training, tuning, quality check). */
export interface JobStepProps extends StepProps {
  /** The container image the job runs. */
  readonly image: ContainerImage;
  /**
   * ML instance type; may be a parameter (`param.asString()`).
   * @default 'ml.m5.xlarge'
   */
  readonly instanceType?: string;
  /**
   * Number of instances; may be a parameter (`param.asNumber()`).
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * Size of each instance's ML storage volume, in GB.
   * @default 30
   */
  readonly volumeSizeInGb?: number;
  /**
   * KMS key that encrypts the ML storage volumes.
   * @default - the volumes are encrypted with an AWS managed key
   */
  readonly volumeKmsKey?: kms.IKey;
  /**
   * KMS key that encrypts the job's output in S3.
   * @default - the bucket's default encryption
   */
  readonly outputKmsKey?: kms.IKey;
  /**
   * Longest the job may run.
   * @default Duration.days(1)
   */
  readonly maxRuntime?: Duration;
  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly environment?: { [key: string]: string };
  /**
   * Place the job in a VPC.
   * @default - no VPC
   */
  readonly network?: JobNetworkConfig;
  /**
   * Block all network access of the container (`EnableNetworkIsolation`).
   * @default false
   */
  readonly enableNetworkIsolation?: boolean;
  /**
   * Encrypt traffic between the job's instances (`EnableInterContainerTrafficEncryption`).
   * @default true
   */
  readonly encryptInterContainerTraffic?: boolean;
  /**
   * Role the job runs with.
   * @default - the pipeline's role
   */
  readonly role?: iam.IRole;
  /**
   * Reuse results of earlier executions.
   * @default - no caching
   */
  readonly cache?: CacheConfig;
  /**
   * Retry policies.
   * @default - no retries
   */
  readonly retryPolicies?: RetryPolicy[];
}
