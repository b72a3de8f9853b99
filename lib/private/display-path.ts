import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Marks a construct whose child stacks are shown, in descriptions, as its siblings (see {@link displayPath}). */
const SIBLING_STACK_OWNER = Symbol.for('cdk-mlops-maturity.siblingStackOwner');

/**
 * Marks `owner` so that {@link displayPath} names the constructs of its child stacks as if each stack were the owner's
 * sibling with id `<owner id>-<stack id>`: the path they had before the stacks moved under the owner.
 */
export function showStacksAsSiblings(owner: IConstruct): void {
  Object.defineProperty(owner, SIBLING_STACK_OWNER, { value: true });
}

/**
 * The construct path written into resource descriptions (IAM, KMS, CloudWatch, EventBridge): `node.path`, except that
 * a stack of an owner marked with {@link showStacksAsSiblings} appears as `<owner id>-<stack id>`
 * (`Mlops-Data/Artifacts`, not `Mlops/Data/Artifacts`). The descriptions then stay what they were when the platform's
 * stacks were its siblings: an IAM managed policy's description cannot change, so a new one replaces the policy.
 */
export function displayPath(construct: IConstruct): string {
  const ids: string[] = [];
  for (const scope of construct.node.scopes) {
    const id = scope.node.id;
    if (id === '') continue;
    const owner = scope.node.scope as { [SIBLING_STACK_OWNER]?: boolean } | undefined;
    if (Stack.isStack(scope) && owner?.[SIBLING_STACK_OWNER] && ids.length > 0) ids[ids.length - 1] = `${ids[ids.length - 1]}-${id}`;
    else ids.push(id);
  }
  return ids.join('/');
}
