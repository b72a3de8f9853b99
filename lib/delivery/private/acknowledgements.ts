import { Stack, Validations } from 'aws-cdk-lib';
import { acknowledgePolicyWildcards, acknowledgeWildcardResources } from '../../private/nag-acknowledgements';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

/**
 * Acknowledges the one AwsSolutions-IAM5 finding of `sagemaker:DescribeModelPackage` on the versions of one model
 * package group (`model-package/<group>/*`): the build must read the approval status of whichever version was approved.
 */
export function acknowledgeModelPackageRead(role: IConstruct, modelPackageArnPattern: string): void {
  acknowledgeWildcardResources(role, [modelPackageArnPattern],
    'DescribeModelPackage on the versions of the one registry group being deployed: the approved version is known only when the event arrives');
}

/** The wildcard actions of the CDK's `bucket.grantReadWrite` (S3) and of its key grant (KMS). */
const ARTIFACT_WILDCARD_ACTIONS = [
  's3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*',
];

/**
 * Acknowledges, finding by finding, the AwsSolutions-IAM5 wildcards of the CDK's artifact grants on a delivery role:
 * the object wildcard of the pipeline's own artifact bucket and the action wildcards of `grantReadWrite`.
 */
export function acknowledgeArtifactAccess(role: IConstruct, bucket: s3.IBucket, what: string): void {
  const reason = `${what} reads and writes the pipeline's artifacts: only objects of the pipeline's own artifact bucket and its KMS key (the CDK's CodePipeline grant)`;
  for (const action of ARTIFACT_WILDCARD_ACTIONS) {
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason });
  }
  acknowledgeWildcardResources(role, [bucket.arnForObjects('*')], reason);
}

/**
 * Acknowledges the two name-pattern resources the CDK grants every CodeBuild project: the streams of its default log
 * group `/aws/codebuild/<project>:*` and its report groups `<project>-*`; both are scoped to this project's name.
 */
export function acknowledgeCodeBuildDefaults(role: IConstruct, project: codebuild.Project): void {
  const cfn = project.node.defaultChild as codebuild.CfnProject;
  const logicalId = Stack.of(cfn).getLogicalId(cfn);
  acknowledgePolicyWildcards(role, (kind, value) => {
    if (kind !== 'Resource') return undefined;
    if (value.endsWith(`:log-group:/aws/codebuild/<${logicalId}>:*`)) {
      return 'log streams of this project\'s own default log group (the CDK grants it to every project; builds log to the encrypted group set on the project)';
    }
    if (value.endsWith(`:report-group/<${logicalId}>-*`)) return 'test report groups named after this project only (the CDK grants them to every project)';
    return undefined;
  });
}
