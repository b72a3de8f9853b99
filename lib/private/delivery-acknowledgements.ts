import { Stack, Validations } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

/**
 * How cdk-nag writes a resource in a finding id: the resolved CloudFormation value with `Ref` as `<Id>`,
 * `Fn::GetAtt` as `<Id.Attr>` and `Fn::Join` flattened.
 */
export function nagResourceString(scope: IConstruct, value: string): string {
  return flatten(Stack.of(scope).resolve(value));
}

function flatten(value: any): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    if ('Ref' in value) return `<${value.Ref}>`;
    if ('Fn::GetAtt' in value) return `<${value['Fn::GetAtt'].join('.')}>`;
    if ('Fn::Join' in value) return value['Fn::Join'][1].map(flatten).join(value['Fn::Join'][0]);
  }
  return JSON.stringify(value);
}

/**
 * Acknowledges the one AwsSolutions-IAM5 finding of `sagemaker:DescribeModelPackage` on the versions of one model
 * package group (`model-package/<group>/*`): the build must read the approval status of whichever version was approved.
 */
export function acknowledgeModelPackageRead(role: IConstruct, modelPackageArnPattern: string): void {
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagResourceString(role, modelPackageArnPattern)}]`,
    reason: 'DescribeModelPackage on the versions of the one registry group being deployed: the approved version is known only when the event arrives',
  });
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
  const cfnBucket = bucket.node.defaultChild;
  if (cfnBucket instanceof s3.CfnBucket) {
    const logicalId = Stack.of(cfnBucket).getLogicalId(cfnBucket);
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/*]`, reason });
  }
}

/**
 * Acknowledges the two name-pattern resources the CDK grants every CodeBuild project: the streams of its default log
 * group `/aws/codebuild/<project>:*` and its report groups `<project>-*`; both are scoped to this project's name.
 */
export function acknowledgeCodeBuildDefaults(role: IConstruct, project: codebuild.Project): void {
  const cfn = project.node.defaultChild as codebuild.CfnProject;
  const logicalId = Stack.of(cfn).getLogicalId(cfn);
  const prefix = 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>';
  Validations.of(role).acknowledge({
    id: `${prefix}:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/codebuild/<${logicalId}>:*]`,
    reason: 'log streams of this project\'s own default log group (the CDK grants it to every project; builds log to the encrypted group set on the project)',
  });
  Validations.of(role).acknowledge({
    id: `${prefix}:codebuild:<AWS::Region>:<AWS::AccountId>:report-group/<${logicalId}>-*]`,
    reason: 'test report groups named after this project only (the CDK grants them to every project)',
  });
}
