import { App, Duration, Errors, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { ContainerImage, PipelineDefinition, ProcessingStep, S3Location } from '../../lib/pipeline/definition';
import { PipelineMetrics } from '../../lib/pipeline/pipeline-metrics';
import { TrainingPipeline } from '../../lib/pipeline/training-pipeline';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';
import { sampleDefinition, sampleStack } from './definition/fixtures';

const stack = sampleStack();
const pipeline = new TrainingPipeline(stack, 'Training', { definition: sampleDefinition(stack), description: 'recommendation', maxParallelSteps: 4 });
const user = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
pipeline.grantStartPipelineExecution(user);
new scheduler.Schedule(stack, 'Nightly', {
  schedule: scheduler.ScheduleExpression.rate(Duration.days(1)),
  target: new targets.SageMakerStartPipelineExecution(pipeline),
});
pipeline.onExecutionStatusChange('Failed', { eventPattern: { detail: { currentPipelineExecutionStatus: ['Failed'] } } });
const template = Template.fromStack(stack);
const pipelineResource = Object.values(template.findResources('AWS::SageMaker::Pipeline'))[0] as any;
const statements = () => Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
  .flatMap((p: any) => p.Properties.PolicyDocument.Statement);

test('pipeline name derived from the construct path, lower case, within SageMaker rules', () => {
  const name = pipelineResource.Properties.PipelineName;
  expect(name).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/);
  expect(name).toMatch(/^test-training-[0-9a-f]{8}$/);
  expect(pipelineResource.Properties.PipelineDescription).toBe('recommendation');
  expect(pipelineResource.Properties.ParallelismConfiguration).toEqual({ MaxParallelExecutionSteps: 4 });
});

test('the definition is inline and CloudFormation resolves the tokens inside it (Fn::Join with Ref / Fn::GetAtt)', () => {
  const body = pipelineResource.Properties.PipelineDefinition.PipelineDefinitionBody;
  expect(Object.keys(body)).toEqual(['Fn::Join']);
  const parts = body['Fn::Join'][1];
  const text = parts.filter((p: any) => typeof p === 'string').join('');
  expect(text).toContain('"Version":"2020-12-01"');
  expect(text).toContain('"Get":"Parameters.ProcessingInstanceType"');
  expect(parts).toEqual(expect.arrayContaining([{ 'Fn::GetAtt': [expect.stringMatching(/^TrainingRole/), 'Arn'] }, { Ref: 'AWS::URLSuffix' }]));
});

test('execution role: trusted by SageMaker only', () => {
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' } }] },
  });
});

test('S3: read on input prefixes, read/write on output prefixes (cut before the execution id), never the whole bucket for writes', () => {
  const s3 = statements().filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('s3:')));
  const resources = (write: boolean) => s3.filter((s: any) => [s.Action].flat().includes('s3:PutObject') === write)
    .flatMap((s: any) => s.Resource).map((r: any) => JSON.stringify(r));
  expect(resources(false).join()).toContain('data-bucket/raw/*');
  expect(resources(true).join()).toContain('artifact-bucket/runs/*');
  expect(resources(true).join()).toContain('artifact-bucket/models*');
  expect(resources(true).join()).not.toContain('artifact-bucket/*"');
});

test('SageMaker job actions scoped to the jobs pipelines create; no approval rights', () => {
  const job = (action: string) => statements().find((s: any) => [s.Action].flat().includes(action));
  expect(JSON.stringify(job('sagemaker:CreateTrainingJob').Resource)).toContain('training-job/pipelines-*');
  expect(JSON.stringify(job('sagemaker:CreateProcessingJob').Resource)).toContain('processing-job/pipelines-*');
  expect(JSON.stringify(job('sagemaker:CreateHyperParameterTuningJob').Resource)).toContain('hyper-parameter-tuning-job/*');
  expect(JSON.stringify(job('sagemaker:CreateModelPackage').Resource)).toContain('model-package/recommendation/*');
  expect(statements().some((s: any) => [s.Action].flat().includes('sagemaker:UpdateModelPackage'))).toBe(false);
  expect(statements().some((s: any) => [s.Action].flat().some((a: string) => a === 'sagemaker:*' || a === '*'))).toBe(false);
});

