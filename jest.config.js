/** Jest runs the TypeScript sources through ts-jest without type-checking (isolatedModules);
 * `npm test` type-checks the whole project with `tsc --noEmit` first. */
module.exports = {
  // Node's environment, with aws-cdk-lib's CloudFormation validator loaded once per worker, not once per test file.
  testEnvironment: '<rootDir>/test/support/test-environment.js',
  moduleNameMapper: { '(^|/)@aws/cloudformation-validate(/index\\.js)?$': '<rootDir>/test/support/shared-cfn-validate.js' },
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }] },
  // Unit-test apps without cdk.json's validation flag skip the validator whose findings they would only downgrade.
  setupFiles: ['<rootDir>/test/support/unchecked-apps-skip-validator.ts'],
  snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.js'],
  testTimeout: 120000,
};
