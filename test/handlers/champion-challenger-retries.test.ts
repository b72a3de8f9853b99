import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { MAX_ATTEMPTS, retryingClientConfig } from '../../lib/handlers/champion-challenger/clients';
import { decide } from '../../lib/handlers/champion-challenger/decide';

// aws-sdk-client-mock replaces `send`, which also bypasses the SDK's retry middleware. To show that throttling is
// absorbed by the clients' retry configuration, the SageMaker client here is a real client with the handler's
// configuration whose HTTP layer is faked: it answers ThrottlingException first, then the real responses.
// S3 is mocked with aws-sdk-client-mock as elsewhere.

const GROUP = 'recommendation';
const CHALLENGER = `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/2`;

type Reply = { status: number; body: unknown };

function fakeHttp(replies: { [operation: string]: Reply[] }) {
  const calls: string[] = [];
  const handler = {
    async handle(request: { headers: { [k: string]: string } }) {
      const operation = request.headers['x-amz-target'].split('.')[1];
      calls.push(operation);
      const queue = replies[operation];
      const reply = queue.length > 1 ? queue.shift()! : queue[0];
      const body = new TextEncoder().encode(JSON.stringify(reply.body));
      return { response: { statusCode: reply.status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() { return {}; },
  };
  return { handler, calls };
}

const THROTTLED: Reply = { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };

function sageMaker(replies: { [operation: string]: Reply[] }, maxAttempts?: number) {
  const http = fakeHttp(replies);
  const client = new SageMakerClient({
    ...retryingClientConfig(),
    ...(maxAttempts ? { maxAttempts } : {}),
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: http.handler as any,
  });
  return { client, calls: http.calls };
}

const s3 = mockClient(S3Client);
const settings = {
  modelPackageGroupName: GROUP, reportsBucketName: 'reports', reportsKeyPrefix: '', promotionMetric: 'accuracy',
  promotionMargin: 0.01, higherIsBetter: true, guardMetrics: [], guardMetricTolerance: 0, minimumValue: 0.7,
};

beforeEach(() => {
  s3.reset();
  s3.on(ListObjectsV2Command).resolves({ KeyCount: 1, Contents: [{ Key: 'eval/2.json' }] });
  s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => '{"metrics":{"accuracy":{"value":0.8}}}' } as any });
});

test('the clients use adaptive retries', () => {
  expect(retryingClientConfig()).toEqual({ retryMode: 'adaptive', maxAttempts: MAX_ATTEMPTS });
});

test('throttled SageMaker calls are retried by the SDK and the decision still goes through', async () => {
  const { client, calls } = sageMaker({
    DescribeModelPackage: [THROTTLED, {
      status: 200,
      body: {
        ModelPackageArn: CHALLENGER, ModelPackageGroupName: GROUP, ModelApprovalStatus: 'PendingManualApproval',
        ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://reports/eval/2.json' } } },
      },
    }],
    ListModelPackages: [{ status: 200, body: { ModelPackageSummaryList: [] } }],
    UpdateModelPackage: [THROTTLED, { status: 200, body: { ModelPackageArn: CHALLENGER } }],
  });
  const lines: string[] = [];
  const result = await decide({ ModelPackageArn: CHALLENGER }, { sagemaker: client, s3: new S3Client({}), settings, log: (l) => lines.push(l) });

  expect(result.decision).toBe('Approved');
  expect(calls).toEqual([
    'DescribeModelPackage', 'DescribeModelPackage',
    'ListModelPackages',
    'UpdateModelPackage', 'UpdateModelPackage',
  ]);
  expect(lines).toHaveLength(1);
});

test('throttling that outlasts the retries fails the invocation', async () => {
  // Two attempts instead of MAX_ATTEMPTS keep the backoff (and the test) short.
  const { client, calls } = sageMaker({ DescribeModelPackage: [THROTTLED] }, 2);
  await expect(decide({ ModelPackageArn: CHALLENGER }, { sagemaker: client, s3: new S3Client({}), settings, log: () => {} }))
    .rejects.toMatchObject({ name: 'ThrottlingException' });
  expect(calls).toEqual(['DescribeModelPackage', 'DescribeModelPackage']);
});
