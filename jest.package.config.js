/**
 * `npm run test:package`: the tests `npm test` leaves out (jest.config.js PACKAGE_TESTS), with the same settings.
 * CI (.ci/run) runs it after `npm test`; run it by hand before a release or after changing package.json's `files`,
 * dependencies or the build.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: base.PACKAGE_TESTS,
};
