import { App, CfnOutput, CfnParameter, CfnWaitConditionHandle, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ImageScope } from '../../../lib/pipeline/images/image-scope';
import { PrebuiltImage } from '../../../lib/pipeline/images/prebuilt-image';
import { ManagedPolicyRole } from '../../../lib/private/managed-policy-role';
import { checkedApp, synthAndCollectWarnings } from '../../support/checks';

function stackIn(region?: string): Stack {
  const stack = new Stack(new App(), 'Images', region ? { env: { account: '111122223333', region } } : {});
  // A template needs one resource; the images themselves add none.
  new CfnWaitConditionHandle(stack, 'Placeholder');
  return stack;
}

/** Puts a URI into the template the way a job or model would reference it. */
function use<T extends { imageUri: string }>(stack: Stack, id: string, config: T): T {
  new CfnOutput(stack, id, { value: config.imageUri });
  return config;
}

describe('PrebuiltImage in a stack with a concrete region', () => {
  test.each([
    ['sklearn 1.2-1 training', PrebuiltImage.sklearn('1.2-1'), '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3'],
    ['sklearn default', PrebuiltImage.sklearn(), '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3'],
    ['sklearn 1.4-2 training', PrebuiltImage.sklearn('1.4-2', ImageScope.TRAINING), '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.4-2-cpu-py3'],
    ['sklearn 1.0-1 inference', PrebuiltImage.sklearn('1.0-1', ImageScope.INFERENCE), '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.0-1-cpu-py3'],
    ['xgboost 1.7-1', PrebuiltImage.xgboost('1.7-1'), '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1'],
    ['xgboost 1.0-1 (cpu-py3 tag)', PrebuiltImage.xgboost('1.0-1'), '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.0-1-cpu-py3'],
    ['xgboost 1 (legacy registry)', PrebuiltImage.xgboost('1'), '811284229777.dkr.ecr.us-east-1.amazonaws.com/xgboost:1'],
    ['model monitor (untagged)', PrebuiltImage.modelMonitor(), '156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer'],
    ['clarify', PrebuiltImage.clarify(), '205585389593.dkr.ecr.us-east-1.amazonaws.com/sagemaker-clarify-processing:1.0'],
  ])('%s in us-east-1', (_name, image, uri) => {
    const stack = stackIn('us-east-1');
    const config = use(stack, 'Image', image.bind(stack));
    expect(config.imageUri).toBe(uri);
    expect(config.account).toBe(uri.split('.')[0]);
    expect(config.repositoryName).toBe(image.repositoryName);
    // Nothing region-specific is added to a stack whose region is known.
    expect(Object.keys(Template.fromStack(stack).toJSON().Mappings ?? {})).toEqual([]);
  });

  test('other regions use their own registry account', () => {
    expect(PrebuiltImage.sklearn('1.2-1').bind(stackIn('us-west-2')).imageUri)
      .toBe('246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3');
    expect(PrebuiltImage.clarify().bind(stackIn('us-gov-west-1')).imageUri)
      .toBe('598674086554.dkr.ecr.us-gov-west-1.amazonaws.com/sagemaker-clarify-processing:1.0');
  });

  test('China regions get the amazonaws.com.cn suffix', () => {
    expect(PrebuiltImage.xgboost('1.7-1').bind(stackIn('cn-north-1')).imageUri)
      .toBe('450853457545.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-xgboost:1.7-1');
    expect(PrebuiltImage.modelMonitor().bind(stackIn('cn-northwest-1')).imageUri)
      .toBe('453252182341.dkr.ecr.cn-northwest-1.amazonaws.com.cn/sagemaker-model-monitor-analyzer');
  });

  test('isolated regions get their partition suffix', () => {
    expect(PrebuiltImage.clarify().bind(stackIn('us-isof-east-1')).imageUri)
      .toBe('579539705040.dkr.ecr.us-isof-east-1.csp.hci.ic.gov/sagemaker-clarify-processing:1.0');
  });

  test('a region without the image stops synth with one line listing the regions that have it', () => {
    const stack = stackIn('ap-south-2');
    expect(() => PrebuiltImage.modelMonitor().bind(stack)).toThrow(
      /^Model Monitor images are not available in region 'ap-south-2'; available: af-south-1, ap-east-1, .*us-east-1, .*us-west-2 \(in Images\)$/,
    );
    expect(() => PrebuiltImage.clarify().bind(stackIn('il-central-1'))).toThrow(
      "Clarify images are not available in region 'il-central-1'; available: ",
    );
    // the framework registries do serve ap-south-2
    expect(PrebuiltImage.sklearn().bind(stack).imageUri).toBe('628508329040.dkr.ecr.ap-south-2.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3');
  });
});

