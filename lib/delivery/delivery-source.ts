import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { checkObjectKey } from './private/validate';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { checkBranch, checkConnectionArn, checkRepository } from '../private/source-repository';
import { invalid } from '../private/validate';

/**
 * A repository on GitHub, GitLab or Bitbucket, reached through an AWS CodeConnections connection.
 */
export interface CodeConnectionSourceProps {
  /**
   * ARN of the connection (created and authorized once in the console):
   * `arn:aws:codeconnections:<region>:<account>:connection/<id>` (`codestar-connections` ARNs work too).
   */
  readonly connectionArn: string;
  /** The repository as `owner/repo` (GitLab: `group/subgroup/repo`). */
  readonly repository: string;
  /**
   * The branch whose pushes start the pipeline.
   * @default 'main'
   */
  readonly branch?: string;
}

/**
 * A zipped copy of the repository in a versioned S3 bucket: uploading a new version starts the pipeline.
 */
export interface S3SourceProps {
  /**
   * The bucket. It must be versioned and send its events to EventBridge (S3 "Object Created" events, enabled with
   * the bucket's `eventBridgeEnabled` setting): the pipeline starts on those events.
   */
  readonly bucket: s3.IBucket;
  /** Key of the zip of the repository, e.g. `source/app.zip`. */
  readonly objectKey: string;
}

/** What a pipeline needs from its source. */
export interface DeliverySourceBindOptions {
  /** The artifact the source action writes. */
  readonly output: codepipeline.Artifact;
  /** Whether a change of the source starts the pipeline by itself (false: the pipeline is started by other means). */
  readonly triggerOnChange: boolean;
}

/**
 * Where the code of the ML project comes from: a CodeConnections repository or an S3 object.
 *
 * @example
 * const source = DeliverySource.codeConnection({
 *   connectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/abcd-1234',
 *   repository: 'my-org/churn',
 *   branch: 'main',
 * });
 */
export abstract class DeliverySource {
  /** A GitHub, GitLab or Bitbucket repository through AWS CodeConnections; a push to the branch starts the pipeline. */
  public static codeConnection(props: CodeConnectionSourceProps): DeliverySource {
    checkConnectionArn(undefined, 'connectionArn', props.connectionArn);
    checkRepository(undefined, 'repository', props.repository);
    if (props.branch !== undefined) checkBranch(undefined, 'branch', props.branch);
    return new CodeConnectionSource(props);
  }

  /** A zip of the repository in a versioned bucket; a new version of the object starts the pipeline. */
  public static s3(props: S3SourceProps): DeliverySource {
    checkObjectKey(undefined, 'objectKey', props.objectKey);
    const cfn = props.bucket.node.defaultChild;
    if (cfn instanceof s3.CfnBucket) {
      const versioning = cfn.versioningConfiguration as s3.CfnBucket.VersioningConfigurationProperty | undefined;
      if (versioning?.status !== 'Enabled') invalid(props.bucket, 'bucket', 'a versioned bucket (versioned: true)', cfn.node.path);
    }
    return new S3ObjectSource(props);
  }

  /** A short description of the source for descriptions and logs, e.g. `my-org/app@main`. */
  public abstract readonly description: string;

  /** Makes the source action of a pipeline. */
  public abstract bind(scope: Construct, options: DeliverySourceBindOptions): codepipeline.IAction;

  /**
   * Makes changes of the source start the pipeline, where that needs more than the source action (the S3 source: an
   * EventBridge rule). Called once the pipeline exists, only when the source triggers the pipeline.
   */
  public abstract bindTrigger(scope: Construct, pipeline: codepipeline.IPipeline): void;
}

class CodeConnectionSource extends DeliverySource {
  public readonly description: string;

  constructor(private readonly props: CodeConnectionSourceProps) {
    super();
    this.description = `${props.repository}@${props.branch ?? 'main'}`;
  }

  public bind(_scope: Construct, options: DeliverySourceBindOptions): codepipeline.IAction {
    const [owner, ...rest] = this.props.repository.split('/');
    return new actions.CodeStarConnectionsSourceAction({
      actionName: 'Source',
      connectionArn: this.props.connectionArn,
      owner,
      repo: rest.join('/'),
      branch: this.props.branch ?? 'main',
      output: options.output,
      triggerOnPush: options.triggerOnChange,
    });
  }

  public bindTrigger(): void {
    // The connection detects pushes itself (DetectChanges).
  }
}

class S3ObjectSource extends DeliverySource {
  public readonly description: string;

  constructor(private readonly props: S3SourceProps) {
    super();
    this.description = `s3://${props.bucket.bucketName}/${props.objectKey}`;
  }

  public bind(_scope: Construct, options: DeliverySourceBindOptions): codepipeline.IAction {
    return new actions.S3SourceAction({
      actionName: 'Source',
      bucket: this.props.bucket,
      bucketKey: this.props.objectKey,
      output: options.output,
      // Changes arrive as native S3 EventBridge events (bindTrigger): no polling, no CloudTrail data events needed.
      trigger: actions.S3Trigger.NONE,
    });
  }

  public bindTrigger(scope: Construct, pipeline: codepipeline.IPipeline): void {
    new events.Rule(scope, 'SourceChanged', {
      description: `Starts the pipeline when a new version of ${this.props.objectKey} is uploaded`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [this.props.bucket.bucketName] },
          object: { key: [this.props.objectKey] },
        },
      },
      targets: [new targets.CodePipeline(pipeline, {
        eventRole: new ManagedPolicyRole(scope, 'SourceChangedRole', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com') }),
      })],
    });
  }
}
