import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/**
 * Adds the checks every template of the platform passes: cdk-nag's AwsSolutions and NIST 800-53 R5 packs.
 * Register on the App (or a Stage). Combine with the context flag `@aws-cdk/core:validateAgainstDefaultRules`
 * (set in `cdk.json`) so the CloudFormation validator bundled in aws-cdk-lib fails synth on template errors.
 */
export function addPlatformChecks(scope: IConstruct): void {
  Validations.of(scope).addPlugins(new AwsSolutionsChecks(scope), new NIST80053R5Checks(scope));
}
