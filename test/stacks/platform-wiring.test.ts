import { recommendationModel } from '../../examples/recommendation/model';
import { App, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MaturityLevel, MlopsPlatform } from '../../lib';
import { pipelineDefinitionOf, stepsByName } from '../support/pipeline-definition';
import { levelContext, synthPlatform, TEST_MODEL_PACKAGE_ARN } from '../support/platform-apps';

/**
 * How the platform wires its building blocks at each level, from the context keys of `bin/` (each app synthesized
 * once, nag- and CloudFormation-checked).
 */
const resourcesOf = (template: any, type: string): any[] => Object.values<any>(template.Resources).filter((r) => r.Type === type);
const SHADOW_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/recommendation/2';

describe('level 2 without a model package', () => {
  const { templates } = synthPlatform({ level: 2 });

  test('data and training stacks only; the registry, the pipeline and both delivery pipelines are there', () => {
    expect(Object.keys(templates).sort()).toEqual(['Mlops-Data', 'Mlops-recommendation-Training']);
    const training = templates['Mlops-recommendation-Training'];
    expect(resourcesOf(training, 'AWS::SageMaker::ModelPackageGroup')).toHaveLength(1);
    expect(resourcesOf(training, 'AWS::SageMaker::Pipeline')).toHaveLength(1);
    expect(resourcesOf(training, 'AWS::CodePipeline::Pipeline').map((p) => p.Properties.PipelineType)).toEqual(['V2', 'V2']);
  });

  test('synth says in one line how the serving stack will arrive', () => {
    const platform = new MlopsPlatform(new App(), 'Mlops', { level: MaturityLevel.PRODUCTIONIZATION, models: [recommendationModel()] });
    expect(platform.servingStacks).toEqual({});
    expect(platform.servingNotices).toHaveLength(1);
    expect(platform.servingNotices[0]).toMatch(/^No serving stack for model 'recommendation' yet: approve a model package in registry '[a-z0-9-]+' and its deploy-on-approval pipeline deploys it \(or synth with -c modelPackageArn=<arn> or =latest-approved\)\.$/);
  });

  test('deployModel adds the serving stack for a looked-up package, once', () => {
    const platform = new MlopsPlatform(new App(), 'Mlops', { level: MaturityLevel.PRODUCTIONIZATION, models: [recommendationModel()] });
    const serving = platform.deployModel(TEST_MODEL_PACKAGE_ARN);
    expect(serving.stackName).toBe('Mlops-recommendation-Serving');
    expect(platform.servingNotices).toEqual([]);
    expect(() => platform.deployModel(TEST_MODEL_PACKAGE_ARN)).toThrow("deployModel was already called for model 'recommendation'");
    expect(() => new MlopsPlatform(new App(), 'M', { level: MaturityLevel.PRE_PRODUCTION, models: [recommendationModel()] }).deployModel(TEST_MODEL_PACKAGE_ARN))
      .toThrow('modelPackageArn needs level 2 or more, got level 1');
  });
});

