import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ResourceCollector } from './private/resource-collector';
import { renderCacheConfig } from './private/step-render';
import { invalid } from '../../private/validate';
import { Condition } from './condition';
import { StepProperty } from './expression';
import { CacheConfig, Step, StepProps, StepRenderContext } from './step';

/** Props of a `ConditionStep`. */
export interface ConditionStepProps extends StepProps {
  /** Conditions, all of which must hold (they are ANDed). */
  readonly conditions: Condition[];
  /**
   * Steps run when the conditions hold.
   * @default - none
   */
  readonly ifSteps?: Step[];
  /**
   * Steps run otherwise.
   * @default - none
   */
  readonly elseSteps?: Step[];
}

/**
 * A condition step (`Type: Condition`): runs `ifSteps` when all conditions hold, `elseSteps` otherwise.
 *
 * @example
 * new ConditionStep('CheckAccuracy', {
 *   conditions: [Condition.greaterThanOrEqualTo(accuracy, threshold.asNumber())],
 *   ifSteps: [register], elseSteps: [new FailStep('TooInaccurate', { errorMessage: 'accuracy below threshold' })],
 * });
 */
export class ConditionStep extends Step {
  constructor(name: string, private readonly props: ConditionStepProps) {
    super(name, 'Condition', props);
    if (props.conditions.length === 0) invalid(undefined, `step '${name}' conditions`, 'a non-empty list', props.conditions);
  }

  /** Whether the conditions held (`Outcome`, true or false). */
  public get outcome(): StepProperty {
    return StepProperty.of(this, 'Outcome');
  }

  /** @internal */
  public _propertyRoots(): string[] {
    return ['Outcome'];
  }

  /** @internal */
  public _children(): Step[] {
    return [...(this.props.ifSteps ?? []), ...(this.props.elseSteps ?? [])];
  }

  protected renderBody(context: StepRenderContext): { [key: string]: any } {
    return {
      Arguments: {
        Conditions: this.props.conditions.map((c) => c.json),
        IfSteps: (this.props.ifSteps ?? []).map(context.renderStep),
        ElseSteps: (this.props.elseSteps ?? []).map(context.renderStep),
      },
    };
  }
}

/** Props of a `FailStep`. */
export interface FailStepProps extends StepProps {
  /** Why the execution failed: a string, a token or an expression (a template string becomes `Std:Join`). */
  readonly errorMessage: string;
}

/**
 * A fail step (`Type: Fail`): stops the execution as failed with a message.
 *
 * @example
 * new FailStep('AccuracyTooLow', { errorMessage: `accuracy below ${threshold}` });
 */
export class FailStep extends Step {
  constructor(name: string, private readonly props: FailStepProps) {
    super(name, 'Fail', props);
  }

  /** @internal */
  public _propertyRoots(): string[] {
    return [];
  }

  protected renderBody(_context: StepRenderContext): { [key: string]: any } {
    return { Arguments: { ErrorMessage: this.props.errorMessage } };
  }
}

/** Type of a Lambda step output. */
export enum LambdaOutputType {
  /** A string. */
  STRING = 'String',
  /** A whole number. */
  INTEGER = 'Integer',
  /** A floating-point number. */
  FLOAT = 'Float',
  /** true or false. */
  BOOLEAN = 'Boolean',
}

/** An output of a Lambda step: a key of the object the function returns. */
export interface LambdaOutput {
  /** Key in the returned object. */
  readonly name: string;
  /**
   * Type of the value.
   * @default LambdaOutputType.STRING
   */
  readonly type?: LambdaOutputType;
}

/** Props of a `LambdaStep`. */
export interface LambdaStepProps extends StepProps {
  /** The function to invoke; the pipeline role may invoke it. */
  readonly lambdaFunction: lambda.IFunction;
  /**
   * The event passed to the function (values may be expressions).
   * @default - an empty object
   */
  readonly inputs?: { [key: string]: any };
  /**
   * Keys of the returned object that later steps read with `output(name)`.
   * @default - none
   */
  readonly outputs?: LambdaOutput[];
  /**
   * Reuse results of earlier executions.
   * @default - no caching
   */
  readonly cache?: CacheConfig;
}

/**
 * A Lambda step (`Type: Lambda`): invokes a function with inputs and reads outputs from its result.
 *
 * @example
 * const compare = new LambdaStep('Compare', { lambdaFunction: fn, inputs: { modelPackageArn: register.modelPackageArn },
 *   outputs: [{ name: 'better', type: LambdaOutputType.BOOLEAN }] });
 * compare.output('better');
 */
export class LambdaStep extends Step {
  constructor(name: string, private readonly props: LambdaStepProps) {
    super(name, 'Lambda', props);
  }

  /** The output `name` of the function (`OutputParameters['<name>']`). */
  public output(name: string): StepProperty {
    if (!(this.props.outputs ?? []).some((o) => o.name === name)) {
      invalid(undefined, `step '${this.name}' output name`, `one of the declared outputs (${(this.props.outputs ?? []).map((o) => o.name).join(', ') || 'none'})`, name);
    }
    return StepProperty.of(this, `OutputParameters['${name}']`);
  }

  /** @internal */
  public _propertyRoots(): string[] {
    return ['OutputParameters'];
  }

  /** @internal */
  public _collect(resources: ResourceCollector): void {
    resources.lambdaFunction(this.props.lambdaFunction);
  }

  protected renderBody(_context: StepRenderContext): { [key: string]: any } {
    return {
      Arguments: this.props.inputs ?? {},
      FunctionArn: this.props.lambdaFunction.functionArn,
      OutputParameters: (this.props.outputs ?? []).map((o) => ({ OutputName: o.name, OutputType: o.type ?? LambdaOutputType.STRING })),
      CacheConfig: renderCacheConfig(this.props.cache),
    };
  }
}
