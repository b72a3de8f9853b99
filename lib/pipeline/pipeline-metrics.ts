import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** CloudWatch namespace of SageMaker Pipelines execution metrics. */
export const PIPELINE_NAMESPACE = 'AWS/Sagemaker/ModelBuildingPipeline';

/**
 * The metric factory of a SageMaker pipeline (`AWS/Sagemaker/ModelBuildingPipeline`, dimension `PipelineName`, plus
 * `StepName` for step metrics): every pipeline metric of the library is made here, so
 * `TrainingPipeline.metricXxx()`, `EndpointAlarms` and `MlopsDashboard` give the same metric for the same question.
 *
 * Defaults are CloudWatch's and aws-cdk-lib's: a period of 5 minutes; counts (`ExecutionStarted`, `StepFailed`, ...)
 * as `Sum`; durations (`ExecutionDuration`, `StepDuration`, in milliseconds) as `Average`. Every default can be
 * overridden through `cloudwatch.MetricOptions`; the pipeline alarm and dashboard of the platform count over an hour.
 *
 * @example
 * const failed = PipelineMetrics.executionsFailed(pipeline.pipelineName, { period: Duration.hours(1) });
 */
export class PipelineMetrics {
  /**
   * Any metric of the pipeline: `Sum` over 5 minutes, or `Average` for the durations (`ExecutionDuration`,
   * `StepDuration`), unless `options` say otherwise.
   */
  public static metric(metricName: string, pipelineName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: PIPELINE_NAMESPACE,
      metricName,
      dimensionsMap: { PipelineName: pipelineName },
      statistic: metricName.endsWith('Duration') ? cloudwatch.Stats.AVERAGE : cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
      ...options,
    });
  }

  /** Started executions of the pipeline (`Sum`). */
  public static executionsStarted(pipelineName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return PipelineMetrics.metric('ExecutionStarted', pipelineName, options);
  }

  /** Succeeded executions of the pipeline (`Sum`). */
  public static executionsSucceeded(pipelineName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return PipelineMetrics.metric('ExecutionSucceeded', pipelineName, options);
  }

  /** Failed executions of the pipeline (`Sum`). */
  public static executionsFailed(pipelineName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return PipelineMetrics.metric('ExecutionFailed', pipelineName, options);
  }

  /** Stopped executions of the pipeline (`Sum`). */
  public static executionsStopped(pipelineName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return PipelineMetrics.metric('ExecutionStopped', pipelineName, options);
  }

  /** Duration of the pipeline's executions in milliseconds (`Average`). */
  public static executionDuration(pipelineName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return PipelineMetrics.metric('ExecutionDuration', pipelineName, options);
  }

  /**
   * A step metric (`StepStarted`, `StepFailed`, `StepSucceeded`, `StepStopped`: `Sum`; `StepDuration`: `Average`)
   * of one step of the pipeline.
   */
  public static step(metricName: string, pipelineName: string, stepName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return PipelineMetrics.metric(metricName, pipelineName, {
      ...options,
      dimensionsMap: { PipelineName: pipelineName, StepName: stepName, ...options.dimensionsMap },
    });
  }

  private constructor() {}
}
