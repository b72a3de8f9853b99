import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { FakeTrainingPipeline } from './fake-training-pipeline';
import { DeliverySource } from '../../lib/delivery/delivery-source';
import { MlCodePipeline, MlCodePipelineProps } from '../../lib/delivery/ml-code-pipeline';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';

const CONNECTION = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/abcd-1234';

// One nag-checked app for the whole file: synth takes seconds.
const app = checkedApp();
const trainingStack = new Stack(app, 'Mlops-recommendation-Training');
const trainingPipeline = new FakeTrainingPipeline(trainingStack, 'TrainingPipeline');
const deliveryStack = new Stack(app, 'Delivery');
const mlCode = new MlCodePipeline(deliveryStack, 'MlCode', {
  source: DeliverySource.codeConnection({ connectionArn: CONNECTION, repository: 'my-org/recommendation' }),
  trainingPipeline,
  context: { level: '2' },
});
let template: Template;
let warnings: ReturnType<typeof synthAndCollectWarnings>['warnings'];

beforeAll(() => {
  warnings = synthAndCollectWarnings(app).warnings;
  template = Template.fromStack(deliveryStack);
});

function projectBuildSpec(t: Template, project: codebuild.PipelineProject): string {
  const id = Stack.of(project).getLogicalId(project.node.defaultChild as codebuild.CfnProject);
  return t.toJSON().Resources[id].Properties.Source.BuildSpec;
}

function policyStatementsOf(t: Template, roleConstructPath: string): any[] {
  const policies = t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp(`${roleConstructPath}$`) } });
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('MlCodePipeline', () => {
  test('synthesizes with zero cdk-nag and CloudFormation validator findings', () => {
    // beforeAll would have thrown on any unacknowledged error; no warnings remain either.
    expect(warnings).toEqual([]);
  });

  test('is a V2 pipeline: Source -> Test -> Train, artifacts in the KMS-encrypted bucket', () => {
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      PipelineType: 'V2',
      ArtifactStore: { Type: 'S3', EncryptionKey: { Type: 'KMS', Id: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MlCodeKey'), 'Arn'] } } },
      Stages: [
        { Name: 'Source', Actions: [Match.objectLike({ ActionTypeId: Match.objectLike({ Provider: 'CodeStarSourceConnection' }) })] },
        { Name: 'Test', Actions: [Match.objectLike({ Name: 'Test', ActionTypeId: Match.objectLike({ Provider: 'CodeBuild' }) })] },
        { Name: 'Train', Actions: [Match.objectLike({ Name: 'DeployAndStart', ActionTypeId: Match.objectLike({ Provider: 'CodeBuild' }) })] },
      ],
    });
  });

  test('the source is the connection, repository and branch given, and a push starts the pipeline', () => {
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Stages: Match.arrayWith([{
        Name: 'Source',
        Actions: [Match.objectLike({
          Configuration: { ConnectionArn: CONNECTION, FullRepositoryId: 'my-org/recommendation', BranchName: 'main' },
        })],
      }]),
    });
    const stages = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0].Properties.Stages;
    expect(stages[0].Actions[0].Configuration.DetectChanges).not.toBe(false);
  });

  test('the test stage runs npm ci && npm test', () => {
    const spec = JSON.parse(projectBuildSpec(template, mlCode.testProject));
    expect(spec.phases.install.commands).toEqual(['npm ci']);
    expect(spec.phases.install['runtime-versions']).toEqual({ nodejs: 20 });
    expect(spec.phases.build.commands).toEqual(['npm test']);
  });

  test('the train stage deploys the training stack, and not the stacks it depends on, then starts the training pipeline', () => {
    const spec = JSON.parse(projectBuildSpec(template, mlCode.trainProject));
    expect(spec.phases.build.commands).toEqual([
      "npx cdk deploy 'Mlops-recommendation-Training' --exclusively --require-approval never --progress events -c level=2",
      expect.stringMatching(/^aws sagemaker start-pipeline-execution --pipeline-name "\$TRAINING_PIPELINE_NAME"/),
    ]);
    expect(mlCode.deployCommand).toBe(spec.phases.build.commands[0]);
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Description: Match.stringLikeRegexp('^Deploys the training pipeline'),
      Environment: Match.objectLike({
        EnvironmentVariables: [{ Name: 'TRAINING_PIPELINE_NAME', Type: 'PLAINTEXT', Value: 'training-pipeline' }],
      }),
    });
  });

  test('builds are encrypted, unprivileged and log to encrypted log groups with a retention', () => {
    const projects = template.findResources('AWS::CodeBuild::Project');
    expect(Object.keys(projects)).toHaveLength(2);
    for (const project of Object.values(projects) as any[]) {
      expect(project.Properties.EncryptionKey).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^MlCodeKey/), 'Arn'] });
      expect(project.Properties.Environment.PrivilegedMode).toBe(false);
      expect(project.Properties.LogsConfig.CloudWatchLogs).toEqual({ Status: 'ENABLED', GroupName: { Ref: expect.stringMatching(/Logs/) } });
    }
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup')) as any[];
    expect(logGroups).toHaveLength(2);
    for (const group of logGroups) {
      expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^MlCodeKey/), 'Arn'] });
      expect(group.Properties.RetentionInDays).toBe(365);
      expect(group.DeletionPolicy).toBe('Retain');
    }
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
  });

  test('the key lets CloudWatch Logs of this account and region encrypt log groups, and nothing else', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowCloudWatchLogsOfThisAccount',
          Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
        })]),
      },
    });
  });

  test('the artifact bucket is KMS-encrypted, versioned, private, SSL-only, logged and retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
          }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^MlCodeAccessLogsBucket') }, LogFilePrefix: 'access-logs/artifacts/' },
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('least privilege: only the train build may assume the CDK bootstrap roles of this environment, and start the training pipeline', () => {
    const train = policyStatementsOf(template, 'MlCode/TrainProjectRole');
    const assume = train.filter((s) => ([] as string[]).concat(s.Action).includes('sts:AssumeRole'));
    expect(assume).toHaveLength(1);
    const arns = JSON.stringify(assume[0].Resource);
    for (const kind of ['deploy', 'file-publishing', 'image-publishing', 'lookup']) {
      expect(arns).toContain(`:role/cdk-hnb659fds-${kind}-role-`);
    }
    expect(assume[0].Resource).toHaveLength(4);
    expect(arns).not.toContain('*');
    const start = train.filter((s) => ([] as string[]).concat(s.Action).includes('sagemaker:StartPipelineExecution'));
    expect(start).toHaveLength(1);
    expect(JSON.stringify(start[0].Resource)).toContain(':pipeline/training-pipeline');

    const test = policyStatementsOf(template, 'MlCode/TestProjectRole');
    expect(test.length).toBeGreaterThan(0);
    expect(JSON.stringify(test)).not.toMatch(/sts:AssumeRole|sagemaker:/);
  });
});

