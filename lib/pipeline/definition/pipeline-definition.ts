import * as iam from 'aws-cdk-lib/aws-iam';
import { checkGraph, flattenSteps } from './private/graph';
import { renderPipelineValue } from './private/render';
import { ResourceCollector } from './private/resource-collector';
import { ExecutionVariable } from './expression';
import { PipelineParameter } from './parameter';
import { PipelineResources } from './resources';
import { Step, StepRenderContext } from './step';

/** The experiment and trial that executions are recorded in (`PipelineExperimentConfig`). */
export class PipelineExperimentConfig {
  /** The SDK's default: experiment = pipeline name, trial = execution id. */
  public static default(): PipelineExperimentConfig {
    return new PipelineExperimentConfig({
      ExperimentName: ExecutionVariable.PIPELINE_NAME,
      TrialName: ExecutionVariable.PIPELINE_EXECUTION_ID,
    });
  }
  /** No experiment tracking (`null`). */
  public static none(): PipelineExperimentConfig {
    return new PipelineExperimentConfig(null);
  }
  /** Custom names (strings, tokens or expressions). */
  public static of(experimentName: string, trialName: string): PipelineExperimentConfig {
    return new PipelineExperimentConfig({ ExperimentName: experimentName, TrialName: trialName });
  }

  private constructor(
    /** The config as written (not yet rendered). */
    public readonly json: any,
  ) {}
}

/** Props of a `PipelineDefinition`. */
export interface PipelineDefinitionProps {
  /** The top-level steps (steps of condition branches are listed in their condition step). */
  readonly steps: Step[];
  /**
   * Parameters of the pipeline: every parameter a step reads must be declared here.
   * @default - none
   */
  readonly parameters?: PipelineParameter[];
  /**
   * Experiment tracking of executions.
   * @default PipelineExperimentConfig.default()
   */
  readonly experimentConfig?: PipelineExperimentConfig;
}

/** Options of `render()` and `validate()`. */
export interface RenderOptions {
  /**
   * Role the jobs of steps without their own role run with (TrainingPipeline passes its execution role).
   * @default - every job step must have its own role
   */
  readonly role?: iam.IRole;
}

/**
 * A SageMaker pipeline definition: plain values, no constructs. `render()` returns the JSON SageMaker reads, with
 * CDK tokens left in place for `Stack.toJsonString`; `validate()` checks the step graph; `resources()` lists what
 * the steps use, so that a pipeline role can be scoped to it.
 *
 * @example
 * const definition = new PipelineDefinition({
 *   parameters: [threshold],
 *   steps: [preprocess, train, evaluate, new ConditionStep('CheckAccuracy', { ... })],
 * });
 * new TrainingPipeline(this, 'Pipeline', { definition });
 */
export class PipelineDefinition {
  /** The top-level steps. */
  public readonly steps: Step[];
  /** The declared parameters. */
  public readonly parameters: PipelineParameter[];
  private readonly experimentConfig: PipelineExperimentConfig;

  constructor(props: PipelineDefinitionProps) {
    this.steps = [...props.steps];
    this.parameters = [...(props.parameters ?? [])];
    this.experimentConfig = props.experimentConfig ?? PipelineExperimentConfig.default();
  }

  /** Every step, the steps of condition branches included. */
  public get allSteps(): Step[] {
    return flattenSteps(this.steps).map((s) => s.step);
  }

  /** Finds a step by name. */
  public findStep(name: string): Step | undefined {
    return this.allSteps.find((s) => s.name === name);
  }

  /** Problems of the step graph, one line each (empty when the definition is valid). */
  public validate(options: RenderOptions = {}): string[] {
    return checkGraph(this.steps, this.parameters, options.role !== undefined);
  }

  /**
   * The definition JSON (`Version`, `Metadata`, `Parameters`, `PipelineExperimentConfig`, `Steps`), with CDK tokens
   * left as tokens. Throws with one line per problem when `validate()` finds any.
   */
  public render(options: RenderOptions = {}): any {
    const errors = this.validate(options);
    if (errors.length > 0) {
      throw new Error(`Invalid pipeline definition:\n${errors.join('\n')}`);
    }
    const context: StepRenderContext = {
      roleArn: options.role?.roleArn,
      renderStep: (step: Step) => step._render(context),
    };
    return renderPipelineValue({
      Version: '2020-12-01',
      Metadata: {},
      Parameters: this.parameters.map((p) => p.toDeclaration()),
      PipelineExperimentConfig: this.experimentConfig.json,
      Steps: this.steps.map(context.renderStep),
    });
  }

  /** Everything the steps use: S3 locations (read or write), keys, images, registries, functions, job types. */
  public resources(): PipelineResources {
    const collector = new ResourceCollector();
    for (const step of this.allSteps) step._collect(collector.forStep(step.name));
    return collector.result();
  }
}
