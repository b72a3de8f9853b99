import * as path from 'path';
import { App, Stage } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { recommendationModel } from '../../examples/recommendation/model';
import {
  BuiltInXGBoost, MaturityLevel, MlopsPlatform, PlatformModel, ProblemType, QualityMetric, ScikitLearnScripts,
} from '../../lib';
import { cdkListEach, deployCommands, withDependencies } from '../support/cdk-cli';
import { CHECKED_CONTEXT } from '../support/checks';
import { TEST_MODEL_PACKAGE_ARN } from '../support/platform-apps';

/**
 * Every `cdk deploy` selector our CodeBuild projects run selects the intended stack, checked with the real CDK CLI
 * (`cdk ls --app <assembly>`): one app holds a level-3 platform in the App and one in a Stage nested in a Stage,
 * both with a model package (so the serving stacks exist) and stage accounts (one deploy project per account).
 * Both in one assembly also proves a selector of one never selects the other's stacks. A third platform serves two
 * models: each model's deploy-on-approval selects its own serving stack, never the other model's.
 */
const stageAccounts = [
  { name: 'staging', account: '111111111111', region: 'eu-west-1' },
  { name: 'prod', account: '222222222222', region: 'eu-west-1' },
];
// Selectors do not depend on the checks (test/platform/levels.test.ts runs them at every level): synth without them.
const app = new App({ context: CHECKED_CONTEXT as { [key: string]: any }, builtinCloudFormationValidation: false });
const props = { level: MaturityLevel.MONITORING_AND_GOVERNANCE, models: [recommendationModel()], modelPackageArn: TEST_MODEL_PACKAGE_ARN, stageAccounts };
const inApp = new MlopsPlatform(app, 'Mlops', props);
const outer = new Stage(app, 'EuWest', { env: { account: '123456789012', region: 'eu-west-1' } });
const inStage = new MlopsPlatform(new Stage(outer, 'Prod'), 'Mlops', props);
// Two models on one platform: each model's deploy-on-approval must select its own serving stack, never the other's.
const churn: PlatformModel = {
  name: 'churn', problemType: ProblemType.BINARY_CLASSIFICATION, metric: QualityMetric.auc(0.8), trainer: new BuiltInXGBoost(),
  dataset: { name: 'customer-churn', label: 'churned', features: [{ name: 'tenure' }, { name: 'monthly_charges' }] },
};
const ltv: PlatformModel = {
  name: 'ltv', problemType: ProblemType.REGRESSION, metric: QualityMetric.rmse(12.5),
  trainer: new ScikitLearnScripts({ scriptsDirectory: path.resolve(__dirname, '..', '..', 'examples', 'ltv') }),
  dataset: { name: 'customer-value', label: 'value', features: [{ name: 'orders' }, { name: 'tenure' }] },
};
const modelPackage = (model: string) => `arn:aws:sagemaker:us-east-1:123456789012:model-package/${model}/1`;
const twoModels = new MlopsPlatform(app, 'Acme', {
  level: MaturityLevel.MONITORING_AND_GOVERNANCE, models: [churn, ltv], modelPackageArns: { churn: modelPackage('churn'), ltv: modelPackage('ltv') },
});
let assembly: CloudAssembly;
let selected: Map<string, string[]>;

beforeAll(async () => {
  assembly = app.synth();
  // One CLI run per selector (`cdk ls a b` lists the union, which hides a selector that matches nothing). Measured:
  // about 1.8 s of CPU per run (the CLI's start-up), so the 4 selectors take 4-10 s, two runs at a time.
  selected = await cdkListEach(assembly.directory, deployCommands(assembly).flatMap((c) => c.selectors));
});

describe.each([
  ['in the App', () => inApp, ''],
  ['in a Stage nested in a Stage', () => inStage, 'EuWest/Prod/'],
])('a level-3 platform %s', (_where, platform, prefix) => {
  const commandsOf = (kind: 'train' | 'deploy') => deployCommands(assembly)
    .filter((c) => c.stack === platform().trainingStacks.recommendation.node.path)
    .filter((c) => (kind === 'deploy') === ('modelPackageArn' in c.context));

  test('the ML code pipeline deploys its training stack, selected by its path', () => {
    const [train, ...more] = commandsOf('train');
    expect(more).toEqual([]);
    expect(train.selectors).toEqual([`${prefix}Mlops/recommendation-Training`]);
    expect(train.selectors).toEqual([platform().trainingStacks.recommendation.node.path]);
  });

  test('each deploy-on-approval stage deploys the serving stack, selected by its path', () => {
    const deploys = commandsOf('deploy');
    expect(deploys.map((c) => c.context.deployAccount)).toEqual(['111111111111', '222222222222']);
    for (const c of deploys) {
      expect(c.selectors).toEqual([`${prefix}Mlops/recommendation-Serving`]);
      expect(c.selectors).toEqual([platform().servingStacks.recommendation.node.path]);
    }
  });

  test('the real `cdk ls` selects, for each selector, exactly its stack (and, as `cdk ls` does, what that one depends on)', () => {
    const commands = [...commandsOf('train'), ...commandsOf('deploy')];
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) {
      // --exclusively: `cdk deploy` then acts on the matched stacks alone, which a literal path makes exactly one.
      expect(c.options).toContain('--exclusively');
      for (const selector of c.selectors) {
        expect(selector).not.toMatch(/[*?[\]{}!]/);
        expect({ selector, selects: selected.get(selector) }).toEqual({ selector, selects: withDependencies(assembly, selector) });
        expect(selected.get(selector)).toContain(selector);
      }
    }
  });
});

describe('two models on one platform', () => {
  test.each(['churn', 'ltv'])("%s: deploy-on-approval passes its own package key, and the real `cdk ls` of its selector selects its serving stack, not the other model's", (model) => {
    const other = model === 'churn' ? 'ltv' : 'churn';
    const deploys = deployCommands(assembly)
      .filter((c) => c.stack === twoModels.trainingStacks[model].node.path && Object.keys(c.context).some((k) => k.startsWith('modelPackageArn')));
    expect(deploys).toHaveLength(1);
    const [deploy] = deploys;
    expect(Object.keys(deploy.context).filter((k) => k.startsWith('modelPackageArn'))).toEqual([`modelPackageArn.${model}`]);
    expect(deploy.options).toContain('--exclusively');
    expect(deploy.selectors).toEqual([`Acme/${model}-Serving`]);
    const selects = selected.get(`Acme/${model}-Serving`);
    expect(selects).toEqual(withDependencies(assembly, `Acme/${model}-Serving`));
    expect(selects).toContain(`Acme/${model}-Serving`);
    expect(selects).not.toContain(`Acme/${other}-Serving`);
    expect(selects).not.toContain(`Acme/${other}-Training`);
  });
});
