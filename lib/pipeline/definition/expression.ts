import { IResolvable, IResolveContext, Token } from 'aws-cdk-lib';
import { collectReferences, ExpressionReference, expressionOutsideDefinition, PIPELINE_EXPRESSION, renderPipelineValue } from './private/render';

/**
 * A value SageMaker computes while the pipeline runs: a parameter, an execution variable, a step property,
 * `Std:Join` or `Std:JsonGet`.
 *
 * Use it where a prop of a step, a condition or a `Join`/`JsonGet` takes a string or a number: `asString()` /
 * `asNumber()` (or a template string, which becomes `Std:Join`) encode it as a token that the definition renders to
 * `{ Get: ... }`. Used anywhere else (a CloudFormation property, a `CfnOutput`, a Lambda environment variable) it
 * stops synth: it has no value outside a running pipeline.
 *
 * @example
 * const instanceType = PipelineParameter.string('TrainingInstanceType', { defaultValue: 'ml.m5.xlarge' });
 * new TrainingStep('Train', { instanceType: instanceType.asString(), ... });
 */
export abstract class PipelineExpression implements IResolvable {
  /** Where the expression was created (required by `IResolvable`). */
  public readonly creationStack: string[] = [];

  protected constructor() {
    Object.defineProperty(this, PIPELINE_EXPRESSION, { value: true, enumerable: false });
  }

  /** The JSON SageMaker reads for this expression, e.g. `{ Get: 'Parameters.InputData' }`. */
  public abstract toJson(): any;

  /** This expression as a string token, for string props and template strings. */
  public asString(): string {
    return Token.asString(this);
  }

  /** This expression as a number token, for number props (instance counts, condition operands). */
  public asNumber(): number {
    return Token.asNumber(this);
  }

  /** Same as `asString()`, so that `${expression}` works in template strings. */
  public toString(): string {
    return Token.asString(this);
  }

  /**
   * Always throws: a pipeline expression has a value only inside a SageMaker pipeline definition, whose renderer
   * reads `toJson()` and never resolves the token. Reaching `resolve` means the expression was used elsewhere (a
   * CloudFormation property, an output, an environment variable, a tag), where it would silently become
   * `{"Get": ...}`; synth stops with one line saying what, where and what to do.
   */
  public resolve(context: IResolveContext): any {
    throw new Error(expressionOutsideDefinition(JSON.stringify(this.toJson()), context.scope.node.path, context.documentPath));
  }

  /** @internal what this expression and its nested expressions refer to. */
  public _references(): ExpressionReference[] {
    return [];
  }
}

/** Variables of the running execution, e.g. `ExecutionVariable.PIPELINE_EXECUTION_ID`. */
export class ExecutionVariable extends PipelineExpression {
  /** When the execution started. */
  public static readonly START_DATE_TIME = new ExecutionVariable('StartDateTime');
  /** The time when the variable is evaluated. */
  public static readonly CURRENT_DATE_TIME = new ExecutionVariable('CurrentDateTime');
  /** Name of the pipeline. */
  public static readonly PIPELINE_NAME = new ExecutionVariable('PipelineName');
  /** ARN of the pipeline. */
  public static readonly PIPELINE_ARN = new ExecutionVariable('PipelineArn');
  /** Id of the execution (unique, safe in S3 keys). */
  public static readonly PIPELINE_EXECUTION_ID = new ExecutionVariable('PipelineExecutionId');
  /** ARN of the execution. */
  public static readonly PIPELINE_EXECUTION_ARN = new ExecutionVariable('PipelineExecutionArn');
  /** Name of the training job started by the step that reads it. */
  public static readonly TRAINING_JOB_NAME = new ExecutionVariable('TrainingJobName');
  /** Name of the processing job started by the step that reads it. */
  public static readonly PROCESSING_JOB_NAME = new ExecutionVariable('ProcessingJobName');

  private constructor(public readonly variableName: string) {
    super();
  }

  public toJson(): any {
    return { Get: `Execution.${this.variableName}` };
  }
}

/** The experiment and trial names of the pipeline's experiment config, e.g. `ExperimentVariable.TRIAL_NAME`. */
export class ExperimentVariable extends PipelineExpression {
  /** `PipelineExperimentConfig.ExperimentName`. */
  public static readonly EXPERIMENT_NAME = new ExperimentVariable('ExperimentName');
  /** `PipelineExperimentConfig.TrialName`. */
  public static readonly TRIAL_NAME = new ExperimentVariable('TrialName');