describe('MlCodePipeline with an S3 source', () => {
  const s3App = checkedApp();
  const stack = new Stack(s3App, 'S3Delivery');
  // The source bucket belongs to the user (imported here); its own security is the user's stack's concern.
  const bucket = s3.Bucket.fromBucketName(stack, 'SourceBucket', 'ml-source-bucket');
  const training = new FakeTrainingPipeline(stack, 'Training');
  new MlCodePipeline(stack, 'MlCode', {
    source: DeliverySource.s3({ bucket, objectKey: 'source/app.zip' }),
    trainingPipeline: training,
    trainingStacks: ['Training'],
    testCommands: ['npm run lint', 'npm test'],
    startTrainingExecution: false,
  });
  let t: Template;
  let s3Warnings: unknown[];
  beforeAll(() => {
    s3Warnings = synthAndCollectWarnings(s3App).warnings;
    t = Template.fromStack(stack);
  });

  test('synthesizes with zero cdk-nag findings (S3 source, its rule and role)', () => {
    expect(s3Warnings).toEqual([]);
  });

  test('a new version of the zip starts the pipeline through an S3 EventBridge event (no polling)', () => {
    t.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Stages: Match.arrayWith([{
        Name: 'Source',
        Actions: [Match.objectLike({
          ActionTypeId: Match.objectLike({ Provider: 'S3' }),
          Configuration: { S3Bucket: 'ml-source-bucket', S3ObjectKey: 'source/app.zip', PollForSourceChanges: false },
        })],
      }]),
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.s3'],
        'detail-type': ['Object Created'],
        'detail': { bucket: { name: ['ml-source-bucket'] }, object: { key: ['source/app.zip'] } },
      },
      Targets: [Match.objectLike({ Arn: Match.anyValue() })],
    });
  });

  test('testCommands replace npm test, and without startTrainingExecution the build only deploys', () => {
    const projects = Object.values(t.findResources('AWS::CodeBuild::Project')) as any[];
    const specs = projects.map((p) => JSON.parse(p.Properties.Source.BuildSpec).phases.build.commands);
    expect(specs).toContainEqual(['npm run lint', 'npm test']);
    expect(specs).toContainEqual(["npx cdk deploy 'Training' --exclusively --require-approval never --progress events"]);
    expect(JSON.stringify(t.toJSON())).not.toContain('sagemaker:StartPipelineExecution');
  });
});