describe('PrebuiltImage versions', () => {
  test('an unknown sklearn version names the prop, the versions and the bad value', () => {
    expect(() => PrebuiltImage.sklearn('9.9')).toThrow(
      new Error("sklearn version must be one of 0.20.0, 0.23-1, 1.0-1, 1.2-1, 1.4-2, got '9.9'"),
    );
  });

  test('sklearn 1.4-2 has no inference image', () => {
    expect(() => PrebuiltImage.sklearn('1.4-2', ImageScope.INFERENCE)).toThrow(
      new Error("sklearn version must be one of 0.20.0, 0.23-1, 1.0-1, 1.2-1 (inference scope), got '1.4-2'"),
    );
  });

  test('an unknown xgboost version lists the known ones', () => {
    expect(() => PrebuiltImage.xgboost('2.0')).toThrow(
      new Error("xgboost version must be one of 1, 0.90-1, 0.90-2, 1.0-1, 1.2-1, 1.2-2, 1.3-1, 1.5-1, 1.7-1, 3.0-5, 3.2-0, got '2.0'"),
    );
  });

  test('a version known only at deploy time is taken as is', () => {
    const stack = stackIn('us-east-1');
    const version = new CfnParameter(stack, 'SklearnVersion', { default: '1.2-1' }).valueAsString;
    expect(stack.resolve(PrebuiltImage.sklearn(version).bind(stack).imageUri)).toEqual({
      'Fn::Join': ['', ['683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:', { Ref: 'SklearnVersion' }, '-cpu-py3']],
    });
  });

  test('tags', () => {
    expect(PrebuiltImage.sklearn('0.23-1').tag).toBe('0.23-1-cpu-py3');
    expect(PrebuiltImage.xgboost('0.90-2').tag).toBe('0.90-2-cpu-py3');
    expect(PrebuiltImage.xgboost('3.0-5').tag).toBe('3.0-5');
    expect(PrebuiltImage.modelMonitor().tag).toBeUndefined();
  });
});

describe('PrebuiltImage in an env-agnostic stack', () => {
  const stack = stackIn();
  const sklearn = use(stack, 'Sklearn', PrebuiltImage.sklearn('1.2-1').bind(stack));
  const xgboost = use(stack, 'Xgboost', PrebuiltImage.xgboost('1.7-1').bind(stack));
  const monitor = use(stack, 'Monitor', PrebuiltImage.modelMonitor().bind(stack));
  const clarify = use(stack, 'Clarify', PrebuiltImage.clarify().bind(stack));
  const template = Template.fromStack(stack);
  const json = template.toJSON();

  test('the URI looks the account up in a region mapping and uses AWS::URLSuffix', () => {
    expect(stack.resolve(sklearn.imageUri)).toEqual({
      'Fn::Join': ['', [
        { 'Fn::FindInMap': ['SageMakerImageAccountsFramework', { Ref: 'AWS::Region' }, 'account'] },
        '.dkr.ecr.',
        { Ref: 'AWS::Region' },
        '.',
        { Ref: 'AWS::URLSuffix' },
        '/sagemaker-scikit-learn:1.2-1-cpu-py3',
      ]],
    });
    expect(stack.resolve(monitor.account)).toEqual({ 'Fn::FindInMap': ['SageMakerImageAccountsModelMonitor', { Ref: 'AWS::Region' }, 'account'] });
    expect(stack.resolve(clarify.imageUri)['Fn::Join'][1][5]).toBe('/sagemaker-clarify-processing:1.0');
  });

  test('scikit-learn and XGBoost share one mapping, created once per stack', () => {
    expect(stack.resolve(xgboost.account)).toEqual(stack.resolve(sklearn.account));
    expect(Object.keys(json.Mappings).sort()).toEqual([
      'SageMakerImageAccountsClarify', 'SageMakerImageAccountsFramework', 'SageMakerImageAccountsModelMonitor',
    ]);
  });

  test('the mappings hold the registry account of every region', () => {
    const framework = json.Mappings.SageMakerImageAccountsFramework;
    expect(Object.keys(framework)).toHaveLength(37);
    expect(framework['us-east-1']).toEqual({ account: '683313688378' });
    expect(framework['cn-north-1']).toEqual({ account: '450853457545' });
    const monitorMap = json.Mappings.SageMakerImageAccountsModelMonitor;
    expect(Object.keys(monitorMap)).toHaveLength(30);
    expect(monitorMap['us-east-1']).toEqual({ account: '156813124566' });
    expect(monitorMap['ap-south-2']).toBeUndefined();
    expect(json.Mappings.SageMakerImageAccountsClarify['us-east-1']).toEqual({ account: '205585389593' });
  });

  test('a rule refuses deployment in a region without the image, with a message listing where it exists', () => {
    const rule = json.Rules.SageMakerImageRegionModelMonitor;
    expect(rule.Assertions).toHaveLength(1);
    const [regions, region] = rule.Assertions[0].Assert['Fn::Contains'];
    expect(region).toEqual({ Ref: 'AWS::Region' });
    expect(regions).toEqual(Object.keys(json.Mappings.SageMakerImageAccountsModelMonitor));
    expect(rule.Assertions[0].AssertDescription).toMatch(
      /^SageMaker Model Monitor images are not available in this region; available: af-south-1, .*us-west-2$/,
    );
    expect(Object.keys(json.Rules)).toEqual(expect.arrayContaining([
      'SageMakerImageRegionFramework', 'SageMakerImageRegionClarify',
    ]));
  });

  test('the legacy xgboost:1 image has its own mapping', () => {
    const s = stackIn();
    const legacy = use(s, 'Legacy', PrebuiltImage.xgboost('1').bind(s));
    expect(s.resolve(legacy.account)).toEqual({ 'Fn::FindInMap': ['SageMakerImageAccountsXgboostLegacy', { Ref: 'AWS::Region' }, 'account'] });
    expect(Template.fromStack(s).toJSON().Mappings.SageMakerImageAccountsXgboostLegacy['us-east-1']).toEqual({ account: '811284229777' });
  });
});

