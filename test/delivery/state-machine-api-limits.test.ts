import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DeliverySource } from '../../lib/delivery/delivery-source';
import { DeployOnApproval } from '../../lib/delivery/deploy-on-approval';
import { apiViolations } from '../../lib/handlers/shared/api-limits';
import { ModelRegistry } from '../../lib/registry/model-registry';

/**
 * The deploy-on-approval state machines call AWS APIs with values taken from events (AWS SDK integrations, no
 * Lambda): realistic events are run through the rule's input transformer and each task's `Parameters` (JSONPath
 * and `States.Format`), and every request they build is checked against the documented limits of its members.
 */

const ACCOUNT = '123456789012';
/** CloudFormation's physical names for the resources the definitions refer to (stack-logicalId-suffix). */
const PHYSICAL: { [type: string]: (logicalId: string) => string } = {
  'AWS::CodePipeline::Pipeline': (id) => `Delivery-${id.slice(0, 40)}-1A2B3C4D5E6F`,
};
const PSEUDO: { [ref: string]: string } = { 'AWS::Partition': 'aws-us-gov', 'AWS::Region': 'us-gov-west-1', 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' };

/** The longest model package ARN SageMaker makes: a 63-character group, version 9 digits, the longest partition and region. */
const LONGEST_PACKAGE_ARN = `arn:aws-us-gov:sagemaker:us-gov-west-1:${ACCOUNT}:model-package/${'r'.repeat(63)}/999999999`;

const app = new App();
const stack = new Stack(app, 'Delivery', { env: { account: ACCOUNT, region: 'us-gov-west-1' } });
const deploy = new DeployOnApproval(stack, 'DeployOnApproval', {
  registry: ModelRegistry.fromModelRegistryName(stack, 'Registry', 'r'.repeat(63)),
  source: DeliverySource.codeConnection({ connectionArn: `arn:aws:codeconnections:us-gov-west-1:${ACCOUNT}:connection/abcd-1234`, repository: 'my-org/recommendation' }),
  servingStacks: ['Mlops-recommendation-Serving'],
});
const resources = Template.fromStack(stack).toJSON().Resources;

/** Replaces CloudFormation intrinsics by the values they take on AWS. */
function resolve(value: any): any {
  if (typeof value === 'string' || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(resolve);
  if (value.Ref) {
    if (PSEUDO[value.Ref]) return PSEUDO[value.Ref];
    const type = resources[value.Ref]?.Type;
    if (!PHYSICAL[type]) throw new Error(`no physical name known for Ref ${value.Ref} (${type})`);
    return PHYSICAL[type](value.Ref);
  }
  if (value['Fn::Join']) return value['Fn::Join'][1].map(resolve).join(value['Fn::Join'][0]);
  throw new Error(`unsupported intrinsic ${JSON.stringify(value)}`);
}

function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as any);
}

/** A state machine's definition as Step Functions reads it. */
function definitionOf(machine: { node: { defaultChild?: unknown } }): any {
  return JSON.parse(resolve(resources[logicalId(machine)].Properties.DefinitionString));
}

/** The JSONPath subset the definitions use: `$`, `.name`, `[index]`. */
function at(data: any, path: string): any {
  if (!path.startsWith('$')) throw new Error(`not a path: ${path}`);
  const parts = path.slice(1).match(/\.[^.[]+|\[\d+\]/g) ?? [];
  return parts.reduce((v, p) => (v === undefined ? undefined : p.startsWith('[') ? v[Number(p.slice(1, -1))] : v[p.slice(1)]), data);
}

/** `States.Format('template', $.a, ...)` with `{}` placeholders. */
function format(expression: string, data: any): string {
  const match = /^States\.Format\('((?:[^'\\]|\\.)*)'((?:\s*,\s*\$[^,)]*)*)\)$/.exec(expression);
  if (!match) throw new Error(`unsupported intrinsic: ${expression}`);
  const args = match[2].split(',').map((a) => a.trim()).filter((a) => a !== '').map((a) => String(at(data, a)));
  return match[1].replace(/\\(.)/g, '$1').replace(/\{\}/g, () => args.shift()!);
}

/** A task's `Parameters` evaluated against the state's input, as Step Functions builds the API request. */
function evaluate(parameters: any, data: any): any {
  if (Array.isArray(parameters)) return parameters.map((p) => evaluate(p, data));
  if (parameters === null || typeof parameters !== 'object') return parameters;
  const out: any = {};
  for (const [key, value] of Object.entries<any>(parameters)) {
    if (key.endsWith('.$')) out[key.slice(0, -2)] = value.startsWith('States.') ? format(value, data) : at(data, value);
    else out[key] = evaluate(value, data);
  }
  return out;
}

