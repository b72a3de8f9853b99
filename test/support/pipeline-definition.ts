/**
 * The pipeline definition a template hands to SageMaker: the `PipelineDefinitionBody` of its
 * `AWS::SageMaker::Pipeline`, with CloudFormation intrinsics (what CDK tokens became) replaced by readable
 * placeholders naming what they refer to (`<Ref:AWS::Region>`, `<Fn::GetAtt:Role.Arn>`,
 * `<Fn::ImportValue:Mlops-Data:ExportsOutput...>`, `<Fn::FindInMap:map.key.key>`), parsed.
 */
export function pipelineDefinitionOf(template: any): any {
  const pipeline = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::SageMaker::Pipeline');
  if (!pipeline) throw new Error('no AWS::SageMaker::Pipeline in the template');
  return JSON.parse(flatten(pipeline.Properties.PipelineDefinition.PipelineDefinitionBody));
}

function flatten(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(flatten).join(value['Fn::Join'][0]);
  if (value.Ref) return `<Ref:${value.Ref}>`;
  const [name] = Object.keys(value);
  const arg = value[name];
  if (name === 'Fn::GetAtt') return `<Fn::GetAtt:${[arg].flat().join('.')}>`;
  if (name === 'Fn::ImportValue') return `<Fn::ImportValue:${flatten(arg)}>`;
  if (name === 'Fn::Sub') return `<Fn::Sub:${[arg].flat()[0].replace(/\$\{([^}]+)\}/g, '<$1>')}>`;
  if (name === 'Fn::FindInMap') return `<Fn::FindInMap:${arg.map(flatten).join('.')}>`;
  return `<${name}>`;
}

/** Every step of a definition, the steps inside conditions included, by name. */
export function stepsByName(definition: any): { [name: string]: any } {
  const out: { [name: string]: any } = {};
  const visit = (steps: any[]) => steps.forEach((s) => {
    out[s.Name] = s;
    if (s.Type === 'Condition') visit([...(s.Arguments.IfSteps ?? []), ...(s.Arguments.ElseSteps ?? [])]);
  });
  visit(definition.Steps);
  return out;
}
