/** Jest runs the TypeScript sources through ts-jest without type-checking (isolatedModules);
 * `npm test` type-checks the whole project with `tsc --noEmit` first. */

const os = require('os');

/**
 * Test files `npm test` leaves to `npm run test:package` (jest.package.config.js), which CI (.ci/run) runs after it:
 * the consumer-install test packs, installs and compiles the package in a fresh app (a minute and more of CPU).
 */
const PACKAGE_TESTS = ['<rootDir>/test/package/consumer-install.test.ts'];

const config = {
  // Node's environment, with aws-cdk-lib's CloudFormation validator loaded once per worker, not once per test file.
  testEnvironment: '<rootDir>/test/support/test-environment.js',
  moduleNameMapper: { '(^|/)@aws/cloudformation-validate(/index\\.js)?$': '<rootDir>/test/support/shared-cfn-validate.js' },
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...PACKAGE_TESTS.map((file) => file.replace(/\./g, '\\.'))],
  transform: { '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }] },
  // Unit-test apps without cdk.json's validation flag skip the validator whose findings they would only downgrade.
  setupFiles: ['<rootDir>/test/support/unchecked-apps-skip-validator.ts'],
  snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.js'],
  testTimeout: 120000,
  // Jest's default is one worker less than the cores: on a 2-core machine one worker, running every file in band
  // while the other core idles (the CLI and Python tests wait on their child processes). Two workers at least.
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
};

module.exports = config;
// For jest.package.config.js (not a jest option: exported beside the config, not in it).
Object.defineProperty(module.exports, 'PACKAGE_TESTS', { value: PACKAGE_TESTS, enumerable: false });
