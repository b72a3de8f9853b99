import { Construct, IConstruct, Node } from 'constructs';

/**
 * The construct path a child with this id gets under `scope`, as `constructs` computes `node.path` (the ids of its
 * scopes from the root down, the App's empty id left out, joined by `/`).
 */
export function childPath(scope: IConstruct, id: string): string {
  return scope.node.path === '' ? id : `${scope.node.path}${Node.PATH_SEP}${id}`;
}

/**
 * Where a stack is created: the scope and id its constructor gets. `selector` is the construct path the stack has
 * there, which the cloud assembly records as its `displayName`: the hierarchical id the CDK CLI matches
 * `cdk deploy <pattern>` against (`Mlops-Data` under the App, `Prod/Mlops-Data` in `new Stage(app, 'Prod')`,
 * `Outer/Prod/Mlops-Data` in a nested stage). Creating the stack and naming it for `cdk deploy` from the same
 * placement keeps the two from drifting, also for a stack that does not exist yet (the serving stack before a model
 * package is approved).
 */
export class StackPlacement {
  constructor(public readonly scope: Construct, public readonly id: string) {}

  /** The `cdk deploy` selector of the stack created here: its construct path. */
  public get selector(): string {
    return childPath(this.scope, this.id);
  }
}
