import * as fs from 'fs';
import * as path from 'path';

/** The package root: the nearest folder above this file that holds package.json (works from lib/ and dist/lib/). */
export function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}
