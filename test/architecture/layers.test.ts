import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  checkArchitecture, collectImports, ImportEdge, Layer, readLayerTable, sharedHelperUsers, SourceImports,
} from './import-graph';

const ROOT = path.join(__dirname, '..', '..');
const LAYERS = readLayerTable(fs.readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8'));

/**
 * Platform helpers that another change moves from the shared folder into `lib/platform/private/`; until then the
 * check treats them as if they were there already. Remove an entry once its file has moved (a test below fails
 * when the old path no longer exists, so that no stale entry stays behind).
 */
const PENDING_MOVES: { [from: string]: string } = {
};

/** The imports of lib/ and bin/, with the pending moves applied. */
function repositoryImports(): SourceImports {
  const source = collectImports(ROOT, ['lib', 'examples', 'bin']);
  const moved = (file: string) => PENDING_MOVES[file] ?? file;
  return {
    files: source.files.map(moved),
    edges: source.edges.map((e) => ({ file: moved(e.file), specifier: e.specifier, target: moved(e.target) })),
  };
}

describe('the repository', () => {
  const source = repositoryImports();

  test('has no folder cycle, no import up the layers of ARCHITECTURE.md and no import of another module\'s private/', () => {
    expect(checkArchitecture(source, LAYERS)).toEqual([]);
  });

  test('every folder the layer table names exists, and each folder is named once', () => {
    const named = LAYERS.flatMap((l) => l.folders);
    expect(named.filter((f) => !fs.existsSync(path.join(ROOT, f.replace(/\/\*$/, ''))))).toEqual([]);
    expect(named.filter((f, i) => named.indexOf(f) !== i)).toEqual([]);
  });

  test('every helper in the shared lib/private/ serves two folders at least (else it belongs in its module\'s private/)', () => {
    const users = sharedHelperUsers(source, 'lib/private');
    const lonely = [...users].filter(([, folders]) => folders.size < 2).map(([file, folders]) => `${file}: ${[...folders].join(', ') || 'unused'}`);
    expect(lonely).toEqual([]);
    expect(users.size).toBeGreaterThan(0);
  });

  test('the pending moves are still pending (remove an entry of PENDING_MOVES once its file has moved)', () => {
    expect(Object.keys(PENDING_MOVES).filter((from) => !fs.existsSync(path.join(ROOT, from)))).toEqual([]);
  });
});

describe('the checker', () => {
  const layers: Layer[] = readLayerTable([
    '| layer | folders | what |',
    '|---|---|---|',
    '| 0 | `lib/handlers/shared/` | shared handler code |',
    '| 1 | `lib/handlers/*/` | handlers |',
    '| 2 | `lib/core/` `lib/private/` | bottom |',
    '| 3 | `lib/a/` | module a |',
    '| 4 | `lib/b/` | module b |',
    '| 5 | `lib/c/` | module c |',
  ].join('\n'));
  const edge = (file: string, specifier: string): ImportEdge => ({
    file, specifier, target: `${path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier))}.ts`,
  });
  const graph = (...edges: ImportEdge[]): SourceImports => ({ files: [...new Set(edges.flatMap((e) => [e.file, e.target]))], edges });

  test('reads the rows of the layer table, bottom first, with several folders and wildcards', () => {
    expect(layers.map((l) => l.folders)).toEqual([
      ['lib/handlers/shared'], ['lib/handlers/*'], ['lib/core', 'lib/private'], ['lib/a'], ['lib/b'], ['lib/c'],
    ]);
  });

  test('accepts imports down the layers, into the own private/ folder and into the shared lib/private/', () => {
    expect(checkArchitecture(graph(
      edge('lib/c/x.ts', '../b/y'),
      edge('lib/c/x.ts', '../core/z'),
      edge('lib/b/y.ts', './private/helper'),
      edge('lib/b/private/helper.ts', '../y'),
      edge('lib/b/private/helper.ts', '../../private/validate'),
      edge('lib/handlers/retrain/index.ts', '../shared/limits'),
    ), layers)).toEqual([]);
  });

  test('reports a cycle between folders, naming the folders and the imports along it', () => {
    const problems = checkArchitecture(graph(
      edge('lib/a/x.ts', '../b/y'),
      edge('lib/b/y.ts', '../c/z'),
      edge('lib/c/z.ts', '../a/x'),
    ), layers);
    expect(problems).toContain("folder cycle lib/a -> lib/b -> lib/c -> lib/a (lib/a/x.ts imports '../b/y'; lib/b/y.ts imports '../c/z'; "
      + "lib/c/z.ts imports '../a/x')");
  });

  test('names every folder of a knot of cycles, with one cycle through it', () => {
    const problems = checkArchitecture(graph(
      edge('lib/a/x.ts', '../b/y'),
      edge('lib/b/y.ts', '../a/x'),
      edge('lib/b/y.ts', '../c/z'),
      edge('lib/c/z.ts', '../b/y'),
    ), layers);
    expect(problems.filter((p) => p.startsWith('folder cycle'))).toEqual([
      "folder cycle lib/a -> lib/b -> lib/a (lib/a/x.ts imports '../b/y'; lib/b/y.ts imports '../a/x'; lib/c is caught in it too)",
    ]);
  });

  test('reports a cycle that runs through a module\'s private/ folder (it belongs to its module)', () => {
    const problems = checkArchitecture(graph(
      edge('lib/a/x.ts', '../b/y'),
      edge('lib/b/private/helper.ts', '../../a/x'),
    ), layers);
    expect(problems.filter((p) => p.startsWith('folder cycle'))).toEqual([
      "folder cycle lib/a -> lib/b -> lib/a (lib/a/x.ts imports '../b/y'; lib/b/private/helper.ts imports '../../a/x')",
    ]);
  });

  test('reports an import up the layers and one sideways into its own layer, naming the file and the import', () => {
    expect(checkArchitecture(graph(edge('lib/a/x.ts', '../c/z')), layers)).toEqual([
      "lib/a/x.ts imports '../c/z': layer 3 (lib/a/) may not import a higher layer, layer 5 (lib/c/)",
    ]);
    expect(checkArchitecture(graph(edge('lib/core/x.ts', '../private/validate')), layers)).toEqual([
      "lib/core/x.ts imports '../private/validate': layer 2 (lib/core/) may not import a folder of its own layer, layer 2 (lib/private/)",
    ]);
  });

  test('reports an import of another module\'s private/ folder, even down the layers', () => {
    expect(checkArchitecture(graph(edge('lib/c/x.ts', '../a/private/helper')), layers)).toEqual([
      "lib/c/x.ts imports '../a/private/helper': lib/a/private/ is private to lib/a/",
    ]);
  });

  test('reports a handler that imports anything but the shared handler code', () => {
    expect(checkArchitecture(graph(edge('lib/handlers/retrain/index.ts', '../../private/validate')), layers)).toEqual([
      "lib/handlers/retrain/index.ts imports '../../private/validate': layer 1 (lib/handlers/retrain/) may not import a higher layer, layer 2 (lib/private/)",
    ]);
    expect(checkArchitecture(graph(edge('lib/handlers/retrain/index.ts', '../shift/index')), layers)).toEqual([
      "lib/handlers/retrain/index.ts imports '../shift/index': layer 1 (lib/handlers/retrain/) may not import a folder of its own layer, layer 1 (lib/handlers/shift/)",
    ]);
  });

  test('reports a folder that no row of the table names', () => {
    expect(checkArchitecture({ files: ['lib/d/x.ts'], edges: [] }, layers)).toEqual([
      'folder lib/d/ is in no row of the layer table (ARCHITECTURE.md)',
    ]);
  });

  test('finds shared helpers with fewer than two user folders, following imports between shared helpers', () => {
    const users = sharedHelperUsers(graph(
      edge('lib/a/x.ts', '../private/one'),
      edge('lib/b/y.ts', '../private/one'),
      edge('lib/a/x.ts', '../private/two'),
      edge('lib/private/one.ts', './three'),
    ), 'lib/private');
    expect([...users].map(([f, u]) => [f, [...u].sort()])).toEqual([
      ['lib/private/one.ts', ['lib/a', 'lib/b']],
      ['lib/private/two.ts', ['lib/a']],
      ['lib/private/three.ts', ['lib/a', 'lib/b']],
    ]);
  });

  test('collects type-only imports, re-exports and folder imports from source files', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
    try {
      const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), text);
      };
      write('lib/core/kind.ts', 'export enum Kind { A = "A" }\n');
      write('lib/a/index.ts', 'export * from "./x";\n');
      write('lib/a/x.ts', "import type { Kind } from '../core/kind';\nexport type { Kind };\nexport { Kind as K2 } from '../core/kind';\n");
      write('lib/b/y.ts', "// import { nothing } from '../c/commented';\nimport { Kind } from '../a';\nexport const k: Kind | undefined = undefined;\n");
      write('lib/b/y.d.ts', "import '../c/declarations-are-skipped';\n");
      expect(collectImports(root, ['lib'])).toEqual({
        files: ['lib/a/index.ts', 'lib/a/x.ts', 'lib/b/y.ts', 'lib/core/kind.ts'],
        edges: [
          { file: 'lib/a/index.ts', specifier: './x', target: 'lib/a/x.ts' },
          { file: 'lib/a/x.ts', specifier: '../core/kind', target: 'lib/core/kind.ts' },
          { file: 'lib/a/x.ts', specifier: '../core/kind', target: 'lib/core/kind.ts' },
          { file: 'lib/b/y.ts', specifier: '../a', target: 'lib/a/index.ts' },
        ],
      });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
