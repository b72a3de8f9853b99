import { App, Names, Stack, Stage } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { displayPath, displayUniqueId, showStacksAsSiblings } from '../../lib/private/display-path';

/** A chain of plain constructs with these ids under `scope`; returns the last one. */
function chain(scope: Construct, ...ids: string[]): Construct {
  return ids.reduce((parent, id) => new Construct(parent, id), scope);
}

/** The same construct paths in the App, in a Stage and in a root stack. */
function roots(): Construct[] {
  const app = new App();
  return [app, new Stage(app, 'Prod'), new Stack(undefined, 'RootStack')];
}

/** Construct ids that exercise aws-cdk-lib's unique-id rules: hidden ids, repeated ids, non-alphanumerics, length. */
const PATHS: string[][] = [
  ['Solo'],
  ['My-Stack'],
  ['Stack', 'Default'],
  ['Stack', 'Bucket', 'Resource'],
  ['Stack', 'Default', 'Resource'],
  ['Stack', 'Rule', 'RuleAllow', 'Allow'],
  ['Stack', 'Endpoint', 'Scaling AllTraffic', 'Invocations.Per-Instance'],
  ['Stack', 'x'.repeat(200), 'y'.repeat(100)],
  ['z'.repeat(300)],
];

describe('displayUniqueId outside a platform', () => {
  test.each(PATHS.map((ids) => [ids.join('/').slice(0, 60), ids]))('%s: equals Names.uniqueId in the App, a Stage and a root stack', (_name, ids) => {
    for (const root of roots()) {
      const construct = chain(root, ...(ids as string[]));
      expect(displayUniqueId(construct)).toEqual(Names.uniqueId(construct));
      expect(displayPath(construct)).toEqual(construct.node.path);
    }
  });

  test('with child ids: equals Names.uniqueId of that child once it exists', () => {
    const parent = chain(new App(), 'Stack', 'Endpoint', 'ScalingAllTraffic');
    const expected = displayUniqueId(parent, 'InvocationsPerInstance');
    expect(expected).toEqual(Names.uniqueId(new Construct(parent, 'InvocationsPerInstance')));
  });
});

describe('displayUniqueId and displayPath in a marked owner', () => {
  /** The construct at `Mlops/<stack>/<ids>` (owner marked) and the same one at `Mlops-<stack>/<ids>` (siblings). */
  function both(scope: (app: App) => Construct, stackId: string, ...ids: string[]): [IConstruct, IConstruct] {
    const ownedApp = new App();
    const owner = new Construct(scope(ownedApp), 'Mlops');
    showStacksAsSiblings(owner);
    const owned = chain(new Stack(owner, stackId), ...ids);
    const siblingApp = new App();
    const sibling = chain(new Stack(scope(siblingApp), `Mlops-${stackId}`), ...ids);
    return [owned, sibling];
  }

  test.each([
    ['the App', (app: App) => app],
    ['a Stage', (app: App) => new Stage(app, 'Prod')],
    ['a nested Stage', (app: App) => new Stage(new Stage(app, 'Outer'), 'Prod')],
  ])('in %s: what Names.uniqueId and node.path gave the stack\'s sibling shape', (_where, scope) => {
    for (const ids of [[], ['DeployOnApproval'], ['Retraining', 'AlarmRule'], ['Endpoint', 'ScalingAllTraffic', 'Resource']]) {
      const [owned, sibling] = both(scope, 'recommendation-Training', ...ids);
      expect(displayUniqueId(owned)).toEqual(Names.uniqueId(sibling));
      expect(displayUniqueId(owned)).not.toEqual(Names.uniqueId(owned));
      expect(displayPath(owned)).toEqual(sibling.node.path);
    }
  });

  test('only stacks directly in the owner are joined to it', () => {
    const app = new App();
    const owner = new Construct(app, 'Mlops');
    showStacksAsSiblings(owner);
    const plain = chain(owner, 'Group', 'Thing');
    expect(displayPath(plain)).toEqual('Mlops/Group/Thing');
    expect(displayUniqueId(plain)).toEqual(Names.uniqueId(plain));
  });
});