test('images: pull on the user repository and on the AWS account repositories, GetAuthorizationToken alone on *', () => {
  const pulls = statements().filter((s: any) => [s.Action].flat().includes('ecr:BatchGetImage')).flatMap((s: any) => [s.Resource].flat());
  expect(JSON.stringify(pulls)).toContain(':683313688378:repository/sagemaker-scikit-learn');
  expect(JSON.stringify(pulls)).toContain(':repository/training');
  expect(statements()).toContainEqual({ Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' });
});

test('KMS, Lambda and CloudWatch Logs are scoped', () => {
  expect(statements().some((s: any) => [s.Action].flat().includes('kms:Decrypt') && s.Resource['Fn::GetAtt'])).toBe(true);
  expect(statements()).toContainEqual(expect.objectContaining({
    Action: 'lambda:InvokeFunction', Resource: ['arn:aws:lambda:us-east-1:111122223333:function:compare', 'arn:aws:lambda:us-east-1:111122223333:function:compare:*'],
  }));
  const logs = statements().find((s: any) => [s.Action].flat().includes('logs:PutLogEvents'));
  expect(JSON.stringify(logs.Resource)).toContain(':log-group:/aws/sagemaker/*');
});

test('iam:PassRole on the pipeline role only, to SageMaker only', () => {
  const pass = statements().filter((s: any) => s.Action === 'iam:PassRole');
  expect(pass).toEqual([{
    Action: 'iam:PassRole', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^TrainingRole/), 'Arn'] },
    Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
  }]);
});

test('IPipeline: grantStartPipelineExecution and the EventBridge Scheduler target start this pipeline', () => {
  const arn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, expect.stringMatching(/^:sagemaker:us-east-1:111122223333:pipeline\/test-training-[0-9a-f]{8}$/)]] };
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sagemaker:StartPipelineExecution' })]) },
  });
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  expect(policies.filter((s: any) => s.Action === 'sagemaker:StartPipelineExecution').map((s: any) => s.Resource)).toEqual([arn, arn]);
  const schedule = Object.values(template.findResources('AWS::Scheduler::Schedule'))[0] as any;
  expect(schedule.Properties.Target.Arn).toEqual(arn);
  expect(pipeline.pipelineRef.pipelineName).toBe(pipeline.pipelineName);
});

test('onExecutionStatusChange: the status-change event of this pipeline, merged with the given pattern', () => {
  template.hasResourceProperties('AWS::Events::Rule', {
    EventPattern: {
      'source': ['aws.sagemaker'],
      'detail-type': ['SageMaker Model Building Pipeline Execution Status Change'],
      'detail': { pipelineArn: [Match.anyValue()], currentPipelineExecutionStatus: ['Failed'] },
    },
  });
});

test('metrics: AWS/Sagemaker/ModelBuildingPipeline with the PipelineName dimension', () => {
  const failed = stack.resolve(pipeline.metricExecutionFailed());
  expect(failed).toMatchObject({ namespace: 'AWS/Sagemaker/ModelBuildingPipeline', metricName: 'ExecutionFailed', statistic: 'Sum' });
  expect(failed.dimensions).toEqual({ PipelineName: pipeline.resource.pipelineName });
  expect(pipeline.metricExecutionStarted().metricName).toBe('ExecutionStarted');
  expect(pipeline.metricExecutionSucceeded().metricName).toBe('ExecutionSucceeded');
  expect(pipeline.metricExecutionStopped().metricName).toBe('ExecutionStopped');
  expect(pipeline.metricExecutionDuration()).toMatchObject({ metricName: 'ExecutionDuration', statistic: 'Average' });
  expect(pipeline.metricStep('StepFailed', 'Train').dimensions).toEqual({ PipelineName: pipeline.pipelineName, StepName: 'Train' });
});

