import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Why a wildcard of a monitoring role is there, by what it grants. Returns undefined for a wildcard this library
 * did not put there on purpose (it then stays a finding).
 */
export type WildcardReason = (kind: 'Action' | 'Resource', value: string, actions: string[]) => string | undefined;

/**
 * Acknowledges, finding by finding, the `AwsSolutions-IAM5` wildcards in the customer-managed policies of `role`,
 * each with the reason `reasonFor` gives. Computed in a construct validation, i.e. after every grant was added and
 * cross-stack references were resolved, so the ids match what cdk-nag reports.
 */
export function acknowledgeRoleWildcards(role: iam.IRole, reasonFor: WildcardReason): void {
  role.node.addValidation({
    validate: () => {
      const stack = Stack.of(role);
      for (const policy of role.node.findAll().filter((c): c is iam.ManagedPolicy => c instanceof iam.ManagedPolicy)) {
        const doc = stack.resolve(policy.document.toJSON());
        for (const statement of doc?.Statement ?? []) {
          const actions: string[] = [].concat(statement.Action ?? []).map(String);
          for (const action of actions.filter((a) => a.includes('*'))) {
            const reason = reasonFor('Action', action, actions);
            if (reason) Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason });
          }
          for (const resource of [].concat(statement.Resource ?? []).map(flatten).filter((r) => r.includes('*'))) {
            const reason = reasonFor('Resource', resource, actions);
            if (reason) Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
          }
        }
      }
      return [];
    },
  });
}

/** Renders a CloudFormation value the way cdk-nag names it in finding ids (`<Logical.Attr>`, `<Ref>`, joins). */
function flatten(node: any): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'];
    return items.map(flatten).join(delimiter);
  }
  if (node['Fn::Sub']) return flatten(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return flatten(node['Fn::ImportValue']);
  if (node.Ref) return `<${flatten(node.Ref)}>`;
  return JSON.stringify(node);
}