  private constructor(public readonly variableName: string) {
    super();
  }

  public toJson(): any {
    return { Get: `PipelineExperimentConfig.${this.variableName}` };
  }
}

/**
 * `Std:Join`: values (strings, numbers, tokens, expressions) joined with a separator at run time.
 *
 * @example
 * Join.on('/', ['s3://my-bucket', ExecutionVariable.PIPELINE_EXECUTION_ID, 'train']).asString()
 */
export class Join extends PipelineExpression {
  /** Joins `values` with `separator`. */
  public static on(separator: string, values: any[]): Join {
    return new Join(separator, values);
  }

  private constructor(public readonly separator: string, public readonly values: any[]) {
    super();
  }

  public toJson(): any {
    return { 'Std:Join': { On: this.separator, Values: this.values.map((v) => renderPipelineValue(v)) } };
  }

  /** @internal */
  public _references(): ExpressionReference[] {
    return collectReferences(this.values);
  }
}

/**
 * `Std:JsonGet`: a value read from a JSON file at run time, from a processing step's property file or an S3 URI.
 *
 * @example
 * JsonGet.fromPropertyFile(evaluate, 'EvaluationReport', 'metrics.accuracy.value').asNumber()
 */
export class JsonGet extends PipelineExpression {
  /**
   * Reads `path` from the property file `propertyFileName` declared by the processing step `step`.
   * @param step the step that declares the property file (a ProcessingStep)
   */
  public static fromPropertyFile(step: IPipelineStep, propertyFileName: string, path: string): JsonGet {
    return new JsonGet(path, step, propertyFileName, undefined);
  }

  /** Reads `path` from the JSON file at `s3Uri` (a string, a token or an expression such as a `Join`). */
  public static fromS3Uri(s3Uri: string, path: string): JsonGet {
    return new JsonGet(path, undefined, undefined, s3Uri);
  }

  private constructor(
    public readonly path: string,
    private readonly step: IPipelineStep | undefined,
    private readonly fileName: string | undefined,
    private readonly s3Uri: string | undefined,
  ) {
    super();
  }

  public toJson(): any {
    if (this.step) {
      return {
        'Std:JsonGet': {
          PropertyFile: { Get: `Steps.${this.step.name}.PropertyFiles.${this.fileName}` },
          Path: this.path,
        },
      };
    }
    return { 'Std:JsonGet': { S3Uri: renderPipelineValue(this.s3Uri), Path: this.path } };
  }

  /** @internal */
  public _references(): ExpressionReference[] {
    if (this.step) {
      return [{ kind: 'propertyFile', stepName: this.step.name, fileName: this.fileName!, step: this.step }];
    }
    return collectReferences(this.s3Uri);
  }
}

/** A step of a pipeline definition, as expressions refer to it. */
export interface IPipelineStep {
  /** Name of the step, unique in the definition. */
  readonly name: string;
  /** The `Type` SageMaker reads (`Training`, `Processing`, ...). */
  readonly stepType: string;
}

/**
 * A property of a step, read after the step ran: `{ Get: 'Steps.<Step>.<path>' }`.
 *
 * The typed accessors of the steps (`trainingStep.modelArtifactsS3Uri`, `processingStep.outputS3Uri('train')`, ...)
 * return these; `StepProperty.of` is the escape hatch for any other path of the step's Describe* response.
 */
export class StepProperty extends PipelineExpression {
  /** A property of `step` at `path`, e.g. `StepProperty.of(train, 'TrainingJobName')`. */
  public static of(step: IPipelineStep, path: string): StepProperty {
    return new StepProperty(step.name, path, step);
  }

  /** A property of the step named `stepName` (checked against the definition when it renders). */
  public static fromStepName(stepName: string, path: string): StepProperty {
    return new StepProperty(stepName, path, undefined);
  }

  private constructor(public readonly stepName: string, public readonly path: string, private readonly step: IPipelineStep | undefined) {
    super();
  }

  public toJson(): any {
    return { Get: `Steps.${this.stepName}.${this.path}` };
  }

  /** @internal */
  public _references(): ExpressionReference[] {
    return [{ kind: 'step', stepName: this.stepName, path: this.path, step: this.step }];
  }
}
