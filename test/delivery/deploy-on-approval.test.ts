import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { MaturityLevel } from '../../lib/core/maturity-level';
import { DeliverySource } from '../../lib/delivery/delivery-source';
import { DeployOnApproval, DeployOnApprovalProps } from '../../lib/delivery/deploy-on-approval';
import { ModelRegistry } from '../../lib/registry/model-registry';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';

const CONNECTION = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/abcd-1234';
const source = DeliverySource.codeConnection({ connectionArn: CONNECTION, repository: 'my-org/recommendation' });

// Cross-account delivery: registry imported into the delivery stack, staging then prod with a manual approval.
const app = checkedApp();
const stack = new Stack(app, 'Delivery');
const registry = ModelRegistry.fromModelRegistryName(stack, 'Registry', 'recommendation');
const deploy = new DeployOnApproval(stack, 'DeployOnApproval', {
  registry,
  source,
  servingStacks: ['Mlops-recommendation-Serving'],
  stageAccounts: [
    { name: 'staging', account: '111111111111', region: 'eu-west-1' },
    { name: 'prod', account: '222222222222', region: 'us-east-1' },
  ],
});

// Single account: the registry is created in the same stack and owns the approval rule.
const localApp = checkedApp();
const localStack = new Stack(localApp, 'Platform');
const localRegistry = new ModelRegistry(localStack, 'Registry', { modelPackageGroupName: 'recommendation' });
const localDeploy = new DeployOnApproval(localStack, 'DeployOnApproval', {
  registry: localRegistry,
  source,
  servingStacks: ['Mlops-recommendation-Serving'],
  level: MaturityLevel.MONITORING_AND_GOVERNANCE,
  context: { modelName: 'recommendation' },
  buildTimeout: Duration.minutes(90),
});

let template: Template;
let localTemplate: Template;
const warnings: string[] = [];

beforeAll(() => {
  for (const a of [app, localApp]) warnings.push(...synthAndCollectWarnings(a).warnings.map((w) => `${w.ruleName} ${w.resources}`));
  template = Template.fromStack(stack);
  localTemplate = Template.fromStack(localStack);
});

function buildCommands(t: Template, project: codebuild.PipelineProject): string[] {
  const id = Stack.of(project).getLogicalId(project.node.defaultChild as codebuild.CfnProject);
  return JSON.parse(t.toJSON().Resources[id].Properties.Source.BuildSpec).phases.build.commands;
}

function statementsOf(t: Template, roleConstructPath: string): any[] {
  const policies = t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp(`${roleConstructPath}$`) } });
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

function stagesOf(t: Template): any[] {
  return (Object.values(t.findResources('AWS::CodePipeline::Pipeline'))[0] as any).Properties.Stages;
}

