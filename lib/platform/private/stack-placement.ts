import { Stage } from 'aws-cdk-lib';
import { Construct, IConstruct, Node } from 'constructs';
import { InputError } from '../../private/validate';

/**
 * The construct path a child with this id gets under `scope`, as `constructs` computes `node.path` (the ids of its
 * scopes from the root down, the App's empty id left out, joined by `/`).
 */
export function childPath(scope: IConstruct, id: string): string {
  return scope.node.path === '' ? id : `${scope.node.path}${Node.PATH_SEP}${id}`;
}

/**
 * Where one of an owner construct's stacks is created: under the owner, with id `name`, so `Tags.of(owner)` and
 * Aspects on the owner reach it. Its physical name is the one aws-cdk-lib generates for a stack with id
 * `<owner id>-<name>` created directly in the owner's Stage (`Mlops-Data` in the App, `Prod-Mlops-Data` in
 * `new Stage(app, 'Prod')`, `Outer-Prod-Mlops-Data` in a nested Stage: the stage names of the enclosing Stages, joined
 * by '-', then the id), so a stack keeps the name it had when it was created beside its owner. `selector` is its
 * construct path, which the cloud assembly records as its `displayName`: the hierarchical id the CDK CLI matches
 * `cdk deploy <pattern>` against (`Mlops/Data`, `Prod/Mlops/Data`, `Outer/Prod/Mlops/Data`). Creating the stack and
 * naming it for `cdk deploy` from the same placement keeps the two from drifting, also for a stack that does not
 * exist yet (the serving stack before a model package is approved).
 *
 * The owner must be created directly in an App or a Stage (see {@link ownerStage}).
 */
export class StackPlacement {
  /**
   * @param scope the owner, which the stack's constructor gets as its scope
   * @param id the stack's construct id under the owner
   */
  constructor(public readonly scope: Construct, public readonly id: string) {}

  /** The `cdk deploy` selector of the stack created here: its construct path. */
  public get selector(): string {
    return childPath(this.scope, this.id);
  }

  /** The stack's physical (CloudFormation) name, to pass as `stackName`. */
  public get stackName(): string {
    const stageName = ownerStage(this.scope).stageName;
    return `${stageName ? `${stageName}-` : ''}${this.scope.node.id}-${this.id}`;
  }
}

/**
 * The App or Stage an owner of stacks is created in, which must be its direct scope: aws-cdk-lib names a stack from
 * its ids below its Stage, with a hash as soon as there is more than one, so only an owner created directly in its
 * Stage has stack names without a hash to keep.
 */
export function ownerStage(owner: IConstruct): Stage {
  const scope = owner.node.scope;
  if (scope === undefined || !Stage.isStage(scope)) {
    throw new InputError(owner, `${owner.constructor.name} must be created directly in an App or a Stage, got scope '${scope?.node.path}'`);
  }
  return scope;
}
