import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { sourceArchive } from '../../lib/models/private/source-archive';

describe('sourceArchive', () => {
  test('a deterministic sourcedir.tar.gz with the files at its root', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'src-'));
    fs.writeFileSync(path.join(dir, 'train.py'), 'print("hi")\n');
    const first = sourceArchive(dir, ['train.py']);
    const again = sourceArchive(dir, ['train.py']);
    expect(again).toBe(first);
    const tar = zlib.gunzipSync(fs.readFileSync(first));
    expect(tar.subarray(0, 8).toString()).toBe('train.py');
    expect(tar.subarray(512, 512 + 12).toString()).toBe('print("hi")\n');
    fs.writeFileSync(path.join(dir, 'train.py'), 'print("changed")\n');
    expect(sourceArchive(dir, ['train.py'])).not.toBe(first);
  });
});
