import { App } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { checkedApp, ReportedViolation, synthAndCollectWarnings } from './checks';
import { buildPlatformApp } from '../../bin/platform-app';

/** The model package ARN the platform tests deploy from level 2 on. */
export const TEST_MODEL_PACKAGE_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/recommendation/1';

/** One synthesized platform app: its assembly and each stack's template by stack name. */
export interface SynthesizedPlatform {
  readonly app: App;
  readonly assembly: CloudAssembly;
  readonly templates: { [stackName: string]: any };
  /** Warnings left in the validation report (errors make synthesis throw). */
  readonly warnings: ReportedViolation[];
}

const cache = new Map<string, SynthesizedPlatform>();

/**
 * Builds the platform app the way `bin/mlops-platform.ts` does (same context reading, both cdk-nag packs, the
 * CloudFormation validator as errors) and synthesizes it once per context per test file.
 * Synthesis throws on any unacknowledged finding.
 */
export function synthPlatform(context: { [key: string]: unknown }): SynthesizedPlatform {
  const key = JSON.stringify(context);
  const cached = cache.get(key);
  if (cached) return cached;
  const app = checkedApp({ context: context as { [key: string]: any } });
  buildPlatformApp(app);
  const { assembly, warnings } = synthAndCollectWarnings(app);
  const templates: { [name: string]: any } = {};
  for (const stack of assembly.stacksRecursively) templates[stack.stackName] = stack.template;
  const result = { app, assembly, templates, warnings };
  cache.set(key, result);
  return result;
}

/** The context used for a level in the platform tests. */
export function levelContext(level: number): { [key: string]: unknown } {
  return level >= 2 ? { level, modelPackageArn: TEST_MODEL_PACKAGE_ARN } : { level };
}
