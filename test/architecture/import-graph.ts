import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** One relative import of our code: `file` imports `specifier`, which resolves to `target` (paths from the repo root). */
export interface ImportEdge {
  /** The importing file, e.g. `lib/data/data-store.ts`. */
  readonly file: string;
  /** The specifier as written, e.g. `'../private/validate'`. */
  readonly specifier: string;
  /** The imported file, e.g. `lib/private/validate.ts` (a folder import resolves to its `index.ts`). */
  readonly target: string;
}

/** The source files of some folders and their relative imports. */
export interface SourceImports {
  /** Every source file, paths from the repo root (its folder is a node even when it imports nothing). */
  readonly files: string[];
  /** Every relative import of those files. */
  readonly edges: ImportEdge[];
}

/** One row of the layer table: the folders of one layer, lowest layer first. */
export interface Layer {
  /** Position in the table, 0 = bottom. */
  readonly index: number;
  /** Folders from the repo root without the trailing slash; `lib/handlers/*` matches every direct sub-folder. */
  readonly folders: string[];
}

/**
 * Reads the layer table of ARCHITECTURE.md: the Markdown table whose first header cell is `layer`; each row names its
 * folders in backticks (`` `lib/core/` ``) in the second cell. Rows are bottom first.
 */
export function readLayerTable(markdown: string): Layer[] {
  const lines = markdown.split('\n');
  const header = lines.findIndex((l) => /^\|\s*layer\s*\|/i.test(l));
  if (header < 0) throw new Error("ARCHITECTURE.md has no table whose first column is 'layer'");
  const layers: Layer[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const folders = [...(cells[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/\/+$/, ''));
    if (folders.length === 0) throw new Error(`layer table row names no folder in backticks: ${line}`);
    layers.push({ index: layers.length, folders });
  }
  return layers;
}

/** The `.ts` files (no `.d.ts`) below `dir`, paths from `root`, in a stable order. */
function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(child);
    }
  };
  walk(dir);
  return out;
}

/**
 * Every relative import (`import`, `import type`, `export ... from`, `import x = require()`, dynamic `import()`) of the
 * `.ts` files below the given folders, resolved to a file. Package imports (`aws-cdk-lib`, ...) are left out.
 */
export function collectImports(root: string, dirs: string[]): SourceImports {
  const files = dirs.flatMap((d) => sourceFiles(root, d));
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(path.join(root, file), 'utf8'), true, true);
    for (const ref of info.importedFiles) {
      const specifier = ref.fileName;
      if (!specifier.startsWith('./') && !specifier.startsWith('../') && specifier !== '.' && specifier !== '..') continue;
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      const candidates = [`${base}.ts`, `${base}/index.ts`];
      const target = candidates.find((c) => fs.existsSync(path.join(root, c)));
      if (!target) throw new Error(`${file}: cannot resolve import '${specifier}'`);
      edges.push({ file, specifier, target });
    }
  }
  return { files, edges };
}

/**
 * The node a folder belongs to in the folder graph: a module's `private/` folder belongs to its module
 * (`lib/pipeline/definition/private` -> `lib/pipeline/definition`); the shared `lib/private` is a node of its own.
 */
export function folderNode(folder: string): string {
  const parts = folder.split('/');
  const at = parts.indexOf('private', 2);
  return at < 0 ? folder : parts.slice(0, at).join('/');
}

/** The module that owns a private folder (`lib/delivery/private/x` -> `lib/delivery`), or undefined when not private. */
function privateOwner(folder: string): string | undefined {
  const parts = folder.split('/');
  const at = parts.indexOf('private', 2);
  return at < 0 ? undefined : parts.slice(0, at).join('/');
}

/** Layer index of a node: an exact row wins over a `*` row. */
function layerOf(node: string, layers: Layer[]): number | undefined {
  const exact = layers.find((l) => l.folders.includes(node));
  if (exact) return exact.index;
  const wild = layers.find((l) => l.folders.some((f) => f.endsWith('/*') && path.posix.dirname(node) === f.slice(0, -2)));
  return wild?.index;
}

/** Folder-level edges: node -> node -> the first import that makes the edge (for the message). */
export function folderGraph(source: SourceImports): Map<string, Map<string, ImportEdge>> {
  const graph = new Map<string, Map<string, ImportEdge>>();
  for (const file of source.files) {
    const node = folderNode(path.posix.dirname(file));
    if (!graph.has(node)) graph.set(node, new Map());
  }
  for (const edge of source.edges) {
    const from = folderNode(path.posix.dirname(edge.file));
    const to = folderNode(path.posix.dirname(edge.target));
    if (!graph.has(from)) graph.set(from, new Map());
    if (!graph.has(to)) graph.set(to, new Map());
    if (from !== to && !graph.get(from)!.has(to)) graph.get(from)!.set(to, edge);
  }
  return graph;
}

