import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_GC_ENV } from '../bin/synth-gc';

/**
 * `npm run bench`: for each level, the median wall time of synthesizing the app in a fresh process (the way cdk.json
 * runs it: ts-node with its flags from cdk.json's `app`, no CLI overhead), the ratio to an app holding one empty stack
 * synthesized the same way, and each template's resource count and size; then level 4 once more without the bundled
 * CloudFormation validator (`CDK_VALIDATION=false`), to show its share. Options: `--runs N` (default 5), `--levels 0,4`.
 *
 * `--models N[,N...]` measures scale instead: for each N (`--models` alone: 1,2,5,10,20), a level-4 platform with N
 * models (scripts/bench-models.ts: the three examples in turn, each serving a package), its median synth time, the
 * largest stack's resources, outputs, parameters and template size against CloudFormation's limits, and the cost per
 * model (synth time / N) and the marginal cost of a model ((time at N - time at 1) / (N - 1)).
 *
 * With level 4 among the levels (the default), the last lines compare the empty app and level 4 side by side, run in
 * turn, with the entry point's garbage-collection setting (bin/synth-gc.ts) and with V8's defaults. `--gc` prints only
 * that comparison.
 */
const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;
const levelsArg = args.includes('--levels') ? args[args.indexOf('--levels') + 1] : '0,1,2,3,4';
const levels = levelsArg.split(',').map(Number);
const modelsIndex = args.indexOf('--models');
const modelCounts = modelsIndex < 0 ? undefined
  : (args[modelsIndex + 1]?.match(/^\d+(,\d+)*$/) ? args[modelsIndex + 1].split(',').map(Number) : [1, 2, 5, 10, 20]);
const MODEL_PACKAGE_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/recommendation/1';

interface Run { readonly ms: number; readonly cpuMs: number; readonly outdir: string }

/** ts-node's flags as cdk.json runs the app (`npx ts-node --swc --prefer-ts-exts bin/...` -> `--swc --prefer-ts-exts`). */
const TS_NODE_FLAGS: string[] = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8')).app
  .split(/\s+/).filter((word: string) => word.startsWith('--'));

function synthOnce(entry: string, context: { [key: string]: unknown } | undefined, extraEnv: { [key: string]: string } = {}): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const start = process.hrtime.bigint();
  const cpuFile = path.join(outdir, 'bench-cpu.txt');
  const result = spawnSync(process.execPath, ['-r', path.join(__dirname, 'bench-cpu.js'), require.resolve('ts-node/dist/bin'), ...TS_NODE_FLAGS, entry], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      BENCH_CPU_FILE: cpuFile,
      // The platform app gets cdk.json's context; the empty app none (an empty stack is a validation error).
      CDK_CONTEXT_JSON: JSON.stringify(context ? { '@aws-cdk/core:validateAgainstDefaultRules': true, ...context } : {}),
      ...extraEnv,
    },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`synth of ${entry} failed: ${result.stderr || result.stdout}`);
  const cpuMs = Number(fs.readFileSync(cpuFile, 'utf8'));
  fs.rmSync(cpuFile);
  return { ms, cpuMs, outdir };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function measure(entry: string, context: { [key: string]: unknown } | undefined, extraEnv: { [key: string]: string } = {}): { medianMs: number; medianCpuMs: number; outdir: string } {
  const times: number[] = [];
  const cpu: number[] = [];
  let outdir = '';
  for (let i = 0; i < runs; i++) {
    const run = synthOnce(entry, context, extraEnv);
    times.push(run.ms);
    cpu.push(run.cpuMs);
    if (outdir) fs.rmSync(run.outdir, { recursive: true, force: true });
    else outdir = run.outdir;
  }
  return { medianMs: median(times), medianCpuMs: median(cpu), outdir };
}

interface TemplateSize { readonly name: string; readonly resources: number; readonly outputs: number; readonly parameters: number; readonly bytes: number }

/** Each stack of the assembly by its CloudFormation name (template files are named after artifact ids, with a hash). */
function templates(outdir: string): TemplateSize[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  return Object.entries<any>(manifest.artifacts ?? {}).filter(([, a]) => a.type === 'aws:cloudformation:stack').map(([id, a]) => {
    const text = fs.readFileSync(path.join(outdir, a.properties.templateFile), 'utf8');
    const template = JSON.parse(text);
    const count = (section: string) => Object.keys(template[section] ?? {}).length;
    return { name: a.properties.stackName ?? id, resources: count('Resources'), outputs: count('Outputs'), parameters: count('Parameters'), bytes: text.length };
  }).sort((x, y) => x.name.localeCompare(y.name));
}

