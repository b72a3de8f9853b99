import { ListModelPackagesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { lookupLatestApprovedModelPackage } from '../../lib/registry/latest-approved-model-package';
import { parseModelPackageArn } from '../../lib/registry/model-package-arn';

const ARN = 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/recommendation/7';
const sm = mockClient(SageMakerClient);
const client = new SageMakerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

beforeEach(() => sm.reset());

describe('lookupLatestApprovedModelPackage', () => {
  test('returns the newest approved package and asks for exactly that', async () => {
    sm.on(ListModelPackagesCommand).resolves({
      ModelPackageSummaryList: [{ ModelPackageArn: ARN, ModelPackageStatus: 'Completed', CreationTime: new Date() }],
    });
    await expect(lookupLatestApprovedModelPackage('recommendation', { client })).resolves.toBe(ARN);
    expect(sm.commandCalls(ListModelPackagesCommand)[0].args[0].input).toEqual({
      ModelPackageGroupName: 'recommendation',
      ModelApprovalStatus: 'Approved',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 1,
    });
  });

  test('none approved: one line naming the group and what to do', async () => {
    sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
    await expect(lookupLatestApprovedModelPackage('recommendation', { client })).rejects.toThrow(
      "no approved model package in group 'recommendation': approve one in SageMaker Studio or pass -c modelPackageArn=<arn>",
    );
  });

  test('access denied: names the group and the permission', async () => {
    const denied = Object.assign(new Error('User: arn:aws:iam::1:user/x is not authorized\nto perform: sagemaker:ListModelPackages'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    sm.on(ListModelPackagesCommand).rejects(denied);
    const error = await lookupLatestApprovedModelPackage('recommendation', { client }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^access denied listing the model packages of group 'recommendation': .*sagemaker:ListModelPackages.*-c modelPackageArn=<arn>$/);
    expect((error as Error).message).not.toContain('\n');
  });

  test('no credentials: says to configure them or pass the ARN', async () => {
    sm.on(ListModelPackagesCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    await expect(lookupLatestApprovedModelPackage('recommendation', { client })).rejects.toThrow(
      /^no AWS credentials to look up the latest approved model package of group 'recommendation': configure credentials .* or pass -c modelPackageArn=<arn>$/,
    );
  });

  test('other failures keep the service message on one line', async () => {
    sm.on(ListModelPackagesCommand).rejects(Object.assign(new Error('Rate exceeded\nretry later'), { name: 'ThrottlingException' }));
    await expect(lookupLatestApprovedModelPackage('recommendation', { client })).rejects.toThrow(
      "could not look up the latest approved model package of group 'recommendation' (ThrottlingException: Rate exceeded retry later) or pass -c modelPackageArn=<arn>",
    );
  });

  test('a bad group name fails before any call', async () => {
    await expect(lookupLatestApprovedModelPackage('bad_name', { client })).rejects.toThrow(
      "modelPackageGroupName must be 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit, got 'bad_name'",
    );
    expect(sm.calls()).toHaveLength(0);
  });
});

describe('parseModelPackageArn', () => {
  test('returns the parts of a versioned package ARN', () => {
    expect(parseModelPackageArn(ARN)).toEqual({
      arn: ARN, partition: 'aws', region: 'eu-west-1', account: '123456789012', modelPackageGroupName: 'recommendation', version: 7,
    });
    expect(parseModelPackageArn('arn:aws-cn:sagemaker:cn-north-1:123456789012:model-package/a-b/12').partition).toBe('aws-cn');
  });

  test.each([
    'arn:aws:sagemaker:eu-west-1:123456789012:model-package-group/recommendation',
    'arn:aws:s3:::bucket/model-package/recommendation/1',
    'arn:aws:sagemaker:eu-west-1:1234:model-package/recommendation/1',
    'arn:aws:sagemaker:eu-west-1:123456789012:model-package/recommendation',
    'recommendation/1',
  ])('rejects %s with one line naming modelPackageArn', (value) => {
    expect(() => parseModelPackageArn(value)).toThrow(
      `modelPackageArn must be a model package ARN 'arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>', got '${value}'`,
    );
  });
});