/** `arn:...:states:::aws-sdk:codepipeline:startPipelineExecution` -> `codepipeline:StartPipelineExecution`. */
function operationOf(resource: string): string {
  const [, service, action] = /:aws-sdk:([a-z0-9]+):(\w+)$/.exec(resource)!;
  return `${service}:${action[0].toUpperCase()}${action.slice(1)}`;
}

/** The state machine input an EventBridge rule target's input transformer makes of `event`. */
function transform(rule: { node: { defaultChild?: unknown } }, event: any): any {
  const { InputPathsMap, InputTemplate } = resources[logicalId(rule)].Properties.Targets[0].InputTransformer;
  const text = (InputTemplate as string).replace(/<([^>]+)>/g, (_m, name) => JSON.stringify(at(event, InputPathsMap[name])));
  return JSON.parse(text);
}

/** The request of the task state `name` of `definition` on `input`, and its violations. */
function request(definition: any, name: string, input: any): { operation: string; input: any; violations: string[] } {
  const state = definition.States[name];
  const operation = operationOf(state.Resource);
  const sent = evaluate(state.Parameters, input);
  return { operation, input: sent, violations: apiViolations(operation, sent) };
}

describe('deploy-on-approval state machines: every request within the API limits', () => {
  test('approval -> StartDeploymentPipeline (codepipeline:StartPipelineExecution with the package ARN as variable)', () => {
    const approved = {
      'version': '0',
      'id': '0b9d6d5e-7e4a-4c6e-9f59-1d2c3b4a5f60',
      'detail-type': 'SageMaker Model Package State Change',
      'source': 'aws.sagemaker',
      'account': ACCOUNT,
      'time': '2026-11-27T12:00:00Z',
      'region': 'us-gov-west-1',
      'resources': [LONGEST_PACKAGE_ARN],
      'detail': {
        ModelPackageGroupName: 'r'.repeat(63), ModelPackageVersion: 999999999, ModelPackageArn: LONGEST_PACKAGE_ARN,
        ModelApprovalStatus: 'Approved', ModelPackageStatus: 'Completed', CreationTime: 1795780800000,
      },
    };
    const input = transform(deploy.approvalRule, approved);
    const sent = request(definitionOf(deploy.starter), 'StartDeploymentPipeline', input);
    expect(sent.operation).toBe('codepipeline:StartPipelineExecution');
    expect(sent.input).toEqual({
      Name: expect.stringMatching(/^Delivery-/),
      ClientRequestToken: approved.id,
      Variables: [{ Name: 'modelPackageArn', Value: LONGEST_PACKAGE_ARN }],
    });
    expect(sent.violations).toEqual([]);
  });

  test('failed deployment -> GetPipelineExecution, then RejectModelPackage (sagemaker:UpdateModelPackage)', () => {
    const failed = {
      'version': '0',
      'id': '01234567-89ab-cdef-0123-456789abcdef',
      'detail-type': 'CodePipeline Pipeline Execution State Change',
      'source': 'aws.codepipeline',
      'account': ACCOUNT,
      'time': '2026-11-27T12:30:00Z',
      'region': 'us-gov-west-1',
      'resources': [`arn:aws-us-gov:codepipeline:us-gov-west-1:${ACCOUNT}:Delivery-DeployOnApprovalPipeline`],
      'detail': { 'pipeline': 'Delivery-DeployOnApprovalPipeline', 'execution-id': 'e3b0c442-98fc-4c14-9afb-f4c8996fb924', 'state': 'FAILED', 'version': 3 },
    };
    const definition = definitionOf(deploy.rejecter!);
    const input = transform(deploy.deploymentFailedRule!, failed);
    const read = request(definition, 'GetPipelineExecution', input);
    expect(read.operation).toBe('codepipeline:GetPipelineExecution');
    expect(read.violations).toEqual([]);

    const afterRead = {
      ...input,
      execution: { PipelineExecution: { Variables: [{ Name: 'modelPackageArn', ResolvedValue: LONGEST_PACKAGE_ARN }] } },
      found: { arns: [LONGEST_PACKAGE_ARN] },
    };
    const reject = request(definition, 'RejectModelPackage', afterRead);
    expect(reject.operation).toBe('sagemaker:UpdateModelPackage');
    expect(reject.input).toEqual({
      ModelPackageArn: LONGEST_PACKAGE_ARN,
      ModelApprovalStatus: 'Rejected',
      ApprovalDescription: `Rejected automatically: deployment pipeline execution ${failed.detail['execution-id']} failed or was rolled back (canary alarm or failed cdk deploy)`,
    });
    expect(reject.violations).toEqual([]);
  });
});
