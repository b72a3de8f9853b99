import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { packageRoot } from './package-root';

/** Folder of a handler's TypeScript source: `lib/handlers/<name>/`. */
function handlerSourceDir(root: string, name: string): string {
  return path.join(root, 'lib', 'handlers', name);
}

/**
 * Folder of the code every handler may import (`lib/handlers/shared/`, no `index.ts`: not a handler itself); each
 * bundle includes what it uses, so it is part of every handler's source digest.
 */
const SHARED_HANDLER_CODE = 'shared';

/** Digest of the `.ts` files of the given folders (those that exist), in a stable order. */
export function sourceDigest(dirs: string[]): string {
  const hash = crypto.createHash('sha256');
  for (const dir of dirs.filter((d) => fs.existsSync(d))) {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
      hash.update(path.join(path.basename(dir), file));
      hash.update(fs.readFileSync(path.join(dir, file)));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Returns the folder holding the esbuild bundle of handler `name` (`index.js`, exporting `handler`).
 *
 * `npm run build` bundles every handler into `.handlers/<name>/`. When the bundle is missing or older than its
 * source (a developer edited the handler or the shared handler code), it is rebuilt here with esbuild, once, and cached.
 */
export function bundledHandlerDir(name: string): string {
  const root = packageRoot();
  const outDir = path.join(root, '.handlers', name);
  const stamp = path.join(outDir, 'SOURCE_DIGEST');
  const srcDir = handlerSourceDir(root, name);
  const hasSource = fs.existsSync(path.join(srcDir, 'index.ts'));
  if (!hasSource) {
    if (fs.existsSync(path.join(outDir, 'index.js'))) return outDir; // published package: bundles only
    throw new Error(`handler '${name}' has no source at ${srcDir} and no bundle at ${outDir}`);
  }
  const digest = sourceDigest([srcDir, handlerSourceDir(root, SHARED_HANDLER_CODE)]);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest && fs.existsSync(path.join(outDir, 'index.js'))) {
    return outDir;
  }
  bundleHandler(path.join(srcDir, 'index.ts'), outDir);
  fs.writeFileSync(stamp, digest);
  return outDir;
}

/** Bundles one handler entry point with esbuild (Node 20, CommonJS, minified, AWS SDK v3 included). */
export function bundleHandler(entry: string, outDir: string): void {
  // esbuild is a build-time dependency: loaded only when a bundle has to be made.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild');
  fs.mkdirSync(outDir, { recursive: true });
  esbuild.buildSync({
    entryPoints: [entry],
    outfile: path.join(outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'error',
  });
}

/** Lambda code for the bundled handler `name` (`lib/handlers/<name>/index.ts`); its handler is `index.handler`. */
export function handlerCode(name: string): lambda.Code {
  return lambda.Code.fromAsset(bundledHandlerDir(name), { exclude: ['SOURCE_DIGEST'] });
}
