import * as fs from 'fs';
import * as path from 'path';
import { bundledHandlerDir, sourceDigest } from '../../lib/private/handler-code';

/** The Lambda bundles the constructs deploy: built by esbuild from lib/handlers/<name>/, cached by source digest. */
describe('bundledHandlerDir', () => {
  test.each(['retrain', 'champion-challenger', 'shift-variant-weights'])('%s bundles into one CommonJS file exporting handler, AWS SDK included', (name) => {
    const dir = bundledHandlerDir(name);
    const bundle = path.join(dir, 'index.js');
    // The SDK v3 client is inside the bundle (hundreds of KiB), not resolved from the Lambda runtime.
    expect(fs.statSync(bundle).size).toBeGreaterThan(300 * 1024);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(typeof require(bundle).handler).toBe('function');
    expect(fs.readFileSync(path.join(dir, 'SOURCE_DIGEST'), 'utf8')).toMatch(/^[0-9a-f]{16}$/);
  });

  test('a bundle is reused while its sources are unchanged', () => {
    const bundle = path.join(bundledHandlerDir('retrain'), 'index.js');
    const before = fs.statSync(bundle).mtimeMs;
    bundledHandlerDir('retrain');
    expect(fs.statSync(bundle).mtimeMs).toBe(before);
  });

  test('an unknown handler is one clear error', () => {
    expect(() => bundledHandlerDir('no-such-handler')).toThrow(/handler 'no-such-handler' has no source at .*lib\/handlers\/no-such-handler and no bundle/);
  });
});

describe('sourceDigest', () => {
  test('changes when a file of any given folder changes (a handler and the shared handler code)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const os = require('os');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'digest-'));
    const handler = path.join(root, 'retrain');
    const shared = path.join(root, 'shared');
    fs.mkdirSync(handler);
    fs.mkdirSync(shared);
    fs.writeFileSync(path.join(handler, 'index.ts'), 'export const a = 1;');
    fs.writeFileSync(path.join(shared, 'fit-text.ts'), 'export const b = 1;');
    const before = sourceDigest([handler, shared]);
    expect(sourceDigest([handler, shared])).toBe(before);
    fs.writeFileSync(path.join(shared, 'fit-text.ts'), 'export const b = 2;');
    expect(sourceDigest([handler, shared])).not.toBe(before);
    expect(sourceDigest([handler, path.join(root, 'missing')])).toMatch(/^[0-9a-f]{16}$/);
  });
});
