import { App, Stack, Stage } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CodePipeline, CodePipelineSource, ShellStep } from 'aws-cdk-lib/pipelines';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addPlatformChecks, MaturityLevel, MlopsPlatform } from '../../lib';
import { CHECKED_CONTEXT } from '../support/checks';

/**
 * `addPlatformChecks(scope)` checks the resources under `scope` only. The user's CDK Pipelines stack has findings of
 * its own (not ours to fix): with the checks on the platform's Stage they are not reported, while an unsecured
 * resource inside the Stage still fails synth.
 */
function pipelinesApp(prepareStage: (prod: Stage) => void = () => {}): { app: App; pipelineStack: Stack; pipeline: CodePipeline } {
  // The bundled CloudFormation validator is not what this is about (it covers every stack, whatever the scope).
  const app = new App({ context: CHECKED_CONTEXT as { [key: string]: any }, builtinCloudFormationValidation: false });
  const env = { account: '111111111111', region: 'eu-west-1' };
  const pipelineStack = new Stack(app, 'Delivery', { env });
  const pipeline = new CodePipeline(pipelineStack, 'Pipeline', {
    synth: new ShellStep('Synth', {
      input: CodePipelineSource.connection('acme/recsys', 'main', { connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/abc-123' }),
      commands: ['npm ci', 'npx cdk synth'],
    }),
  });
  const prod = new Stage(app, 'Prod', { env });
  new MlopsPlatform(prod, 'Mlops', { level: MaturityLevel.AD_HOC });
  prepareStage(prod); // before addStage, which synthesizes the stage
  pipeline.addStage(prod);
  return { app, pipelineStack, pipeline };
}

describe('addPlatformChecks on a Stage beside a CDK Pipelines stack', () => {
  test('the pipeline stack has AwsSolutions findings of its own', () => {
    const { pipelineStack, pipeline } = pipelinesApp();
    pipeline.buildPipeline();
    const report = new AwsSolutionsChecks().validateScope(pipelineStack);
    expect(report.violations.filter((v) => v.severity === 'error').length).toBeGreaterThan(0);
  });

  test('synth passes: the pipeline stack is not checked', () => {
    const { app } = pipelinesApp((prod) => addPlatformChecks(prod));
    expect(() => app.synth()).not.toThrow();
  });

  test('an unsecured bucket inside the stage fails synth, naming it and nothing of the pipeline stack', () => {
    const { app } = pipelinesApp((prod) => {
      new s3.Bucket(new Stack(prod, 'Insecure'), 'Unsecured');
      addPlatformChecks(prod);
    });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('AwsSolutions-S1');
    expect(message).toContain('Prod/Insecure/Unsecured/Resource');
    expect(message).not.toContain('Delivery/');
  });

  test('on the App, the checks cover every stack, the pipeline stack included', () => {
    const { app } = pipelinesApp();
    addPlatformChecks(app);
    expect(() => app.synth()).toThrow(/Delivery\/Pipeline\//);
  });
});

describe('addPlatformChecks on a stack', () => {
  const appWith = (badStack: 'Checked' | 'Other'): App => {
    const app = new App({ context: CHECKED_CONTEXT as { [key: string]: any }, builtinCloudFormationValidation: false });
    const checked = new Stack(app, 'Checked');
    const other = new Stack(app, 'Other');
    new s3.Bucket(badStack === 'Checked' ? checked : other, 'Unsecured');
    addPlatformChecks(checked);
    return app;
  };

  test('reports what is in that stack', () => {
    expect(() => appWith('Checked').synth()).toThrow(/AwsSolutions-S1[\s\S]*Checked\/Unsecured\/Resource/);
  });

  test('does not report what is in another stack', () => {
    expect(() => appWith('Other').synth()).not.toThrow();
  });
});
