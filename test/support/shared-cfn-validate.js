// `@aws/cloudformation-validate` as test files see it (jest.config.js `moduleNameMapper`): the one copy loaded per
// worker by test/support/test-environment.js, so its WebAssembly engine is set up once per worker, not once per file.
module.exports = globalThis.__sharedCloudFormationValidate;
