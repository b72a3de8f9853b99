import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ModelPackageBaselines } from '../../lib/monitoring/model-package-baselines';

/**
 * A custom resource's response to CloudFormation is at most 4,096 bytes in total ("Custom resource response
 * objects", CloudFormation User Guide); a larger one fails the deployment. The baselines reader returns only the
 * `outputPaths` it asks for (the S3 URIs of the drift-check baselines), so its response is bounded by them.
 */

const MAX_RESPONSE_BYTES = 4096;
/** SageMaker's `S3Uri` of a metrics source is at most 1,024 characters (MetricsSource API reference). */
const MAX_S3_URI = 1024;
const ARN = `arn:aws-us-gov:sagemaker:us-gov-west-1:123456789012:model-package/${'r'.repeat(63)}/999999999`;

const app = new App();
const stack = new Stack(app, 'Baselines', { env: { account: '123456789012', region: 'us-gov-west-1' } });
new ModelPackageBaselines(stack, 'Baselines', { modelPackageArn: ARN });
new ModelPackageBaselines(stack, 'WithModelQuality', { modelPackageArn: ARN, includeModelQuality: true });
/** The SDK call of each custom resource: data quality only (2 output paths), with model quality (4). */
const [dataQualityOnly, withModelQuality] = Object.values<any>(Template.fromStack(stack).findResources('Custom::ModelPackageBaselines'))
  .map((r) => JSON.parse(r.Properties.Create))
  .sort((a, b) => a.outputPaths.length - b.outputPaths.length);

/** The largest response the provider can send for `call` when each returned S3 URI is `uriLength` characters. */
function largestResponse(call: any, uriLength: number): number {
  const body = {
    Status: 'SUCCESS',
    Reason: 'OK',
    PhysicalResourceId: call.physicalResourceId.id,
    // The longest stack id (128-character stack name) and logical id (255 characters) CloudFormation allows.
    StackId: `arn:aws-us-gov:cloudformation:us-gov-west-1:123456789012:stack/${'s'.repeat(128)}/e3b0c442-98fc-4c14-9afb-f4c8996fb924`,
    RequestId: 'e3b0c442-98fc-4c14-9afb-f4c8996fb924',
    LogicalResourceId: 'L'.repeat(255),
    NoEcho: false,
    Data: Object.fromEntries(call.outputPaths.map((p: string) => [p, `s3://${'b'.repeat(63)}/${'k'.repeat(uriLength - 69)}`])),
  };
  return Buffer.byteLength(JSON.stringify(body), 'utf8');
}

describe('ModelPackageBaselines: the custom resource response stays within 4,096 bytes', () => {
  test('data-quality baselines (the default): for any S3 URIs SageMaker accepts (1,024 characters each)', () => {
    expect(largestResponse(dataQualityOnly, MAX_S3_URI)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
  });

  test('with model-quality baselines: four URIs of the platform pipeline\'s shape (< 300 characters) fit; four of 1,024 would not', () => {
    // s3://<bucket, 63>/<modelName, 64>/runs/<execution id>/baselines/<kind>/<file>.json is under 300 characters.
    expect(largestResponse(withModelQuality, 300)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(largestResponse(withModelQuality, MAX_S3_URI)).toBeGreaterThan(MAX_RESPONSE_BYTES);
  });
});
