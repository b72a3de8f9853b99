import { collectReferences, renderPipelineValue } from './render';
import { MISSING_ROLE } from './step-render';
import type { PipelineParameter } from '../parameter';
import type { Step } from '../step';

/** Every step of the definition, branches of condition steps included, with the condition that holds it. */
export function flattenSteps(steps: Step[]): { step: Step; parent?: Step }[] {
  const out: { step: Step; parent?: Step }[] = [];
  const walk = (list: Step[], parent?: Step) => {
    for (const step of list) {
      out.push({ step, parent });
      walk(step._children(), step);
    }
  };
  walk(steps);
  return out;
}

/**
 * Checks the step graph: names, references to steps, properties, parameters and property files, DependsOn, cycles
 * and roles. Returns one line per problem, naming the step, the reference and what was expected.
 */
export function checkGraph(steps: Step[], parameters: PipelineParameter[], roleKnown: boolean): string[] {
  const errors: string[] = [];
  const flat = flattenSteps(steps);
  const byName = new Map<string, Step>();
  const seen = new Set<Step>();
  for (const { step } of flat) {
    errors.push(...step._validate());
    if (seen.has(step)) {
      errors.push(`step '${step.name}': appears more than once in the definition; a step may be listed only once`);
      continue;
    }
    seen.add(step);
    if (byName.has(step.name)) errors.push(`step '${step.name}': name is used by another step; step names must be unique`);
    else byName.set(step.name, step);
  }
  const declared = new Map<string, PipelineParameter>();
  for (const p of parameters) {
    if (declared.has(p.name)) errors.push(`parameter '${p.name}': declared more than once`);
    declared.set(p.name, p);
  }
  const stepList = [...byName.keys()].map((n) => `'${n}'`).join(', ');

  const edges = new Map<Step, Set<Step>>();
  const addEdge = (from: Step, to: Step) => {
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)!.add(to);
  };
  for (const { step, parent } of flat) {
    if (parent) addEdge(step, parent);
    for (const dep of step.dependsOn) {
      if (byName.get(dep.name) !== dep) {
        errors.push(`step '${step.name}': DependsOn names step '${dep.name}', which is not in the definition (steps: ${stepList})`);
      } else {
        addEdge(step, dep);
      }
    }
    const json = step._render({ roleArn: roleKnown ? 'known' : undefined, renderStep: () => ({}) });
    if (JSON.stringify(renderPipelineValue(stripNested(json))).includes(MISSING_ROLE)) {
      errors.push(`step '${step.name}': has no role to run its job with; give the step a role, or render the definition with one (TrainingPipeline does)`);
    }
    for (const ref of collectReferences(stripNested(json))) {
      if (ref.kind === 'parameter') {
        if (!declared.has(ref.name)) {
          const names = [...declared.keys()].map((n) => `'${n}'`).join(', ') || 'none';
          errors.push(`step '${step.name}': reads parameter '${ref.name}', which is not declared in the definition's parameters (declared: ${names})`);
        }
        continue;
      }
      const target = byName.get(ref.stepName);
      const what = ref.kind === 'step' ? `property Steps.${ref.stepName}.${ref.path}` : `Std:JsonGet on property file '${ref.fileName}' of step '${ref.stepName}'`;
      if (!target || (ref.step !== undefined && ref.step !== target)) {
        errors.push(`step '${step.name}': ${what} points at step '${ref.stepName}', which is not in the definition (steps: ${stepList})`);
        continue;
      }
      if (ref.kind === 'step') {
        const root = ref.path.split(/[.[]/)[0];
        const roots = target._propertyRoots();
        if (!roots.includes(root)) {
          errors.push(`step '${step.name}': ${what} reads '${root}', which a ${target.stepType} step does not have (it has: ${roots.join(', ') || 'no properties'})`);
        }
      } else {
        const files = target._propertyFileNames();
        if (!files.includes(ref.fileName)) {
          const has = files.length > 0 ? `declares only ${files.map((f) => `'${f}'`).join(', ')}` : 'declares no property files';
          errors.push(`step '${step.name}': Std:JsonGet reads property file '${ref.fileName}' of step '${ref.stepName}', which ${has}`);
        }
      }
      addEdge(step, target);
    }
  }
  errors.push(...findCycles(edges));
  return errors;
}

/** A condition step's own JSON, without the steps of its branches (they are checked on their own). */
function stripNested(json: any): any {
  if (json.Type !== 'Condition') return json;
  return { ...json, Arguments: { ...json.Arguments, IfSteps: [], ElseSteps: [] } };
}

function findCycles(edges: Map<Step, Set<Step>>): string[] {
  const errors: string[] = [];
  const state = new Map<Step, 'visiting' | 'done'>();
  const path: Step[] = [];
  const visit = (step: Step) => {
    state.set(step, 'visiting');
    path.push(step);
    for (const next of edges.get(step) ?? []) {
      const s = state.get(next);
      if (s === 'visiting') {
        const cycle = [...path.slice(path.indexOf(next)), next].map((x) => x.name).join(' -> ');
        errors.push(`step '${step.name}': depends on itself through ${cycle} (DependsOn and property references must not form a cycle)`);
      } else if (s === undefined) {
        visit(next);
      }
    }
    path.pop();
    state.set(step, 'done');
  };
  for (const step of edges.keys()) if (!state.has(step)) visit(step);
  return errors;
}
