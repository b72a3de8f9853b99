import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ResourceCollector } from './private/resource-collector';
import { MISSING_ROLE } from './private/step-render';
import { IPipelineStep, StepProperty } from './expression';

/** Caching of a step's results across executions (`CacheConfig`). */
export interface CacheConfig {
  /**
   * Reuse the result of a previous execution with the same arguments.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * How long a cached result stays usable (written as an ISO-8601 duration, e.g. `P30D`).
   * @default - no expiry
   */
  readonly expireAfter?: Duration;
}

/** The errors a retry policy retries on. */
export enum RetryExceptionType {
  /** The step failed because the SageMaker service faulted (step level). */
  STEP_SERVICE_FAULT = 'Step.SERVICE_FAULT',
  /** The step was throttled (step level). */
  STEP_THROTTLING = 'Step.THROTTLING',
  /** The job failed with an internal error (job steps only). */
  JOB_INTERNAL_ERROR = 'SageMaker.JOB_INTERNAL_ERROR',
  /** No capacity for the job's instances, e.g. spot (job steps only). */
  CAPACITY_ERROR = 'SageMaker.CAPACITY_ERROR',
  /** An account resource limit was hit (job steps only). */
  RESOURCE_LIMIT = 'SageMaker.RESOURCE_LIMIT',
}

/** A retry policy of a step (`RetryPolicies[]`): exactly one of `maxAttempts` or `expireAfter`. */
export interface RetryPolicy {
  /** The errors to retry on. */
  readonly exceptionTypes: RetryExceptionType[];
  /**
   * Wait before the first retry.
   * @default Duration.seconds(1)
   */
  readonly interval?: Duration;
  /**
   * Factor the wait grows by on each retry.
   * @default 2
   */
  readonly backoffRate?: number;
  /**
   * Most attempts (1 to 20).
   * @default - use expireAfter
   */
  readonly maxAttempts?: number;
  /**
   * Stop retrying after this long (at most 14,400 minutes).
   * @default - use maxAttempts
   */
  readonly expireAfter?: Duration;
}

/** Props every step takes. */
export interface StepProps {
  /**
   * Name shown in SageMaker Studio.
   * @default - the step name
   */
  readonly displayName?: string;
  /**
   * Description of the step.
   * @default - none
   */
  readonly description?: string;
  /**
   * Steps that must finish before this one (in addition to the steps whose properties it reads).
   * @default - none
   */
  readonly dependsOn?: Step[];
}

/** @internal what a step needs from the definition while it renders. */
export interface StepRenderContext {
  /** ARN of the pipeline's role, the default role of the jobs. */
  readonly roleArn?: string;
  /** Renders a nested step (condition branches). */
  readonly renderStep: (step: Step) => any;
}

const STEP_NAME = /^[A-Za-z0-9\-_]*$/;

/**
 * A step of a pipeline definition. Subclasses: `ProcessingStep`, `TrainingStep`, `TuningStep`, `CreateModelStep`,
 * `RegisterModelStep`, `ConditionStep`, `FailStep`, `QualityCheckStep`, `LambdaStep`.
 */
export abstract class Step implements IPipelineStep {
  private readonly explicitDependencies: Step[];

  protected constructor(
    /** Name of the step, unique in the definition. */
    public readonly name: string,
    /** The `Type` SageMaker reads. */
    public readonly stepType: string,
    private readonly baseProps: StepProps,
  ) {
    this.explicitDependencies = [...(baseProps.dependsOn ?? [])];
  }

  /** Steps this one explicitly waits for (`DependsOn`). */
  public get dependsOn(): Step[] {
    return [...this.explicitDependencies];
  }

  /** Makes this step wait for `steps` (`DependsOn`). */
  public addDependsOn(...steps: Step[]): void {
    this.explicitDependencies.push(...steps);
  }

  /** Any property of this step's Describe* response, e.g. `step.property('TrainingJobName')`. */
  public property(path: string): StepProperty {
    return StepProperty.of(this, path);
  }

  /** @internal the step as the definition writes it (values not yet rendered). */
  public _render(context: StepRenderContext): any {
    const body = this.renderBody(context);
    const step: { [key: string]: any } = { Name: this.name, Type: this.stepType };
    if (body.Arguments !== undefined) step.Arguments = body.Arguments;
    if (this.explicitDependencies.length > 0) step.DependsOn = this.explicitDependencies.map((s) => s.name);
    if (this.baseProps.displayName !== undefined) step.DisplayName = this.baseProps.displayName;
    if (this.baseProps.description !== undefined) step.Description = this.baseProps.description;
    for (const [key, value] of Object.entries(body)) {
      if (key !== 'Arguments' && value !== undefined) step[key] = value;
    }
    return step;
  }

  /** @internal records the resources the step uses. */
  public _collect(_resources: ResourceCollector): void {}

  /** @internal steps nested in this one (condition branches). */
  public _children(): Step[] {
    return [];
  }

  /** @internal the first segments of the property paths this step type has. */
  public abstract _propertyRoots(): string[];

  /** @internal property files declared by the step. */
  public _propertyFileNames(): string[] {
    return [];
  }

  /** @internal problems of the step itself, one line each. */
  public _validate(): string[] {
    const errors: string[] = [];
    if (!STEP_NAME.test(this.name) || this.name.length === 0 || this.name.length > 64) {
      errors.push(`step '${this.name}': name must be 1 to 64 letters, digits, '-' or '_'`);
    }
    return errors;
  }

  /** The step-specific part: `Arguments` and any other step-level keys. */
  protected abstract renderBody(context: StepRenderContext): { [key: string]: any };

  /** The role ARN a job of this step runs with. */
  protected roleArn(context: StepRenderContext, role: iam.IRole | undefined): string {
    return role?.roleArn ?? context.roleArn ?? MISSING_ROLE;
  }
}