describe('DeployOnApproval', () => {
  test('both variants synthesize with zero cdk-nag and CloudFormation validator findings', () => {
    expect(warnings).toEqual([]);
  });

  test('the rule matches "model package approved" events of this group only', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.sagemaker'],
        'detail-type': ['SageMaker Model Package State Change'],
        'detail': { ModelPackageGroupName: ['recommendation'], ModelApprovalStatus: ['Approved'] },
      },
    });
  });

  test('the event ARN reaches the pipeline: rule -> state machine input -> StartPipelineExecution variables', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({
        Arn: { Ref: Match.stringLikeRegexp('^DeployOnApprovalStartDeployment') },
        InputTransformer: {
          InputPathsMap: { 'detail-ModelPackageArn': '$.detail.ModelPackageArn', 'id': '$.id' },
          InputTemplate: '{"modelPackageArn":<detail-ModelPackageArn>,"eventId":<id>}',
        },
      })],
    });
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0] as any;
    const definition = JSON.parse(machine.Properties.DefinitionString['Fn::Join'][1]
      .map((p: any) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
    const task = definition.States.StartDeploymentPipeline;
    expect(task.Resource).toBe('arn:TOKEN:states:::aws-sdk:codepipeline:startPipelineExecution');
    expect(task.Parameters).toEqual({
      'Name': 'TOKEN',
      'ClientRequestToken.$': '$.eventId',
      'Variables': [{ 'Name': 'modelPackageArn', 'Value.$': '$.modelPackageArn' }],
    });
    expect(machine.Properties.DefinitionString['Fn::Join'][1]).toContainEqual({ Ref: deployPipelineLogicalId() });
  });

  test('the state machine may start only this pipeline, and logs and traces every execution', () => {
    const start = statementsOf(template, 'DeployOnApproval/StartDeploymentRole')
      .filter((s) => ([] as string[]).concat(s.Action).includes('codepipeline:StartPipelineExecution'));
    expect(start).toHaveLength(1);
    expect(JSON.stringify(start[0].Resource)).toContain(deployPipelineLogicalId());
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
      TracingConfiguration: { Enabled: true },
    });
  });

  test('the pipeline is V2 with queued executions and a modelPackageArn variable; pushes do not start it', () => {
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      PipelineType: 'V2',
      ExecutionMode: 'QUEUED',
      Variables: [Match.objectLike({ Name: 'modelPackageArn' })],
    });
    expect(stagesOf(template)[0].Actions[0].Configuration).toMatchObject({
      ConnectionArn: CONNECTION, FullRepositoryId: 'my-org/recommendation', DetectChanges: false,
    });
  });

  test('stages: Source -> Deploy-staging -> manual approval -> Deploy-prod, each deploy given the ARN variable', () => {
    const stages = stagesOf(template);
    expect(stages.map((s) => s.Name)).toEqual(['Source', 'Deploy-staging', 'Approve-prod', 'Deploy-prod']);
    expect(stages[2].Actions[0].ActionTypeId).toMatchObject({ Category: 'Approval', Provider: 'Manual' });
    expect(stages[2].Actions[0].Configuration.CustomData).toContain('#{variables.modelPackageArn}');
    for (const stage of [stages[1], stages[3]]) {
      expect(stage.Actions[0].ActionTypeId).toMatchObject({ Category: 'Build', Provider: 'CodeBuild' });
      expect(JSON.parse(stage.Actions[0].Configuration.EnvironmentVariables))
        .toEqual([{ name: 'MODEL_PACKAGE_ARN', type: 'PLAINTEXT', value: '#{variables.modelPackageArn}' }]);
    }
  });

  test('each stage deploys the serving stack, and not the stacks it depends on, with the approved ARN and its target account', () => {
    const staging = buildCommands(template, deploy.deployProjects['Deploy-staging']);
    expect(staging[1]).toBe("npx cdk deploy 'Mlops-recommendation-Serving' --exclusively --require-approval never --progress events -c level=2"
      + ' -c modelPackageArn="$MODEL_PACKAGE_ARN" -c deployAccount=111111111111 -c deployRegion=eu-west-1');
    const prod = buildCommands(template, deploy.deployProjects['Deploy-prod']);
    expect(prod[1]).toContain('-c deployAccount=222222222222 -c deployRegion=us-east-1');
    // The guard runs first: the ARN must be of this group and still Approved.
    expect(staging[0]).toContain('aws sagemaker describe-model-package --model-package-name "$MODEL_PACKAGE_ARN"');
    expect(JSON.stringify(template.toJSON())).not.toMatch(/UpdateEndpoint/);
  });

  test('least privilege: each stage build may assume only the CDK bootstrap roles of its own account and region', () => {
    for (const [stage, account, region, other] of [['staging', '111111111111', 'eu-west-1', '222222222222'], ['prod', '222222222222', 'us-east-1', '111111111111']]) {
      const statements = statementsOf(template, `DeployOnApproval/Deploy-${stage}-ProjectRole`);
      const assume = statements.filter((s) => JSON.stringify(s.Action).includes('sts:'));
      expect(assume).toHaveLength(1);
      expect(assume[0].Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
      const arns = assume[0].Resource.map((r: any) => JSON.stringify(r));
      expect(arns).toHaveLength(4);
      for (const kind of ['deploy', 'file-publishing', 'image-publishing', 'lookup']) {
        expect(arns.some((a: string) => a.includes(`:iam::${account}:role/cdk-hnb659fds-${kind}-role-${account}-${region}`))).toBe(true);
      }
      expect(JSON.stringify(statements)).not.toContain(other);
      const read = statements.filter((s) => JSON.stringify(s.Action).includes('sagemaker:'));
      expect(read).toEqual([expect.objectContaining({ Action: 'sagemaker:DescribeModelPackage' })]);
      expect(JSON.stringify(read[0].Resource)).toContain(':model-package/recommendation/*');
    }
  });

  test('artifacts, builds and logs are encrypted with the key; builds unprivileged', () => {
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', { ArtifactStore: { Type: 'S3', EncryptionKey: Match.objectLike({ Type: 'KMS' }) } });
    for (const project of Object.values(template.findResources('AWS::CodeBuild::Project')) as any[]) {
      expect(project.Properties.EncryptionKey).toBeDefined();
      expect(project.Properties.Environment.PrivilegedMode).toBe(false);
    }
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup')) as any[]) {
      expect(group.Properties.KmsKeyId).toBeDefined();
      expect(group.Properties.RetentionInDays).toBe(365);
    }
  });

  test('without stageAccounts: one Deploy stage in this account, level and context passed, rule owned by the registry', () => {
    expect(stagesOf(localTemplate).map((s) => s.Name)).toEqual(['Source', 'Deploy']);
    const project = localStack.getLogicalId(localDeploy.deployProjects.Deploy.node.defaultChild as codebuild.CfnProject);
    expect(localTemplate.toJSON().Resources[project].Properties.TimeoutInMinutes).toBe(90);
    expect(buildCommands(localTemplate, localDeploy.deployProjects.Deploy)[1]).toBe(
      "npx cdk deploy 'Mlops-recommendation-Serving' --exclusively --require-approval never --progress events -c level=3"
      + ' -c modelPackageArn="$MODEL_PACKAGE_ARN" -c modelName=recommendation');
    expect(localDeploy.approvalRule.node.path).toMatch(/^Platform\/Registry\//);
    const assume = statementsOf(localTemplate, 'DeployOnApproval/DeployProjectRole').filter((s) => JSON.stringify(s.Action).includes('sts:'));
    expect(JSON.stringify(assume[0].Resource)).toContain('{"Ref":"AWS::AccountId"},"-",{"Ref":"AWS::Region"}');
  });

  test('requireApprovalBetweenStages: false leaves the manual approval out', () => {
    const s = new Stack(new App(), 'S');
    new DeployOnApproval(s, 'D', {
      registry: ModelRegistry.fromModelRegistryName(s, 'R', 'recommendation'),
      source,
      servingStacks: ['Serving'],
      requireApprovalBetweenStages: false,
      stageAccounts: [{ name: 'staging', account: '111111111111', region: 'eu-west-1' }, { name: 'prod', account: '222222222222', region: 'eu-west-1' }],
    });
    expect(stagesOf(Template.fromStack(s)).map((st) => st.Name)).toEqual(['Source', 'Deploy-staging', 'Deploy-prod']);
  });

  test('an S3 source is read by the pipeline but never starts it', () => {
    const s = new Stack(new App(), 'S');
    new DeployOnApproval(s, 'D', {
      registry: ModelRegistry.fromModelRegistryName(s, 'R', 'recommendation'),
      source: DeliverySource.s3({ bucket: new s3.Bucket(s, 'Src', { versioned: true }), objectKey: 'app.zip' }),
      servingStacks: ['Serving'],
    });
    const t = Template.fromStack(s);
    expect(stagesOf(t)[0].Actions[0].Configuration).toMatchObject({ S3ObjectKey: 'app.zip', PollForSourceChanges: false });
    t.resourcePropertiesCountIs('AWS::Events::Rule', { EventPattern: Match.objectLike({ source: ['aws.s3'] }) }, 0);
  });

  function deployPipelineLogicalId(): string {
    return stack.getLogicalId(deploy.pipeline.node.defaultChild as any);
  }
});