describe('PrebuiltImage.grantPull', () => {
  test('grants pulling from the image repository, and the auth token in the stack region only', () => {
    const stack = stackIn('us-east-1');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    PrebuiltImage.sklearn('1.2-1').grantPull(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:683313688378:repository/sagemaker-scikit-learn']] },
          },
          {
            Effect: 'Allow',
            Action: 'ecr:GetAuthorizationToken',
            Resource: '*',
            Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
          },
        ],
      },
    });
  });

  test('in an env-agnostic stack the repository ARN uses the mapped account', () => {
    const stack = stackIn();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    PrebuiltImage.modelMonitor().grantPull(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          Resource: {
            'Fn::Join': ['', [
              'arn:', { Ref: 'AWS::Partition' }, ':ecr:', { Ref: 'AWS::Region' }, ':',
              { 'Fn::FindInMap': ['SageMakerImageAccountsModelMonitor', { Ref: 'AWS::Region' }, 'account'] },
              ':repository/sagemaker-model-monitor-analyzer',
            ]],
          },
        })]),
      },
    });
  });

  test('a grantee outside any stack is refused', () => {
    expect(() => PrebuiltImage.clarify().grantPull(new iam.ServicePrincipal('sagemaker.amazonaws.com'))).toThrow(
      /^grantPull grantee must be a construct/,
    );
  });
});

describe('PrebuiltImage under cdk-nag and the CloudFormation validator', () => {
  // An env-agnostic stack that uses every image and lets one role pull them all: the region mappings and rules must
  // pass cdk-nag and the CloudFormation validator as they are.
  const app = checkedApp();
  const stack = new Stack(app, 'PrebuiltImages');
  const role = new ManagedPolicyRole(stack, 'JobRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  const images = {
    Sklearn: PrebuiltImage.sklearn('1.2-1', ImageScope.INFERENCE),
    Xgboost: PrebuiltImage.xgboost('1.7-1'),
    Monitor: PrebuiltImage.modelMonitor(),
    Clarify: PrebuiltImage.clarify(),
  };
  for (const [id, image] of Object.entries(images)) {
    new CfnOutput(stack, id, { value: image.bind(stack).imageUri });
    image.grantPull(role);
  }
  // The one finding a pull grant brings, acknowledged by the owner of the role as the grantPull docs ask.
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'ecr:GetAuthorizationToken takes no resource ARN; the statement is limited to the stack region by aws:RequestedRegion',
  });

  test('an env-agnostic stack using every prebuilt image synthesizes with no findings', () => {
    const { warnings } = synthAndCollectWarnings(app);
    expect(warnings).toEqual([]);
    const template = Template.fromStack(stack).toJSON();
    expect(Object.keys(template.Rules).sort()).toEqual([
      'CheckBootstrapVersion', 'SageMakerImageRegionClarify', 'SageMakerImageRegionFramework', 'SageMakerImageRegionModelMonitor',
    ]);
  });
});
