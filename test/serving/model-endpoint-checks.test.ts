import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DataStore } from '../../lib/data/data-store';
import { EndpointDeploymentConfig } from '../../lib/serving/endpoint-options';
import { ModelEndpoint } from '../../lib/serving/model-endpoint';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';

const V1 = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/recommendation/1';
const V2 = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/recommendation/2';

test('every flavour of ModelEndpoint synthesizes with no cdk-nag or CloudFormation findings', () => {
  const app = checkedApp();
  const data = new Stack(app, 'Data', { env: { account: '111111111111', region: 'eu-west-1' } });
  const artifacts = new DataStore(data, 'Artifacts', { purpose: 'model artifacts' });
  const stack = new Stack(app, 'Serving', { env: { account: '111111111111', region: 'eu-west-1' } });

  // Level 4: A/B variants, data capture to the (cross-stack) artifact store, canary with rollback, autoscaling.
  const full = new ModelEndpoint(stack, 'Endpoint', {
    modelPackageArn: V1,
    artifactBucket: artifacts.bucket,
    artifactKeyPrefix: 'models/',
    additionalVariants: [{ variantName: 'Challenger', modelPackageArn: V2, initialVariantWeight: 0.1 }],
    dataCapture: { destinationBucket: artifacts.bucket, samplingPercentage: 50 },
    deploymentConfig: EndpointDeploymentConfig.canary(),
    rollbackAlarms: [cloudwatch.Alarm.fromAlarmName(stack, 'Errors', 'recommendation-5xx')],
    autoScaling: { maxCapacity: 4 },
  });
  // Shadow testing of a challenger with its own capture (endpoint key).
  new ModelEndpoint(stack, 'Shadowed', {
    modelPackageArn: V1,
    shadowVariant: { modelPackageArn: V2, samplingPercentage: 20 },
    dataCapture: { destinationBucket: artifacts.bucket, prefix: 'capture/shadowed' },
  });
  new ModelEndpoint(stack, 'Serverless', { modelPackageArn: V1, serverless: { memorySizeInMb: 2048 } });
  new ModelEndpoint(stack, 'Nvme', { modelPackageArn: V1, instanceType: 'ml.g4dn.xlarge' });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-12345678'] });
  new ModelEndpoint(stack, 'InVpc', { modelPackageArn: V1, vpc });

  expect(full.metricModelLatency().period).toEqual(Duration.minutes(5));
  const { warnings } = synthAndCollectWarnings(app);
  expect(warnings).toEqual([]);
});