describe('DeployOnApproval validation', () => {
  function build(overrides: Partial<DeployOnApprovalProps>): void {
    const s = new Stack(new App(), 'S');
    new DeployOnApproval(s, 'D', {
      registry: ModelRegistry.fromModelRegistryName(s, 'R', 'recommendation'),
      source,
      servingStacks: ['Serving'],
      ...overrides,
    });
  }

  test.each([
    [{ stageAccounts: [{ name: 'prod', account: '1234', region: 'eu-west-1' }] }, "stageAccounts[0].account must be a 12-digit AWS account id, got '1234'"],
    [{ stageAccounts: [{ name: 'prod', account: '123456789012', region: 'Europe' }] }, "stageAccounts[0].region must be an AWS region such as 'eu-west-1', got 'Europe'"],
    [{ stageAccounts: [{ name: 'prod env', account: '123456789012', region: 'eu-west-1' }] }, "stageAccounts[0].name must be 1-64 letters, digits, '_' or '-', starting with a letter or digit, got 'prod env'"],
    [{ stageAccounts: [{ name: 'prod', account: '123456789012', region: 'eu-west-1' }, { name: 'prod', account: '210987654321', region: 'eu-west-1' }] },
      "stageAccounts[1].name must be unique among the stages, got 'prod'"],
    [{ level: 7 }, 'level must be a whole number from 0 to 4, got 7'],
    [{ buildTimeout: Duration.minutes(4) }, "buildTimeout must be a whole number of minutes from 5 to 480, got '4 minutes'"],
    [{ servingStacks: [] }, 'servingStacks must be a non-empty list of stack selectors, got []'],
    [{ servingStacks: ["Serving'; curl evil"] }, "servingStacks[0] must be a stack path or pattern (letters, digits, '-', '_', '/', '*'), got 'Serving'; curl evil'"],
    [{ context: { modelPackageArn: 'arn' } }, "context must be free of 'modelPackageArn' (the pipeline sets it), got {\"modelPackageArn\":\"arn\"}"],
    [{ bootstrapQualifier: 'x'.repeat(11) }, `bootstrapQualifier must be 1-10 lowercase letters or digits (a CDK bootstrap qualifier), got '${'x'.repeat(11)}'`],
  ])('bad props stop synth with one line naming the prop and value (%#)', (overrides, message) => {
    expect(() => build(overrides as Partial<DeployOnApprovalProps>)).toThrow(message);
  });
});
