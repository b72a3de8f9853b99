import { CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ImageScope } from '../../../lib/pipeline/images/image-scope';
import { PrebuiltImage } from '../../../lib/pipeline/images/prebuilt-image';
import { ManagedPolicyRole } from '../../../lib/private/managed-policy-role';
import { checkedApp, synthAndCollectWarnings } from '../../support/checks';

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
