import { compact } from './render';
import { checkJobProps, collectJob, maxRuntimeSeconds, renderInstances, renderVpcConfig } from './job';
import { ResourceCollector } from './resource-collector';
import { invalid } from '../../../private/validate';
import { InputMode, S3DataDistribution, S3DataType } from '../processing-step';
import { S3Access, SageMakerJobType } from '../resources';
import type { TrainingJobProps } from '../training-step';

/** Checks the training-specific props. */
export function checkTrainingProps(stepName: string, props: TrainingJobProps): void {
  checkJobProps(stepName, props);
  if (props.useSpotInstances) {
    if (!props.checkpoint) invalid(undefined, `step '${stepName}' checkpoint`, 'set when useSpotInstances is true (interrupted spot jobs resume from it)', undefined);
    const wait = props.maxWaitTime?.toSeconds();
    if (wait !== undefined && wait < maxRuntimeSeconds(props)) {
      invalid(undefined, `step '${stepName}' maxWaitTime (seconds)`, `at least maxRuntime (${maxRuntimeSeconds(props)})`, wait);
    }
  } else if (props.maxWaitTime) {
    invalid(undefined, `step '${stepName}' maxWaitTime`, 'set only with useSpotInstances', props.maxWaitTime.toSeconds());
  }
}

/** Renders the training job request without names; used by TrainingStep and TuningStep. */
export function renderTrainingJob(props: TrainingJobProps, roleArn: string, forTuning: boolean): { [key: string]: any } {
  const p = props;
  const algorithm: { [key: string]: any } = { TrainingImage: p.image.imageUri, TrainingInputMode: p.inputMode ?? InputMode.FILE };
  if (p.metricDefinitions && p.metricDefinitions.length > 0) {
    algorithm.MetricDefinitions = p.metricDefinitions.map((m) => ({ Name: m.name, Regex: m.regex }));
  }
  const maxRuntime = maxRuntimeSeconds(p);
  const stopping: { [key: string]: any } = { MaxRuntimeInSeconds: maxRuntime };
  if (p.useSpotInstances) stopping.MaxWaitTimeInSeconds = p.maxWaitTime?.toSeconds() ?? 2 * maxRuntime;
  const job: { [key: string]: any } = {
    AlgorithmSpecification: algorithm,
    OutputDataConfig: compact({ S3OutputPath: p.output.uri, KmsKeyId: p.outputKmsKey?.keyArn }),
    StoppingCondition: stopping,
    ResourceConfig: renderInstances(p),
    RoleArn: roleArn,
  };
  if (p.inputs && p.inputs.length > 0) {
    job.InputDataConfig = p.inputs.map((c) => compact({
      ChannelName: c.channelName,
      DataSource: {
        S3DataSource: {
          S3DataType: c.s3DataType ?? S3DataType.S3_PREFIX,
          S3Uri: c.source.uri,
          S3DataDistributionType: c.distribution ?? S3DataDistribution.FULLY_REPLICATED,
        },
      },
      ContentType: c.contentType,
      InputMode: c.inputMode,
    }));
  }
  if (p.hyperparameters) job[forTuning ? 'StaticHyperParameters' : 'HyperParameters'] = p.hyperparameters;
  if (p.environment) job.Environment = p.environment;
  if (p.network) job.VpcConfig = renderVpcConfig(p.network);
  if (p.enableNetworkIsolation) job.EnableNetworkIsolation = true;
  job.EnableInterContainerTrafficEncryption = p.encryptInterContainerTraffic ?? true;
  if (p.useSpotInstances) {
    job.EnableManagedSpotTraining = true;
    job.CheckpointConfig = { S3Uri: p.checkpoint!.uri, LocalPath: p.checkpointLocalPath ?? '/opt/ml/checkpoints' };
  }
  return job;
}

/** Records what a training job uses. */
export function collectTrainingJob(resources: ResourceCollector, props: TrainingJobProps, jobType: SageMakerJobType): void {
  collectJob(resources, props, jobType);
  for (const c of props.inputs ?? []) resources.s3Location(c.source, S3Access.READ);
  resources.s3Location(props.output, S3Access.READ_WRITE);
  resources.s3Location(props.checkpoint, S3Access.READ_WRITE);
}


