import { ALL_MATURITY_LEVELS } from '../../lib';
import { levelContext, synthPlatform } from '../support/platform-apps';

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
