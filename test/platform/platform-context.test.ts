import { App, Stack, Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { recommendationModel } from '../../examples/recommendation/model';
import { buildPlatformApp } from '../../bin/platform-app';
import { MaturityLevel, MlopsPlatform, parseMaturityLevel, readPlatformContext } from '../../lib';

describe('context keys', () => {
  const read = (context: { [key: string]: unknown }) => readPlatformContext(new App({ context: context as any }).node);

  test('defaults: level 2, model recommendation, platform Mlops', () => {
    expect(read({}).props).toMatchObject({ level: MaturityLevel.PRODUCTIONIZATION });
    // Unset settings stay unset in the props: the settings table's defaults apply where the platform reads them.
    expect(read({}).props.driftThreshold).toBeUndefined();
    expect(read({}).modelName).toBe('recommendation');
    expect(read({}).platformName).toBe('Mlops');
    expect(read({}).props.modelPackageArn).toBeUndefined();
    const { platform, lookups } = buildPlatformApp(new App());
    expect([platform.models.map((m) => m.name), lookups, Object.keys(platform.servingStacks)]).toEqual([['recommendation'], [], []]);
  });

  test.each([['0', 0], ['4', 4], [3, 3], [' 1 ', 1]])('level %j parses', (value, level) => {
    expect(read({ level: value }).props.level).toBe(level);
  });

  test.each([
    ['7', "level must be one of 0, 1, 2, 3, 4, got '7'"],
    ['two', "level must be one of 0, 1, 2, 3, 4, got 'two'"],
    ['-1', "level must be one of 0, 1, 2, 3, 4, got '-1'"],
    ['2.5', "level must be one of 0, 1, 2, 3, 4, got '2.5'"],
  ])('-c level=%s stops synth with one line', (value, message) => {
    expect(() => read({ level: value })).toThrow(message);
  });

  test('bad platformName names the key', () => {
    expect(() => read({ platformName: '1st platform' }))
      .toThrow("platformName must be 1-40 letters, digits or hyphens, starting with a letter, got '1st platform'");
  });

  test.each([
    [{ latencyP99Ms: 'high' }, "latencyP99Ms must be a number, got 'high'"],
    [{ modelName: 'Recommendation_v2' }, "modelName must be 1-32 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen, got 'Recommendation_v2'"],
    [{ trainingInstanceType: 'm5.large' }, "trainingInstanceType must be a SageMaker instance type starting with 'ml.' (e.g. 'ml.m5.large'), got 'm5.large'"],
    [{ spotTraining: 'yes' }, "spotTraining must be 'true' or 'false', got 'yes'"],
    [{ modelPackageArn: 'arn:aws:s3:::bucket/key' }, "modelPackageArn must be a model package ARN 'arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>', got 'arn:aws:s3:::bucket/key'"],
    [{ modelPackageArn: 'arn:aws:sagemaker:us-east-1:123456789012:model-package-group/recommendation' }, 'modelPackageArn must be a model package ARN'],
    [{ endpointInstanceType: 'large' }, "endpointInstanceType must be a SageMaker instance type starting with 'ml.' (e.g. 'ml.m5.large'), got 'large'"],
    [{ endpointInstanceCount: '0' }, "endpointInstanceCount must be a whole number >= 1, got 0"],
    [{ sourceConnectionArn: 'arn:aws:codeconnections:us-east-1:123456789012:connection/abc' }, 'sourceConnectionArn and sourceRepository must be given together'],
    [{ sourceRepository: 'just-a-name', sourceConnectionArn: 'arn:aws:codeconnections:us-east-1:123456789012:connection/abc' }, "sourceRepository must be 'owner/repo' (letters, digits, '.', '_', '-'), got 'just-a-name'"],
    [{ sourceConnectionArn: 'arn:aws:iam::123456789012:role/x', sourceRepository: 'acme/recsys' }, "sourceConnectionArn must be a connection ARN"],
    [{ deployAccount: '1234' }, "deployAccount must be a 12-digit AWS account id, got '1234'"],
    [{ deployRegion: 'bogus' }, "deployRegion must be"],
    [{ stageAccounts: 'prod:1234:eu-west-1' }, "stageAccounts must be a comma-separated list of '<stage>:<12-digit account>:<region>'"],
    [{ stageAccounts: 'prod:111111111111:eu-west-1,prod:222222222222:eu-west-1' }, 'stageAccounts must be a list of stages with unique names'],
    [{ driftThreshold: '-0.1' }, "driftThreshold must be a number > 0, got -0.1"],
    [{ latencyP99Ms: '0' }, "latencyP99Ms must be a number > 0, got 0"],
    [{ alarmEmail: 'oncall-at-example.com' }, "alarmEmail must be an e-mail address like 'ml-oncall@example.com', got 'oncall-at-example.com'"],
    [{ retrainCooldownHours: '-1' }, "retrainCooldownHours must be between 0 and 8760, got -1"],
    [{ level: '1', modelPackageArn: 'latest-approved' }, 'modelPackageArn needs level 2 or more, got level 1'],
    [{ retrainSchedule: 'every day' }, "retrainSchedule must be an EventBridge schedule expression 'rate(<n> minute|minutes|hour|hours|day|days)' or 'cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)', got 'every day'"],
    [{ retrainSchedule: 'rate(1 days)' }, "got 'rate(1 days)'"],
    [{ dataCapturePercent: '120' }, "dataCapturePercent must be a whole number from 0 to 100, got 120"],
    [{ promotionMetric: 'logloss' }, "promotionMetric must be one of accuracy, precision, recall, f0_5, f1, f2, auc"],
    [{ promotionMargin: '-0.01' }, "promotionMargin must be between 0 and 1, got -0.01"],
    [{ canaryPercent: '0' }, "canaryPercent must be a whole number from 1 to 50, got 0"],
    [{ canaryPercent: '150' }, "canaryPercent must be a whole number from 1 to 50, got 150"],
    [{ canaryWaitMinutes: '90' }, "canaryWaitMinutes must be a whole number from 0 to 60, got 90"],
    [{ minCapacity: '5', maxCapacity: '2' }, "maxCapacity must be at least minCapacity (5), got 2"],
    [{ minCapacity: '0' }, "minCapacity must be a whole number >= 1, got 0"],
    [{ shadowPercent: '101' }, "shadowPercent must be a whole number from 0 to 100, got 101"],
    [{ shadowPercent: '20' }, 'shadowPercent 20 needs shadowModelPackageArn'],
  ])('bad context %j stops synth with one line', (context, message) => {
    expect(() => read(context)).toThrow(message);
  });

  test('good values of every key are parsed and typed', () => {
    const ctx = read({
      level: '4', trainingInstanceType: 'ml.c5.xlarge', spotTraining: 'false',
      modelPackageArn: 'latest-approved', endpointInstanceType: 'ml.m5.xlarge', endpointInstanceCount: '2',
      sourceConnectionArn: 'arn:aws:codeconnections:us-east-1:123456789012:connection/abc-123', sourceRepository: 'acme/recsys',
      stageAccounts: 'staging:111111111111:eu-west-1,prod:222222222222:eu-central-1',
      driftThreshold: '0.3', latencyP99Ms: '250', alarmEmail: 'ml-oncall@example.com', retrainCooldownHours: '12',
      retrainSchedule: 'rate(7 days)', dataCapturePercent: '50', promotionMetric: 'recall', promotionMargin: '0.02',
      canaryPercent: '20', canaryWaitMinutes: '15', minCapacity: '2', maxCapacity: '6', shadowPercent: '25',
      shadowModelPackageArn: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/recommendation/2',
    });
    expect(ctx.props.modelPackageArn).toBeUndefined(); // the app deploys packages after building the platform
    expect(ctx.props.codeRepository).toEqual({ connectionArn: 'arn:aws:codeconnections:us-east-1:123456789012:connection/abc-123', repository: 'acme/recsys', branch: undefined });
    expect(ctx.props).toMatchObject({
      level: 4, spotTraining: false, endpointInstanceCount: 2,
      stageAccounts: [{ name: 'staging', account: '111111111111', region: 'eu-west-1' }, { name: 'prod', account: '222222222222', region: 'eu-central-1' }],
      driftThreshold: 0.3, latencyP99Ms: 250, retrainCooldownHours: 12, retrainSchedule: 'rate(7 days)', dataCapturePercent: 50,
      promotionMetric: 'recall', promotionMargin: 0.02, canaryPercent: 20, canaryWaitMinutes: 15, minCapacity: 2, maxCapacity: 6, shadowPercent: 25,
    });
  });

  test('parseMaturityLevel names the key it was given', () => {
    expect(() => parseMaturityLevel(true, 'targetLevel')).toThrow('targetLevel must be one of 0, 1, 2, 3, 4, got true');
  });
});

describe('MlopsPlatform placement', () => {
  test('stacks are named after the platform id, so two platforms coexist in one app', () => {
    const app = new App();
    const a = new MlopsPlatform(app, 'TeamA', { level: MaturityLevel.PRE_PRODUCTION });
    const b = new MlopsPlatform(app, 'TeamB', { level: MaturityLevel.PRE_PRODUCTION });
    expect(a.dataStack.stackName).toBe('TeamA-Data');
    expect(b.dataStack.stackName).toBe('TeamB-Data');
    const assembly = app.synth();
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['TeamA-Data', 'TeamB-Data']);
  });

  test('inside a Stage (CDK Pipelines), stack names carry the stage name', () => {
    const app = new App();
    const prod = new Stage(app, 'Prod', { env: { account: '123456789012', region: 'eu-west-1' } });
    const platform = new MlopsPlatform(prod, 'Mlops', { level: MaturityLevel.AD_HOC });
    expect(platform.dataStack.stackName).toBe('Prod-Mlops-Data');
    expect(platform.dataStack.account).toBe('123456789012');
  });

  /**
   * The stacks are the platform's children, and keep the CloudFormation names they had as its siblings (a new name
   * would be a new stack, every resource replaced): `<stage names>-<platform id>-<stack>`, as aws-cdk-lib names a
   * stack with id `<platform id>-<stack>` in the platform's Stage. Their paths (what `cdk ls` shows and
   * `cdk deploy` matches) go through the platform.
   */
  const stacksOf = (platform: MlopsPlatform) => [platform.dataStack, platform.trainingStacks.recommendation, platform.servingStacks.recommendation, platform.governanceStack!]
    .map((s) => [s.node.path, s.stackName, s.artifactId]);
  const arn = 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/recommendation/1';
  const level3 = { level: MaturityLevel.MONITORING_AND_GOVERNANCE, models: [recommendationModel()], modelPackageArn: arn };

  test('in the App: paths Mlops/..., stack names Mlops-... as before', () => {
    const platform = new MlopsPlatform(new App(), 'Mlops', level3);
    expect(platform.node.findAll().filter(Stack.isStack)).toHaveLength(4);
    expect(stacksOf(platform)).toEqual([
      ['Mlops/Data', 'Mlops-Data', 'MlopsData7708DC23'],
      ['Mlops/recommendation-Training', 'Mlops-recommendation-Training', 'MlopsrecommendationTrainingB4DCD332'],
      ['Mlops/recommendation-Serving', 'Mlops-recommendation-Serving', 'MlopsrecommendationServing3A9A5F74'],
      ['Mlops/Governance', 'Mlops-Governance', 'MlopsGovernance57E03A40'],
    ]);
  });

  test('in a Stage: the stage name prefixes the stack names, as before', () => {
    const platform = new MlopsPlatform(new Stage(new App(), 'Prod'), 'Mlops', level3);
    expect(stacksOf(platform).map(([p, n]) => [p, n])).toEqual([
      ['Prod/Mlops/Data', 'Prod-Mlops-Data'],
      ['Prod/Mlops/recommendation-Training', 'Prod-Mlops-recommendation-Training'],
      ['Prod/Mlops/recommendation-Serving', 'Prod-Mlops-recommendation-Serving'],
      ['Prod/Mlops/Governance', 'Prod-Mlops-Governance'],
    ]);
  });

  test('in a Stage nested in a Stage: both stage names prefix the stack names, as before', () => {
    const outer = new Stage(new App(), 'EuWest');
    const platform = new MlopsPlatform(new Stage(outer, 'Prod'), 'Team', level3);
    expect(stacksOf(platform).map(([p, n]) => [p, n])).toEqual([
      ['EuWest/Prod/Team/Data', 'EuWest-Prod-Team-Data'],
      ['EuWest/Prod/Team/recommendation-Training', 'EuWest-Prod-Team-recommendation-Training'],
      ['EuWest/Prod/Team/recommendation-Serving', 'EuWest-Prod-Team-recommendation-Serving'],
      ['EuWest/Prod/Team/Governance', 'EuWest-Prod-Team-Governance'],
    ]);
  });

  test('in a Stage given a stageName: that name prefixes the stack names, as aws-cdk-lib does', () => {
    const platform = new MlopsPlatform(new Stage(new App(), 'Prod', { stageName: 'production' }), 'Mlops', { level: MaturityLevel.AD_HOC });
    expect(platform.dataStack.stackName).toBe('production-Mlops-Data');
  });

  test('below a plain construct it refuses with one line (its stacks would have had hashed names to keep)', () => {
    const app = new App();
    expect(() => new MlopsPlatform(new Construct(app, 'Group'), 'Mlops', { level: MaturityLevel.AD_HOC }))
      .toThrow("MlopsPlatform must be created directly in an App or a Stage, got scope 'Group' (in Group/Mlops)");
  });

  test('no hard-coded physical names: buckets, keys and repositories are named by CloudFormation', () => {
    const app = new App();
    const platform = new MlopsPlatform(app, 'Mlops', { level: MaturityLevel.PRE_PRODUCTION });
    const template = app.synth().getStackByName(platform.dataStack.stackName).template;
    const named = Object.entries<any>(template.Resources).filter(([, r]) =>
      r.Properties?.BucketName || r.Properties?.RepositoryName || r.Properties?.AliasName);
    expect(named).toEqual([]);
  });

  test('inside a stack it refuses with one line', () => {
    const app = new App();
    const stack = new Stack(app, 'Host');
    expect(() => new MlopsPlatform(stack, 'Mlops', { level: MaturityLevel.AD_HOC }))
      .toThrow("MlopsPlatform must be created in an App or a Stage, not inside the stack 'Host'");
  });

  test('bad model name names the model key', () => {
    expect(() => new MlopsPlatform(new App(), 'Mlops', { level: MaturityLevel.PRODUCTIONIZATION, models: [recommendationModel({ name: 'Recommendation_v2' })] }))
      .toThrow("models[].name must be 1-32 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen, got 'Recommendation_v2'");
  });

  test('latest-approved asks the app to look the package up; an explicit ARN is deployed', () => {
    const latest = buildPlatformApp(new App({ context: { modelPackageArn: 'latest-approved' } }));
    expect(latest.lookups).toEqual(['recommendation']);
    const explicit = buildPlatformApp(new App({ context: { modelPackageArn: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/recommendation/4' } }));
    expect([explicit.lookups, Object.keys(explicit.platform.servingStacks)]).toEqual([[], ['recommendation']]);
  });
});

describe('MlopsPlatform props are validated like the context keys', () => {
  const arn = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/recommendation/1';
  test.each<[object, string]>([
    [{ promotionMetric: 'logloss' }, "promotionMetric must be one of accuracy, precision, recall, f0_5, f1, f2, auc"],
    [{ shadowPercent: 20 }, 'shadowPercent 20 needs shadowModelPackageArn'],
    [{ retrainCooldownHours: -1 }, 'retrainCooldownHours must be between 0 and 8760, got -1'],
    [{ driftThreshold: -0.5 }, 'driftThreshold must be a number > 0, got -0.5'],
    [{ canaryPercent: 80 }, 'canaryPercent must be a whole number from 1 to 50, got 80'],
    [{ minCapacity: 3, maxCapacity: 2 }, 'maxCapacity must be at least minCapacity (3), got 2'],
    [{ endpointInstanceCount: 0 }, 'endpointInstanceCount must be a whole number >= 1, got 0'],
    [{ promotionMetric: 'rmse' }, "model 'recommendation': promotionMetric must be one of accuracy, precision, recall, f0_5, f1, f2, auc, au_prc"],
  ])('%j stops synth with one line naming the prop', (props, message) => {
    expect(() => new MlopsPlatform(new App(), 'Mlops', { level: MaturityLevel.AUTONOMOUS, models: [recommendationModel()], ...props })).toThrow(message);
  });

  test('a model package below level 2 is an error, not silently ignored', () => {
    expect(() => new MlopsPlatform(new App(), 'Mlops', { level: MaturityLevel.PRE_PRODUCTION, models: [recommendationModel()], modelPackageArn: arn }))
      .toThrow('modelPackageArn needs level 2 or more, got level 1');
  });
});
