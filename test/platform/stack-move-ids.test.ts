import { recommendationModel } from '../../examples/recommendation/model';
import { App, Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MaturityLevel, MlopsPlatform } from '../../lib';
import { childPath } from '../../lib/platform/private/stack-placement';
import { TEST_MODEL_PACKAGE_ARN } from '../support/platform-apps';

/**
 * Moving the platform's stacks under the platform (issue 10) replaces nothing: each stack keeps its name, every
 * logical id and every property (names, Sids, descriptions) it had when the stacks were the platform's siblings. The
 * sibling shape is built here as the platform built it before: each stack created in the platform's scope with id
 * `<platform id>-<name>`. Only the `cdk deploy` selectors in the delivery pipelines' buildspecs differ (they are the
 * construct paths, which is the point of the move); they are masked, and checked separately.
 * No checks run here: test/platform/levels.test.ts runs cdk-nag and the validator on the same templates.
 */
type Shape = 'children' | 'siblings';

/** The platform at `level`, in the App or in `new Stage(app, 'Prod')`, with its stacks in `shape`. */
function synth(level: MaturityLevel, shape: Shape, inStage: boolean): { [stackName: string]: any } {
  const app = new App({ context: { 'aws:cdk:version-reporting': false } });
  const scope: Construct = inStage ? new Stage(app, 'Prod') : app;
  const spy = shape === 'siblings'
    ? jest.spyOn(MlopsPlatform.prototype as any, 'placement').mockImplementation(function siblingPlacement(this: any, name: unknown) {
      const id = `${this.node.id}-${name}`;
      return { scope: this.node.scope, id, stackName: undefined, selector: childPath(this.node.scope, id) };
    })
    : undefined;
  try {
    new MlopsPlatform(scope, 'Mlops', { level, models: [recommendationModel()], modelPackageArn: TEST_MODEL_PACKAGE_ARN });
  } finally {
    spy?.mockRestore();
  }
  const templates: { [stackName: string]: any } = {};
  for (const stack of app.synth().stacksRecursively) templates[stack.stackName] = stack.template;
  return templates;
}

const SELECTOR = /npx cdk deploy '([^']*)'/g;

/** Every `cdk deploy` selector in a template. */
function selectors(template: any): string[] {
  return [...JSON.stringify(template).matchAll(SELECTOR)].map((m) => m[1]);
}

/** Every leaf of `a` and `b` that differs, as `path: a -> b`, with the `cdk deploy` selectors masked. */
function differences(a: any, b: any, path: string): string[] {
  if (typeof a === 'string' && typeof b === 'string') {
    const mask = (s: string) => s.replace(SELECTOR, 'npx cdk deploy \'<selector>\'');
    return mask(a) === mask(b) ? [] : [`${path}: ${a} -> ${b}`];
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) {
    return a === b ? [] : [`${path}: ${JSON.stringify(a)} -> ${JSON.stringify(b)}`];
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.flatMap((key) => differences(a[key], b[key], `${path}/${key}`));
}

const CASES: [MaturityLevel, string][] = [
  [MaturityLevel.PRODUCTIONIZATION, 'the App'],
  [MaturityLevel.MONITORING_AND_GOVERNANCE, 'the App'],
  [MaturityLevel.AUTONOMOUS, 'the App'],
  [MaturityLevel.AUTONOMOUS, 'a Stage'],
];

describe.each(CASES)('level %i, platform in %s: stacks as its children', (level, where) => {
  const inStage = where === 'a Stage';
  const siblings = synth(level, 'siblings', inStage);
  const children = synth(level, 'children', inStage);

  test('keep every stack name, logical id, name, Sid and other property they had as its siblings', () => {
    expect(Object.keys(children).sort()).toEqual(Object.keys(siblings).sort());
    const changed = Object.keys(siblings).flatMap((stackName) => differences(siblings[stackName], children[stackName], stackName));
    expect(changed).toEqual([]);
  });

  test('only the cdk deploy selectors change, to the construct paths under the platform', () => {
    const prefix = inStage ? 'Prod/' : '';
    const training = inStage ? 'Prod-Mlops-recommendation-Training' : 'Mlops-recommendation-Training';
    expect(selectors(siblings[training])).toEqual([`${prefix}Mlops-recommendation-Training`, `${prefix}Mlops-recommendation-Serving`]);
    expect(selectors(children[training])).toEqual([`${prefix}Mlops/recommendation-Training`, `${prefix}Mlops/recommendation-Serving`]);
  });
});
