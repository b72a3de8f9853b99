import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from '../../private/managed-policy-role';
import { acknowledgePolicyWildcards } from '../../private/nag-acknowledgements';
import { objectsUnder } from './s3';
import { displayPath } from '../../private/display-path';

/** An S3 location the monitoring jobs read or write. */
export interface MonitoringLocation {
  readonly bucket: s3.IBucket;
  readonly prefix: string;
  /** What is there, used in the acknowledgement reasons. */
  readonly purpose: string;
}

/** What the monitoring jobs touch. */
export interface MonitoringRoleSpec {
  readonly reads: MonitoringLocation[];
  readonly writes: MonitoringLocation[];
  readonly encryptionKey: kms.IKey;
  /** ECR repositories of the analyzer (and Clarify) images. */
  readonly repositoryArns: string[];
}

/**
 * The least-privilege execution role of Model Monitor jobs: read the capture, baseline and ground-truth prefixes,
 * write the results prefix, use the KMS key for volumes and outputs, write the processing job logs, publish
 * Model Monitor metrics and pull the analyzer image. Customer-managed policies only (NIST IAMNoInlinePolicy).
 */
export function createMonitoringRole(scope: Construct, id: string, spec: MonitoringRoleSpec): iam.Role {
  const stack = Stack.of(scope);
  const role = new ManagedPolicyRole(scope, id, {
    assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    description: `Runs the Model Monitor jobs of ${displayPath(scope)}`,
  });
  for (const r of spec.reads) r.bucket.grantRead(role, objectsUnder(r.prefix));
  for (const w of spec.writes) w.bucket.grantPut(role, objectsUnder(w.prefix));
  spec.encryptionKey.grantEncryptDecrypt(role);
  // Volume encryption: SageMaker creates a grant on the key for the job's ML storage volume.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['kms:CreateGrant', 'kms:DescribeKey'],
    resources: [spec.encryptionKey.keyArn],
    conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
    resources: spec.repositoryArns,
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
  const processingLogs = stack.formatArn({
    service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/ProcessingJobs:*', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
    resources: [processingLogs],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['cloudwatch:PutMetricData'],
    resources: ['*'],
    conditions: { StringLike: { 'cloudwatch:namespace': 'aws/sagemaker/Endpoints/*' } },
  }));

  const purposes = [...spec.reads.map((r) => `${r.purpose} (read)`), ...spec.writes.map((w) => `${w.purpose} (write)`)].join(', ');
  acknowledgePolicyWildcards(role, (kind, value, actions) => {
    if (kind === 'Action') {
      if (value.startsWith('s3:')) return `${value} is one of the action groups of the CDK's S3 read/put grants, limited here to the monitoring prefixes: ${purposes}`;
      if (value.startsWith('kms:')) return `${value} is one of the action groups of the CDK's KMS grants, limited here to the keys of the monitoring buckets and of the job volumes and reports`;
      return undefined;
    }
    if (value === '*') {
      if (actions.every((a) => a === 'ecr:GetAuthorizationToken' || a === 'cloudwatch:PutMetricData')) {
        return `${actions.join(', ')} supports no resource-level permission (PutMetricData is limited to the aws/sagemaker/Endpoints/* namespaces by condition)`;
      }
      return undefined;
    }
    if (actions.every((a) => a.startsWith('s3:'))) {
      return `objects under a monitoring prefix (${purposes}): SageMaker names the objects per capture hour and monitoring execution`;
    }
    if (actions.every((a) => a.startsWith('logs:')) && value.includes('/aws/sagemaker/ProcessingJobs')) {
      return 'the log streams SageMaker creates per monitoring job in /aws/sagemaker/ProcessingJobs';
    }
    return undefined;
  });
  return role;
}
