import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The README's synth command (`npx cdk synth`, cdk.json's app) run for real through the CDK CLI: the checks in the
 * app must make it fail, and a bad context value must stop it with one clear line.
 */
const root = path.resolve(__dirname, '../..');
function cdkSynth(args: string[]): { status: number | null; output: string } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-synth-'));
  const result = spawnSync('npx', ['cdk', 'synth', '--no-notices', '--no-version-reporting', '-o', out, ...args], {
    cwd: root, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' }, timeout: 120_000,
  });
  fs.rmSync(out, { recursive: true, force: true });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

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

  test('-c level=0 synthesizes a template that passes both checks', () => {
    const { status, output } = cdkSynth(['-c', 'level=0', 'Mlops-Data']);
    expect(output).not.toContain('ERROR');
    expect(status).toBe(0);
    expect(output).toContain('AWS::S3::Bucket');
  });
});