describe('MlCodePipeline validation', () => {
  function build(overrides: Partial<MlCodePipelineProps>): MlCodePipeline {
    const stack = new Stack(new App(), 'S');
    return new MlCodePipeline(stack, 'P', {
      source: DeliverySource.codeConnection({ connectionArn: CONNECTION, repository: 'o/r' }),
      trainingPipeline: new FakeTrainingPipeline(stack, 'T'),
      ...overrides,
    });
  }

  test.each([
    [() => DeliverySource.codeConnection({ connectionArn: 'arn:aws:iam::123456789012:role/x', repository: 'o/r' }),
      "connectionArn must be a connection ARN 'arn:aws:codeconnections:<region>:<account>:connection/<id>', got 'arn:aws:iam::123456789012:role/x'"],
    [() => DeliverySource.codeConnection({ connectionArn: CONNECTION, repository: 'just-a-name' }),
      "repository must be 'owner/repo' (letters, digits, '.', '_', '-'), got 'just-a-name'"],
    [() => DeliverySource.codeConnection({ connectionArn: CONNECTION, repository: 'o/r', branch: 'feature..x' }),
      "branch must be a git branch name such as 'main' (letters, digits, '.', '_', '-', '/'), got 'feature..x'"],
    [() => DeliverySource.s3({ bucket: s3.Bucket.fromBucketName(new Stack(), 'B', 'source-bucket'), objectKey: 'app.tar' }),
      "objectKey must be the key of a .zip object, without a leading '/' (e.g. 'source/app.zip'), got 'app.tar'"],
    [() => DeliverySource.s3({ bucket: new s3.Bucket(new Stack(), 'Unversioned'), objectKey: 'app.zip' }),
      "bucket must be a versioned bucket (versioned: true), got 'Default/Unversioned/Resource'"],
  ])('bad source input stops synth with one line (%#)', (make, message) => {
    expect(make).toThrow(message);
  });

  test.each([
    [{ testCommands: ['npm test'], testBuildSpec: codebuild.BuildSpec.fromObject({ version: '0.2' }) }, 'testCommands and testBuildSpec cannot both be given: pass one or the other'],
    [{ testCommands: [] }, 'testCommands must be a non-empty list of commands, got []'],
    [{ buildTimeout: Duration.minutes(1000) }, "buildTimeout must be a whole number of minutes from 5 to 480, got '1000 minutes'"],
    [{ buildTimeout: Duration.seconds(330) }, "buildTimeout must be a whole number of minutes from 5 to 480, got '5.5 minutes'"],
    [{ bootstrapQualifier: 'Bad_Qualifier' }, "bootstrapQualifier must be 1-10 lowercase letters or digits (a CDK bootstrap qualifier), got 'Bad_Qualifier'"],
    [{ context: { level: '2\nrm -rf /' } }, "context.level must be a non-empty single-line literal known at synth time, got '2\nrm -rf /'"],
    [{ trainingStacks: ['Stack With Space'] }, "trainingStacks[0] must be a stack path or pattern (letters, digits, '-', '_', '/', '*'), got 'Stack With Space'"],
  ])('bad props stop synth with one line naming the prop and value (%#)', (overrides, message) => {
    expect(() => build(overrides as Partial<MlCodePipelineProps>)).toThrow(message);
  });

  test('context values that need it are quoted for the shell, so they stay one word', () => {
    const built = build({ context: { retrainSchedule: 'rate(7 days)', level: "2'; rm -rf / #" } });
    const deploy: string = JSON.parse(projectBuildSpec(Template.fromStack(Stack.of(built)), built.trainProject)).phases.build.commands[0];
    expect(deploy).toContain("-c 'retrainSchedule=rate(7 days)'");
    expect(deploy).toContain("-c 'level=2'\\''; rm -rf / #'");
  });

  test('an imported training pipeline needs trainingStacks', () => {
    const stack = new Stack(new App(), 'S');
    const imported = new (class extends FakeTrainingPipeline {})(stack, 'Imported');
    imported.node.tryRemoveChild('Resource');
    expect(() => new MlCodePipeline(stack, 'P', {
      source: DeliverySource.codeConnection({ connectionArn: CONNECTION, repository: 'o/r' }),
      trainingPipeline: imported as sagemaker.IPipeline,
    })).toThrow("trainingStacks must be given when trainingPipeline is imported (the stack that defines it is unknown), got 'S/Imported'");
  });
});
