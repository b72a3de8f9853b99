import { Duration } from 'aws-cdk-lib';
import { ParameterRange } from '../pipeline/definition/tuning-step';

/**
 * Props every ready-made trainer kind shares: hyperparameters, tuning (level 4) and job limits.
 */
export interface ModelTrainerProps {
  /**
   * Hyperparameters of the training job, as strings (a pipeline expression's `.asString()` is allowed when the
   * kind declares its parameter). With tuning, those the ranges name are searched instead.
   * @default - the kind's defaults
   */
  readonly hyperparameters?: { [key: string]: string };
  /**
   * What a hyperparameter tuning job searches when the platform tunes (level 4).
   * @default - the kind's defaults
   */
  readonly tuningRanges?: ParameterRange[];
  /**
   * Training jobs a tuning run may start, in all.
   * @default 8
   */
  readonly tuningMaxJobs?: number;
  /**
   * Training jobs a tuning run may run at once (at most `tuningMaxJobs`).
   * @default 2
   */
  readonly tuningMaxParallelJobs?: number;
  /**
   * Longest a training job may run.
   * @default Duration.hours(1)
   */
  readonly maxRuntime?: Duration;
  /**
   * How long a spot training job may wait for capacity and run, in all: at least `maxRuntime`; only with spot
   * training.
   * @default Duration.hours(2)
   */
  readonly spotMaxWait?: Duration;
}
