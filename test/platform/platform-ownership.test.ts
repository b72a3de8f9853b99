import { App, Aspects, CfnResource, IAspect, Stack, Stage, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { recommendationModel } from '../../examples/recommendation/model';
import { DataStore, MaturityLevel, MlopsPlatform } from '../../lib';
import { CHECKED_CONTEXT } from '../support/checks';
import { TEST_MODEL_PACKAGE_ARN } from '../support/platform-apps';

/**
 * The platform owns its stacks, like any construct its children: `Tags.of(platform)` and Aspects applied to the
 * platform reach every resource of every stack. One level-4 app (every stack, every resource type the platform makes),
 * synthesized once; the checks are not run (test/platform/levels.test.ts runs them at every level).
 */
const app = new App({
  context: { ...CHECKED_CONTEXT, 'aws:cdk:version-reporting': false } as { [key: string]: any },
  builtinCloudFormationValidation: false,
});
const platform = new MlopsPlatform(app, 'Mlops', { level: MaturityLevel.AUTONOMOUS, models: [recommendationModel()], modelPackageArn: TEST_MODEL_PACKAGE_ARN });
const stacks = [platform.dataStack, platform.trainingStacks.recommendation, platform.servingStacks.recommendation, platform.governanceStack!];

Tags.of(platform).add('team', 'ml');
// The reference for "taggable": a tag added to each stack itself, which reached every taggable resource before the
// stacks became the platform's children. Whatever aws-cdk-lib tags for it, the platform's tag must reach too.
for (const stack of stacks) Tags.of(stack).add('reference', 'stack');

/** Every CloudFormation resource an Aspect on the platform visits, as `<stack name>/<logical id>`. */
const visited = new Set<string>();
class RecordResources implements IAspect {
  public visit(node: IConstruct): void {
    if (CfnResource.isCfnResource(node)) visited.add(`${node.stack.stackName}/${node.stack.resolve(node.logicalId)}`);
  }
}
Aspects.of(platform).add(new RecordResources());

const assembly = app.synth();
const templates = stacks.map((s) => ({ stackName: s.stackName, template: assembly.getStackByName(s.stackName).template }));

/**
 * The value of tag `key` in a resource's template, wherever the resource type keeps its tags: a `Tags` property (or
 * another property ending in `Tags`) as a list of `{ Key, Value }` or as a map.
 */
function tagValue(resource: any, key: string): string | undefined {
  for (const [name, value] of Object.entries<any>(resource.Properties ?? {})) {
    if (!/Tags$/.test(name) || value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      const tag = value.find((t) => t?.Key === key);
      if (tag) return tag.Value;
    } else if (key in value) {
      return value[key];
    }
  }
  return undefined;
}

describe('a level-4 platform owns its stacks', () => {
  test('it has the four stacks as its children', () => {
    const children = platform.node.children.filter(Stack.isStack);
    expect(children).toHaveLength(4);
    for (const stack of stacks) expect(children).toContain(stack);
    expect(assembly.stacks.map((s) => s.hierarchicalId).sort())
      .toEqual(['Mlops/Data', 'Mlops/Governance', 'Mlops/recommendation-Serving', 'Mlops/recommendation-Training']);
  });

  test('Tags.of(platform) tags every taggable resource of every stack', () => {
    const untagged: string[] = [];
    const taggedTypes = new Set<string>();
    for (const { stackName, template } of templates) {
      const taggable = Object.entries<any>(template.Resources).filter(([, r]) => tagValue(r, 'reference') === 'stack');
      // Each stack has taggable resources (the reference is not vacuous).
      expect({ stackName, taggable: taggable.length > 0 }).toEqual({ stackName, taggable: true });
      for (const [id, r] of taggable) {
        taggedTypes.add(r.Type);
        if (tagValue(r, 'team') !== 'ml') untagged.push(`${stackName}/${id} (${r.Type})`);
      }
    }
    expect(untagged).toEqual([]);
    // What a stateful, secured ML platform is made of is among them.
    expect([...taggedTypes]).toEqual(expect.arrayContaining(['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::ECR::Repository',
      'AWS::SageMaker::Pipeline', 'AWS::SageMaker::Endpoint', 'AWS::SageMaker::FeatureGroup', 'AWS::Lambda::Function',
      'AWS::IAM::Role', 'AWS::CloudTrail::Trail', 'AWS::CodePipeline::Pipeline']));
  });

  test('an Aspect applied to the platform visits every resource of every stack', () => {
    const all = templates.flatMap(({ stackName, template }) => Object.keys(template.Resources).map((id) => `${stackName}/${id}`));
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter((r) => !visited.has(r))).toEqual([]);
  });

  /**
   * Descriptions name a construct by the path it had when the stacks were the platform's siblings
   * (`Mlops-recommendation-Serving/Endpoint/Role`): an IAM managed policy's description cannot change, so a new one
   * would replace every policy on upgrade.
   */
  test('descriptions keep the paths of the stacks as siblings', () => {
    const descriptions = templates.flatMap(({ template }) => Object.values<any>(template.Resources)
      .map((r) => r.Properties?.Description ?? r.Properties?.AlarmDescription).filter((d) => typeof d === 'string'));
    expect(descriptions.filter((d: string) => d.includes('Mlops/'))).toEqual([]);
    expect(descriptions).toContain('Least-privilege permissions of Mlops-recommendation-Serving/Endpoint/Role');
    expect(descriptions).toContain('Encrypts the model artifacts store Mlops-Data/Artifacts');
  });
});

test('in a nested Stage, descriptions keep the stage path and the sibling stack id', () => {
  const platform = new MlopsPlatform(new Stage(new Stage(new App(), 'EuWest'), 'Prod'), 'Mlops', { level: MaturityLevel.AD_HOC });
  Template.fromStack(platform.dataStack).hasResourceProperties('AWS::KMS::Key', {
    Description: 'Encrypts the model artifacts store EuWest/Prod/Mlops-Data/Artifacts',
  });
  Template.fromStack(platform.dataStack).resourcePropertiesCountIs('AWS::KMS::Key', { Description: Match.stringLikeRegexp('Mlops/') }, 0);
});

test('a building block in a stack of its own is described by its construct path', () => {
  const stack = new Stack(new Stage(new App(), 'Dev'), 'Team');
  new DataStore(stack, 'Artifacts', { purpose: 'model artifacts' });
  Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', { Description: 'Encrypts the model artifacts store Dev/Team/Artifacts' });
});
