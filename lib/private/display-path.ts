import { Names, Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

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
  return displayIds(construct.node.scopes.filter((scope) => scope.node.id !== '')).join('/');
}

/**
 * The unique id aws-cdk-lib's `Names.uniqueId` gives `construct` (or, with `childIds`, the child at that relative path,
 * which need not exist yet), computed on its display path: what `Names.uniqueId` gave it when the platform's stacks
 * were its siblings. Where an id or physical name is made from it (an EventBridge rule's construct id, a Lambda
 * permission's construct id, a policy statement's Sid, a scaling policy's name), it stays what it was, so moving the
 * stacks under the platform replaces nothing. Outside such an owner it equals `Names.uniqueId`.
 */
export function displayUniqueId(construct: IConstruct, ...childIds: string[]): string {
  // Names.uniqueId drops the root, whatever its id, and hashes the ids below it: run it on a detached tree that has
  // the display ids, so the algorithm (hidden 'Default'/'Resource' ids, hash, length limits) stays aws-cdk-lib's own.
  const ids = [...displayIds(construct.node.scopes.slice(1)), ...childIds];
  let leaf: Construct = new Construct(undefined as unknown as Construct, '');
  for (const id of ids) leaf = new Construct(leaf, id);
  return Names.uniqueId(leaf);
}

/** The ids of `scopes`, each stack of a marked owner joined to the owner's id as `<owner id>-<stack id>`. */
function displayIds(scopes: IConstruct[]): string[] {
  const ids: string[] = [];
  for (const scope of scopes) {
    const id = scope.node.id;
    const owner = scope.node.scope as { [SIBLING_STACK_OWNER]?: boolean } | undefined;
    if (Stack.isStack(scope) && owner?.[SIBLING_STACK_OWNER] && ids.length > 0) ids[ids.length - 1] = `${ids[ids.length - 1]}-${id}`;
    else ids.push(id);
  }
  return ids;
}
