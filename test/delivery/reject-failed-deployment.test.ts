import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DeliverySource } from '../../lib/delivery/delivery-source';
import { DeployOnApproval, DeployOnApprovalProps } from '../../lib/delivery/deploy-on-approval';
import { ModelRegistry } from '../../lib/registry/model-registry';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';

const source = DeliverySource.codeConnection({
  connectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/abcd-1234',
  repository: 'my-org/recommendation',
});

function build(app: App, props: Partial<DeployOnApprovalProps> = {}): { stack: Stack; deploy: DeployOnApproval } {
  const stack = new Stack(app, 'Delivery');
  // A second registry group in the same stack: the rejecter must not touch it.
  new ModelRegistry(stack, 'OtherRegistry', { modelPackageGroupName: 'other' });
  const deploy = new DeployOnApproval(stack, 'DeployOnApproval', {
    registry: ModelRegistry.fromModelRegistryName(stack, 'Registry', 'recommendation'),
    source,
    servingStacks: ['Mlops-recommendation-Serving'],
    ...props,
  });
  return { stack, deploy };
}

const app = checkedApp();
const { stack, deploy } = build(app);
let template: Template;
let warnings: string[];

beforeAll(() => {
  warnings = synthAndCollectWarnings(app).warnings.map((w) => `${w.ruleName} ${w.resources}`);
  template = Template.fromStack(stack);
});

function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as any);
}

/** The state machine definition with every token replaced by TOKEN, plus the tokens in order. */
function definition(): { json: any; tokens: any[] } {
  const parts: any[] = template.toJSON().Resources[logicalId(deploy.rejecter!)].Properties.DefinitionString['Fn::Join'][1];
  return {
    json: JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('')),
    tokens: parts.filter((p) => typeof p !== 'string'),
  };
}

