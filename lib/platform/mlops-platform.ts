import { Environment, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MaturityLevel } from './maturity-level';
import { DataStack } from '../stacks/data-stack';

/**
 * Properties of an {@link MlopsPlatform}.
 */
export interface MlopsPlatformProps {
  /** The maturity level the team has reached: the platform deploys exactly what this level needs. */
  readonly level: MaturityLevel;

  /**
   * Name of the model the training and serving stacks are for. Per-model stacks are keyed by it.
   * Lowercase letters, digits and hyphens, starting with a letter, at most 32 characters.
   * @default 'recommendation'
   */
  readonly modelName?: string;

  /**
   * Account and region of the platform's stacks. Inside a `Stage`, leave unset to use the stage's environment.
   * @default - environment-agnostic stacks (or the stage's environment)
   */
  readonly env?: Environment;
}

/**
 * The MLOps platform at one maturity level: creates the platform's stacks, split by lifecycle, under the scope it
 * is given (the App, or a `Stage` so CDK Pipelines can deploy the same platform to dev, staging and prod).
 *
 * Stacks are siblings of this construct in that scope and are named after its id: `<id>-Data`, then (level 2+)
 * `<id>-<model>-Training`, `<id>-<model>-Serving` and (level 3+) `<id>-Governance`. Several platforms with different
 * ids coexist in one app, and nothing has a hard-coded physical name, so one platform deploys to many accounts.
 *
 * @example
 * const app = new App();
 * new MlopsPlatform(app, 'Mlops', { level: MaturityLevel.PRE_PRODUCTION });
 */
export class MlopsPlatform extends Construct {
  /** The level this platform was built for. */
  public readonly level: MaturityLevel;
  /** The model the per-model stacks serve. */
  public readonly modelName: string;
  /** Stateful data: artifact store (0+), dataset store and image repository (1+). */
  public readonly dataStack: DataStack;

  constructor(scope: Construct, id: string, props: MlopsPlatformProps) {
    super(scope, id);
    const enclosingStack = findStack(scope);
    if (enclosingStack) {
      throw new Error(`MlopsPlatform must be created in an App or a Stage, not inside the stack '${enclosingStack}'`);
    }
    const modelName = props.modelName ?? 'recommendation';
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(modelName) || modelName.endsWith('-')) {
      throw new Error(`modelName must be 1-32 lowercase letters, digits or hyphens, starting with a letter, got '${modelName}'`);
    }
    this.level = props.level;
    this.modelName = modelName;
    this.dataStack = new DataStack(scope, `${id}-Data`, { level: props.level, env: props.env });
  }
}

function findStack(scope: Construct): string | undefined {
  for (const c of scope.node.scopes) {
    if (Stack.isStack(c)) return c.node.path;
  }
  return undefined;
}
