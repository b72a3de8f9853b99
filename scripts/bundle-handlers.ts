import * as fs from 'fs';
import * as path from 'path';
import { bundledHandlerDir } from '../lib/private/handler-code';

/**
 * `npm run build` step: bundles every Lambda handler in `lib/handlers/<name>/index.ts` with esbuild into
 * `.handlers/<name>/index.js`, the folder `handlerCode(name)` deploys.
 */
const handlersDir = path.resolve(__dirname, '..', 'lib', 'handlers');
for (const name of fs.readdirSync(handlersDir).sort()) {
  if (!fs.existsSync(path.join(handlersDir, name, 'index.ts'))) continue;
  const dir = bundledHandlerDir(name);
  const kib = fs.statSync(path.join(dir, 'index.js')).size / 1024;
  console.log(`bundled ${name}: ${path.relative(process.cwd(), dir)}/index.js (${kib.toFixed(0)} KiB)`);
}