function rejecterStatements(): any[] {
  const policies = template.findResources('AWS::IAM::ManagedPolicy', {
    Properties: { Description: Match.stringLikeRegexp('DeployOnApproval/RejectFailedDeploymentRole$') },
  });
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('DeployOnApproval rejects the model package of a failed deployment', () => {
  test('synthesizes with zero cdk-nag and CloudFormation validator findings', () => {
    expect(warnings).toEqual([]);
  });

  test('the rule matches FAILED executions of this deployment pipeline only and passes the execution id', () => {
    const rule = template.toJSON().Resources[logicalId(deploy.deploymentFailedRule!)].Properties;
    expect(rule.EventPattern).toEqual({
      'source': ['aws.codepipeline'],
      'detail-type': ['CodePipeline Pipeline Execution State Change'],
      'detail': { pipeline: [{ Ref: logicalId(deploy.pipeline) }], state: ['FAILED'] },
    });
    expect(rule.Targets).toHaveLength(1);
    expect(rule.Targets[0]).toMatchObject({
      Arn: { Ref: logicalId(deploy.rejecter!) },
      InputTransformer: {
        InputPathsMap: { 'detail-execution-id': '$.detail.execution-id', 'id': '$.id' },
        InputTemplate: '{"executionId":<detail-execution-id>,"eventId":<id>}',
      },
    });
  });

  test('the state machine reads the execution\'s variables, skips none and other groups, and rejects the package', () => {
    const { json, tokens } = definition();
    expect(json.StartAt).toBe('GetPipelineExecution');
    const read = json.States.GetPipelineExecution;
    expect(read.Resource).toBe('arn:TOKEN:states:::aws-sdk:codepipeline:getPipelineExecution');
    expect(read.Parameters).toEqual({ 'PipelineName': 'TOKEN', 'PipelineExecutionId.$': '$.executionId' });
    expect(tokens).toContainEqual({ Ref: logicalId(deploy.pipeline) });
    expect(json.States.HasVariables.Choices[0]).toMatchObject({ Variable: '$.execution.PipelineExecution.Variables', IsPresent: true });
    expect(json.States.HasVariables.Default).toBe('NoModelPackageToReject');
    expect(json.States.FindModelPackageArn.Parameters).toEqual({
      'arns.$': "$.execution.PipelineExecution.Variables[?(@.Name == 'modelPackageArn')].ResolvedValue",
    });

    const check = json.States.IsModelPackageOfThisGroup;
    expect(check.Default).toBe('NoModelPackageToReject');
    expect(check.Choices).toHaveLength(1);
    expect(check.Choices[0].Next).toBe('RejectModelPackage');
    expect(check.Choices[0].And).toEqual(expect.arrayContaining([
      { Variable: '$.found.arns[0]', IsPresent: true },
      { Not: { Variable: '$.found.arns[0]', StringEquals: 'none' } },
      { Variable: '$.found.arns[0]', StringMatches: 'arn:TOKEN:sagemaker:TOKEN:TOKEN:model-package/recommendation/*' },
    ]));
    expect(json.States.NoModelPackageToReject.Type).toBe('Succeed');

    const reject = json.States.RejectModelPackage;
    expect(reject.Resource).toBe('arn:TOKEN:states:::aws-sdk:sagemaker:updateModelPackage');
    expect(reject.Parameters).toMatchObject({ 'ModelPackageArn.$': '$.found.arns[0]', 'ModelApprovalStatus': 'Rejected' });
    expect(reject.Parameters['ApprovalDescription.$']).toMatch(/^States\.Format\('.*deployment pipeline execution \{\} failed or was rolled back.*', \$\.executionId\)$/);
    expect(reject.End).toBe(true);
  });

  test('the state machine logs to an encrypted log group and traces with X-Ray', () => {
    const machine = template.toJSON().Resources[logicalId(deploy.rejecter!)].Properties;
    expect(machine.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine.LoggingConfiguration.Level).toBe('ALL');
    const groupId = machine.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[groupId].Properties.KmsKeyId).toBeDefined();
  });

  test('least privilege: GetPipelineExecution on this pipeline only, UpdateModelPackage on this group\'s versions only', () => {
    const statements = rejecterStatements();
    const actions = statements.flatMap((s) => ([] as string[]).concat(s.Action));
    expect(actions.filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:')).sort())
      .toEqual(['codepipeline:GetPipelineExecution', 'sagemaker:UpdateModelPackage']);
    const get = statements.find((s) => s.Action === 'codepipeline:GetPipelineExecution');
    expect(get.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':codepipeline:', { Ref: 'AWS::Region' }, ':',
      { Ref: 'AWS::AccountId' }, ':', { Ref: logicalId(deploy.pipeline) }]] });
    const update = statements.filter((s) => ([] as string[]).concat(s.Action).includes('sagemaker:UpdateModelPackage'));
    expect(update).toHaveLength(1);
    expect(JSON.stringify(update[0].Resource)).toContain(':model-package/recommendation/*');
    expect(JSON.stringify(update[0].Resource)).not.toContain('other');
    // No statement anywhere lets this role touch the other group.
    expect(JSON.stringify(statements)).not.toContain('model-package/other');
    for (const s of statements.filter((st) => st.Resource === '*')) {
      expect(([] as string[]).concat(s.Action).every((a) => a.startsWith('logs:') || a.startsWith('xray:'))).toBe(true);
    }
  });

  test('the rule may start only the rejecter', () => {
    const policies = template.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { Description: Match.stringLikeRegexp('DeployOnApproval/RejectFailedDeploymentEventRole$') },
    });
    const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([{ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: logicalId(deploy.rejecter!) } }]);
  });

  test('rejectOnFailedDeployment: false leaves the rule and the state machine out', () => {
    const off = build(new App(), { rejectOnFailedDeployment: false });
    expect(off.deploy.rejecter).toBeUndefined();
    expect(off.deploy.deploymentFailedRule).toBeUndefined();
    const t = Template.fromStack(off.stack);
    t.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    t.resourcePropertiesCountIs('AWS::Events::Rule', { EventPattern: Match.objectLike({ source: ['aws.codepipeline'] }) }, 0);
    expect(JSON.stringify(t.toJSON())).not.toContain('sagemaker:UpdateModelPackage');
  });

  test('a registry created in the same stack: nag-clean, and the pattern is that group\'s', () => {
    const local = checkedApp();
    const s = new Stack(local, 'Platform');
    const registry = new ModelRegistry(s, 'Registry', { modelPackageGroupName: 'recommendation' });
    const d = new DeployOnApproval(s, 'DeployOnApproval', { registry, source, servingStacks: ['Serving'], level: 4 });
    expect(synthAndCollectWarnings(local).warnings).toEqual([]);
    expect(d.rejecter).toBeDefined();
    const parts: any[] = Template.fromStack(s).toJSON().Resources[s.getLogicalId(d.rejecter!.node.defaultChild as any)]
      .Properties.DefinitionString['Fn::Join'][1];
    expect(parts.filter((p) => typeof p === 'string').join('')).toContain(':model-package/recommendation/*');
  });
});
