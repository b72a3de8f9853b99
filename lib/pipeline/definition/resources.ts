import { Aws, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { literalRepositoryArn } from '../../private/ecr-image-uri';
import { IModelRegistry } from '../../core/model-registry-interface';
import { PrebuiltImage } from '../images/prebuilt-image';

/**
 * An S3 location used by a step, typed so that the pipeline can scope its role to it.
 *
 * @example
 * S3Location.fromBucket(dataBucket, 'raw/')                               // s3://<bucket>/raw/
 * S3Location.fromBucket(artifacts, `runs/${ExecutionVariable.PIPELINE_EXECUTION_ID}/train`)
 * S3Location.fromUri(inputData.asString(), dataBucket)                    // a parameter, inside dataBucket
 */
export class S3Location {
  /**
   * A key prefix in a bucket. The prefix may hold pipeline expressions (the execution id): the role is then
   * scoped to the part of the prefix before the first expression.
   */
  public static fromBucket(bucket: s3.IBucket, keyPrefix: string = ''): S3Location {
    const key = keyPrefix.replace(/^\/+/, '');
    return new S3Location(`s3://${bucket.bucketName}/${key}`, bucket, staticPart(key), staticPart(key) !== key);
  }

  /**
   * A URI given as a string, a token or a pipeline expression. Give the bucket it lies in, if known, so that the
   * pipeline role can reach it (the whole bucket is granted); without it the role gets no access to this URI.
   */
  public static fromUri(uri: string, bucket?: s3.IBucket): S3Location {
    if (!Token.isUnresolved(uri) && !uri.startsWith('s3://')) {
      throw new Error(`S3 URI must start with 's3://', got '${uri}'`);
    }
    return new S3Location(uri, bucket, bucket ? '' : undefined, true);
  }

  /**
   * A URI known only at run time (a step property) that lies below `parent`: the role is scoped to the parent's
   * bucket and static prefix, e.g. a training job's `model.tar.gz` below the job's output location.
   */
  public static under(parent: S3Location, uri: string): S3Location {
    return new S3Location(uri, parent.bucket, parent.keyPrefix, true);
  }

  private constructor(
    /** The URI written in the definition (may hold tokens and expressions). */
    public readonly uri: string,
    /** The bucket, when known. */
    public readonly bucket: s3.IBucket | undefined,
    /** The static key prefix the role is scoped to (`''` = the whole bucket); undefined when the bucket is unknown. */
    public readonly keyPrefix: string | undefined,
    private readonly dynamic: boolean,
  ) {}

  /** A location below this one: `parts` joined with '/' (they may hold pipeline expressions). */
  public join(...parts: string[]): S3Location {
    const suffix = parts.map((p) => p.replace(/^\/+|\/+$/g, '')).join('/');
    const uri = this.uri.endsWith('/') ? `${this.uri}${suffix}` : `${this.uri}/${suffix}`;
    if (this.dynamic || this.keyPrefix === undefined) return new S3Location(uri, this.bucket, this.keyPrefix, this.dynamic);
    const key = this.keyPrefix === '' || this.keyPrefix.endsWith('/') ? `${this.keyPrefix}${suffix}` : `${this.keyPrefix}/${suffix}`;
    return new S3Location(uri, this.bucket, staticPart(key), staticPart(key) !== key);
  }

  /** The URI, so that a location can be used in template strings. */
  public toString(): string {
    return this.uri;
  }
}

/** The part of a key before its first token. */
function staticPart(key: string): string {
  const at = key.indexOf('${Token[');
  return at < 0 ? key : key.slice(0, at);
}

/**
 * A container image for a step, typed so that the pipeline role can pull it.
 *
 * @example
 * ContainerImage.fromEcrRepository(trainingImages.repository, 'v3')
 * ContainerImage.fromAwsRegistry('683313688378', 'sagemaker-scikit-learn', '1.2-1-cpu-py3')
 */
export class ContainerImage {
  /** An image in one of your ECR repositories: the role gets pull access to that repository. */
  public static fromEcrRepository(repository: ecr.IRepository, tagOrDigest: string = 'latest'): ContainerImage {
    return new ContainerImage(repository.repositoryUriForTagOrDigest(tagOrDigest), repository, repository.repositoryArn);
  }

  /**
   * A prebuilt image in an AWS-owned registry of this stack's region (e.g. the SageMaker framework images):
   * `<account>.dkr.ecr.<region>.<urlSuffix>/<repository>:<tag>`.
   */
  public static fromAwsRegistry(registryAccountId: string, repositoryName: string, tag: string): ContainerImage {
    const uri = `${registryAccountId}.dkr.ecr.${Aws.REGION}.${Aws.URL_SUFFIX}/${repositoryName}:${tag}`;
    const arn = `arn:${Aws.PARTITION}:ecr:${Aws.REGION}:${registryAccountId}:repository/${repositoryName}`;
    return new ContainerImage(uri, undefined, arn);
  }

  /**
   * A prebuilt SageMaker image (`PrebuiltImage.sklearn()`, `.xgboost()`, `.modelMonitor()`, `.clarify()`), resolved
   * for the stack of `scope` (a region mapping in environment-agnostic stacks): the role gets pull access to its
   * AWS-owned repository.
   */
  public static fromPrebuilt(scope: Construct, image: PrebuiltImage): ContainerImage {
    const config = image.bind(scope);
    const arn = Stack.of(scope).formatArn({ service: 'ecr', account: config.account, resource: 'repository', resourceName: config.repositoryName });
    return new ContainerImage(config.imageUri, undefined, arn);
  }

  /**
   * An image given by URI. A literal ECR URI is parsed so that the role can pull it; for any other URI (a token)
   * the role gets no pull permission: prefer `fromEcrRepository` or `fromAwsRegistry`.
   */
  public static fromUri(imageUri: string): ContainerImage {
    return new ContainerImage(imageUri, undefined, Token.isUnresolved(imageUri) ? undefined : literalRepositoryArn(imageUri));
  }

  private constructor(
    /** The image URI written in the definition. */
    public readonly imageUri: string,
    /** Your ECR repository, when the image is in one. */
    public readonly repository: ecr.IRepository | undefined,
    /** ARN of the repository to pull from, when known. */
    public readonly repositoryArn: string | undefined,
  ) {}
}

/** Network settings of a job: its VPC placement and isolation. */
export interface JobNetworkConfig {
  /** Subnets the job's instances are placed in. */
  readonly subnets: ec2.ISubnet[];
  /** Security groups of the job's instances. */
  readonly securityGroups: ec2.ISecurityGroup[];
}

/** How a step uses an S3 location. */
export enum S3Access {
  /** The step reads objects under the location. */
  READ = 'READ',
  /** The step writes (and may read) objects under the location. */
  READ_WRITE = 'READ_WRITE',
}

/** An S3 location a step uses. */
export interface S3LocationUsage {
  /** Name of the step. */
  readonly stepName: string;
  /** The location. */
  readonly location: S3Location;
  /** Read, or read and write. */
  readonly access: S3Access;
}

/** The kinds of SageMaker resources a pipeline creates while it runs. */
export enum SageMakerJobType {
  /** Training jobs (`training-job`). */
  TRAINING = 'training-job',
  /** Processing jobs (`processing-job`), also for quality checks. */
  PROCESSING = 'processing-job',
  /** Hyperparameter tuning jobs (`hyper-parameter-tuning-job`) and the training jobs they start. */
  TUNING = 'hyper-parameter-tuning-job',
  /** Models (`model`). */
  MODEL = 'model',
}

/** Everything a definition uses, so that the pipeline can scope its role without parsing strings. */
export interface PipelineResources {
  /** S3 locations with a known bucket. */
  readonly s3Locations: S3LocationUsage[];
  /** S3 locations whose bucket is unknown (no access is granted for them). */
  readonly unscopedS3Locations: S3LocationUsage[];
  /** KMS keys for volumes and outputs. */
  readonly kmsKeys: kms.IKey[];
  /** Container images. */
  readonly images: ContainerImage[];
  /** Model registries the definition registers models in. */
  readonly modelRegistries: IModelRegistry[];
  /** Model package group names given as plain names. */
  readonly modelPackageGroupNames: string[];
  /** Lambda functions invoked by Lambda steps. */
  readonly lambdaFunctions: lambda.IFunction[];
  /** Roles given to single steps (instead of the pipeline's role). */
  readonly stepRoles: iam.IRole[];
  /** Kinds of SageMaker jobs the steps create. */
  readonly jobTypes: SageMakerJobType[];
  /** True when a job runs in a VPC (the role then manages network interfaces). */
  readonly usesVpc: boolean;
}
