import * as http from 'http';
import { AddressInfo } from 'net';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lib/handlers/served-model-guard';
import { MAX_RESPONSE_BYTES, responseBody } from '../../lib/handlers/served-model-guard/response';

const sm = mockClient(SageMakerClient);
const cfn = mockClient(CloudFormationClient);

/** The registry lives in the platform account; this serving stack runs in a stage account. */
const PACKAGE = (version: number) => `arn:aws:sagemaker:eu-west-1:111111111111:model-package/mlops-recommendation-training-registry-fcb87870/${version}`;
const STACK_ID = 'arn:aws:cloudformation:eu-west-1:222222222222:stack/Prod-Mlops-recommendation-Serving/5b6c1f40-3c9e-11f0-8a1b-0a8f2c3d4e5f';
const SERVICE_TOKEN = 'arn:aws:lambda:eu-west-1:222222222222:function:Prod-Mlops-recommendation-ModelGuardFunction4C1B2-Xy7aQ9bT3kLm';
const PHYSICAL_ID = 'served-model-guard-0c2f4a7e-9b1d-4e36-8f5a-2d7c9e1b3a60';

/** Captures the PUTs the handler sends to the pre-signed ResponseURL. */
interface Received { method?: string; contentType?: string; path?: string; body: any }
let server: http.Server;
let baseUrl: string;
let received: Received[];
let answerStatus: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => {
      received.push({ method: req.method, contentType: req.headers['content-type'], path: req.url, body: JSON.parse(data) });
      res.statusCode = answerStatus;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  sm.reset();
  cfn.reset();
  received = [];
  answerStatus = 200;
  stackStatus('UPDATE_IN_PROGRESS');
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

function stackStatus(status: string): void {
  cfn.on(DescribeStacksCommand, { StackName: STACK_ID }).resolves({
    Stacks: [{ StackId: STACK_ID, StackName: 'Prod-Mlops-recommendation-Serving', StackStatus: status as any, CreationTime: new Date('2025-05-01T10:00:00Z') }],
  });
}

function packageStatus(version: number, status: string): void {
  sm.on(DescribeModelPackageCommand, { ModelPackageName: PACKAGE(version) }).resolves({
    ModelPackageName: 'mlops-recommendation-training-registry-fcb87870',
    ModelPackageGroupName: 'mlops-recommendation-training-registry-fcb87870',
    ModelPackageVersion: version,
    ModelPackageArn: PACKAGE(version),
    ModelPackageStatus: 'Completed',
    ModelApprovalStatus: status as any,
    CreationTime: new Date('2025-05-01T09:00:00Z'),
  });
}

/** A custom-resource event as CloudFormation sends it (ResponseURL pointing at the local capture server). */
function event(requestType: 'Create' | 'Update' | 'Delete', arn: string, oldArn?: string): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: SERVICE_TOKEN,
    ResponseURL: `${baseUrl}/arn%3Aaws%3Acloudformation%3Aeu-west-1%3A222222222222%3Astack/Prod-Mlops-recommendation-Serving/5b6c1f40|ModelGuard1E2B4F3A|d1f0e5b2?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20250501T100000Z&X-Amz-Expires=7200&X-Amz-Signature=abc123`,
    StackId: STACK_ID,
    RequestId: 'd1f0e5b2-7c4a-4f1e-9a3b-6e8d2c0f1a47',
    LogicalResourceId: 'ModelGuard1E2B4F3A',
    ResourceType: 'Custom::ServedModelGuard',
    ResourceProperties: { ServiceToken: SERVICE_TOKEN, ModelPackageArn: arn },
  };
  if (requestType === 'Create') return { ...common, RequestType: 'Create' };
  if (requestType === 'Delete') return { ...common, RequestType: 'Delete', PhysicalResourceId: PHYSICAL_ID };
  return {
    ...common, RequestType: 'Update', PhysicalResourceId: PHYSICAL_ID,
    OldResourceProperties: { ServiceToken: SERVICE_TOKEN, ModelPackageArn: oldArn! },
  };
}