describe('level 2 with a model package and settings', () => {
  const { templates } = synthPlatform({
    level: 2, modelPackageArn: TEST_MODEL_PACKAGE_ARN, latencyP99Ms: '300', trainingInstanceType: 'ml.c5.xlarge',
    spotTraining: 'false', endpointInstanceType: 'ml.m5.xlarge', endpointInstanceCount: '2',
    stageAccounts: 'staging:111111111111:eu-west-1,prod:222222222222:eu-west-1',
  });
  const data = templates['Mlops-Data'];
  const training = templates['Mlops-recommendation-Training'];
  const serving = templates['Mlops-recommendation-Serving'];

  test('the endpoint serves the registry package on the requested instances, without data capture', () => {
    const [model] = resourcesOf(serving, 'AWS::SageMaker::Model');
    expect(model.Properties.Containers).toEqual([{ ModelPackageName: TEST_MODEL_PACKAGE_ARN }]);
    const [config] = resourcesOf(serving, 'AWS::SageMaker::EndpointConfig');
    expect(config.Properties.ProductionVariants[0]).toMatchObject({ InstanceType: 'ml.m5.xlarge', InitialInstanceCount: 2 });
    expect(config.Properties.DataCaptureConfig).toBeUndefined();
    expect(resourcesOf(serving, 'AWS::SageMaker::Endpoint')).toHaveLength(1);
  });

  test('pipeline parameters and spot follow the context', () => {
    const definition = pipelineDefinitionOf(training);
    expect(definition.Parameters).toContainEqual({ Name: 'MetricThreshold', Type: 'Float', DefaultValue: 0.7 });
    expect(definition.Parameters).toContainEqual({ Name: 'TrainingInstanceType', Type: 'String', DefaultValue: 'ml.c5.xlarge' });
    expect(stepsByName(definition).Train.Arguments.EnableManagedSpotTraining).toBeUndefined();
  });

  const buildCommands = (projectIdPart: string): string => {
    const [project] = Object.entries<any>(training.Resources).filter(([id, r]) => r.Type === 'AWS::CodeBuild::Project' && id.includes(projectIdPart)).map(([, r]) => r);
    return JSON.parse(project.Properties.Source.BuildSpec).phases.build.commands.join('\n');
  };

  test('a code change redeploys the training stack at this level with the same settings (source and stages included)', () => {
    const deploy = buildCommands('MlCodeTrainProject');
    expect(deploy).toContain("npx cdk deploy 'Mlops/recommendation-Training'");
    for (const arg of ['-c level=2', '-c latencyP99Ms=300', '-c endpointInstanceCount=2', '-c spotTraining=false',
      '-c stageAccounts=staging:111111111111:eu-west-1,prod:222222222222:eu-west-1', '-c platformName=Mlops']) {
      expect(deploy).toContain(arg);
    }
  });

  test('an approval deploys the serving stack with the approved ARN, to each stage account in turn', () => {
    const text = JSON.stringify(training);
    expect(text).toContain('Mlops/recommendation-Serving');
    expect(text).toContain('-c latencyP99Ms=300');
    const [pipeline] = resourcesOf(training, 'AWS::CodePipeline::Pipeline').filter((p) => JSON.stringify(p).includes('modelPackageArn'));
    const stages = pipeline.Properties.Stages.map((st: any) => st.Name);
    expect(stages).toEqual(expect.arrayContaining(['Deploy-staging', 'Approve-prod', 'Deploy-prod']));
  });

  test('stage accounts may read the registry, create models from its packages and read the trained artifacts', () => {
    const [group] = resourcesOf(training, 'AWS::SageMaker::ModelPackageGroup');
    const statements = JSON.stringify(group.Properties.ModelPackageGroupPolicy);
    expect(statements).toContain('DeployAccount111111111111');
    expect(statements).toContain('sagemaker:CreateModel');
    expect(statements).not.toContain('sagemaker:UpdateModelPackage');
    const policies = JSON.stringify(resourcesOf(data, 'AWS::S3::BucketPolicy'));
    expect(policies).toContain('222222222222');
    expect(policies).toContain('/recommendation/runs/*');
    expect(JSON.stringify(resourcesOf(data, 'AWS::KMS::Key'))).toContain('kms:ViaService');
  });
});

