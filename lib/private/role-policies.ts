import { Dependable, IConstruct, IDependable } from 'constructs';

/**
 * The policies of `role` (every child of the role construct but the role resource itself) as a dependency: what a
 * resource the service checks against its role at creation (a SageMaker pipeline, model or feature group, a trail)
 * must wait for.
 *
 * Depending on the role construct instead also writes the role into `DependsOn`, which the resource's own reference
 * to the role ARN already implies (the CloudFormation validator's W3005, redundant DependsOn). The children are read
 * when the template is written, so grants made after this call are waited for too.
 */
export function rolePolicies(role: IConstruct): IDependable {
  const dependable: IDependable = {};
  Dependable.implement(dependable, {
    get dependencyRoots() {
      return role.node.children.filter((child) => child !== role.node.defaultChild);
    },
  });
  return dependable;
}
