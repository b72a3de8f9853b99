import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';

/**
 * The package as a consumer gets it. Once for the whole file: copy the repository (sources only) to a temporary
 * folder, `npm pack` it there (prepack runs `npm run build`: tsc and the handler bundles), install the tarball and
 * the declared peer dependencies - nothing else - into a fresh app, compile the app with tsc against the
 * package's .d.ts files and synthesize it with plain `node`: the level-4 platform and building blocks in the app's
 * own stack, both checked by cdk-nag and the CloudFormation validator.
 *
 * It fails when the published code imports a package that package.json does not declare (the app cannot load it)
 * or when a file the constructs read at synth time (handler bundles, the example's scripts) is not in `files`.
 */
const root = path.resolve(__dirname, '../..');
const FIXTURES = path.join(__dirname, 'fixtures', 'consumer-app');
const STEP_TIMEOUT_MS = 5 * 60_000;

/** Lifecycle variables of the `npm test` that runs jest would make the nested npm commands act on this repository. */
const childEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries({
  ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_EC2_METADATA_DISABLED: 'true',
}).filter(([key]) => !/^(npm_(package|lifecycle)_|npm_config_local_prefix$|INIT_CWD$)/.test(key)));

/** Runs a step of the consumer's journey; a failure names the step and ends with the command's own output. */
function run(step: string, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(command, args, {
    cwd, encoding: 'utf8', env: { ...childEnv, ...env }, timeout: STEP_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${step} failed (\`${command} ${args.join(' ')}\` in ${cwd}: ${result.error?.message
      ?? (result.signal ? `killed by ${result.signal}` : `exit code ${result.status}`)}):\n${output}`);
  }
  return result.stdout;
}

/** The repository without what a fresh clone does not have (installed modules, builds, synth output). */
function copySources(to: string): void {
  const skip = new Set(['node_modules', 'dist', '.handlers', 'cdk.out', '.git', 'coverage', '__pycache__']);
  fs.cpSync(root, to, { recursive: true, filter: (src) => !skip.has(path.basename(src)) });
  // The build's tools (tsc, ts-node, esbuild) come from this repository's install.
  fs.symlinkSync(fs.realpathSync(path.join(root, 'node_modules')), path.join(to, 'node_modules'), 'dir');
}

/** The peer dependencies at the versions this repository is tested with (its lock file). */
function peersAtLockedVersions(pkg: any): { [name: string]: string } {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  return Object.fromEntries(Object.keys(pkg.peerDependencies ?? {}).map((name) => {
    const version = lock.packages[`node_modules/${name}`]?.version;
    if (!version) throw new Error(`peer dependency ${name} is not in package-lock.json: run npm install`);
    return [name, version];
  }));
}

interface Synthesized {
  /** The consumer app's folder. */
  readonly app: string;
  /** The consumer's package.json dependencies. */
  readonly dependencies: { [name: string]: string };
  /** Templates of the synthesized assembly, by stack name. */
  readonly templates: { [stackName: string]: any };
  readonly assembly: string;
}

/** Installs the tarball and the peers into a fresh app, compiles the fixture app with tsc and synthesizes it with node. */
function installAndSynth(app: string, tarball: string): Synthesized {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const dependencies = { [pkg.name]: `file:../${tarball}`, ...peersAtLockedVersions(pkg) };
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer-app', version: '1.0.0', private: true, dependencies }, null, 2));
  // The npm cache `npm ci` filled serves the packages; the registry only what the cache lacks.
  run('npm install in the consumer app', 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app);

  for (const file of fs.readdirSync(FIXTURES)) fs.copyFileSync(path.join(FIXTURES, file), path.join(app, file));
  // As `cdk init app --language typescript` sets it up; Node's types and tsc come from this repository.
  fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['es2022'], strict: true, skipLibCheck: true,
      typeRoots: [path.join(fs.realpathSync(path.join(root, 'node_modules')), '@types')], types: ['node'],
    },
    files: ['app.ts'],
  }, null, 2));
  run('tsc in the consumer app (types from the package\'s .d.ts files)', process.execPath,
    [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.json'], app);

  // What `cdk synth` does with the app command of cdk.json: the context of cdk.json, an output folder.
  const assembly = path.join(app, 'cdk.out');
  const context = JSON.parse(fs.readFileSync(path.join(app, 'cdk.json'), 'utf8')).context;
  run('synth of the consumer app (node app.js)', process.execPath, ['app.js'], app, {
    CDK_OUTDIR: assembly, CDK_CONTEXT_JSON: JSON.stringify(context),
  });
  // By CloudFormation stack name: template files are named after the artifact id (the platform's stacks: path + hash).
  const templates: { [name: string]: any } = {};
  for (const stack of new CloudAssembly(assembly).stacksRecursively) templates[stack.stackName] = stack.template;
  return { app, dependencies, templates, assembly };
}

function resourcesOf(template: any, type: string): any[] {
  return Object.values(template.Resources ?? {}).filter((r: any) => r.Type === type);
}

describe('a fresh CDK app that installs only the packed tarball and the declared peers', () => {
  let tmp: string;
  /** Paths in the tarball, without the leading `package/`. */
  let shipped: string[];
  let synthesized: Synthesized | undefined;
  let failure: Error | undefined;
  /** The consumer app's assembly; a failed install, compile or synth fails each test that needs it with its output. */
  const consumer = (): Synthesized => {
    if (!synthesized) throw failure ?? new Error('the consumer app was not synthesized');
    return synthesized;
  };

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-install-'));
    const source = path.join(tmp, 'cdk-mlops-maturity');
    const app = path.join(tmp, 'app');
    copySources(source);

    run('npm pack (prepack: npm run build)', 'npm', ['pack', '--pack-destination', tmp], source);
    const tarball = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack wrote no tarball into ${tmp}`);
    shipped = run('list the tarball', 'tar', ['-tzf', path.join(tmp, tarball)], tmp)
      .split('\n').filter(Boolean).map((p) => p.replace(/^package\//, '')).sort();

    // The tarball's contents are checked even when the app below fails: that names a missing file directly.
    try {
      synthesized = installAndSynth(app, tarball);
    } catch (err) {
      failure = err as Error;
    }
  }, 2 * STEP_TIMEOUT_MS);

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('the app has the tarball and the peers, and none of this repository\'s devDependencies (esbuild, ts-node ...)', () => {
    const { app, dependencies } = consumer();
    expect(Object.keys(dependencies).sort()).toEqual(['aws-cdk-lib', 'cdk-mlops-maturity', 'cdk-nag', 'constructs']);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const devOnly = Object.keys(pkg.devDependencies).filter((name) => !(name in pkg.peerDependencies) && !(name in pkg.dependencies));
    expect(devOnly).toContain('esbuild');
    expect(devOnly.filter((name) => fs.existsSync(path.join(app, 'node_modules', name)))).toEqual([]);
  });

  test('the tarball ships the compiled library with its .d.ts, the handler bundles and the example scripts', () => {
    const handlers = fs.readdirSync(path.join(root, 'lib', 'handlers')).filter((h) => fs.existsSync(path.join(root, 'lib', 'handlers', h, 'index.ts')));
    const required = ['package.json', 'README.md', 'NOTICE', 'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/bin/mlops-platform.js',
      ...handlers.map((h) => `.handlers/${h}/index.js`),
      ...['preprocess.py', 'evaluate_xgboost.py'].map((f) => `assets/sagemaker/${f}`),
      ...['train.py', 'evaluate.py'].map((f) => `examples/recommendation/${f}`)];
    expect(required.filter((f) => !shipped.includes(f)).map((f) => `${f} is not in the tarball: add it to "files" in package.json`)).toEqual([]);
    const compiled = shipped.filter((f) => f.startsWith('dist/lib/') && f.endsWith('.js') && !f.startsWith('dist/lib/handlers/'));
    expect(compiled.filter((f) => !shipped.includes(f.replace(/\.js$/, '.d.ts')))).toEqual([]);
  });

  test('the tarball ships no TypeScript sources, tests, scripts, build stamps or synth output', () => {
    const unwanted = shipped.filter((f) => /^(lib|bin|test|scripts|cdk\.out|dist\/test|dist\/scripts)\//.test(f)
      || (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.endsWith('SOURCE_DIGEST') || /(^|\/)(cdk\.json|tsconfig.*\.json|jest\.config\.js)$/.test(f));
    expect(unwanted).toEqual([]);
  });

  test('the level-4 platform synthesizes its four stacks; the serving stack has the endpoint', () => {
    expect(Object.keys(consumer().templates).filter((s) => s.startsWith('Mlops-')).sort()).toEqual([
      'Mlops-Data', 'Mlops-Governance', 'Mlops-churn-Serving', 'Mlops-churn-Training',
    ]);
    expect(resourcesOf(consumer().templates['Mlops-churn-Serving'], 'AWS::SageMaker::Endpoint')).toHaveLength(1);
    expect(resourcesOf(consumer().templates['Mlops-churn-Training'], 'AWS::SageMaker::Pipeline')).toHaveLength(1);
  });

  test('building blocks in the app\'s own stack, their assets staged from the shipped files', () => {
    const stack = consumer().templates.MyTraining;
    expect(resourcesOf(stack, 'AWS::SageMaker::Pipeline')).toHaveLength(1);
    expect(resourcesOf(stack, 'AWS::SageMaker::ModelPackageGroup')).toHaveLength(1);
    expect(resourcesOf(stack, 'AWS::Lambda::Function').map((f) => f.Properties.Handler)).toContain('index.handler');
    const assets = JSON.parse(fs.readFileSync(path.join(consumer().assembly, 'MyTraining.assets.json'), 'utf8')).files;
    const staged = (displayName: string) => {
      const asset: any = Object.values(assets).find((a: any) => a.displayName === displayName);
      if (!asset) throw new Error(`no asset '${displayName}' in MyTraining.assets.json`);
      return path.join(consumer().assembly, asset.source.path);
    };
    const installed = path.join(consumer().app, 'node_modules', 'cdk-mlops-maturity');
    // The built-in XGBoost model runs the package's own preprocessing and evaluation scripts.
    expect(fs.readFileSync(staged('Churn/PreprocessScript'), 'utf8'))
      .toBe(fs.readFileSync(path.join(installed, 'assets', 'sagemaker', 'preprocess.py'), 'utf8'));
    expect(fs.readFileSync(staged('Churn/EvaluateScript'), 'utf8'))
      .toBe(fs.readFileSync(path.join(installed, 'assets', 'sagemaker', 'evaluate_xgboost.py'), 'utf8'));
    expect(fs.readFileSync(path.join(staged('Retraining/Handler/Code'), 'index.js'), 'utf8'))
      .toBe(fs.readFileSync(path.join(installed, '.handlers', 'retrain', 'index.js'), 'utf8'));
  });

  test('the assembly carries no warning: cdk.json sets the cross-stack reference strength the platform expects', () => {
    const warnings: string[] = [];
    for (const file of fs.readdirSync(consumer().assembly).filter((f) => f.endsWith('.metadata.json') || f === 'manifest.json')) {
      const text = fs.readFileSync(path.join(consumer().assembly, file), 'utf8');
      for (const m of text.matchAll(/"type":\s*"aws:cdk:(warning|error)",\s*"data":\s*("(?:[^"\\]|\\.)*")/g)) warnings.push(`${file}: ${JSON.parse(m[2])}`);
    }
    expect(warnings).toEqual([]);
  });
});
