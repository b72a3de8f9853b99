/** Jest runs the TypeScript sources through ts-jest without type-checking (isolatedModules);
 * `npm test` type-checks the whole project with `tsc --noEmit` first. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }] },
  snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.js'],
  testTimeout: 120000,
};
