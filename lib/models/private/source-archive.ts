import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

/**
 * Writes a deterministic `sourcedir.tar.gz` of the given files of `dir` (what SageMaker script mode expects in
 * `sagemaker_submit_directory`) and returns its path. Same files, same bytes: the archive's asset hash changes only
 * when a script does. Files are stored at the archive root with mode 0644 and mtime 0.
 */
export function sourceArchive(dir: string, fileNames: string[]): string {
  const blocks: Buffer[] = [];
  for (const name of [...fileNames].sort()) {
    const data = fs.readFileSync(path.join(dir, name));
    blocks.push(tarHeader(name, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  const gz = zlib.gzipSync(Buffer.concat(blocks), { level: 9 });
  const digest = crypto.createHash('sha256').update(gz).digest('hex').slice(0, 16);
  const outDir = path.join(os.tmpdir(), 'cdk-mlops-maturity-sources', digest);
  const out = path.join(outDir, 'sourcedir.tar.gz');
  if (!fs.existsSync(out)) {
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(out, gz);
  }
  return out;
}

function tarHeader(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`source file name must be at most 100 bytes, got '${name}'`);
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => header.write(value, offset, length, 'ascii');
  const octal = (offset: number, length: number, value: number) => field(offset, length, value.toString(8).padStart(length - 1, '0') + '\0');
  field(0, 100, name);
  octal(100, 8, 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, 0);
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of header) sum += byte;
  field(148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return header;
}
