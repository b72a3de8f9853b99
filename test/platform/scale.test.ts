import { App } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { benchPlatform } from '../../scripts/bench-models';
import { CHECKED_CONTEXT } from '../support/checks';

/**
 * Issue 11 item 5: 20 models on one level-4 platform stay clear of CloudFormation's per-template limits (500
 * resources, 200 outputs, 200 parameters, 1 MB template body) by at least 20% in every stack.
 *
 * The app is synthesized ONCE, with cdk.json's feature flags (strong cross-stack references among them, which decide
 * the data stack's exports) but without cdk-nag and the bundled CloudFormation validator: the limits are structural
 * (counts and sizes of the synthesized templates), and the checks themselves run on the same stacks in
 * test/platform/platform-models.test.ts and levels.test.ts. Validating 41 templates would add minutes, not coverage.
 */
const MODELS = 20;
const LIMITS = { resources: 500, outputs: 200, parameters: 200, bytes: 1024 * 1024 };
const HEADROOM = 0.8;

const started = Date.now();
const app = new App({ context: { ...CHECKED_CONTEXT, '@aws-cdk/core:validateAgainstDefaultRules': false } });
const platform = benchPlatform(app, MODELS);
const assembly: CloudAssembly = app.synth();
const synthSeconds = (Date.now() - started) / 1000;

interface StackSize { readonly stack: string; readonly resources: number; readonly outputs: number; readonly parameters: number; readonly bytes: number }
const sizes: StackSize[] = assembly.stacks.map((s) => ({
  stack: s.stackName,
  resources: Object.keys(s.template.Resources ?? {}).length,
  outputs: Object.keys(s.template.Outputs ?? {}).length,
  parameters: Object.keys(s.template.Parameters ?? {}).length,
  // The template body CloudFormation receives: the file cdk writes (JSON with one-space indentation).
  bytes: Buffer.byteLength(JSON.stringify(s.template, undefined, 1)),
}));

describe(`${MODELS} models on one level-4 platform`, () => {
  test('synthesizes a training and a serving stack per model beside the shared data and governance stacks', () => {
    expect(Object.keys(platform.trainingStacks)).toHaveLength(MODELS);
    expect(sizes.map((s) => s.stack).sort()).toEqual([
      'Mlops-Data', 'Mlops-Governance',
      ...platform.models.flatMap((m) => [`Mlops-${m.name}-Serving`, `Mlops-${m.name}-Training`]),
    ].sort());
    // The three example kinds alternate, so every kind is in the count.
    expect(platform.models.map((m) => m.name).slice(0, 4)).toEqual(['recommendation1', 'churn2', 'ltv3', 'recommendation4']);
    const max = (key: keyof typeof LIMITS) => Math.max(...sizes.map((s) => s[key]));
    console.log(`synth of ${MODELS} models at level 4 (no cdk-nag, no validator): ${synthSeconds.toFixed(1)} s; per-stack maxima: `
      + `${max('resources')} resources, ${max('outputs')} outputs, ${max('parameters')} parameters, ${(max('bytes') / 1024).toFixed(1)} KiB`);
  });

  test.each(Object.keys(LIMITS) as (keyof typeof LIMITS)[])('every stack stays below 80%% of the CloudFormation limit on %s', (key) => {
    const ceiling = LIMITS[key] * HEADROOM;
    const over = sizes.filter((s) => s[key] >= ceiling).map((s) => `${s.stack}: ${s[key]} ${key} (ceiling ${ceiling})`);
    expect(over).toEqual([]);
  });

  test('the shared stacks grow with the models, and nothing else does', () => {
    const size = (stack: string) => sizes.find((s) => s.stack === stack)!;
    // The data stack holds every model's dataset prefix and feature group, governance every model's people policies.
    expect(size('Mlops-Data').resources).toBeGreaterThan(MODELS * 2);
    // Per-model stacks of the same kind are the same size whatever their position: no model carries another's cost.
    const training = (kind: string) => sizes.filter((s) => s.stack.match(new RegExp(`^Mlops-${kind}\\d+-Training$`))).map((s) => s.resources);
    for (const kind of ['recommendation', 'churn', 'ltv']) expect(new Set(training(kind)).size).toBe(1);
  });
});
