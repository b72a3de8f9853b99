import { ALL_MATURITY_LEVELS } from '../../lib';
import { RULES_SKIPPED_BY_CDK, skippedRuleFindings } from '../support/checks';
import { templateInventory } from '../support/inventory';
import { pipelineDefinitionOf } from '../support/pipeline-definition';
import { levelContext, synthPlatform } from '../support/platform-apps';

// Every level is synthesized once for this file (synthPlatform caches), with both cdk-nag packs and the
// CloudFormation validator as errors: the synth itself throws on any unacknowledged finding. Level 4 first: it has
// every resource type of the lower levels, so aws-cdk-lib's validator sets its rule engine up once for all of them.
[...ALL_MATURITY_LEVELS].reverse().forEach((level) => synthPlatform(levelContext(level)));

/** Resources that hold data or that users reach by name. */
const STATEFUL_TYPES = ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::ECR::Repository', 'AWS::SageMaker::ModelPackageGroup',
  'AWS::CloudTrail::Trail', 'AWS::SageMaker::FeatureGroup', 'AWS::Logs::LogGroup'];

/**
 * Raising the level only adds: every resource of level N is present at level N+1 with the same logical id and type
 * (so nothing that holds data, or that users reach by name, is replaced or removed).
 */
describe('raising the level only adds resources', () => {
  const byLevel = ALL_MATURITY_LEVELS.map((level) => synthPlatform(levelContext(level)).templates);

  test.each(ALL_MATURITY_LEVELS.slice(0, -1).map((level) => [level, level + 1]))('level %i -> level %i keeps every stack, logical id and type', (level) => {
    const lower = byLevel[level];
    const higher = byLevel[level + 1];
    const missing: string[] = [];
    for (const [stackName, template] of Object.entries(lower)) {
      const upper = higher[stackName];
      if (!upper) {
        missing.push(`stack ${stackName}`);
        continue;
      }
      for (const [logicalId, resource] of Object.entries<any>(template.Resources ?? {})) {
        const kept = upper.Resources?.[logicalId];
        if (!kept) missing.push(`${stackName}/${logicalId} (${resource.Type}) is gone`);
        else if (kept.Type !== resource.Type) missing.push(`${stackName}/${logicalId} changed type ${resource.Type} -> ${kept.Type}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('each level adds something', () => {
    const count = (templates: { [name: string]: any }) =>
      Object.values(templates).reduce((n, t: any) => n + Object.keys(t.Resources ?? {}).length, 0);
    const counts = byLevel.map(count);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]);
    expect(counts[1]).toBeGreaterThan(counts[0]);
  });

  test('stateful resources are retained at every level', () => {
    const notRetained: string[] = [];
    byLevel.forEach((templates, level) => {
      for (const [stackName, template] of Object.entries<any>(templates)) {
        for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
          if (STATEFUL_TYPES.includes(r.Type) && r.DeletionPolicy !== 'Retain') notRetained.push(`level ${level} ${stackName}/${id} ${r.Type}`);
        }
      }
    });
    expect(notRetained).toEqual([]);
  });
});

/**
 * A reviewable snapshot of every stack at every level: its inventory (test/support/inventory.ts), one line per
 * resource with its type, DeletionPolicy/UpdateReplacePolicy and the properties that matter for safety, one line per
 * policy statement (actions, `*` or scoped, conditions), and the stack's exports. Whole templates are not
 * snapshotted: they are mostly aws-cdk-lib's own rendering, rewritten by every aws-cdk-lib upgrade, and too long to
 * review. Every synth also passed both cdk-nag packs and the CloudFormation validator (synthPlatform throws otherwise).
 */
describe.each(ALL_MATURITY_LEVELS)('level %i', (level) => {
  const { templates } = synthPlatform(levelContext(level));
  test.each(Object.keys(templates).sort())('stack %s: inventory', (stackName) => {
    expect(templateInventory(templates[stackName])).toMatchSnapshot();
  });
});

/**
 * The one whole document kept as a snapshot: the pipeline definition SageMaker runs (its own JSON, written by
 * lib/pipeline/definition, not by aws-cdk-lib), which an inventory cannot summarize: step order, inputs, outputs,
 * the condition on the metric and what each step passes on. CloudFormation references in it are written as
 * `<Ref:...>`, `<Fn::ImportValue:...>` (test/support/pipeline-definition.ts); asset hashes are masked.
 */
describe('the SageMaker pipeline definition', () => {
  const definitionAt = (level: number) => pipelineDefinitionOf(synthPlatform(levelContext(level)).templates['Mlops-recommendation-Training']);

  test('level 2: preprocess, train, evaluate, baseline, then register or fail on accuracy', () => {
    expect(definitionAt(2)).toMatchSnapshot();
  });

  test('level 3 runs the level-2 definition unchanged', () => {
    expect(definitionAt(3)).toEqual(definitionAt(2));
  });

  test('level 4: tuning instead of a single training job', () => {
    expect(definitionAt(4)).toMatchSnapshot();
  });
});

/**
 * What the inventories do not show: a stateful resource (data, keys, the registry, the trail, logs) kept at the
 * next level is the very same resource, every property included, so raising the level neither replaces nor modifies
 * it. If a level ever has to change one, narrow this to the properties whose change replaces the resource.
 */
describe('stateful resources are unchanged when the level rises', () => {
  test.each(ALL_MATURITY_LEVELS.slice(0, -1).map((level) => [level, level + 1]))('level %i -> level %i', (level) => {
    const lower = synthPlatform(levelContext(level)).templates;
    const higher = synthPlatform(levelContext(level + 1)).templates;
    const changed: string[] = [];
    for (const [stackName, template] of Object.entries<any>(lower)) {
      for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
        const kept = higher[stackName]?.Resources?.[id];
        if (STATEFUL_TYPES.includes(r.Type) && kept && JSON.stringify(kept) !== JSON.stringify(r)) changed.push(`${stackName}/${id} (${r.Type})`);
      }
    }
    expect(changed).toEqual([]);
  });
});

/**
 * Errors from cdk-nag or the bundled CloudFormation validator make synthesis throw (see synthPlatform). Warnings do
 * not, so every warning that stays is listed here with the reason it stays; any other warning fails this test.
 */
const ACCEPTED_WARNINGS: { [ruleAndPath: string]: string } = {
};

describe.each(ALL_MATURITY_LEVELS)('level %i', (level) => {
  test('no validation warning beyond the accepted list', () => {
    const { warnings } = synthPlatform(levelContext(level));
    const unexpected = warnings
      .flatMap((w) => w.resources.map((r) => `${w.plugin}:${w.ruleName}:${r}`))
      .filter((key) => !Object.keys(ACCEPTED_WARNINGS).some((accepted) => key.startsWith(accepted)));
    expect(unexpected).toEqual([]);
  });
});

/**
 * aws-cdk-lib's validation plugin leaves some rules of the engine it bundles out of every report: W3005 (a DependsOn
 * that a Ref or GetAtt already implies) and W9013 (an account id written literally in an ARN). They are run here
 * with the same engine. Ours are fixed (a resource waits for its role's policies, not for the role it references);
 * each finding that stays is listed with the reason, keyed by rule and construct path.
 */
const LAMBDA_ROLE = 'aws-cdk-lib\'s lambda.Function makes its CfnFunction depend on the whole role construct it is given '
  + '(the role and its policies), so DependsOn also names the role its Role property already references; only the policy '
  + 'entries are needed, and the function has no option to leave the role out';
const MODEL_PACKAGE_ARN_INPUT = 'the model package ARN is the deployment\'s input (-c modelPackageArn), written as given: it '
  + 'names the account of the registry that holds the package, which need not be the serving stack\'s account, so '
  + 'AWS::AccountId cannot stand in for it';
const ACCEPTED_SKIPPED_RULE_FINDINGS: { [ruleAndPath: string]: string } = {
  'W3005 Mlops/recommendation-Training/MlCode/Pipeline/Resource': 'aws-cdk-lib\'s codepipeline.Pipeline makes its CfnPipeline '
    + 'depend on its role construct (role and default policy), so DependsOn repeats the role its RoleArn references',
  'W3005 Mlops/recommendation-Training/DeployOnApproval/Pipeline/Resource': 'aws-cdk-lib\'s codepipeline.Pipeline makes its '
    + 'CfnPipeline depend on its role construct (role and default policy), so DependsOn repeats the role its RoleArn references',
  'W3005 Mlops/recommendation-Training/DeployOnApproval/StartDeployment/Resource': 'aws-cdk-lib\'s sfn.StateMachine makes its '
    + 'CfnStateMachine depend on its role construct (role and policy), so DependsOn repeats the role its RoleArn references',
  'W3005 Mlops/recommendation-Training/DeployOnApproval/RejectFailedDeployment/Resource': 'aws-cdk-lib\'s sfn.StateMachine makes '
    + 'its CfnStateMachine depend on its role construct (role and policy), so DependsOn repeats the role its RoleArn references',
  'W3005 Mlops/recommendation-Serving/Retraining/Handler/Resource': LAMBDA_ROLE,
  'W3005 Mlops/recommendation-Training/ChampionChallenger/Handler/Resource': LAMBDA_ROLE,
  'W3005 Mlops/recommendation-Serving/AWS679f53fac002430cb0da5b7982bd2287/Resource': `the provider function of aws-cdk-lib's `
    + `AwsCustomResource (a singleton lambda.Function given the baselines provider role): ${LAMBDA_ROLE}`,
  'W3005 Mlops/recommendation-Serving/ModelGuard/Function/Resource': LAMBDA_ROLE,
  'W9013 Mlops/recommendation-Serving/Baselines/DescribeModelPackage/Resource/Default': MODEL_PACKAGE_ARN_INPUT,
  'W9013 Mlops/recommendation-Serving/ModelGuard/Resource/Default': MODEL_PACKAGE_ARN_INPUT,
};

describe('rules aws-cdk-lib\'s plugin skips (W3005, W9013)', () => {
  const byLevel = ALL_MATURITY_LEVELS.map((level) => {
    const { app, assembly } = synthPlatform(levelContext(level));
    return skippedRuleFindings(app, assembly, RULES_SKIPPED_BY_CDK);
  });

  test.each(ALL_MATURITY_LEVELS)('level %i: no finding beyond the accepted list', (level) => {
    expect(byLevel[level].filter((finding) => !(finding in ACCEPTED_SKIPPED_RULE_FINDINGS))).toEqual([]);
  });

  test('every accepted finding still occurs at some level (no stale entry)', () => {
    const seen = new Set(byLevel.flat());
    expect(Object.keys(ACCEPTED_SKIPPED_RULE_FINDINGS).filter((key) => !seen.has(key))).toEqual([]);
  });
});