test('one factory: the metricXxx methods render exactly the metrics of PipelineMetrics, which EndpointAlarms and MlopsDashboard use', () => {
  const s = sampleStack();
  const p = new TrainingPipeline(s, 'P', { definition: sampleDefinition(s) });
  const name = p.pipelineName;
  const pairs: [cloudwatch.IMetric, cloudwatch.IMetric][] = [
    [p.metricExecutionStarted(), PipelineMetrics.executionsStarted(name)],
    [p.metricExecutionSucceeded(), PipelineMetrics.executionsSucceeded(name)],
    [p.metricExecutionFailed({ period: Duration.hours(1) }), PipelineMetrics.executionsFailed(name, { period: Duration.hours(1) })],
    [p.metricExecutionStopped(), PipelineMetrics.executionsStopped(name)],
    [p.metricExecutionDuration(), PipelineMetrics.executionDuration(name)],
    [p.metricStep('StepFailed', 'Train'), PipelineMetrics.step('StepFailed', name, 'Train')],
    [p.metricStep('StepDuration', 'Train'), PipelineMetrics.step('StepDuration', name, 'Train')],
    [p.metric('ExecutionFailed'), PipelineMetrics.metric('ExecutionFailed', name)],
  ];
  // Rendered as alarms of the same stack: what CloudWatch sees (attachTo only adds the stack's own account and region).
  pairs.forEach(([own, shared], i) => {
    new cloudwatch.Alarm(s, `Own${i}`, { metric: own, threshold: 1, evaluationPeriods: 1 });
    new cloudwatch.Alarm(s, `Shared${i}`, { metric: shared, threshold: 1, evaluationPeriods: 1 });
  });
  const resources = Template.fromStack(s).toJSON().Resources;
  const props = (id: string) => resources[s.getLogicalId(s.node.findChild(id).node.defaultChild as cloudwatch.CfnAlarm)].Properties;
  pairs.forEach((_, i) => expect(props(`Own${i}`)).toEqual(props(`Shared${i}`)));
  expect(props('Own0')).toMatchObject({ Statistic: 'Sum', Period: 300 });
  expect(props('Own4')).toMatchObject({ MetricName: 'ExecutionDuration', Statistic: 'Average', Period: 300 });
  expect(props('Own6')).toMatchObject({ MetricName: 'StepDuration', Statistic: 'Average' });
  expect(props('Own2')).toMatchObject({ Statistic: 'Sum', Period: 3600 });
});

