import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { acknowledgeWildcards } from '../../private/nag-acknowledgements';

/** What the endpoint's execution role must reach. */
export interface ExecutionRoleNeeds {
  readonly endpointName: string;
  readonly encryptionKey?: kms.IKey;
  readonly artifactBucket?: s3.IBucket;
  readonly artifactKeyPrefix?: string;
  readonly imageRepositories?: ecr.IRepository[];
  readonly captureBucket?: s3.IBucket;
  readonly capturePrefix?: string;
  readonly captureKey?: kms.IKey;
  readonly vpc?: ec2.IVpc;
}

/**
 * Adds to `role` the least-privilege permissions a SageMaker endpoint's models need, and acknowledges (finding by
 * finding, on `ackScope`) the wildcards that cannot be avoided, each with its reason.
 */
export function grantEndpointExecution(role: iam.IRole, ackScope: IConstruct, needs: ExecutionRoleNeeds): void {
  const stack = Stack.of(ackScope);
  const add = (statement: iam.PolicyStatement, reason?: string) => {
    role.addToPrincipalPolicy(statement);
    if (reason) acknowledgeWildcards(ackScope, statement, reason);
  };

  // Model artifacts: read only, only under the given prefix.
  if (needs.artifactBucket) {
    const prefix = needs.artifactKeyPrefix ?? '';
    add(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [needs.artifactBucket.arnForObjects(`${prefix}*`)],
    }), `model artifacts are read from the objects ${prefix ? `under '${prefix}' ` : ''}of the artifact bucket; their keys are versioned per training run`);
    add(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [needs.artifactBucket.bucketArn] }));
    if (needs.artifactBucket.encryptionKey) {
      add(new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [needs.artifactBucket.encryptionKey.keyArn] }));
    }
  }

  // Container images: pull only.
  const pull = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'];
  if (needs.imageRepositories && needs.imageRepositories.length > 0) {
    add(new iam.PolicyStatement({ actions: pull, resources: needs.imageRepositories.map((r) => r.repositoryArn) }));
  } else {
    add(new iam.PolicyStatement({
      actions: pull,
      resources: [stack.formatArn({ service: 'ecr', account: '*', resource: 'repository', resourceName: '*' })],
    }), 'pull only, in this region: the inference image a model package names may be a SageMaker built-in image in an AWS-owned account; pass imageRepositories to scope it');
  }
  add(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
    'ecr:GetAuthorizationToken supports no resource-level permissions; image pulls themselves are scoped');

  // Logs of this endpoint only.
  const logGroup = stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: `/aws/sagemaker/Endpoints/${needs.endpointName}`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  add(new iam.PolicyStatement({
    actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
    resources: [logGroup, `${logGroup}:*`],
  }), `log streams of this endpoint's own log group /aws/sagemaker/Endpoints/${needs.endpointName}`);
  add(new iam.PolicyStatement({
    actions: ['cloudwatch:PutMetricData'],
    resources: ['*'],
    conditions: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/Endpoints*' } },
  }), 'cloudwatch:PutMetricData supports no resource-level permissions; limited to the SageMaker endpoint namespace by condition');

  // Volume and capture encryption.
  const keys = [needs.encryptionKey, needs.captureKey].filter((k): k is kms.IKey => k !== undefined);
  const uniqueKeys = keys.filter((k, i) => keys.indexOf(k) === i);
  if (uniqueKeys.length > 0) {
    add(new iam.PolicyStatement({
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: uniqueKeys.map((k) => k.keyArn),
    }));
  }

  // Data capture: write only, only under the capture prefix.
  if (needs.captureBucket) {
    add(new iam.PolicyStatement({
      actions: ['s3:PutObject'],
      resources: [needs.captureBucket.arnForObjects(`${needs.capturePrefix}/*`)],
    }), `captured requests and responses are written under '${needs.capturePrefix}/' only, one object per capture file`);
  }

  // VPC: network interfaces in the endpoint's VPC.
  if (needs.vpc) {
    add(new iam.PolicyStatement({
      actions: ['ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces'],
      resources: ['*'],
    }), 'EC2 Describe calls support no resource-level permissions; SageMaker reads the VPC layout to place the endpoint');
    add(new iam.PolicyStatement({
      actions: ['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
      resources: ['*'],
      conditions: { ArnEquals: { 'ec2:Vpc': stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: needs.vpc.vpcId }) } },
    }), 'the network interfaces SageMaker creates do not exist yet; limited to the endpoint\'s VPC by condition');
  }
}