describe('level 3', () => {
  const { templates } = synthPlatform({
    level: 3, modelPackageArn: TEST_MODEL_PACKAGE_ARN, driftThreshold: '0.3', latencyP99Ms: '250',
    alarmEmail: 'ml-oncall@example.com', retrainCooldownHours: '12', retrainSchedule: 'rate(7 days)', dataCapturePercent: '50',
  });
  const serving = templates['Mlops-recommendation-Serving'];
  const governance = templates['Mlops-Governance'];

  test('data capture of input and output, at the requested sampling, into the artifact store', () => {
    const [config] = resourcesOf(serving, 'AWS::SageMaker::EndpointConfig');
    expect(config.Properties.DataCaptureConfig).toMatchObject({
      EnableCapture: true, InitialSamplingPercentage: 50, CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
    });
    expect(JSON.stringify(config.Properties.DataCaptureConfig.DestinationS3Uri)).toContain('data-capture/recommendation');
  });

  test('data-quality and model-quality monitors on schedules, against the deployed package baselines and ground truth', () => {
    expect(resourcesOf(serving, 'AWS::SageMaker::DataQualityJobDefinition')).toHaveLength(1);
    const [modelQuality] = resourcesOf(serving, 'AWS::SageMaker::ModelQualityJobDefinition');
    expect(JSON.stringify(modelQuality.Properties.ModelQualityJobInput.GroundTruthS3Input)).toContain('ground-truth/recommendation/');
    expect(resourcesOf(serving, 'AWS::SageMaker::MonitoringSchedule')).toHaveLength(2);
    expect(JSON.stringify(serving)).toContain('DescribeModelPackage');
  });

  test('alarms: drift per feature at the threshold, p99 latency, error rates, accuracy floor, failed pipeline runs', () => {
    const alarms = resourcesOf(serving, 'AWS::CloudWatch::Alarm');
    const drift = alarms.filter((a) => /feature_baseline_drift_feature[12]/.test(JSON.stringify(a)));
    expect(drift.map((a) => a.Properties.Threshold)).toEqual([0.3, 0.3]);
    const latency = alarms.find((a) => JSON.stringify(a).includes('ModelLatency'));
    expect(latency.Properties.Threshold).toBe(250_000);
    expect(alarms.some((a) => JSON.stringify(a).includes('Invocation5XXErrors'))).toBe(true);
    expect(alarms.some((a) => JSON.stringify(a).includes('Invocation4XXErrors'))).toBe(true);
    expect(alarms.some((a) => JSON.stringify(a).includes('ExecutionFailed'))).toBe(true);
    expect(alarms.every((a) => a.Properties.AlarmActions?.length === 1)).toBe(true);
    const [subscription] = resourcesOf(serving, 'AWS::SNS::Subscription');
    expect(subscription.Properties).toMatchObject({ Protocol: 'email', Endpoint: 'ml-oncall@example.com' });
  });

  test('a dashboard, and retraining on drift/quality alarms and on schedule with the cool-down', () => {
    expect(resourcesOf(serving, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
    const rules = resourcesOf(serving, 'AWS::Events::Rule');
    expect(rules.some((r) => r.Properties.ScheduleExpression === 'rate(7 days)')).toBe(true);
    const alarmRule = rules.find((r) => r.Properties.EventPattern?.['detail-type']?.includes('CloudWatch Alarm State Change'));
    expect(alarmRule.Properties.EventPattern.detail.state.value).toEqual(['ALARM']);
    const retrain = resourcesOf(serving, 'AWS::Lambda::Function').find((f) => f.Properties.Environment?.Variables?.COOLDOWN_SECONDS);
    expect(retrain.Properties.Environment.Variables.COOLDOWN_SECONDS).toBe('43200');
    expect(retrain.Properties.ReservedConcurrentExecutions).toBe(1);
  });

  test('one action strategy: every alarm, the retraining dead-letter alarm included, notifies the one alarm topic', () => {
    const topics = resourcesOf(serving, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    const alarms = resourcesOf(serving, 'AWS::CloudWatch::Alarm');
    const topicRefs = new Set(alarms.map((a) => JSON.stringify(a.Properties.AlarmActions)));
    expect(topicRefs.size).toBe(1);
    expect(alarms.some((a) => JSON.stringify(a.Properties.Dimensions ?? []).includes('DeadLetter'))).toBe(true);
  });

  test('an approval deploys the serving stack only, at this level (the governance stack is not redeployed)', () => {
    const training = templates['Mlops-recommendation-Training'];
    const [deploy] = Object.entries<any>(training.Resources)
      .filter(([id, r]) => r.Type === 'AWS::CodeBuild::Project' && id.startsWith('DeployOnApprovalDeployProject')).map(([, r]) => r);
    const commands: string = JSON.parse(deploy.Properties.Source.BuildSpec).phases.build.commands.join('\n');
    expect(commands).toContain("npx cdk deploy 'Mlops/recommendation-Serving' --exclusively");
    expect(commands).not.toContain('Governance');
    expect(commands).toContain('-c level=3');
  });

  test('governance: a multi-region trail with data events on both stores, and three separated people roles', () => {
    const [trail] = resourcesOf(governance, 'AWS::CloudTrail::Trail');
    expect(trail.Properties.IsMultiRegionTrail).toBe(true);
    expect(trail.Properties.EventSelectors.flatMap((s: any) => s.DataResources ?? [])).toHaveLength(2);
    const people = resourcesOf(governance, 'AWS::IAM::Role').filter((r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('aws:MultiFactorAuthPresent'));
    expect(people).toHaveLength(3);
  });
});

describe('level 4', () => {
  const { templates } = synthPlatform({
    level: 4, modelPackageArn: TEST_MODEL_PACKAGE_ARN, canaryPercent: '20', canaryWaitMinutes: '15', minCapacity: '2',
    maxCapacity: '6', shadowPercent: '25', shadowModelPackageArn: SHADOW_ARN, promotionMetric: 'recall', promotionMargin: '0.02',
  });
  const serving = templates['Mlops-recommendation-Serving'];
  const training = templates['Mlops-recommendation-Training'];

  test('canary updates that roll back on the latency, error and model-quality alarms, keeping variant properties', () => {
    const [endpoint] = resourcesOf(serving, 'AWS::SageMaker::Endpoint');
    expect(endpoint.Properties.DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration).toEqual({
      Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 20 }, WaitIntervalInSeconds: 900,
    });
    expect(endpoint.Properties.DeploymentConfig.AutoRollbackConfiguration.Alarms.length).toBeGreaterThanOrEqual(3);
    expect(endpoint.Properties.RetainAllVariantProperties).toBe(true);
  });

  test('autoscaling on invocations per instance with the requested capacity, and a shadow challenger', () => {
    const [target] = resourcesOf(serving, 'AWS::ApplicationAutoScaling::ScalableTarget');
    expect(target.Properties).toMatchObject({ MinCapacity: 2, MaxCapacity: 6, ScalableDimension: 'sagemaker:variant:DesiredInstanceCount' });
    const [policy] = resourcesOf(serving, 'AWS::ApplicationAutoScaling::ScalingPolicy');
    expect(JSON.stringify(policy)).toContain('SageMakerVariantInvocationsPerInstance');
    const [config] = resourcesOf(serving, 'AWS::SageMaker::EndpointConfig');
    expect(config.Properties.ShadowProductionVariants).toHaveLength(1);
    const models = resourcesOf(serving, 'AWS::SageMaker::Model').map((m) => m.Properties.Containers[0].ModelPackageName);
    expect(models.sort()).toEqual([TEST_MODEL_PACKAGE_ARN, SHADOW_ARN]);
  });

  test('the dashboard shows the shadow challenger\'s latency and errors beside the production variant', () => {
    const [dashboard] = resourcesOf(serving, 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    expect(body).toContain('AllTraffic');
    expect(body).toMatch(/Shadow/);
  });

  test('the pipeline tunes, and champion/challenger approves on the chosen metric and margin', () => {
    expect(stepsByName(pipelineDefinitionOf(training)).Tune.Type).toBe('Tuning');
    const judge = resourcesOf(training, 'AWS::Lambda::Function').find((f) => JSON.stringify(f.Properties.Environment ?? {}).includes('recall'));
    expect(JSON.stringify(judge.Properties.Environment.Variables)).toContain('0.02');
  });

  test('the example features live in a feature group with online and offline stores', () => {
    const [group] = resourcesOf(templates['Mlops-Data'], 'AWS::SageMaker::FeatureGroup');
    expect(group.Properties.FeatureDefinitions.map((f: any) => f.FeatureName)).toEqual(expect.arrayContaining(['feature1', 'feature2']));
    expect(group.Properties.OnlineStoreConfig.EnableOnlineStore).toBe(true);
    expect(group.Properties.OfflineStoreConfig.S3StorageConfig.KmsKeyId).toBeDefined();
  });
});

/**
 * Who deploys which stack: the team (CDK Pipelines or `cdk deploy`) owns Data, Training and Governance; deploy-on-approval
 * owns the serving stack; the ML code pipeline deploys the training stack only. Each one's `cdk deploy` selects only
 * its own stacks, and the serving stack's guard holds whoever deploys it.
 */
describe('who deploys which stack', () => {
  /** The `cdk deploy` selectors and flags of the build project whose logical id starts with `idPrefix`. */
  const deployOf = (training: any, idPrefix: string): { selectors: string[]; command: string } => {
    const [project] = Object.entries<any>(training.Resources)
      .filter(([id, r]) => r.Type === 'AWS::CodeBuild::Project' && id.startsWith(idPrefix)).map(([, r]) => r);
    const command: string = JSON.parse(project.Properties.Source.BuildSpec).phases.build.commands.find((c: string) => c.startsWith('npx cdk deploy'));
    const selectors = [...command.replace(/^npx cdk deploy /, '').split(' --')[0].matchAll(/'([^']+)'/g)].map((m) => m[1]);
    return { selectors, command };
  };
  const servingOf = (templates: { [name: string]: any }) => templates['Mlops-recommendation-Serving'];

  test.each([2, 3, 4])('level %i without a model package (the CDK Pipelines case): no serving stack for the team\'s deployment to deploy', (level) => {
    const { templates } = synthPlatform({ level });
    expect(Object.keys(templates).some((name) => name.endsWith('-Serving'))).toBe(false);
  });

  test.each([2, 3, 4])('level %i: deploy-on-approval deploys the serving stack only; the ML code pipeline the training stack only', (level) => {
    const { templates, assembly } = synthPlatform(levelContext(level));
    const training = templates['Mlops-recommendation-Training'];
    const approval = deployOf(training, 'DeployOnApprovalDeployProject');
    expect(approval.selectors).toEqual(['Mlops/recommendation-Serving']);
    expect(approval.command).toContain(' --exclusively ');
    const code = deployOf(training, 'MlCodeTrainProject');
    expect(code.selectors).toEqual(['Mlops/recommendation-Training']);
    expect(code.command).toContain(' --exclusively ');
    // Each selector is the construct path (what `cdk deploy` matches) of a stack of the same app.
    const paths = assembly.stacksRecursively.map((s) => s.hierarchicalId);
    for (const selector of [...approval.selectors, ...code.selectors]) expect(paths).toContain(selector);
  });

  test.each([2, 3, 4])('level %i: the serving stack carries the guard, and every model of the endpoint waits for it', (level) => {
    const serving = servingOf(synthPlatform(levelContext(level)).templates);
    const guards = Object.entries<any>(serving.Resources).filter(([, r]) => r.Type === 'Custom::ServedModelGuard');
    expect(guards).toHaveLength(1);
    const [guardId, guard] = guards[0];
    expect(guard.Properties.ModelPackageArn).toBe(TEST_MODEL_PACKAGE_ARN);
    const models = resourcesOf(serving, 'AWS::SageMaker::Model');
    expect(models.length).toBeGreaterThan(0);
    for (const model of models) expect(model.DependsOn).toContain(guardId);
  });

  test.each([3, 4])('level %i: the people roles exist without a served model, and serving a model leaves the governance stack unchanged', (level) => {
    const without = synthPlatform({ level }).templates['Mlops-Governance'];
    const served = synthPlatform(levelContext(level)).templates['Mlops-Governance'];
    const people = resourcesOf(without, 'AWS::IAM::Role').filter((r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('aws:MultiFactorAuthPresent'));
    expect(people).toHaveLength(3);
    expect(served).toEqual(without);
  });

  test.each([3, 4])('level %i: no import between the governance and serving stacks, in either direction', (level) => {
    const { assembly } = synthPlatform(levelContext(level));
    const governance = assembly.getStackByName('Mlops-Governance');
    const serving = assembly.getStackByName('Mlops-recommendation-Serving');
    const importsOf = (template: any): string[] => (JSON.stringify(template).match(/"Fn::ImportValue":"[^"]+"/g) ?? []);
    expect(importsOf(governance.template).filter((i) => i.includes('Mlops-recommendation-Serving'))).toEqual([]);
    expect(importsOf(serving.template).filter((i) => i.includes('Mlops-Governance'))).toEqual([]);
    expect(governance.dependencies.map((d) => d.id)).not.toContain(serving.id);
    expect(serving.dependencies.map((d) => d.id)).not.toContain(governance.id);
  });

  test.each([3, 4])('level %i: every alarm and the endpoint of the serving stack, and nothing else, carry the tag the operators are granted by', (level) => {
    const { templates } = synthPlatform(levelContext(level));
    const serving = servingOf(templates);
    const tag = { Key: 'cdk-mlops-maturity:platform', Value: 'Mlops' };
    const tagged = Object.values<any>(serving.Resources).filter((r) => JSON.stringify(r.Properties?.Tags ?? []).includes(tag.Key));
    expect(tagged.map((r) => r.Type).sort()).toEqual([
      ...resourcesOf(serving, 'AWS::CloudWatch::Alarm').map(() => 'AWS::CloudWatch::Alarm'), 'AWS::SageMaker::Endpoint',
    ].sort());
    for (const r of tagged) expect(r.Properties.Tags).toContainEqual(tag);
    const governance = JSON.stringify(templates['Mlops-Governance']);
    expect(governance).toContain('"aws:ResourceTag/cdk-mlops-maturity:platform":"Mlops"');
  });

  test('inside a Stage the tag value is the platform path, the same in the serving and governance stacks', () => {
    const app = new App();
    const platform = new MlopsPlatform(new Stage(app, 'Prod'), 'Mlops', {
      level: MaturityLevel.MONITORING_AND_GOVERNANCE, models: [recommendationModel()], modelPackageArn: TEST_MODEL_PACKAGE_ARN,
    });
    expect(platform.operatedResourcesTag).toEqual({ key: 'cdk-mlops-maturity:platform', value: 'Prod/Mlops' });
    const governance = Template.fromStack(platform.governanceStack!);
    expect(JSON.stringify(governance.toJSON())).toContain('"aws:ResourceTag/cdk-mlops-maturity:platform":"Prod/Mlops"');
    Template.fromStack(platform.servingStacks.recommendation).hasResourceProperties('AWS::SageMaker::Endpoint', {
      Tags: [{ Key: 'cdk-mlops-maturity:platform', Value: 'Prod/Mlops' }],
    });
  });

  test('mlCodePipeline=false (the team\'s pipeline owns the training stack): no ML code pipeline, deploy-on-approval stays', () => {
    const { templates } = synthPlatform({ level: 2, mlCodePipeline: 'false' });
    const training = templates['Mlops-recommendation-Training'];
    const ids = Object.keys(training.Resources);
    expect(ids.filter((id) => id.startsWith('MlCode'))).toEqual([]);
    const pipelines = resourcesOf(training, 'AWS::CodePipeline::Pipeline');
    expect(pipelines).toHaveLength(1);
    expect(JSON.stringify(pipelines[0])).toContain('modelPackageArn');
    // Deploy-on-approval builds the same platform: the setting travels with its context.
    expect(deployOf(training, 'DeployOnApprovalDeployProject').command).toContain('-c mlCodePipeline=false');
    const platform = new MlopsPlatform(new App(), 'Mlops', { level: MaturityLevel.PRODUCTIONIZATION, mlCodePipeline: false, models: [recommendationModel()] });
    expect(platform.trainingStacks.recommendation.mlCodePipeline).toBeUndefined();
    expect(platform.trainingStacks.recommendation.deployOnApproval).toBeDefined();
  });
});
