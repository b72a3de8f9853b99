// Jest test environment (jest.config.js `testEnvironment`): Node's, plus one CloudFormation validator per worker.
//
// aws-cdk-lib's CloudFormation validator (`@aws/cloudformation-validate`, run at every synth of a checked app) is a
// 9 MB WebAssembly module whose first engine takes seconds of CPU to set up (compiling the module, loading the
// resource schemas into its memory). Jest gives every test file a fresh module registry, so every file that
// synthesized a checked app paid that again. Here the validator is loaded once per worker process, outside the test
// files' registries, and jest.config.js maps `@aws/cloudformation-validate` to test/support/shared-cfn-validate.js,
// which hands each file this shared module. Each file still creates its own engines (aws-cdk-lib's plugin does), with
// its own rules and results; they are freed when the file ends.
const path = require('path');
const v8 = require('v8');
const { TestEnvironment } = require('jest-environment-node');

// As bin/synth-gc.ts does for `cdk synth`: without concurrent marking, the validator engine each test file creates
// starts with about a hundred garbage collections instead of a thousand full ones over the worker's whole heap.
// MLOPS_SYNTH_DEFAULT_GC=1 keeps V8's defaults.
if (process.env.MLOPS_SYNTH_DEFAULT_GC !== '1') v8.setFlagsFromString('--no-concurrent-marking');

let shared;

/** The validator aws-cdk-lib bundles, loaded by Node itself (once per worker). */
function sharedValidator() {
  if (!shared) {
    const cdkRoot = path.dirname(require.resolve('aws-cdk-lib/package.json'));
    shared = require(require.resolve('@aws/cloudformation-validate', { paths: [cdkRoot] }));
  }
  return shared;
}

/**
 * The validator's API as a test file sees it. The module checks that configurations are plain objects of its own
 * realm, so what a test file passes in is copied into this realm first (JSON values only: rule sources, ids, flags).
 */
function validatorFor(engines) {
  const v = sharedValidator();
  const copy = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  const engineClass = (Base) => class {
    constructor(config) {
      this.engine = new Base(copy(config));
      engines.add(this.engine);
    }
    validateTemplate(template, config) { return this.engine.validateTemplate(template, copy(config)); }
    validateStandard(template, config) { return this.engine.validateStandard(template, copy(config)); }
    validateDetailed(template, config) { return this.engine.validateDetailed(template, copy(config)); }
    listRules() { return this.engine.listRules(); }
    engineName() { return this.engine.engineName(); }
    free() {
      if (engines.delete(this.engine)) this.engine.free();
    }
  };
  return {
    ...v,
    CompositeEngine: engineClass(v.CompositeEngine),
    RegoEngine: engineClass(v.RegoEngine),
    CelEngine: engineClass(v.CelEngine),
  };
}

class SharedValidatorEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.engines = new Set();
    let validator;
    // Read by test/support/shared-cfn-validate.js; loaded on first use only (most files never validate).
    Object.defineProperty(this.global, '__sharedCloudFormationValidate', {
      get: () => (validator ??= validatorFor(this.engines)),
    });
  }

  async teardown() {
    for (const engine of this.engines) engine.free();
    this.engines.clear();
    await super.teardown();
  }
}

module.exports = SharedValidatorEnvironment;
