import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

interface Entry {
  readonly statement: iam.PolicyStatement;
  readonly reason: string;
}

const REGISTERED = new WeakMap<IConstruct, Entry[]>();

/**
 * Acknowledges, finding by finding, the `AwsSolutions-IAM5` wildcards of one statement this library wrote on purpose
 * (an object prefix, a log group's streams, an action that supports no resource), with the reason it is needed.
 *
 * The finding ids name the resources as cdk-nag flattens them *after* cross-stack references are resolved, so they
 * are computed in a construct validation (which runs after references are resolved and before the validation
 * plugins), not when the statement is added.
 */
export function acknowledgeWildcards(scope: IConstruct, statement: iam.PolicyStatement, reason: string): void {
  let entries = REGISTERED.get(scope);
  if (!entries) {
    const list: Entry[] = [];
    entries = list;
    REGISTERED.set(scope, list);
    scope.node.addValidation({
      validate: () => {
        for (const entry of list) {
          for (const id of wildcardFindings(Stack.of(scope), entry.statement)) {
            Validations.of(scope).acknowledge({ id, reason: entry.reason });
          }
        }
        return [];
      },
    });
  }
  entries.push({ statement, reason });
}

/** The `AwsSolutions-IAM5[...]` ids cdk-nag reports for the wildcards of a statement. */
export function wildcardFindings(stack: Stack, statement: iam.PolicyStatement): string[] {
  const json = stack.resolve(statement.toStatementJson());
  const ids: string[] = [];
  for (const action of [].concat(json.Action ?? [])) {
    if (String(action).includes('*')) ids.push(`AwsSolutions-IAM5[Action::${action}]`);
  }
  for (const resource of [].concat(json.Resource ?? [])) {
    const flat = flatten(resource);
    if (flat.includes('*')) ids.push(`AwsSolutions-IAM5[Resource::${flat}]`);
  }
  return ids;
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
