import { Aws, CfnMapping, Fn, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A container image and the ECR repository ARN to grant pulls on. */
export interface PrebuiltImage {
  /** `<account>.dkr.ecr.<region>.<urlSuffix>/<repository>[:<tag>]`. */
  readonly imageUri: string;
  /** `arn:<partition>:ecr:<region>:<account>:repository/<repository>`. */
  readonly repositoryArn: string;
}

/** What {@link prebuiltImage} needs to know about one SageMaker prebuilt image. */
export interface PrebuiltImageSpec {
  /** Id of the stack-level CfnMapping (one per stack, shared by every construct). */
  readonly mappingId: string;
  /** Region -> registry account. */
  readonly accounts: { [region: string]: string };
  readonly repositoryName: string;
  readonly tag?: string;
  /** The prop that overrides this image, named in the error for a region without the image. */
  readonly propName: string;
}

/**
 * A SageMaker prebuilt image URI of the stack's region, its account from a stack-level CfnMapping (region-agnostic
 * stacks resolve it at deploy time). A stack in a known region without such an image is an error naming the prop
 * to set instead.
 */
export function prebuiltImage(scope: IConstruct, spec: PrebuiltImageSpec): PrebuiltImage {
  const stack = Stack.of(scope);
  const region = stack.region;
  if (!Token.isUnresolved(region) && spec.accounts[region] === undefined) {
    throw new Error(`${spec.propName} must be given in region '${region}': SageMaker has no ${spec.repositoryName} image there (known regions: ${Object.keys(spec.accounts).sort().join(', ')})`);
  }
  const existing = stack.node.tryFindChild(spec.mappingId) as CfnMapping | undefined;
  const mapping = existing ?? new CfnMapping(stack, spec.mappingId, {
    mapping: Object.fromEntries(Object.entries(spec.accounts).map(([r, a]) => [r, { account: a }])),
  });
  const account = mapping.findInMap(Aws.REGION, 'account');
  const tag = spec.tag ? `:${spec.tag}` : '';
  return {
    imageUri: `${account}.dkr.ecr.${region}.${Aws.URL_SUFFIX}/${spec.repositoryName}${tag}`,
    repositoryArn: `arn:${Aws.PARTITION}:ecr:${region}:${account}:repository/${spec.repositoryName}`,
  };
}

/**
 * The ECR repository ARN of an image URI `<account>.dkr.ecr.<region>.<suffix>/<repository>[:tag|@digest]`: parsed now
 * for a literal URI, with CloudFormation functions for a token.
 */
export function repositoryArnOfImage(imageUri: string): string {
  if (!Token.isUnresolved(imageUri)) {
    const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.[^/]+\/([^:@]+)/.exec(imageUri);
    if (!match) {
      throw new Error(`analyzerImageUri must be an ECR image URI like '<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag]', got '${imageUri}'`);
    }
    return `arn:${Aws.PARTITION}:ecr:${match[2]}:${match[1]}:repository/${match[3]}`;
  }
  const host = Fn.select(0, Fn.split('/', imageUri));
  const path = Fn.select(1, Fn.split('/', imageUri));
  const account = Fn.select(0, Fn.split('.', host));
  const region = Fn.select(3, Fn.split('.', host));
  const repository = Fn.select(0, Fn.split(':', Fn.select(0, Fn.split('@', path))));
  return `arn:${Aws.PARTITION}:ecr:${region}:${account}:repository/${repository}`;
}
