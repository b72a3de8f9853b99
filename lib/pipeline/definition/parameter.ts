import { ExpressionReference } from './private/render';
import { invalid, isUnresolved } from '../../private/validate';
import { PipelineExpression } from './expression';

/** The type of a pipeline parameter. */
export enum ParameterType {
  /** A string. */
  STRING = 'String',
  /** A whole number. */
  INTEGER = 'Integer',
  /** A floating-point number. */
  FLOAT = 'Float',
  /** true or false. */
  BOOLEAN = 'Boolean',
}

/** Options of a string parameter. */
export interface StringParameterOptions {
  /**
   * Value used when an execution does not pass one.
   * @default - no default: every execution must pass a value
   */
  readonly defaultValue?: string;
  /**
   * The only values allowed (`EnumValues`).
   * @default - any string
   */
  readonly enumValues?: string[];
}

/** Options of an integer or float parameter. */
export interface NumberParameterOptions {
  /**
   * Value used when an execution does not pass one.
   * @default - no default: every execution must pass a value
   */
  readonly defaultValue?: number;
}

/** Options of a boolean parameter. */
export interface BooleanParameterOptions {
  /**
   * Value used when an execution does not pass one.
   * @default - no default: every execution must pass a value
   */
  readonly defaultValue?: boolean;
}

const NAME_PATTERN = /^[A-Za-z0-9\-_]{1,256}$/;

/**
 * A parameter of the pipeline, set per execution: declared in the definition's `parameters` and referenced as
 * `{ Get: 'Parameters.<Name>' }` wherever `asString()` / `asNumber()` (or the parameter itself in a condition) is used.
 *
 * @example
 * const threshold = PipelineParameter.float('AccuracyThreshold', { defaultValue: 0.7 });
 * Condition.greaterThanOrEqualTo(accuracy, threshold.asNumber());
 */
export class PipelineParameter extends PipelineExpression {
  /** A string parameter, optionally limited to `enumValues`. */
  public static string(name: string, options: StringParameterOptions = {}): PipelineParameter {
    if (options.enumValues !== undefined) {
      if (options.enumValues.length === 0) invalid(undefined, `parameter '${name}' enumValues`, 'a non-empty list', options.enumValues);
      if (options.defaultValue !== undefined && !isUnresolved(options.defaultValue) && !options.enumValues.includes(options.defaultValue)) {
        invalid(undefined, `parameter '${name}' defaultValue`, `one of ${options.enumValues.join(', ')}`, options.defaultValue);
      }
    }
    return new PipelineParameter(name, ParameterType.STRING, options.defaultValue, options.enumValues);
  }

  /** A whole-number parameter. */
  public static integer(name: string, options: NumberParameterOptions = {}): PipelineParameter {
    const value = options.defaultValue;
    if (value !== undefined && !isUnresolved(value) && !Number.isInteger(value)) {
      invalid(undefined, `parameter '${name}' defaultValue`, 'a whole number', value);
    }
    return new PipelineParameter(name, ParameterType.INTEGER, value, undefined);
  }

  /** A floating-point parameter. */
  public static float(name: string, options: NumberParameterOptions = {}): PipelineParameter {
    const value = options.defaultValue;
    if (value !== undefined && !isUnresolved(value) && !Number.isFinite(value)) {
      invalid(undefined, `parameter '${name}' defaultValue`, 'a finite number', value);
    }
    return new PipelineParameter(name, ParameterType.FLOAT, value, undefined);
  }

  /** A boolean parameter (use the parameter object itself as a condition operand). */
  public static boolean(name: string, options: BooleanParameterOptions = {}): PipelineParameter {
    return new PipelineParameter(name, ParameterType.BOOLEAN, options.defaultValue, undefined);
  }

  private constructor(
    /** Name of the parameter. */
    public readonly name: string,
    /** Type of the parameter. */
    public readonly type: ParameterType,
    /** Default value, if any. */
    public readonly defaultValue: any,
    /** Allowed values of a string parameter, if limited. */
    public readonly enumValues: string[] | undefined,
  ) {
    super();
    if (!NAME_PATTERN.test(name)) {
      invalid(undefined, 'parameter name', "1 to 256 letters, digits, '-' or '_'", name);
    }
  }

  public toJson(): any {
    return { Get: `Parameters.${this.name}` };
  }

  /** The declaration written in the definition's `Parameters` list. */
  public toDeclaration(): any {
    const declaration: { [key: string]: any } = { Name: this.name, Type: this.type };
    if (this.defaultValue !== undefined) declaration.DefaultValue = this.defaultValue;
    if (this.enumValues !== undefined) declaration.EnumValues = this.enumValues;
    return declaration;
  }

  /** @internal */
  public _references(): ExpressionReference[] {
    return [{ kind: 'parameter', name: this.name, type: this.type }];
  }
}