/** The largest value of `key` over the stacks, with the stack's name. */
function largest(stacks: TemplateSize[], key: 'resources' | 'outputs' | 'parameters' | 'bytes'): string {
  const top = stacks.reduce((a, b) => (b[key] > a[key] ? b : a));
  const value = key === 'bytes' ? `${(top.bytes / 1024).toFixed(1)} KiB` : String(top[key]);
  return `${value} (${top.name.replace(/^Mlops-/, '')})`;
}

/** `--models`: the scale table (CloudFormation limits: 500 resources, 200 outputs, 200 parameters, 1 MB template). */
function benchModels(counts: number[]): void {
  const context = { '@aws-cdk/core:defaultCrossStackReferences': 'strong' };
  console.log(`Scale benchmark: level 4, N models (recommendation, churn, ltv in turn, each serving a package), median of ${runs} fresh processes each, ts-node ${TS_NODE_FLAGS.join(' ')}, node ${process.version}, ${os.cpus().length} cores`);
  console.log('| models | stacks | median synth (wall) | CPU | CPU per model | largest stack: resources | outputs | parameters | template size |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  const perModel = new Map<number, number>();
  const total = new Map<number, number>();
  for (const n of counts) {
    const result = measure('scripts/bench-models-app.ts', context, { BENCH_MODELS: String(n) });
    const stacks = templates(result.outdir);
    perModel.set(n, result.medianCpuMs / n);
    total.set(n, result.medianCpuMs);
    console.log(`| ${n} | ${stacks.length} | ${(result.medianMs / 1000).toFixed(2)} s | ${(result.medianCpuMs / 1000).toFixed(2)} s | ${(result.medianCpuMs / n / 1000).toFixed(2)} s | `
      + `${largest(stacks, 'resources')} | ${largest(stacks, 'outputs')} | ${largest(stacks, 'parameters')} | ${largest(stacks, 'bytes')} |`);
    fs.rmSync(result.outdir, { recursive: true, force: true });
  }
  const most = Math.max(...counts);
  if (perModel.has(2) && most > 2) {
    const ratio = perModel.get(most)! / perModel.get(2)!;
    console.log(`CPU time / N at ${most} models vs at 2: ${ratio.toFixed(2)} (within 0.80-1.20 is linear; below means the fixed start-up cost is spread over more models)`);
  }
  if (total.has(1) && total.has(2) && most > 2) {
    const marginal = (n: number) => (total.get(n)! - total.get(1)!) / (n - 1);
    console.log(`marginal CPU cost of a model: ${(marginal(2) / 1000).toFixed(2)} s from 1 to 2 models, ${(marginal(most) / 1000).toFixed(2)} s on average from 1 to ${most} (ratio ${(marginal(most) / marginal(2)).toFixed(2)})`);
  }
}

/** The empty app and level 4, in turn, with the entry point's garbage-collection setting and with V8's defaults. */
function benchGarbageCollection(): void {
  const level4 = { level: 4, modelPackageArn: MODEL_PACKAGE_ARN };
  const defaults = { [DEFAULT_GC_ENV]: '1' };
  const times: number[][] = [[], [], [], []];
  const cpu: number[][] = [[], [], [], []];
  for (let i = 0; i < runs; i++) {
    [
      synthOnce('scripts/bench-empty-app.ts', undefined),
      synthOnce('bin/mlops-platform.ts', level4),
      synthOnce('scripts/bench-empty-app.ts', undefined, defaults),
      synthOnce('bin/mlops-platform.ts', level4, defaults),
    ].forEach((run, k) => {
      times[k].push(run.ms);
      cpu[k].push(run.cpuMs);
      fs.rmSync(run.outdir, { recursive: true, force: true });
    });
  }
  const [empty, level, emptyDefault, levelDefault] = times.map(median);
  const [emptyCpu, levelCpu, emptyDefaultCpu, levelDefaultCpu] = cpu.map(median);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const line = (name: string, e: number, l: number, ec: number, lc: number) =>
    `${name}: wall: empty app ${s(e)}, level 4 ${s(l)}, ratio ${(l / e).toFixed(2)}x; CPU: empty app ${s(ec)}, level 4 ${s(lc)}, ratio ${(lc / ec).toFixed(2)}x`;
  console.log(`Garbage collection, side by side (median of ${runs} runs of each, in turn):`);
  console.log(`- ${line('concurrent marking off (bin/synth-gc.ts, as cdk synth runs the app)', empty, level, emptyCpu, levelCpu)}`);
  console.log(`- ${line(`V8 defaults (${DEFAULT_GC_ENV}=1)`, emptyDefault, levelDefault, emptyDefaultCpu, levelDefaultCpu)}`);
}

if (modelCounts) {
  benchModels(modelCounts);
  process.exit(0);
}
if (args.includes('--gc')) {
  benchGarbageCollection();
  process.exit(0);
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
if (levels.includes(4)) benchGarbageCollection();
