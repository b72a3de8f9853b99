import { spawn } from 'child_process';
import * as path from 'path';
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';

/**
 * Helpers to check the `cdk deploy` commands our CodeBuild projects run against a synthesized assembly with the real
 * CDK CLI (the `aws-cdk` devDependency), without AWS: `cdk ls --app <assembly dir>` reads the assembly as it is.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const CDK = path.join(ROOT, 'node_modules', '.bin', 'cdk');

/** One `cdk deploy` command found in a CodeBuild project's buildspec. */
export interface DeployCommand {
  /** Hierarchical id of the stack that holds the project. */
  readonly stack: string;
  /** Logical id of the `AWS::CodeBuild::Project`. */
  readonly project: string;
  /** The command line as the buildspec has it. */
  readonly command: string;
  /** The stack selectors after `cdk deploy`, unquoted. */
  readonly selectors: string[];
  /** The `-c key=value` arguments, unquoted (shell variables left as written, e.g. `$MODEL_PACKAGE_ARN`). */
  readonly context: { [key: string]: string };
  /** The other options (`--require-approval`, `--exclusively`, ...), as words. */
  readonly options: string[];
}

/** Every `cdk deploy` command in every CodeBuild project's buildspec, in every stack of the assembly (nested too). */
export function deployCommands(assembly: CloudAssembly): DeployCommand[] {
  const found: DeployCommand[] = [];
  for (const stack of assembly.stacksRecursively) {
    for (const [logicalId, resource] of Object.entries<any>(stack.template.Resources ?? {})) {
      if (resource.Type !== 'AWS::CodeBuild::Project') continue;
      for (const line of buildSpecLines(resource.Properties?.Source?.BuildSpec)) {
        const words = shellWords(line);
        const at = words.findIndex((w, i) => w === 'cdk' && words[i + 1] === 'deploy');
        if (at < 0) continue;
        found.push({ stack: stack.hierarchicalId, project: logicalId, command: line, ...parseDeployArgs(words.slice(at + 2)) });
      }
    }
  }
  return found;
}

/** The lines of every command in a buildspec (a JSON or YAML string; tokens left as `${Token}`). */
function buildSpecLines(buildSpec: unknown): string[] {
  if (buildSpec === undefined) return [];
  const text = typeof buildSpec === 'string' ? buildSpec : renderJoin(buildSpec);
  let commands: string[] = [];
  try {
    collectStrings(JSON.parse(text).phases, commands);
  } catch {
    // YAML: each list item is a command.
    commands = text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('- ')).map((l) => l.slice(2));
  }
  return commands.flatMap((c) => c.split('\n')).map((l) => l.trim()).filter((l) => l !== '');
}

function renderJoin(value: any): string {
  const join = value?.['Fn::Join'];
  if (!join) return JSON.stringify(value);
  return join[1].map((part: unknown) => (typeof part === 'string' ? part : '${Token}')).join(join[0]);
}

function collectStrings(node: unknown, out: string[]): void {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) node.forEach((n) => collectStrings(n, out));
  else if (node && typeof node === 'object') Object.values(node).forEach((n) => collectStrings(n, out));
}

/** Splits a command line into words the way bash does for quotes (`'...'`, `"..."`, `\`); no expansion. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      for (; line[j] !== '"'; j++) text += line[j] === '\\' ? line[++j] : line[j];
      word = (word ?? '') + text;
      i = j;
    } else if (c === '\\') {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === ';' || c === '&' || c === '|') {
      break; // the command ends here
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** `cdk deploy` arguments: positional selectors, `-c`/`--context key=value`, other options (with their values). */
function parseDeployArgs(args: string[]): Pick<DeployCommand, 'selectors' | 'context' | 'options'> {
  const selectors: string[] = [];
  const context: { [key: string]: string } = {};
  const options: string[] = [];
  const withValue = new Set(['--require-approval', '--progress', '--app', '-a', '--role-arn', '-r', '--concurrency', '--method', '-m']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-c' || a === '--context') {
      const [key, ...value] = args[++i].split('=');
      context[key] = value.join('=');
    } else if (a.startsWith('-')) {
      options.push(a);
      if (withValue.has(a)) options.push(args[++i]);
    } else {
      selectors.push(a);
    }
  }
  return { selectors, context, options };
}

/**
 * Runs the real `cdk ls <selectors>` on a synthesized assembly and returns the hierarchical ids it lists. Like
 * `cdk deploy` (without `--exclusively`), `cdk ls` adds the stacks the selected ones depend on; a selector that
 * matches nothing adds nothing (`cdk deploy` would stop with "No stacks match").
 */
export function cdkList(assemblyDir: string, selectors: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(CDK, ['ls', '--app', assemblyDir, '--no-notices', ...selectors], {
      cwd: ROOT,
      env: {
        ...process.env,
        CDK_DISABLE_CLI_TELEMETRY: 'true',
        // No AWS here: no credentials, and no instance-metadata look-up for them.
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`cdk ls ${selectors.join(' ')} exited with ${code}: ${stderr}`));
      // Each line is the hierarchical id, followed by ` (<stack name>)` when that differs from the artifact id.
      else resolve(stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '').map((l) => l.replace(/ \(.*\)$/, '')));
    });
  });
}

/**
 * `cdkList` for each selector on its own, at most `concurrency` CLI processes at a time: what each selector selects.
 */
export async function cdkListEach(assemblyDir: string, selectors: string[], concurrency = 2): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  const queue = [...new Set(selectors)];
  const worker = async (): Promise<void> => {
    for (let s = queue.shift(); s !== undefined; s = queue.shift()) result.set(s, (await cdkList(assemblyDir, [s])).sort());
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return result;
}

/**
 * The hierarchical ids of the stack with this id and of every stack it depends on, transitively: what `cdk ls` and
 * `cdk deploy` (without `--exclusively`) select for a selector that matches exactly that stack.
 */
export function withDependencies(assembly: CloudAssembly, hierarchicalId: string): string[] {
  const stacks = new Map(assembly.stacksRecursively.map((s) => [s.hierarchicalId, s]));
  const start = stacks.get(hierarchicalId);
  if (!start) throw new Error(`no stack '${hierarchicalId}' in the assembly: ${[...stacks.keys()].join(', ')}`);
  const seen = new Set<string>();
  const visit = (stack: CloudFormationStackArtifact): void => {
    if (seen.has(stack.hierarchicalId)) return;
    seen.add(stack.hierarchicalId);
    stack.dependencies.filter(CloudFormationStackArtifact.isCloudFormationStackArtifact).forEach(visit);
  };
  visit(start);
  return [...seen].sort();
}
