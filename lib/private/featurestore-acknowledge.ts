import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges the cdk-nag `AwsSolutions-IAM5[Resource::<arn>]` finding of each given wildcard resource ARN on
 * `target`, and only those: cdk-nag v3 names each finding by the ARN as written in the template (references
 * flattened to `<LogicalId.Attr>` / `<AWS::Partition>`, imports to their export name).
 *
 * The ids are computed in the construct's validation, which runs after cross-stack references are resolved, so a
 * bucket from another stack (an `Fn::ImportValue` in the template) is named as the finding names it.
 */
export function acknowledgeWildcardResources(target: IConstruct, resources: string[], reason: string): void {
  target.node.addValidation({
    validate: () => {
      const stack = Stack.of(target);
      for (const resource of resources) {
        Validations.of(target).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flatten(stack.resolve(resource))}]`, reason });
      }
      return [];
    },
  });
}

/** Renders a resolved CloudFormation value the way cdk-nag writes it in finding ids. */
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const value = node as { [key: string]: any };
  if (value['Fn::Join']) {
    const [delimiter, items] = value['Fn::Join'];
    return (items as unknown[]).map(flatten).join(delimiter);
  }
  if (value['Fn::Sub']) return flatten(value['Fn::Sub']);
  if (value['Fn::GetAtt']) {
    const [resource, attribute] = value['Fn::GetAtt'];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (value['Fn::ImportValue']) return flatten(value['Fn::ImportValue']);
  if (value.Ref) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(node);
}
