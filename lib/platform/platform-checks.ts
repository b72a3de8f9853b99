import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { ScopedNagPack } from './private/scoped-checks';

/**
 * Adds the checks every template of the platform passes, cdk-nag's AwsSolutions and NIST 800-53 R5 packs, to the
 * resources under `scope` and nothing else: given a `Stage`, the stacks of that stage (nested stages included), not
 * the App's other stacks such as a CDK Pipelines stack; given the App, everything; given a stack, that stack.
 * An unacknowledged finding fails synth.
 *
 * The CloudFormation validator bundled in aws-cdk-lib is separate: it checks every stack of the App, whatever `scope`
 * is, and the context flag `@aws-cdk/core:validateAgainstDefaultRules` (set in this repository's `cdk.json`) makes
 * its findings fail synth.
 */
export function addPlatformChecks(scope: IConstruct): void {
  Validations.of(scope).addPlugins(
    new ScopedNagPack(new AwsSolutionsChecks(scope), scope),
    new ScopedNagPack(new NIST80053R5Checks(scope), scope),
  );
}
