import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The README's synth command (`npx cdk synth`, cdk.json's app) run for real through the CDK CLI: the checks in the
 * app must make it fail, and a bad context value must stop it with one clear line.
 *
 * Each CLI run costs seconds of process start-up (npx, the CLI, ts-node, aws-cdk-lib) before any synth, so the file
 * runs only what needs the CLI, and one full synth serves two tests. What an in-process synth shows as well is tested
 * there: every level with both checks in test/platform/levels.test.ts, each context key's message in
 * test/platform/platform-context.test.ts.
 */
const root = path.resolve(__dirname, '../..');
const ARN = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/recommendation/1';
// A busy machine can take minutes for a full synth through the CLI; the limit is there to stop a hung process.
const RUN_TIMEOUT_MS = 5 * 60_000;
jest.setTimeout(RUN_TIMEOUT_MS + 30_000);
function cdkSynth(args: string[]): { status: number | null; output: string; templates: string[]; stacks: string[] } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-synth-'));
  const result = spawnSync('npx', ['cdk', 'synth', '--no-notices', '--no-version-reporting', '-o', out, ...args], {
    cwd: root, encoding: 'utf8', env: {
      ...process.env,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      // No AWS here: no credentials, and no instance-metadata look-up for them.
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '',
    }, timeout: RUN_TIMEOUT_MS,
  });
  const templates = fs.existsSync(out) ? fs.readdirSync(out).filter((f) => f.endsWith('.template.json')).sort() : [];
  const stacks = fs.existsSync(path.join(out, 'manifest.json')) ? stacksOf(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'))) : [];
  fs.rmSync(out, { recursive: true, force: true });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`, templates, stacks };
}

/**
 * Each stack of an assembly manifest as `<construct path> (<stack name>) <template file>`: what `cdk ls` shows and
 * `cdk deploy` matches, the CloudFormation stack name, and the file the template is written to (aws-cdk-lib names it
 * after the artifact id, which for a stack below another construct is its path's ids plus a hash).
 */
function stacksOf(manifest: any): string[] {
  return Object.entries<any>(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([, a]) => `${a.displayName} (${a.properties.stackName ?? ''}) ${a.properties.templateFile}`)
    .sort();
}

/** The level-4 run, once for the two tests that read it: it selects Mlops/Data, so the CLI also prints that template. */
let level4: ReturnType<typeof cdkSynth> | undefined;
const level4Synth = (): ReturnType<typeof cdkSynth> => (level4 ??= cdkSynth(['-c', 'level=4', '-c', `modelPackageArn=${ARN}`, 'Mlops/Data']));

describe('npx cdk synth', () => {
  test('an unacknowledged cdk-nag finding makes the synth command fail', () => {
    const { status, output } = cdkSynth(['--app', 'npx ts-node --transpile-only test/fixtures/app-with-finding.ts']);
    expect(status).not.toBe(0);
    expect(output).toContain('AwsSolutions-S1');
    expect(output).toContain('Insecure/Unsecured/Resource');
  });

  test('-c level=7 stops synth with one line naming the key, the value and what is allowed', () => {
    const { status, output } = cdkSynth(['-c', 'level=7']);
    expect(status).not.toBe(0);
    expect(output).toContain("Error: level must be one of 0, 1, 2, 3, 4, got '7'");
  });

  test('-c level=4 -c modelPackageArn=<arn> synthesizes data, training, serving and governance stacks that pass both checks', () => {
    const { status, output, templates, stacks } = level4Synth();
    expect(output).not.toContain('ERROR');
    expect(status).toBe(0);
    expect(stacks).toEqual([
      'Mlops/Data (Mlops-Data) MlopsData7708DC23.template.json',
      'Mlops/Governance (Mlops-Governance) MlopsGovernance57E03A40.template.json',
      'Mlops/recommendation-Serving (Mlops-recommendation-Serving) MlopsrecommendationServing3A9A5F74.template.json',
      'Mlops/recommendation-Training (Mlops-recommendation-Training) MlopsrecommendationTrainingB4DCD332.template.json',
    ]);
    expect(templates).toEqual(stacks.map((s) => s.split(' ').pop()).sort());
  });

  test('-c modelPackageArn of the wrong service stops synth with one line', () => {
    const { status, output } = cdkSynth(['-c', 'level=2', '-c', 'modelPackageArn=arn:aws:s3:::bucket/model.tar.gz']);
    expect(status).not.toBe(0);
    expect(output).toContain("Error: modelPackageArn must be a model package ARN 'arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>', got 'arn:aws:s3:::bucket/model.tar.gz'");
  });

  test('-c modelPackageArn=latest-approved without credentials stops synth with one line saying what to do', () => {
    const { status, output } = cdkSynth(['-c', 'level=2', '-c', 'modelPackageArn=latest-approved']);
    expect(status).not.toBe(0);
    expect(output).toMatch(/Error: no AWS credentials to look up the latest approved model package of group '[a-z0-9-]+': configure credentials .* or pass -c modelPackageArn=<arn>/);
  });

  test('-c level=2 without a model package: data and training stacks, and one line saying how serving will arrive', () => {
    const { status, output, stacks } = cdkSynth(['-c', 'level=2', '-q']);
    expect(status).toBe(0);
    expect(stacks).toEqual([
      'Mlops/Data (Mlops-Data) MlopsData7708DC23.template.json',
      'Mlops/recommendation-Training (Mlops-recommendation-Training) MlopsrecommendationTrainingB4DCD332.template.json',
    ]);
    expect(output).toMatch(/No serving stack for model 'recommendation' yet: approve a model package in registry '[a-z0-9-]+' and its deploy-on-approval pipeline deploys it/);
  });

  // The level-4 run above selects Mlops/Data (the stack every level has): the CLI prints the selected stack's template
  // and writes all of them. Level 0 on its own passes both checks in test/platform/levels.test.ts (in process).
  test('a selected stack (Mlops/Data) is printed as a template that passes both checks', () => {
    const { status, output } = level4Synth();
    expect(output).not.toContain('ERROR');
    expect(status).toBe(0);
    expect(output).toContain('AWS::S3::Bucket');
  });
});
