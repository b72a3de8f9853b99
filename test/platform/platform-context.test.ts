import { App, Stack, Stage } from 'aws-cdk-lib';
import { MaturityLevel, MlopsPlatform, parseMaturityLevel, readPlatformContext } from '../../lib';

describe('context keys', () => {
  const read = (context: { [key: string]: unknown }) => readPlatformContext(new App({ context: context as any }).node);

  test('defaults: level 2, model recommendation, platform Mlops', () => {
    expect(read({})).toEqual({ level: MaturityLevel.PRODUCTIONIZATION, modelName: 'recommendation', platformName: 'Mlops' });
  });

  test.each([['0', 0], ['4', 4], [3, 3], [' 1 ', 1]])('level %j parses', (value, level) => {
    expect(read({ level: value }).level).toBe(level);
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

  test('bad modelName names the prop', () => {
    expect(() => new MlopsPlatform(new App(), 'Mlops', { level: MaturityLevel.AD_HOC, modelName: 'Recommendation_v2' }))
      .toThrow("modelName must be 1-32 lowercase letters, digits or hyphens, starting with a letter, got 'Recommendation_v2'");
  });
});