test('fromPipelineName: ARN in lower case, grants and metrics work on the import', () => {
  const s = sampleStack();
  const imported = TrainingPipeline.fromPipelineName(s, 'Imported', 'MyPipeline');
  expect(s.resolve(imported.pipelineArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:111122223333:pipeline/mypipeline']] });
  expect(imported.metricExecutionFailed().dimensions).toEqual({ PipelineName: 'MyPipeline' });
  const rule = imported.onExecutionStatusChange('Any');
  expect(rule).toBeInstanceOf(events.Rule);
});

describe('large definitions', () => {
  const big = (role: iam.IRole, length = 600) => new PipelineDefinition({
    steps: [new ProcessingStep('Big', {
      image: ContainerImage.fromUri('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3'),
      role,
      environment: Object.fromEntries(Array.from({ length }, (_, i) => [`VAR_${i}`, 'x'.repeat(500)])),
      outputs: [{ outputName: 'o', source: '/opt/ml/processing/o', destination: S3Location.fromUri('s3://literal-bucket/o') }],
    })],
  });

  test('without tokens: written to S3 as an asset whose key is the content hash (a change is a new location)', () => {
    const s = sampleStack();
    const role = iam.Role.fromRoleArn(s, 'Given', 'arn:aws:iam::111122223333:role/Given', { mutable: false });
    const p = new TrainingPipeline(s, 'Big', { definition: big(role), role });
    const props = Template.fromStack(s).findResources('AWS::SageMaker::Pipeline');
    const location = (Object.values(props)[0] as any).Properties.PipelineDefinition.PipelineDefinitionS3Location;
    expect(location.Bucket).toBe('cdk-hnb659fds-assets-111122223333-us-east-1');
    expect(location.Key).toMatch(/^[0-9a-f]{64}\.json$/);
    expect(p.definitionAsset).toBeDefined();
    const s2 = sampleStack();
    const role2 = iam.Role.fromRoleArn(s2, 'Given', 'arn:aws:iam::111122223333:role/Given2', { mutable: false });
    const p2 = new TrainingPipeline(s2, 'Big', { definition: big(role2), role: role2 });
    expect(p2.definitionAsset!.assetHash).not.toEqual(p.definitionAsset!.assetHash);
  });

  describe('with deploy-time values: uploaded at deploy time by a BucketDeployment', () => {
    const synth = (length = 600, definitionBucket?: (s: Stack) => s3.IBucket) => {
      const s = sampleStack();
      const role = new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
      const p = new TrainingPipeline(s, 'Big', { definition: big(role, length), role, definitionBucket: definitionBucket?.(s) });
      const t = Template.fromStack(s);
      const [id, resource] = Object.entries(t.findResources('AWS::SageMaker::Pipeline'))[0] as [string, any];
      return { s, p, t, id, resource, location: resource.Properties.PipelineDefinition.PipelineDefinitionS3Location };
    };
    const first = synth();

    test('PipelineDefinitionS3Location in a created bucket, no body, no asset, the key a hash of the definition', () => {
      expect(first.resource.Properties.PipelineDefinition.PipelineDefinitionBody).toBeUndefined();
      expect(first.p.definitionAsset).toBeUndefined();
      expect(first.p.definitionDeployment).toBeDefined();
      expect(first.location.Bucket).toEqual({ Ref: expect.stringMatching(/^BigDefinitionBucket/) });
      expect(first.location.Key).toMatch(new RegExp(`^pipeline-definitions/${first.p.pipelineName}/[0-9a-f]{64}\\.json$`));
      first.t.hasResourceProperties('AWS::S3::Bucket', {
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      });
      expect(Object.values(first.t.findResources('AWS::S3::Bucket')).every((b: any) => b.DeletionPolicy === 'Retain')).toBe(true);
    });

    test('the deployment writes the rendered JSON (deploy-time values substituted) to that key, retained, nothing pruned', () => {
      const [, upload] = Object.entries(first.t.findResources('Custom::CDKBucketDeployment'))[0] as [string, any];
      expect(upload.Properties.RetainOnDelete).toBe(true);
      expect(upload.Properties.Prune).toBe(false);
      expect(upload.Properties.DestinationBucketName).toEqual(first.location.Bucket);
      // Source.jsonData: the markers CloudFormation resolves (the role ARN) are passed to the deployment.
      expect(JSON.stringify(upload.Properties.SourceMarkers)).toContain('Arn');
    });

    test('the pipeline depends on the deployment', () => {
      const deployment = Object.keys(first.t.findResources('Custom::CDKBucketDeployment'))[0];
      expect([first.resource.DependsOn].flat()).toContain(deployment);
      // ... and the deployment on the uploader's managed policies, so the upload does not run before they are attached.
      const uploaderPolicies = Object.keys(first.t.findResources('AWS::IAM::ManagedPolicy')).filter((id) => id.startsWith('PipelineDefinitionUploadProviderRole'));
      expect(uploaderPolicies.length).toBeGreaterThan(0);
      expect(first.t.findResources('Custom::CDKBucketDeployment')[deployment].DependsOn).toEqual(expect.arrayContaining(uploaderPolicies));
    });

    test('the pipeline role may read the object (and decrypt it)', () => {
      const policies = JSON.stringify(first.t.findResources('AWS::IAM::Policy')) + JSON.stringify(first.t.findResources('AWS::IAM::ManagedPolicy'));
      expect(policies).toContain(`/${first.location.Key}`);
      expect(policies).toContain('kms:Decrypt');
    });

    test('the key changes when the definition changes and stays the same when it does not', () => {
      expect(synth().location.Key).toEqual(first.location.Key);
      expect(synth(601).location.Key).not.toEqual(first.location.Key);
    });

    test('a given definitionBucket is used and no bucket is created', () => {
      const given = synth(600, (s) => s3.Bucket.fromBucketName(s, 'Defs', 'my-definitions'));
      expect(given.location.Bucket).toBe('my-definitions');
      expect(given.p.definitionBucket!.bucketName).toBe('my-definitions');
      given.t.resourceCountIs('AWS::S3::Bucket', 0);
      const [, upload] = Object.entries(given.t.findResources('Custom::CDKBucketDeployment'))[0] as [string, any];
      expect(upload.Properties.DestinationBucketName).toBe('my-definitions');
    });
  });
});

test('an unscoped S3 URI and an image without a repository are warnings', () => {
  const s = sampleStack();
  new TrainingPipeline(s, 'Warn', {
    definition: new PipelineDefinition({
      steps: [new ProcessingStep('P', {
        image: ContainerImage.fromUri(`${Stack.of(s).account}.dkr.ecr.x/y:1`),
        inputs: [{ inputName: 'i', source: S3Location.fromUri('s3://somewhere/x'), destination: '/opt/ml/processing/i' }],
      })],
    }),
  });
  const warnings = s.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
  expect(warnings.join('\n')).toContain("step 'P' uses an S3 URI whose bucket is unknown");
  expect(warnings.join('\n')).toContain('the role cannot be granted pull access to image');
});

test('maxParallelSteps is checked', () => {
  const s = sampleStack();
  expect(() => new TrainingPipeline(s, 'P', { definition: new PipelineDefinition({ steps: [] }), maxParallelSteps: 0 }))
    .toThrow('maxParallelSteps must be a whole number from 1 to 256, got 0');
});

test('with two pipelines in one app, bad input names the pipeline it belongs to: one line, an aws-cdk-lib ValidationError', () => {
  const app = new App();
  const env = { account: '111122223333', region: 'us-east-1' };
  const teamA = new Stack(app, 'TeamA', { env });
  const teamB = new Stack(app, 'TeamB', { env });
  new TrainingPipeline(teamA, 'Training', { definition: sampleDefinition(teamA), maxParallelSteps: 4 });
  const error = catchError(() => new TrainingPipeline(teamB, 'Training', { definition: sampleDefinition(teamB), maxParallelSteps: 0 }));
  expect(error.message).toBe('maxParallelSteps must be a whole number from 1 to 256, got 0 (in TeamB/Training)');
  expect(error.constructPath).toBe('TeamB/Training');
  expect(Errors.isValidationError(error)).toBe(true);

  // Problems of the step graph, found when the pipeline renders its definition, name the pipeline too.
  const image = ContainerImage.fromAwsRegistry('683313688378', 'sagemaker-scikit-learn', '1.2-1-cpu-py3');
  const duplicate = new PipelineDefinition({ steps: [new ProcessingStep('Prep', { image }), new ProcessingStep('Prep', { image })] });
  expect(() => new TrainingPipeline(teamB, 'Duplicate', { definition: duplicate }))
    .toThrow(new Error("Invalid pipeline definition:\nstep 'Prep': name is used by another step; step names must be unique (in TeamB/Duplicate)"));
});

/** The error `fn` throws. */
function catchError(fn: () => unknown): any {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('TrainingPipeline under cdk-nag and the CloudFormation validator', () => {
  test('a TrainingPipeline with its secure defaults synthesizes with zero cdk-nag / CloudFormation findings', () => {
    const app = checkedApp();
    const stack = new Stack(app, 'Checked', { env: { account: '111122223333', region: 'us-east-1' } });
    new TrainingPipeline(stack, 'Training', { definition: sampleDefinition(stack) });
    const { warnings } = synthAndCollectWarnings(app);
    expect(warnings).toEqual([]);
    Template.fromStack(stack).resourceCountIs('AWS::SageMaker::Pipeline', 1);
    expect(iam).toBeDefined();
  });

  test('a definition too large to inline, with deploy-time values, uploaded by a BucketDeployment: zero findings', () => {
    const app = checkedApp();
    const stack = new Stack(app, 'CheckedLarge', { env: { account: '111122223333', region: 'us-east-1' } });
    // The steps run with the pipeline's own role (a deploy-time ARN), created by the pipeline.
    const definition = new PipelineDefinition({
      steps: [new ProcessingStep('Big', {
        image: ContainerImage.fromAwsRegistry('683313688378', 'sagemaker-scikit-learn', '1.2-1-cpu-py3'),
        environment: Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`VAR_${i}`, 'x'.repeat(500)])),
      })],
    });
    const pipeline = new TrainingPipeline(stack, 'Training', { definition });
    const { warnings } = synthAndCollectWarnings(app);
    expect(warnings).toEqual([]);
    expect(pipeline.definitionDeployment).toBeDefined();
    Template.fromStack(stack).resourceCountIs('Custom::CDKBucketDeployment', 1);
  });
});
