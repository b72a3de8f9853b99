import { Duration, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeCodeBuildDefaults } from './delivery-acknowledgements';
import { createEncryptedLogGroup } from './delivery-storage';
import { ManagedPolicyRole } from './managed-policy-role';

/** The default qualifier of `cdk bootstrap`. */
export const DEFAULT_BOOTSTRAP_QUALIFIER = 'hnb659fds';

/** The bootstrap roles the CDK CLI assumes to deploy (lookup, publish files and images, deploy). */
const BOOTSTRAP_ROLE_KINDS = ['deploy', 'file-publishing', 'image-publishing', 'lookup'];

/**
 * ARNs of the CDK bootstrap roles of one environment, `arn:<partition>:iam::<acct>:role/cdk-<q>-<kind>-role-<acct>-<region>`:
 * the only roles a deploying CodeBuild project may assume.
 */
export function bootstrapRoleArns(scope: Construct, account: string, region: string, qualifier: string): string[] {
  const partition = Stack.of(scope).partition;
  return BOOTSTRAP_ROLE_KINDS.map((kind) => `arn:${partition}:iam::${account}:role/cdk-${qualifier}-${kind}-role-${account}-${region}`);
}

/** Lets the grantee assume the CDK bootstrap roles of the environments given, and no other role. */
export function grantAssumeBootstrapRoles(grantee: iam.IGrantable, roleArns: string[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'AssumeCdkBootstrapRoles',
    actions: ['sts:AssumeRole', 'sts:TagSession'],
    resources: roleArns,
  }));
}

/** `-c key=value` arguments, in a stable order. */
export function contextArgs(context: { [key: string]: string }): string {
  return Object.keys(context).sort().map((k) => `-c ${shellWord(`${k}=${context[k]}`)}`).join(' ');
}

/** Options of {@link createDeliveryProject}. */
export interface DeliveryProjectOptions {
  readonly description: string;
  readonly buildSpec: codebuild.BuildSpec;
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly timeout: Duration;
  readonly environmentVariables?: { [name: string]: codebuild.BuildEnvironmentVariable };
}

/**
 * A CodeBuild project for a pipeline action: Node 20 image (STANDARD_7_0), privileged mode off, output encrypted with
 * the key, logs to its own encrypted CloudWatch log group with a retention.
 */
export function createDeliveryProject(scope: Construct, id: string, options: DeliveryProjectOptions): codebuild.PipelineProject {
  const logGroup = createEncryptedLogGroup(scope, `${id}Logs`, options.encryptionKey, options.logRetention);
  const role = new ManagedPolicyRole(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
  const project = new codebuild.PipelineProject(scope, id, {
    role,
    description: options.description,
    buildSpec: options.buildSpec,
    encryptionKey: options.encryptionKey,
    timeout: options.timeout,
    environment: {
      buildImage: codebuild.LinuxBuildImage.STANDARD_7_0,
      computeType: codebuild.ComputeType.SMALL,
      privileged: false,
    },
    environmentVariables: options.environmentVariables,
    logging: { cloudWatch: { logGroup } },
  });
  acknowledgeCodeBuildDefaults(role, project);
  return project;
}

/** Buildspec that installs the app's dependencies (Node 20) and runs the commands given. */
export function nodeBuildSpec(commands: string[]): codebuild.BuildSpec {
  return codebuild.BuildSpec.fromObject({
    version: '0.2',
    env: { shell: 'bash' },
    phases: {
      install: { 'runtime-versions': { nodejs: 20 }, 'commands': ['npm ci'] },
      build: { commands },
    },
  });
}

/** Quotes a word for the shell only when it needs it (`rate(7 days)` -> `'retrainSchedule=rate(7 days)'`). */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_.:\/@=+,-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
