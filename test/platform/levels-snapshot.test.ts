import { ALL_MATURITY_LEVELS } from '../../lib';
import { levelContext, synthPlatform } from '../support/platform-apps';

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
