import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * What package.json promises a consumer, checked from the sources in milliseconds (consumer-install.test.ts proves
 * the same with a real install of the packed tarball): every package the published code imports at run time is a
 * dependency or a peer dependency, and the README's consumer section quotes the app that test synthesizes.
 */
const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const FIXTURES = path.join(__dirname, 'fixtures', 'consumer-app');

/** Entry points of the published code: `main` and the deployable app (shipped as dist/bin). */
const ENTRY_POINTS = ['lib/index.ts', 'bin/mlops-platform.ts'];

/**
 * Packages the published code names but a consumer never loads, each with the reason. The Lambda handlers'
 * own imports (lib/handlers/) do not count: they ship as esbuild bundles in .handlers/ with the AWS SDK inside.
 */
const NOT_LOADED_BY_CONSUMERS: { [pkg: string]: string } = {
  esbuild: 'required only to rebuild a handler bundle from lib/handlers/<name>/index.ts, which the package does not ship',
};

/** Every module the entry points reach through relative imports, with the bare module specifiers each one imports. */
function runtimeImports(): { file: string; specifier: string }[] {
  const seen = new Set<string>();
  const found: { file: string; specifier: string }[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    for (const { fileName: specifier } of info.importedFiles) {
      if (!specifier.startsWith('.')) {
        found.push({ file: path.relative(root, file), specifier });
        continue;
      }
      const target = path.resolve(path.dirname(file), specifier);
      const resolved = [`${target}.ts`, path.join(target, 'index.ts'), target].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
      if (!resolved) throw new Error(`${path.relative(root, file)} imports '${specifier}', which resolves to no file`);
      visit(resolved);
    }
  };
  ENTRY_POINTS.forEach((entry) => visit(path.join(root, entry)));
  return found;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]);

describe('package.json declares what the published code needs', () => {
  const imports = runtimeImports();

  test('the walk reaches the whole library (cdk-nag through addPlatformChecks, the SDK through the latest-approved lookup)', () => {
    const names = new Set(imports.map((i) => packageName(i.specifier)));
    expect([...names].filter((n) => !isBuiltin(n)).sort()).toEqual(
      expect.arrayContaining(['@aws-sdk/client-sagemaker', 'aws-cdk-lib', 'cdk-nag', 'constructs']));
  });

  test('every package imported at run time is a dependency or a peer dependency', () => {
    const declared = { ...pkg.dependencies, ...pkg.peerDependencies };
    const undeclared = imports
      .filter(({ specifier }) => !isBuiltin(specifier))
      .filter(({ specifier }) => !(packageName(specifier) in declared) && !(packageName(specifier) in NOT_LOADED_BY_CONSUMERS))
      .map(({ file, specifier }) => `${file} imports '${specifier}', but package.json declares '${packageName(specifier)}' `
        + 'neither in dependencies nor in peerDependencies: a consumer\'s install does not have it');
    expect(undeclared).toEqual([]);
  });

  test('every peer dependency is also a devDependency with the same range, so this repository installs it', () => {
    const mismatched = Object.entries(pkg.peerDependencies as { [name: string]: string })
      .filter(([name]) => name !== 'constructs') // the peer range is the whole major version 10; the repository pins a recent one
      .filter(([name, range]) => pkg.devDependencies[name] !== range)
      .map(([name, range]) => `peer ${name} ${range}, devDependency ${pkg.devDependencies[name] ?? 'missing'}`);
    expect(mismatched).toEqual([]);
    expect(pkg.devDependencies.constructs).toMatch(/^\^10\./);
  });

  test('main and types point to the compiled library', () => {
    expect(pkg.main).toBe('dist/lib/index.js');
    expect(pkg.types).toBe('dist/lib/index.d.ts');
    expect(pkg.scripts.prepack).toBe('npm run build'); // npm pack and npm publish ship a fresh build
  });
});

describe('README: "Use it in your own CDK app"', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  /** The snippets the README lacks, each named (jest would print the whole README for a failing toContain). */
  const missing = (snippets: { [what: string]: string }) =>
    Object.entries(snippets).filter(([, text]) => !readme.includes(text)).map(([what]) => `README lacks ${what}`);

  test.each([['app.ts', 'ts'], ['cdk.json', 'json']])('quotes test/package/fixtures/consumer-app/%s, the file the consumer test synthesizes', (file, lang) => {
    const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
    expect(missing({ [`a \`\`\`${lang} block equal to test/package/fixtures/consumer-app/${file}`]: `\`\`\`${lang}\n${text}\`\`\`` })).toEqual([]);
  });

  test('names the install command and each peer dependency with its range', () => {
    const peers = pkg.peerDependencies as { [name: string]: string };
    expect(missing({
      [`the install command with every peer`]: `npm install cdk-mlops-maturity ${Object.keys(peers).sort().join(' ')}`,
      ...Object.fromEntries(Object.entries(peers).map(([name, range]) => [`the peer ${name} ${range}`, `\`${name}\` \`${range}\``])),
    })).toEqual([]);
  });
});