/** A group of folders that all reach each other, and one cycle through them (first node repeated at the end). */
export interface FolderCycle {
  /** Every folder of the group (a strongly connected component of the folder graph), sorted. */
  readonly folders: string[];
  /** The shortest cycle from the group's first folder back to itself. */
  readonly cycle: string[];
}

/** The folder cycles of a graph: one entry per group of folders that reach each other. */
export function folderCycles(graph: Map<string, Map<string, ImportEdge>>): FolderCycle[] {
  // Tarjan's strongly connected components; every component of more than one node holds a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of [...graph.get(v)!.keys()].sort()) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
      if (component.length > 1) components.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  // One concrete cycle per component: the shortest path from its first node back to itself, inside the component.
  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0];
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0 && !previous.has(start)) {
      const v = queue.shift()!;
      for (const w of [...graph.get(v)!.keys()].sort()) {
        if (!members.has(w) || previous.has(w)) continue;
        previous.set(w, v);
        queue.push(w);
      }
    }
    const cycle = [start];
    for (let v = previous.get(start)!; v !== start; v = previous.get(v)!) cycle.unshift(v);
    return { folders: [...component].sort(), cycle: [start, ...cycle] };
  });
}

/**
 * Everything that breaks the documented layering, one line each:
 * - a folder that no row of the table names;
 * - a cycle between folders (named, with the import that makes each step);
 * - an import that goes up the layers or sideways into another folder of the same layer (file and import named);
 * - an import of another module's `private/` folder (file and import named).
 */
export function checkArchitecture(source: SourceImports, layers: Layer[]): string[] {
  const problems: string[] = [];
  const graph = folderGraph(source);
  for (const node of [...graph.keys()].sort()) {
    if (layerOf(node, layers) === undefined) problems.push(`folder ${node}/ is in no row of the layer table (ARCHITECTURE.md)`);
  }
  for (const { folders, cycle } of folderCycles(graph)) {
    const steps = cycle.slice(0, -1).map((from, i) => {
      const edge = graph.get(from)!.get(cycle[i + 1])!;
      return `${edge.file} imports '${edge.specifier}'`;
    });
    const others = folders.filter((f) => !cycle.includes(f));
    const more = others.length > 0 ? `; ${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} caught in it too` : '';
    problems.push(`folder cycle ${cycle.join(' -> ')} (${steps.join('; ')}${more})`);
  }
  for (const edge of source.edges) {
    const fromFolder = path.posix.dirname(edge.file);
    const toFolder = path.posix.dirname(edge.target);
    const from = folderNode(fromFolder);
    const to = folderNode(toFolder);
    const owner = privateOwner(toFolder);
    if (owner !== undefined && owner !== from) {
      problems.push(`${edge.file} imports '${edge.specifier}': ${toFolder}/ is private to ${owner}/`);
      continue;
    }
    if (from === to) continue;
    const a = layerOf(from, layers);
    const b = layerOf(to, layers);
    if (a === undefined || b === undefined || b < a) continue;
    const where = b === a ? 'a folder of its own layer' : 'a higher layer';
    problems.push(`${edge.file} imports '${edge.specifier}': layer ${a} (${from}/) may not import ${where}, layer ${b} (${to}/)`);
  }
  return problems;
}

/**
 * The folders that use each file of a shared helper folder (`lib/private`): those importing it directly, or through
 * other files of that folder. A helper used by fewer than two folders belongs in its one user's `private/` folder.
 */
export function sharedHelperUsers(source: SourceImports, sharedFolder: string): Map<string, Set<string>> {
  const inShared = (file: string) => path.posix.dirname(file) === sharedFolder;
  const importers = new Map<string, ImportEdge[]>();
  for (const edge of source.edges) importers.set(edge.target, [...(importers.get(edge.target) ?? []), edge]);
  const users = new Map<string, Set<string>>();
  for (const file of source.files.filter(inShared)) {
    const found = new Set<string>();
    const seen = new Set([file]);
    const queue = [file];
    while (queue.length > 0) {
      for (const edge of importers.get(queue.shift()!) ?? []) {
        if (!inShared(edge.file)) found.add(folderNode(path.posix.dirname(edge.file)));
        else if (!seen.has(edge.file)) { seen.add(edge.file); queue.push(edge.file); }
      }
    }
    users.set(file, found);
  }
  return users;
}
