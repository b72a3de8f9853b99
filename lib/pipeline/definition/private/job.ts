import { Duration } from 'aws-cdk-lib';
import type { JobStepProps } from '../job-props';
import type { JobNetworkConfig, SageMakerJobType } from '../resources';
import type { ResourceCollector } from './resource-collector';
import { checkInstanceType, checkInteger } from '../../../private/validate';

/** Default instance type of the job steps. */
const DEFAULT_INSTANCE_TYPE = 'ml.m5.xlarge';

/** Checks the instance, volume and runtime props of a job step. */
export function checkJobProps(stepName: string, props: JobStepProps): void {
  checkInstanceType(undefined, `step '${stepName}' instanceType`, props.instanceType);
  checkInteger(undefined, `step '${stepName}' instanceCount`, props.instanceCount, 1, 100);
  checkInteger(undefined, `step '${stepName}' volumeSizeInGb`, props.volumeSizeInGb, 1, 16384);
  checkInteger(undefined, `step '${stepName}' maxRuntime (seconds)`, props.maxRuntime?.toSeconds(), 1, 28 * 24 * 3600);
}

/** `InstanceType`, `InstanceCount`, `VolumeSizeInGB`, `VolumeKmsKeyId` of a job. */
export function renderInstances(props: JobStepProps): { [key: string]: any } {
  const out: { [key: string]: any } = {
    InstanceType: props.instanceType ?? DEFAULT_INSTANCE_TYPE,
    InstanceCount: props.instanceCount ?? 1,
    VolumeSizeInGB: props.volumeSizeInGb ?? 30,
  };
  if (props.volumeKmsKey) out.VolumeKmsKeyId = props.volumeKmsKey.keyArn;
  return out;
}

/** `StoppingCondition.MaxRuntimeInSeconds`. */
export function maxRuntimeSeconds(props: JobStepProps): number {
  return (props.maxRuntime ?? Duration.days(1)).toSeconds();
}

/** `VpcConfig` of a job, if it runs in a VPC. */
export function renderVpcConfig(network: JobNetworkConfig | undefined): any {
  if (!network) return undefined;
  return {
    SecurityGroupIds: network.securityGroups.map((g) => g.securityGroupId),
    Subnets: network.subnets.map((s) => s.subnetId),
  };
}

/** Records the image, keys, role and network of a job step. */
export function collectJob(resources: ResourceCollector, props: JobStepProps, jobType: SageMakerJobType): void {
  resources.job(jobType);
  resources.image(props.image);
  resources.key(props.volumeKmsKey);
  resources.key(props.outputKmsKey);
  resources.role(props.role);
  if (props.network) resources.usesVpc();
}
