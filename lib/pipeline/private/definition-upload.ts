import * as crypto from 'crypto';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, IConstruct } from 'constructs';
import { createProviderRuntime } from '../../private/provider-runtime';
import { acknowledgePolicyWildcards } from '../../private/nag-acknowledgements';
import { displayPath } from '../../private/display-path';

/** Stack-level id of the shared provider pieces (one per stack, like the BucketDeployment singleton Lambda). */
const PROVIDER_ID = 'PipelineDefinitionUploadProvider';

/**
 * What the `BucketDeployment` Lambda that uploads large pipeline definitions runs with: a role of customer-managed
 * policies only (no AWS managed policy, no inline policy) and a KMS-encrypted, retained log group. One per stack,
 * because the BucketDeployment provider Lambda is a singleton in its stack (the first role given is the one it keeps).
 */
class PipelineDefinitionUploadProvider extends Construct {
  /** The shared provider of the stack of `scope`, created on first use. */
  public static of(scope: Construct): PipelineDefinitionUploadProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(PROVIDER_ID) as PipelineDefinitionUploadProvider | undefined;
    return existing ?? new PipelineDefinitionUploadProvider(stack, PROVIDER_ID);
  }

  /** Execution role of the upload Lambda. */
  public readonly role: iam.Role;
  /** Log group of the upload Lambda. */
  public readonly logGroup: logs.LogGroup;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const runtime = createProviderRuntime(this, 'pipeline definition uploader', 'Uploads SageMaker pipeline definitions too large to inline (BucketDeployment) at deploy time');
    this.role = runtime.role;
    this.logGroup = runtime.logGroup;
    // The wildcards BucketDeployment writes into this role: reading the CDK asset it copies from, and syncing into
    // the definition buckets (the sync lists, reads, writes and, for objects it replaces, deletes).
    acknowledgePolicyWildcards(this.role, (kind, value, actions) => {
      const writes = actions.some((a) => a.startsWith('s3:Put') || a.startsWith('s3:Delete'));
      if (kind === 'Action' && value.startsWith('s3:')) {
        return `BucketDeployment grants the pipeline definition uploader ${value} (grantRead/grantReadWrite) so 'aws s3 sync' can list, read${writes ? ', write and replace' : ''} the definition objects it copies`;
      }
      if (kind === 'Action' && value.startsWith('kms:')) {
        return `BucketDeployment grants the pipeline definition uploader ${value} on the definition bucket's key only, so the objects it writes are encrypted with it`;
      }
      if (kind === 'Resource' && value.includes('cdk-') && value.includes('-assets-')) {
        return 'the pipeline definition uploader reads the CDK asset (the definition with deploy-time markers) from the bootstrap assets bucket, whose object keys are content hashes unknown until synth';
      }
      if (kind === 'Resource' && value.endsWith('/*')) {
        return 'the pipeline definition uploader syncs the definition objects into the definition bucket; their keys carry a hash of the definition, so they are not known in advance';
      }
      return undefined;
    });
  }
}

/**
 * A bucket for pipeline definitions: versioned, KMS-encrypted with a rotated key, all public access blocked,
 * SSL only with TLS 1.2 minimum, bucket owner enforced, retained. It holds only definitions CloudFormation writes.
 */
export function createDefinitionBucket(scope: Construct, id: string): s3.Bucket {
  const key = new kms.Key(scope, `${id}Key`, {
    description: `Encrypts the pipeline definitions of ${displayPath(scope)}`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const bucket = new s3.Bucket(scope, id, {
    versioned: true,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{ id: 'noncurrent-definitions', abortIncompleteMultipartUploadAfter: Duration.days(7), noncurrentVersionExpiration: Duration.days(90) }],
  });
  const what = `the pipeline definition bucket of ${displayPath(scope)}`;
  const logs = `${what} holds only the definition CloudFormation uploads at deploy time (keys are hashes of the definition, which is also in the template): its writes are the stack's deployments, so access logs would add a second bucket and no information`;
  Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: logs });
  Validations.of(bucket).acknowledge({ id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: logs });
  Validations.of(bucket).acknowledge({
    id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
    reason: `${what} holds a copy of a definition that is rebuilt from the app on every deployment; it is read in its own region by SageMaker only`,
  });
  return bucket;
}

/** Hex sha256 of the definition as the stack writes it (tokens resolved to their CloudFormation expressions). */
export function definitionHash(scope: IConstruct, body: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(Stack.of(scope).resolve(body))).digest('hex');
}

/**
 * Uploads the rendered definition (with its deploy-time values substituted) to `bucket` under `key` through a
 * `BucketDeployment`: the object is retained when the deployment is deleted or replaced, and nothing else in the
 * bucket is pruned.
 */
export function uploadDefinition(scope: Construct, id: string, bucket: s3.IBucket, key: string, body: unknown): s3deploy.BucketDeployment {
  const provider = PipelineDefinitionUploadProvider.of(scope);
  const deployment = new s3deploy.BucketDeployment(scope, id, {
    sources: [s3deploy.Source.jsonData(key, body)],
    destinationBucket: bucket,
    retainOnDelete: true,
    prune: false,
    extract: true,
    role: provider.role,
    logGroup: provider.logGroup,
    memoryLimit: 512,
  });
  // The uploader's permissions are managed policies (children of the role): the upload must wait until they are attached.
  deployment.node.addDependency(provider.role);
  acknowledgeUploaderFindings(Stack.of(scope));
  return deployment;
}

const ACKNOWLEDGED = new WeakSet<IConstruct>();

/** The findings left on the BucketDeployment singleton Lambda (a child of the stack), each with its reason, once. */
function acknowledgeUploaderFindings(stack: Stack): void {
  const fn = stack.node.children.find((c) => c instanceof lambda.Function && c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!fn || ACKNOWLEDGED.has(fn)) return;
  ACKNOWLEDGED.add(fn);
  const runtime = (fn as lambda.Function).runtime.name;
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason: `the pipeline definition uploader is aws-cdk-lib's BucketDeployment handler, whose runtime (${runtime}, supported) aws-cdk-lib pins together with its AWS CLI layer; changing it would run the handler and the CLI on a runtime they are not released for`,
  });
  Validations.of(fn).acknowledge({
    id: 'NIST.800.53.R5-LambdaInsideVPC',
    reason: 'the pipeline definition uploader copies one object from the CDK assets bucket to the definition bucket through the S3 API during deployments; it needs no network path into a VPC',
  });
  Validations.of(fn).acknowledge({
    id: 'NIST.800.53.R5-LambdaDLQ',
    reason: 'CloudFormation invokes the pipeline definition uploader and waits for its answer: a failed upload fails and rolls back the deployment before the pipeline changes, so no event can be lost silently',
  });
  Validations.of(fn).acknowledge({
    id: 'NIST.800.53.R5-LambdaConcurrency',
    reason: 'the pipeline definition uploader runs once per deployment that changes a definition; reserving concurrency would take from the account\'s unreserved pool, which CloudFormation refuses to lower below its minimum in new accounts',
  });
}
