import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps, CfnElement, Validations } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';

/**
 * The context every test app gets: cdk.json's, so tests run the same CloudFormation validation and feature flags as
 * `npx cdk synth` (`@aws-cdk/core:validateAgainstDefaultRules` among them).
 */
export const CHECKED_CONTEXT: { [key: string]: unknown } = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context;

/**
 * An App with cdk-nag's AwsSolutions and NIST 800-53 R5 packs and the bundled CloudFormation validator turned into
 * errors. `app.synth()` throws with the full report when anything is not acknowledged.
 */
export function checkedApp(props: AppProps = {}): App {
  const app = new App({ ...props, context: { ...CHECKED_CONTEXT, ...(props.context ?? {}) } as { [key: string]: any } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  return app;
}

/** One violation as written in the validation report. */
export interface ReportedViolation {
  readonly plugin: string;
  readonly ruleName: string;
  readonly severity: string;
  readonly resources: string[];
}

/**
 * Synthesizes (throws on any unacknowledged error) and returns the warnings the validators left in
 * `validation-report.json`, so a test can list each one with the reason it stays.
 */
export function synthAndCollectWarnings(app: App): { assembly: CloudAssembly; warnings: ReportedViolation[] } {
  const assembly = app.synth();
  const warnings: ReportedViolation[] = [];
  const file = path.join(assembly.directory, 'validation-report.json');
  if (fs.existsSync(file)) {
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    collect(report, warnings);
  }
  return { assembly, warnings };
}

function collect(node: any, out: ReportedViolation[], plugin = ''): void {
  if (Array.isArray(node)) {
    node.forEach((n) => collect(n, out, plugin));
    return;
  }
  if (!node || typeof node !== 'object') return;
  const pluginName = node.pluginName ?? node.summary?.pluginName ?? plugin;
  if (Array.isArray(node.violations)) {
    for (const v of node.violations) {
      if (String(v.severity ?? '').toLowerCase() === 'warning') {
        out.push({
          plugin: pluginName,
          ruleName: v.ruleName,
          severity: v.severity,
          resources: (v.violatingResources ?? v.violatingConstructs ?? []).map((r: any) => r.resourceLogicalId ?? r.constructPath ?? JSON.stringify(r)),
        });
      }
    }
  }
  for (const [k, v] of Object.entries(node)) {
    if (k !== 'violations' && typeof v === 'object') collect(v, out, pluginName);
  }
}

/**
 * Rules of the CloudFormation validator that aws-cdk-lib's validation plugin leaves out of every report (its
 * `IGNORE_RULES`), among them W3005 (a DependsOn that a Ref or GetAtt already implies) and W9013 (an account id
 * written literally in an ARN). {@link skippedRuleFindings} runs them with the same bundled engine.
 */
export const RULES_SKIPPED_BY_CDK = ['W3005', 'W9013'];

/**
 * Runs the validator engine aws-cdk-lib bundles on every template of `app` for `ruleIds` only, and returns each
 * finding as `<rule> <construct path>` (the path of the resource the finding is about), sorted and deduplicated.
 */
export function skippedRuleFindings(app: App, assembly: CloudAssembly, ruleIds: string[] = RULES_SKIPPED_BY_CDK): string[] {
  const validator = bundledValidator();
  const pathOf = new Map<string, string>();
  for (const c of app.node.findAll()) {
    if (c instanceof CfnElement) pathOf.set(`${c.stack.artifactId} ${c.stack.resolve(c.logicalId)}`, c.node.path);
  }
  // One engine for every call in a test file: setting one up costs more than validating the templates.
  skippedRulesEngine ??= new validator.CompositeEngine({});
  const engine = skippedRulesEngine;
  const found = new Set<string>();
  for (const stack of assembly.stacksRecursively) {
    const file = path.join(assembly.directory, stack.templateFile);
    const account = /^\d{12}$/.test(stack.environment.account) ? stack.environment.account : undefined;
    const region = /^[a-z]{2}(-[a-z]+)+-\d$/.test(stack.environment.region) ? stack.environment.region : undefined;
    const report = engine.validateTemplate(new validator.TemplateContent(fs.readFileSync(file, 'utf8'), file), {
      detailLevel: 'STANDARD', severityLevel: 'INFO', include: { ids: ruleIds },
      pseudoParameterOverrides: { ...(account ? { accountId: account } : {}), ...(region ? { region } : {}) },
    });
    for (const d of report.diagnostics) {
      if (!ruleIds.includes(d.ruleId)) continue;
      const id = d.entity?.logicalId;
      found.add(`${d.ruleId} ${id ? pathOf.get(`${stack.id} ${id}`) ?? `${stack.id}/${id}` : stack.id}`);
    }
  }
  return [...found].sort();
}

let skippedRulesEngine: any;

/** The CloudFormation validator aws-cdk-lib bundles (resolved from there; jest shares one per worker). */
function bundledValidator(): any {
  const enginePath = require.resolve('@aws/cloudformation-validate', { paths: [path.dirname(require.resolve('aws-cdk-lib/package.json'))] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(enginePath);
}
