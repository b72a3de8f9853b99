import { App, Stage, StageSynthesisOptions } from 'aws-cdk-lib';

/**
 * Jest setup (jest.config.js `setupFiles`): the CloudFormation validator aws-cdk-lib bundles runs at every synth of an
 * App, but its errors fail synthesis only when the app sets `@aws-cdk/core:validateAgainstDefaultRules` (cdk.json
 * does, so `checkedApp()`, `CHECKED_CONTEXT` and the platform tests run it as errors). In any other App (the
 * `new Stack()` of a unit test, whose implicit App has no context) aws-cdk-lib downgrades every finding to a warning
 * that no test reads, yet pays for the validator's WebAssembly engine: several seconds of CPU per test file. Such
 * synths skip it, as `CDK_VALIDATION=false` does; synths of apps with the flag are untouched.
 */
const VALIDATE_FLAG = '@aws-cdk/core:validateAgainstDefaultRules';
const synth = Stage.prototype.synth;

Stage.prototype.synth = function synthSkippingUncheckedValidation(this: Stage, options?: StageSynthesisOptions) {
  const flag = this.node.tryGetContext(VALIDATE_FLAG);
  if (!App.isApp(this) || flag === true || flag === 'true' || process.env.CDK_VALIDATION !== undefined) {
    return synth.call(this, options);
  }
  process.env.CDK_VALIDATION = 'false';
  try {
    return synth.call(this, options);
  } finally {
    delete process.env.CDK_VALIDATION;
  }
};
