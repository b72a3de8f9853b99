import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * Acknowledgements of cdk-nag `AwsSolutions-IAM5` findings, one finding at a time, each with the reason the library
 * wrote that wildcard on purpose.
 *
 * cdk-nag 3 names each finding by the wildcard as written in the template: `AwsSolutions-IAM5[Action::s3:GetObject*]`,
 * `AwsSolutions-IAM5[Resource::<Bucket.Arn>/prefix/*]`, with references flattened and a cross-stack import named by
 * its export. Imports only exist once references are resolved, so every id here is computed in a construct
 * validation, which runs after that and before the validation plugins.
 */

/** Decides why a wildcard is there; undefined for one the library did not put there on purpose (it stays a finding). */
export type WildcardReason = (kind: 'Action' | 'Resource', value: string, actions: string[]) => string | undefined;

/** Renders a resolved CloudFormation value the way cdk-nag writes it in finding ids. */
export function nagName(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const value = node as { [key: string]: any };
  if (value['Fn::Join']) {
    const [delimiter, items] = value['Fn::Join'];
    return (items as unknown[]).map(nagName).join(delimiter);
  }
  if (value['Fn::Sub']) return nagName(value['Fn::Sub']);
  if (value['Fn::GetAtt']) {
    const [resource, attribute] = value['Fn::GetAtt'];
    return `<${nagName(resource)}.${nagName(attribute)}>`;
  }
  if (value['Fn::ImportValue']) return nagName(value['Fn::ImportValue']);
  if (value.Ref) return `<${nagName(value.Ref)}>`;
  return JSON.stringify(node);
}

/** The `AwsSolutions-IAM5[...]` ids cdk-nag reports for the wildcards of a statement. */
export function wildcardFindings(stack: Stack, statement: iam.PolicyStatement): string[] {
  const json = stack.resolve(statement.toStatementJson());
  const ids: string[] = [];
  for (const action of ([] as unknown[]).concat(json.Action ?? [])) {
    if (String(action).includes('*')) ids.push(`AwsSolutions-IAM5[Action::${action}]`);
  }
  for (const resource of ([] as unknown[]).concat(json.Resource ?? [])) {
    const name = nagName(resource);
    if (name.includes('*')) ids.push(`AwsSolutions-IAM5[Resource::${name}]`);
  }
  return ids;
}

function onValidate(scope: IConstruct, acknowledge: () => void): void {
  scope.node.addValidation({ validate: () => { acknowledge(); return []; } });
}

const DONE = new WeakMap<IConstruct, Set<string>>();

/** Acknowledges `id` on `scope` once, however many grants wrote the same wildcard and however often the app synthesizes. */
function acknowledgeOnce(scope: IConstruct, id: string, reason: string): void {
  let done = DONE.get(scope);
  if (!done) DONE.set(scope, done = new Set());
  if (done.has(id)) return;
  done.add(id);
  Validations.of(scope).acknowledge({ id, reason });
}

/** Acknowledges every wildcard of one statement the library wrote on purpose, with the reason it is needed. */
export function acknowledgeWildcards(scope: IConstruct, statement: iam.PolicyStatement, reason: string): void {
  onValidate(scope, () => {
    for (const id of wildcardFindings(Stack.of(scope), statement)) acknowledgeOnce(scope, id, reason);
  });
}

/** Acknowledges the finding of each given wildcard resource ARN (a string, possibly with tokens) on `target`. */
export function acknowledgeWildcardResources(target: IConstruct, resources: string[], reason: string): void {
  onValidate(target, () => {
    const stack = Stack.of(target);
    for (const resource of resources) {
      acknowledgeOnce(target, `AwsSolutions-IAM5[Resource::${nagName(stack.resolve(resource))}]`, reason);
    }
  });
}

/**
 * Acknowledges, finding by finding, the wildcards in the policies (managed or inline) below `scope` (a role), each
 * with the reason `reasonFor` gives, after every grant was added.
 */
export function acknowledgePolicyWildcards(scope: IConstruct, reasonFor: WildcardReason): void {
  onValidate(scope, () => {
    const stack = Stack.of(scope);
    for (const child of scope.node.findAll()) {
      const document = child instanceof iam.ManagedPolicy || child instanceof iam.Policy ? child.document : undefined;
      if (!document) continue;
      for (const statement of stack.resolve(document.toJSON())?.Statement ?? []) {
        const actions: string[] = ([] as unknown[]).concat(statement.Action ?? []).map(String);
        for (const action of actions.filter((a) => a.includes('*'))) {
          const reason = reasonFor('Action', action, actions);
          if (reason) acknowledgeOnce(child, `AwsSolutions-IAM5[Action::${action}]`, reason);
        }
        for (const resource of ([] as unknown[]).concat(statement.Resource ?? []).map(nagName).filter((r) => r.includes('*'))) {
          const reason = reasonFor('Resource', resource, actions);
          if (reason) acknowledgeOnce(child, `AwsSolutions-IAM5[Resource::${resource}]`, reason);
        }
      }
    }
  });
}
