import { Aws, Fn, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { InputError } from './validate';

/**
 * The ECR repository ARN of an image URI `<account>.dkr.ecr.<region>.<suffix>/<repository>[:tag|@digest]`: parsed now
 * for a literal URI, with CloudFormation functions for a token. Used for images given by URI instead of a
 * `PrebuiltImage` (e.g. `ModelMonitor`'s `analyzerImageUri`).
 *
 * @param scope the construct whose prop gave the URI, named in the error
 * @param imageUri the image URI
 * @param propName the prop the URI came from, named in the error for a URI that is not an ECR image
 */
export function repositoryArnOfImage(scope: IConstruct, imageUri: string, propName: string): string {
  if (!Token.isUnresolved(imageUri)) {
    const arn = literalRepositoryArn(imageUri);
    if (!arn) {
      throw new InputError(scope, `${propName} must be an ECR image URI like '<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag]', got '${imageUri}'`);
    }
    return arn;
  }
  const host = Fn.select(0, Fn.split('/', imageUri));
  const path = Fn.select(1, Fn.split('/', imageUri));
  const account = Fn.select(0, Fn.split('.', host));
  const region = Fn.select(3, Fn.split('.', host));
  const repository = Fn.select(0, Fn.split(':', Fn.select(0, Fn.split('@', path))));
  return `arn:${Aws.PARTITION}:ecr:${region}:${account}:repository/${repository}`;
}

/** The ECR repository ARN of a literal image URI `<account>.dkr.ecr.<region>.<suffix>/<repository>[:tag|@digest]`, or undefined for any other URI. */
export function literalRepositoryArn(imageUri: string): string | undefined {
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.[^/]+\/([^:@]+)/.exec(imageUri);
  return match ? `arn:${Aws.PARTITION}:ecr:${match[2]}:${match[1]}:repository/${match[3]}` : undefined;
}
