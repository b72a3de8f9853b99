import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { cdkListEach, DeployCommand, deployCommands, withDependencies } from '../support/cdk-cli';
import { CHECKED_CONTEXT } from '../support/checks';

/**
 * The README's CDK Pipelines example (test/fixtures/cdk-pipelines-app.ts, quoted verbatim by the README) run as the
 * CLI runs it: first as the CDK Pipelines synth step does (`npx cdk synth`, cdk.json's context only), then as the
 * deploy-on-approval build does (`cdk deploy` with the context its buildspec passes), whose selector is checked with
 * the real CDK CLI against that second assembly.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'cdk-pipelines-app.ts');
const APPROVED_ARN = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/churn/3';
const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/**
 * Runs the app file as `cdk synth` would (context and output directory through the environment); returns the
 * assembly. `validate: false` leaves the bundled CloudFormation validator out (`CDK_VALIDATION=false`) to save time.
 */
function synthApp(context: { [key: string]: string }, validate = true): CloudAssembly {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pipelines-app-'));
  outdirs.push(outdir);
  const saved = { CDK_OUTDIR: process.env.CDK_OUTDIR, CDK_CONTEXT_JSON: process.env.CDK_CONTEXT_JSON, CDK_VALIDATION: process.env.CDK_VALIDATION };
  process.env.CDK_OUTDIR = outdir;
  process.env.CDK_CONTEXT_JSON = JSON.stringify({ ...CHECKED_CONTEXT, ...context });
  if (!validate) process.env.CDK_VALIDATION = 'false';
  try {
    jest.isolateModules(() => require(FIXTURE));
  } finally {
    for (const [name, value] of Object.entries(saved)) restore(name, value);
  }
  return new CloudAssembly(outdir);
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** The value of each `-c` argument once bash has expanded `$MODEL_PACKAGE_ARN` (what the build's CLI receives). */
function expandedContext(command: DeployCommand): { [key: string]: string } {
  return Object.fromEntries(Object.entries(command.context).map(([k, v]) => [k, v.replace('$MODEL_PACKAGE_ARN', APPROVED_ARN)]));
}

test("the README's CDK Pipelines example is this test's app", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes("from 'aws-cdk-lib/pipelines'"));
  const app = fs.readFileSync(FIXTURE, 'utf8').replace("from '../../lib';", "from 'cdk-mlops-maturity';");
  expect(block).toEqual(app);
});

describe('the CDK Pipelines app', () => {
  let synth: CloudAssembly;
  let commands: DeployCommand[];
  beforeAll(() => {
    synth = synthApp({});
    commands = deployCommands(synth);
  });

  test('synthesizes with the checks on: the pipeline stack is not checked by them, the platform in the stage is', () => {
    expect(synth.stacksRecursively.map((s) => s.hierarchicalId).sort())
      .toEqual(['Delivery', 'Prod/Mlops/Data', 'Prod/Mlops/churn-Training']);
    // Synth threw on any error; the report lists no finding at all (warnings included) on the pipeline stack.
    const report = fs.readFileSync(path.join(synth.directory, 'validation-report.json'), 'utf8');
    expect(report).not.toContain('Delivery/');
  });

  test('only deploy-on-approval runs cdk deploy (CDK Pipelines deploys through CloudFormation actions; no ML code pipeline)', () => {
    expect(commands.map((c) => [c.stack, 'modelPackageArn' in c.context])).toEqual([['Prod/Mlops/churn-Training', true]]);
  });

  test('an approval deploys the staged serving stack: with the context the build passes the app has it, and `cdk ls` selects it', async () => {
    const [deploy] = commands;
    expect(deploy.selectors).toEqual(['Prod/Mlops/churn-Serving']);
    expect(deploy.options).toContain('--exclusively');
    expect(deploy.context).toMatchObject({ level: '2', platformName: 'Mlops', modelName: 'churn', modelPackageArn: '$MODEL_PACKAGE_ARN' });
    // The first synth passed the validator; this one only adds the serving stack, which levels.test.ts validates.
    const deploySynth = synthApp(expandedContext(deploy), false);
    const selected = await cdkListEach(deploySynth.directory, deploy.selectors);
    expect(selected.get('Prod/Mlops/churn-Serving'))
      .toEqual(withDependencies(deploySynth, 'Prod/Mlops/churn-Serving'));
    expect(selected.get('Prod/Mlops/churn-Serving')).toContain('Prod/Mlops/churn-Serving');
  });
});
