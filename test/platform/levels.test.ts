import { ALL_MATURITY_LEVELS } from '../../lib';
import { levelContext, synthPlatform } from '../support/platform-apps';

// Every level is synthesized once for this file (synthPlatform caches), with both cdk-nag packs and the
// CloudFormation validator as errors: the synth itself throws on any unacknowledged finding.

/**
 * Raising the level only adds: every resource of level N is present at level N+1 with the same logical id and type
 * (so nothing that holds data, or that users reach by name, is replaced or removed).
 */
describe('raising the level only adds resources', () => {
  const byLevel = ALL_MATURITY_LEVELS.map((level) => synthPlatform(levelContext(level)).templates);

  test.each(ALL_MATURITY_LEVELS.slice(0, -1))('level %i -> level %i+1 keeps every stack, logical id and type', (level) => {
    const lower = byLevel[level];
    const higher = byLevel[level + 1];
    const missing: string[] = [];
    for (const [stackName, template] of Object.entries(lower)) {
      const upper = higher[stackName];
      if (!upper) {
        missing.push(`stack ${stackName}`);
        continue;
      }
      for (const [logicalId, resource] of Object.entries<any>(template.Resources ?? {})) {
        const kept = upper.Resources?.[logicalId];
        if (!kept) missing.push(`${stackName}/${logicalId} (${resource.Type}) is gone`);
        else if (kept.Type !== resource.Type) missing.push(`${stackName}/${logicalId} changed type ${resource.Type} -> ${kept.Type}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('each level adds something', () => {
    const count = (templates: { [name: string]: any }) =>
      Object.values(templates).reduce((n, t: any) => n + Object.keys(t.Resources ?? {}).length, 0);
    const counts = byLevel.map(count);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]);
    expect(counts[1]).toBeGreaterThan(counts[0]);
  });

  test('stateful resources are retained at every level', () => {
    const stateful = ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::ECR::Repository', 'AWS::SageMaker::ModelPackageGroup',
      'AWS::CloudTrail::Trail', 'AWS::SageMaker::FeatureGroup', 'AWS::Logs::LogGroup'];
    const notRetained: string[] = [];
    byLevel.forEach((templates, level) => {
      for (const [stackName, template] of Object.entries<any>(templates)) {
        for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
          if (stateful.includes(r.Type) && r.DeletionPolicy !== 'Retain') notRetained.push(`level ${level} ${stackName}/${id} ${r.Type}`);
        }
      }
    });
    expect(notRetained).toEqual([]);
  });
});

/**
 * Snapshot of every stack at every level, with asset hashes normalized (test/support/asset-hash-serializer.js) so a
 * snapshot changes only when a template does. Every synth also passed both cdk-nag packs and the CloudFormation
 * validator (synthPlatform throws otherwise).
 */
describe.each(ALL_MATURITY_LEVELS)('level %i', (level) => {
  const { templates } = synthPlatform(levelContext(level));
  test.each(Object.keys(templates).sort())('stack %s matches its snapshot', (stackName) => {
    expect(templates[stackName]).toMatchSnapshot();
  });
});

/**
 * Errors from cdk-nag or the bundled CloudFormation validator make synthesis throw (see synthPlatform). Warnings do
 * not, so every warning that stays is listed here with the reason it stays; any other warning fails this test.
 */
const ACCEPTED_WARNINGS: { [ruleAndPath: string]: string } = {
};

describe.each(ALL_MATURITY_LEVELS)('level %i', (level) => {
  test('no validation warning beyond the accepted list', () => {
    const { warnings } = synthPlatform(levelContext(level));
    const unexpected = warnings
      .flatMap((w) => w.resources.map((r) => `${w.plugin}:${w.ruleName}:${r}`))
      .filter((key) => !Object.keys(ACCEPTED_WARNINGS).some((accepted) => key.startsWith(accepted)));
    expect(unexpected).toEqual([]);
  });
});
