import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * `npm run bench`: for each level, the median wall time of synthesizing the app in a fresh process (the way cdk.json
 * runs it: ts-node with its flags from cdk.json's `app`, no CLI overhead), the ratio to an app holding one empty stack
 * synthesized the same way, and each template's resource count and size; then level 4 once more without the bundled
 * CloudFormation validator (`CDK_VALIDATION=false`), to show its share. Options: `--runs N` (default 5), `--levels 0,4`.
 */
const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;
const levelsArg = args.includes('--levels') ? args[args.indexOf('--levels') + 1] : '0,1,2,3,4';
const levels = levelsArg.split(',').map(Number);
const MODEL_PACKAGE_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/recommendation/1';

interface Run { readonly ms: number; readonly outdir: string }

/** ts-node's flags as cdk.json runs the app (`npx ts-node --swc --prefer-ts-exts bin/...` -> `--swc --prefer-ts-exts`). */
const TS_NODE_FLAGS: string[] = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8')).app
  .split(/\s+/).filter((word: string) => word.startsWith('--'));

function synthOnce(entry: string, context: { [key: string]: unknown } | undefined, extraEnv: { [key: string]: string } = {}): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), ...TS_NODE_FLAGS, entry], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      // The platform app gets cdk.json's context; the empty app none (an empty stack is a validation error).
      CDK_CONTEXT_JSON: JSON.stringify(context ? { '@aws-cdk/core:validateAgainstDefaultRules': true, ...context } : {}),
      ...extraEnv,
    },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`synth of ${entry} failed: ${result.stderr || result.stdout}`);
  return { ms, outdir };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function measure(entry: string, context: { [key: string]: unknown } | undefined, extraEnv: { [key: string]: string } = {}): { medianMs: number; outdir: string } {
  const times: number[] = [];
  let outdir = '';
  for (let i = 0; i < runs; i++) {
    const run = synthOnce(entry, context, extraEnv);
    times.push(run.ms);
    if (outdir) fs.rmSync(run.outdir, { recursive: true, force: true });
    else outdir = run.outdir;
  }
  return { medianMs: median(times), outdir };
}

/** Each stack of the assembly by its CloudFormation name (template files are named after artifact ids, with a hash). */
function templates(outdir: string): { name: string; resources: number; bytes: number }[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  return Object.entries<any>(manifest.artifacts ?? {}).filter(([, a]) => a.type === 'aws:cloudformation:stack').map(([id, a]) => {
    const text = fs.readFileSync(path.join(outdir, a.properties.templateFile), 'utf8');
    return { name: a.properties.stackName ?? id, resources: Object.keys(JSON.parse(text).Resources ?? {}).length, bytes: text.length };
  }).sort((x, y) => x.name.localeCompare(y.name));
}

const empty = measure('scripts/bench-empty-app.ts', undefined);
console.log(`Synth benchmark: median of ${runs} fresh processes each, ts-node ${TS_NODE_FLAGS.join(' ')}, node ${process.version}, ${os.cpus().length} cores`);
console.log(`empty app (one empty stack): ${(empty.medianMs / 1000).toFixed(2)} s`);
console.log('| level | median synth | ratio to empty | stacks: resources, template size |');
console.log('|---|---|---|---|');
for (const level of levels) {
  const context = level >= 2 ? { level, modelPackageArn: MODEL_PACKAGE_ARN } : { level };
  const result = measure('bin/mlops-platform.ts', context);
  const stacks = templates(result.outdir).map((t) => `${t.name}: ${t.resources}, ${(t.bytes / 1024).toFixed(1)} KiB`).join('; ');
  console.log(`| ${level} | ${(result.medianMs / 1000).toFixed(2)} s | ${(result.medianMs / empty.medianMs).toFixed(2)}x | ${stacks} |`);
  fs.rmSync(result.outdir, { recursive: true, force: true });
}
fs.rmSync(empty.outdir, { recursive: true, force: true });
if (levels.includes(4)) {
  const context = { level: 4, modelPackageArn: MODEL_PACKAGE_ARN };
  const withoutValidator = measure('bin/mlops-platform.ts', context, { CDK_VALIDATION: 'false' });
  console.log(`level 4 without the bundled CloudFormation validator (CDK_VALIDATION=false, cdk-nag still on): ${(withoutValidator.medianMs / 1000).toFixed(2)} s, ${(withoutValidator.medianMs / empty.medianMs).toFixed(2)}x`);
  fs.rmSync(withoutValidator.outdir, { recursive: true, force: true });
}
