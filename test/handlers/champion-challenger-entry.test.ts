import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, ListModelPackagesCommand, SageMakerClient, UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lib/handlers/champion-challenger';
import { settingsFromEnv } from '../../lib/handlers/champion-challenger/settings';

const ENV = {
  MODEL_PACKAGE_GROUP_NAME: 'recommendation',
  REPORTS_BUCKET_NAME: 'reports',
  REPORTS_KEY_PREFIX: '',
  PROMOTION_METRIC: 'accuracy',
  PROMOTION_MARGIN: '0.01',
  HIGHER_IS_BETTER: 'true',
  GUARD_METRICS: 'precision,recall',
  GUARD_METRIC_TOLERANCE: '0',
  MINIMUM_VALUE: '0.7',
};
const ARN = 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/recommendation/1';
const event = {
  'version': '0', 'id': '1', 'detail-type': 'SageMaker Model Package State Change' as const, 'source': 'aws.sagemaker',
  'account': '111122223333', 'time': '2025-01-01T00:00:00Z', 'region': 'eu-west-1', 'resources': [ARN],
  'detail': { ModelPackageArn: ARN, ModelPackageGroupName: 'recommendation', ModelApprovalStatus: 'PendingManualApproval' },
};

const sagemaker = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
let written: string[];
const saved = { ...process.env };

beforeEach(() => {
  sagemaker.reset();
  s3.reset();
  process.env = { ...saved, ...ENV };
  written = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((line: any) => { written.push(String(line)); return true; });
});
afterEach(() => {
  jest.restoreAllMocks();
  process.env = saved;
});

test('the Lambda entry point reads its settings from the environment and decides', async () => {
  sagemaker.on(DescribeModelPackageCommand).resolves({
    ModelPackageArn: ARN, ModelPackageGroupName: 'recommendation', ModelApprovalStatus: 'PendingManualApproval',
    ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://reports/eval/1.json' } } },
  });
  sagemaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
  s3.on(ListObjectsV2Command).resolves({ KeyCount: 1, Contents: [{ Key: 'eval/1.json' }] });
  s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => '{"metrics":{"accuracy":{"value":0.81}}}' } as any });

  const result = await handler(event);
  expect(result.decision).toBe('Approved');
  expect(sagemaker.commandCalls(UpdateModelPackageCommand)[0].args[0].input.ModelApprovalStatus).toBe('Approved');
  expect(written).toHaveLength(1);
  expect(JSON.parse(written[0])).toMatchObject({ level: 'INFO', decision: 'Approved', modelPackageArn: ARN });
});

test('a failure is logged as one JSON error line and thrown (so the event is retried, then dead-lettered)', async () => {
  sagemaker.on(DescribeModelPackageCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
  await expect(handler(event)).rejects.toThrow('Rate exceeded');
  expect(written.map((l) => JSON.parse(l))).toEqual([{
    level: 'ERROR', message: 'champion-challenger decision failed', modelPackageArn: ARN, error: 'ThrottlingException: Rate exceeded',
  }]);
});

test('a misconfigured function fails instead of deciding on defaults nobody chose', async () => {
  process.env.PROMOTION_MARGIN = '-1';
  await expect(handler(event)).rejects.toThrow("environment variable PROMOTION_MARGIN must be a number >= 0, got '-1'");
  expect(sagemaker.commandCalls(UpdateModelPackageCommand)).toHaveLength(0);
});

test('settings are parsed from the environment', () => {
  expect(settingsFromEnv(ENV)).toEqual({
    modelPackageGroupName: 'recommendation', reportsBucketName: 'reports', reportsKeyPrefix: '', promotionMetric: 'accuracy',
    promotionMargin: 0.01, higherIsBetter: true, guardMetrics: ['precision', 'recall'], guardMetricTolerance: 0, minimumValue: 0.7,
  });
  expect(settingsFromEnv({ ...ENV, GUARD_METRICS: '' }).guardMetrics).toEqual([]);
  expect(() => settingsFromEnv({ ...ENV, HIGHER_IS_BETTER: 'yes' })).toThrow("HIGHER_IS_BETTER must be 'true' or 'false', got 'yes'");
  expect(() => settingsFromEnv({ ...ENV, MODEL_PACKAGE_GROUP_NAME: '' })).toThrow('environment variable MODEL_PACKAGE_GROUP_NAME must be set');
});