/** The one response CloudFormation received. */
function response(): any {
  expect(received).toHaveLength(1);
  expect(received[0].method).toBe('PUT');
  expect(received[0].contentType).toBe('');
  return received[0].body;
}

describe('served-model guard handler', () => {
  test('Create of an approved package: SUCCESS, reading the package by ARN in the registry account', async () => {
    packageStatus(7, 'Approved');
    await handler(event('Create', PACKAGE(7)));
    const body = response();
    expect(body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'served-model-guard-d1f0e5b2-7c4a-4f1e-9a3b-6e8d2c0f1a47',
      StackId: STACK_ID, RequestId: 'd1f0e5b2-7c4a-4f1e-9a3b-6e8d2c0f1a47', LogicalResourceId: 'ModelGuard1E2B4F3A',
    });
    const calls = sm.commandCalls(DescribeModelPackageCommand);
    expect(calls.map((c) => c.args[0].input)).toEqual([{ ModelPackageName: PACKAGE(7) }]);
    // The SageMaker client asks the package's own region.
    expect(await (calls[0].thisValue as SageMakerClient).config.region()).toBe('eu-west-1');
    expect(cfn.commandCalls(DescribeStacksCommand).map((c) => c.args[0].input)).toEqual([{ StackName: STACK_ID }]);
  });

  test('Create of a package that is not Approved: FAILED with one reason', async () => {
    packageStatus(7, 'PendingManualApproval');
    await handler(event('Create', PACKAGE(7)));
    expect(response()).toMatchObject({
      Status: 'FAILED',
      Reason: `model package ${PACKAGE(7)} is PendingManualApproval, not Approved: only approved model packages are served`,
    });
  });

  test('Update to a newer approved version: SUCCESS without reading the served one', async () => {
    packageStatus(8, 'Approved');
    await handler(event('Update', PACKAGE(8), PACKAGE(7)));
    expect(response()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(sm.commandCalls(DescribeModelPackageCommand).map((c) => c.args[0].input.ModelPackageName)).toEqual([PACKAGE(8)]);
  });

  test('Update to an older version while the served newer one is still Approved: FAILED', async () => {
    packageStatus(7, 'Approved');
    packageStatus(8, 'Approved');
    await handler(event('Update', PACKAGE(7), PACKAGE(8)));
    expect(response()).toMatchObject({
      Status: 'FAILED',
      PhysicalResourceId: PHYSICAL_ID,
      Reason: `model package version 7 is older than version 8 (${PACKAGE(8)}), which this stack serves and which is still Approved: `
        + 'reject version 8 in the registry to go back to version 7',
    });
  });

  test('Update to an older version once the newer one was rejected (after a rollback): SUCCESS', async () => {
    packageStatus(7, 'Approved');
    packageStatus(8, 'Rejected');
    await handler(event('Update', PACKAGE(7), PACKAGE(8)));
    expect(response()).toMatchObject({ Status: 'SUCCESS' });
  });

  test('Update to an older version whose newer one was deleted from the registry: SUCCESS', async () => {
    packageStatus(7, 'Approved');
    sm.on(DescribeModelPackageCommand, { ModelPackageName: PACKAGE(8) })
      .rejects(Object.assign(new Error(`Model Package ${PACKAGE(8)} does not exist.`), { name: 'ValidationException' }));
    await handler(event('Update', PACKAGE(7), PACKAGE(8)));
    expect(response()).toMatchObject({ Status: 'SUCCESS' });
  });

  test('an older version of another group is not compared', async () => {
    const other = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/other-model/2';
    sm.on(DescribeModelPackageCommand, { ModelPackageName: other }).resolves({ ModelApprovalStatus: 'Approved' } as any);
    await handler(event('Update', other, PACKAGE(8)));
    expect(response()).toMatchObject({ Status: 'SUCCESS' });
    expect(sm.commandCalls(DescribeModelPackageCommand)).toHaveLength(1);
  });

  test.each(['UPDATE_ROLLBACK_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'])('Update while the stack is %s: SUCCESS at once, nothing read from the registry', async (status) => {
    stackStatus(status);
    // The rollback puts back version 7 while version 8 (whose canary failed) is still Approved.
    packageStatus(7, 'Approved');
    packageStatus(8, 'Approved');
    await handler(event('Update', PACKAGE(7), PACKAGE(8)));
    expect(response()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID, Reason: `stack is ${status}: a rollback is never refused` });
    expect(sm.commandCalls(DescribeModelPackageCommand)).toHaveLength(0);
  });

  test('Delete: SUCCESS without any call, even for a package that is no longer approved', async () => {
    packageStatus(7, 'Rejected');
    await handler(event('Delete', PACKAGE(7)));
    expect(response()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(sm.calls()).toHaveLength(0);
    expect(cfn.calls()).toHaveLength(0);
  });

  test('an unreadable stack status leaves the decision to the registry checks', async () => {
    cfn.reset();
    cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    packageStatus(7, 'Approved');
    packageStatus(8, 'Approved');
    await handler(event('Update', PACKAGE(8), PACKAGE(7)));
    expect(response()).toMatchObject({ Status: 'SUCCESS' });
  });

  test('an unreadable package (no registry share to this account): FAILED naming the package and the error', async () => {
    sm.on(DescribeModelPackageCommand).rejects(Object.assign(new Error('User is not authorized to perform: sagemaker:DescribeModelPackage'), { name: 'AccessDeniedException' }));
    await handler(event('Create', PACKAGE(7)));
    expect(response()).toMatchObject({
      Status: 'FAILED',
      Reason: `could not read model package ${PACKAGE(7)}: AccessDeniedException: User is not authorized to perform: sagemaker:DescribeModelPackage`,
    });
  });

  test('a property that is not a versioned model package ARN: FAILED naming it', async () => {
    await handler(event('Create', 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/recommendation'));
    expect(response()).toMatchObject({
      Status: 'FAILED',
      Reason: "ModelPackageArn must be a versioned model package ARN (arn:...:model-package/<group>/<version>), got 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/recommendation'",
    });
    expect(sm.calls()).toHaveLength(0);
  });

  test('a refused PUT of the response throws, so Lambda retries the invocation', async () => {
    packageStatus(7, 'Approved');
    answerStatus = 403;
    await expect(handler(event('Create', PACKAGE(7)))).rejects.toThrow('the CloudFormation response was refused with HTTP 403');
  });
});

describe('the response CloudFormation receives', () => {
  test('stays within 4,096 bytes with a very long reason, keeping every id whole', () => {
    const e = event('Update', PACKAGE(7), PACKAGE(8));
    const body = responseBody(e, false, `could not read model package: ${'ü'.repeat(6000)}`);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    const parsed = JSON.parse(body);
    expect(parsed).toMatchObject({ Status: 'FAILED', StackId: STACK_ID, PhysicalResourceId: PHYSICAL_ID, LogicalResourceId: 'ModelGuard1E2B4F3A' });
    expect(parsed.Reason).toMatch(/^could not read model package: ü+\.\.\.$/);
  });

  test('the longest refusal the guard writes (two 200-character ARNs) is sent whole', () => {
    const group = `g${'-a'.repeat(31)}`; // 63 characters, the longest group name
    const arn = (v: number) => `arn:aws-us-gov:sagemaker:us-gov-west-1:111111111111:model-package/${group}/${v}`;
    const reason = `model package version 1 is older than version 123456789 (${arn(123456789)}), which this stack serves and which is still Approved: `
      + 'reject version 123456789 in the registry to go back to version 1';
    expect(JSON.parse(responseBody(event('Update', arn(1), arn(123456789)), false, reason)).Reason).toBe(reason);
  });
});
