import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { checkWholeDuration } from '../private/validate';
import { displayPath } from '../private/display-path';

/**
 * Properties of a {@link TrainingImageRepository}.
 */
export interface TrainingImageRepositoryProps {
  /**
   * KMS key that encrypts the images.
   * @default - a key with rotation is created (retained)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Age at which untagged images (superseded builds) are deleted (whole days, >= 1; ECR's `maxImageAge`).
   * @default Duration.days(14)
   */
  readonly untaggedImageMaxAge?: Duration;

  /**
   * What happens to the repository when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A container repository for reproducible training images: immutable tags (a tag always means the same image),
 * scan on push, KMS encryption, and a lifecycle rule that removes untagged images.
 *
 * @example
 * const images = new TrainingImageRepository(this, 'Images');
 * images.repository.grantPull(pipelineRole);
 */
export class TrainingImageRepository extends Construct {
  /** The ECR repository. */
  public readonly repository: ecr.Repository;
  /** The key that encrypts the images. */
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: TrainingImageRepositoryProps = {}) {
    super(scope, id);
    checkWholeDuration(this, 'untaggedImageMaxAge', props.untaggedImageMaxAge, 'days', 1);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
      description: `Encrypts the training images of ${displayPath(this)}`,
      enableKeyRotation: true,
      removalPolicy,
    });
    this.repository = new ecr.Repository(this, 'Repository', {
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: this.encryptionKey,
      removalPolicy,
      lifecycleRules: [{
        description: 'Remove untagged images',
        tagStatus: ecr.TagStatus.UNTAGGED,
        maxImageAge: props.untaggedImageMaxAge ?? Duration.days(14),
      }],
    });
  }

  /** The repository URI for a tag: `<account>.dkr.ecr.<region>.<suffix>/<repo>:<tag>`. */
  public imageUri(tag: string): string {
    return this.repository.repositoryUriForTag(tag);
  }

  /** Lets the grantee pull images (SageMaker execution roles). */
  public grantPull(grantee: iam.IGrantable): iam.Grant {
    return this.repository.grantPull(grantee);
  }

  /** Lets the grantee push and pull images (a CI build). */
  public grantPullPush(grantee: iam.IGrantable): iam.Grant {
    return this.repository.grantPullPush(grantee);
  }
}
