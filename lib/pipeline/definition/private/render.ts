import { Token, Tokenization } from 'aws-cdk-lib';

/** Marks pipeline expressions without importing their classes (avoids an import cycle). */
export const PIPELINE_EXPRESSION = Symbol.for('cdk-mlops-maturity.PipelineExpression');

/** What the renderer needs from a pipeline expression. */
export interface RenderableExpression {
  /** The JSON SageMaker reads, e.g. `{ Get: 'Parameters.X' }`. */
  toJson(): any;
}

/** True for pipeline expressions (parameters, properties, Std:Join, Std:JsonGet, execution variables). */
export function isPipelineExpression(x: unknown): x is RenderableExpression {
  return typeof x === 'object' && x !== null && (x as any)[PIPELINE_EXPRESSION] === true;
}

/**
 * Turns a value that may hold pipeline expressions (as objects or as encoded string/number tokens) into the
 * definition JSON. CDK tokens (bucket names, role ARNs, `Fn.join`) are left as tokens for CloudFormation.
 * `visit` is called with every pipeline expression met at this level (not inside other expressions).
 */
export function renderPipelineValue(value: any, visit: (e: RenderableExpression) => void = () => undefined): any {
  if (value === undefined || value === null) return value;
  if (isPipelineExpression(value)) {
    visit(value);
    return value.toJson();
  }
  if (typeof value === 'string') return renderString(value, visit);
  if (typeof value === 'number') {
    if (!Token.isUnresolved(value)) return value;
    const token = Tokenization.reverseNumber(value);
    if (token && isPipelineExpression(token)) {
      visit(token);
      return token.toJson();
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => renderPipelineValue(v, visit));
  if (typeof value === 'object') {
    if (Token.isUnresolved(value)) {
      return value; // an IResolvable of the CDK (e.g. Lazy): CloudFormation resolves it
    }
    const out: { [key: string]: any } = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k] = renderPipelineValue(v, visit);
    }
    return out;
  }
  return value;
}

function renderString(value: string, visit: (e: RenderableExpression) => void): any {
  if (!Token.isUnresolved(value)) return value;
  const fragments = Tokenization.reverseString(value);
  const tokens = fragments.tokens;
  if (!tokens.some(isPipelineExpression)) return value;
  if (fragments.length === 1 && isPipelineExpression(fragments.firstToken)) {
    visit(fragments.firstToken);
    return fragments.firstToken.toJson();
  }
  // A template string mixing text, CDK tokens and pipeline expressions becomes Std:Join with an empty separator.
  // Each token keeps its encoded string (the token map reuses it), so the string splits at those markers.
  const byMarker = new Map<string, RenderableExpression>();
  for (const t of tokens) if (isPipelineExpression(t)) byMarker.set(Token.asString(t), t);
  const pattern = new RegExp([...byMarker.keys()].map(escapeRegExp).join('|'), 'g');
  const values: any[] = [];
  let last = 0;
  for (const match of value.matchAll(pattern)) {
    if (match.index! > last) values.push(value.slice(last, match.index));
    const expression = byMarker.get(match[0])!;
    visit(expression);
    values.push(expression.toJson());
    last = match.index! + match[0].length;
  }
  if (last < value.length) values.push(value.slice(last));
  return { 'Std:Join': { On: '', Values: values } };
}

/**
 * The one line synth stops with when a pipeline expression is resolved outside a pipeline definition (its `resolve`
 * is reached only by CDK token resolution, which the definition renderer never uses).
 */
export function expressionOutsideDefinition(json: string, scopePath: string, documentPath: string[]): string {
  const property = propertyPath(documentPath);
  return `pipeline expression ${json} used outside a pipeline definition, in ${scopePath}${property ? ` (${property})` : ''}: `
    + 'it has a value only while the SageMaker pipeline runs; use it only in the steps, conditions and Join/JsonGet '
    + 'of a PipelineDefinition, and give CloudFormation a value known at deploy time instead';
}

/** `Resources.<id>.Properties.environment.variables.X` -> `environment.variables.X`; `Outputs.<id>.Value` -> `Value`. */
function propertyPath(documentPath: string[]): string {
  let path = documentPath;
  if (path.length >= 2 && /^(Resources|Outputs|Conditions|Parameters|Mappings|Rules)$/.test(path[0])) path = path.slice(2);
  if (path[0] === 'Properties') path = path.slice(1);
  return path.join('.');
}

/** Drops keys whose value is undefined (the SDK does not write unset keys). */
export function compact<T extends { [key: string]: any }>(obj: T): T {
  const out: any = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What a pipeline expression points at, for the graph checks of the definition. */
export type ExpressionReference =
  | { readonly kind: 'parameter'; readonly name: string; readonly type: string }
  | { readonly kind: 'step'; readonly stepName: string; readonly path: string; readonly step?: object }
  | { readonly kind: 'propertyFile'; readonly stepName: string; readonly fileName: string; readonly step?: object };

/** Renders a value and returns every reference found in it, nested expressions included. */
export function collectReferences(value: any): ExpressionReference[] {
  const found: ExpressionReference[] = [];
  renderPipelineValue(value, (e) => found.push(...((e as any)._references?.() ?? [])));
  return found;
}
