import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  DescribeModelPackageCommandOutput,
  ListModelPackagesCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { decide, Dependencies } from '../../lib/handlers/champion-challenger/decide';
import { Settings } from '../../lib/handlers/champion-challenger/settings';

// A missing evaluation report must be a decision (challenger rejected, or left for a person when the champion's is
// missing), never a failed invocation that ends in the dead-letter queue. S3 answers a GetObject of a missing key
// with 404 NoSuchKey only when the caller may list the bucket, and 403 AccessDenied otherwise; the role's
// ListBucket is limited to the reports prefix, so the handler checks existence with a prefix listing.

// Instance mocks, so the real S3 client of the last test is left alone.
const sagemakerClient = new SageMakerClient({});
const s3Client = new S3Client({});
const sagemaker = mockClient(sagemakerClient);
const s3 = mockClient(s3Client);

const GROUP = 'recommendation';
const BUCKET = 'reports-bucket';
const PREFIX = 'evaluation/';
const CHALLENGER = `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/7`;
const CHAMPION = `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/6`;
const CHALLENGER_KEY = `${PREFIX}challenger.json`;
const CHAMPION_KEY = `${PREFIX}champion.json`;

const SETTINGS: Settings = {
  modelPackageGroupName: GROUP, reportsBucketName: BUCKET, reportsKeyPrefix: PREFIX, promotionMetric: 'accuracy',
  promotionMargin: 0.01, higherIsBetter: true, guardMetrics: [], guardMetricTolerance: 0, minimumValue: 0.7,
};

/** What the SDK throws for S3's 403 (a GetObject of a missing key without ListBucket, or a real denial). */
function accessDenied(): S3ServiceException {
  return new S3ServiceException({ name: 'AccessDenied', $fault: 'client', message: 'Access Denied', $metadata: { httpStatusCode: 403 } });
}

/** What the SDK throws for S3's 404 on GetObject (a missing key, with ListBucket). */
function noSuchKey(): NoSuchKey {
  return new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
}

function pkg(arn: string, status: string, key: string): DescribeModelPackageCommandOutput {
  return {
    $metadata: {}, ModelPackageArn: arn, ModelPackageGroupName: GROUP, ModelApprovalStatus: status as any,
    ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: `s3://${BUCKET}/${key}` } } },
  } as DescribeModelPackageCommandOutput;
}

function listed(key: string, ...keys: string[]): void {
  s3.on(ListObjectsV2Command, { Bucket: BUCKET, Prefix: key, MaxKeys: 1 }).resolves({ KeyCount: keys.length, Contents: keys.map((k) => ({ Key: k })) });
}

function readable(key: string, accuracy: number): void {
  listed(key, key);
  s3.on(GetObjectCommand, { Bucket: BUCKET, Key: key }).resolves({ Body: { transformToString: async () => JSON.stringify({ metrics: { accuracy: { value: accuracy } } }) } as any });
}

function withChampion(): void {
  sagemaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [{ ModelPackageArn: CHAMPION, ModelApprovalStatus: 'Approved', ModelPackageStatus: 'Completed', CreationTime: new Date() }] });
  sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: CHAMPION }).resolves(pkg(CHAMPION, 'Approved', CHAMPION_KEY));
}

let lines: string[];
function deps(): Dependencies {
  return { sagemaker: sagemakerClient, s3: s3Client, settings: SETTINGS, log: (l) => lines.push(l) };
}

function updates() {
  return sagemaker.commandCalls(UpdateModelPackageCommand).map((c) => c.args[0].input);
}

beforeEach(() => {
  sagemaker.reset();
  s3.reset();
  lines = [];
  sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: CHALLENGER }).resolves(pkg(CHALLENGER, 'PendingManualApproval', CHALLENGER_KEY));
  sagemaker.on(UpdateModelPackageCommand).resolves({ ModelPackageArn: CHALLENGER });
  // By default S3 behaves as for a role whose ListBucket does not cover GetObject's implicit check: nothing listed,
  // and a GetObject of any key is denied.
  s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
  s3.on(GetObjectCommand).rejects(accessDenied());
});

describe('a missing evaluation report is a decision, not a dead letter', () => {
  test('challenger report missing and GetObject would say AccessDenied (403): rejected, recorded, nothing thrown', async () => {
    withChampion();
    readable(CHAMPION_KEY, 0.9);
    const result = await decide({ ModelPackageArn: CHALLENGER }, deps());

    expect(result.decision).toBe('Rejected');
    const reason = `challenger report s3://${BUCKET}/${CHALLENGER_KEY} does not exist`;
    expect(updates()).toEqual([{ ModelPackageArn: CHALLENGER, ModelApprovalStatus: 'Rejected', ApprovalDescription: `[champion-challenger] Rejected: ${reason}.` }]);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'INFO', decision: 'Rejected', reason, challengerReport: `s3://${BUCKET}/${CHALLENGER_KEY}` });
    // The existence check lists the exact key (a request the prefix-conditioned ListBucket allows) ...
    expect(s3.commandCalls(ListObjectsV2Command)[0].args[0].input).toEqual({ Bucket: BUCKET, Prefix: CHALLENGER_KEY, MaxKeys: 1 });
    // ... and a report that is not listed is not read.
    expect(s3.commandCalls(GetObjectCommand, { Key: CHALLENGER_KEY })).toHaveLength(0);
  });

  test('champion report missing: the challenger is left for a person, recorded, nothing thrown', async () => {
    withChampion();
    readable(CHALLENGER_KEY, 0.95);
    const result = await decide({ ModelPackageArn: CHALLENGER }, deps());

    expect(result.decision).toBe('ManualReview');
    expect(updates()).toEqual([{
      ModelPackageArn: CHALLENGER,
      ModelApprovalStatus: undefined,
      ApprovalDescription: expect.stringContaining(`champion report s3://${BUCKET}/${CHAMPION_KEY} does not exist, so the models cannot be compared`),
    }]);
  });

  test('only a longer key under the report key is listed: the report is missing', async () => {
    listed(CHALLENGER_KEY, `${CHALLENGER_KEY}.bak`);
    expect((await decide({ ModelPackageArn: CHALLENGER }, deps())).reason).toBe(`challenger report s3://${BUCKET}/${CHALLENGER_KEY} does not exist`);
  });

  test('listed, then gone before the read (NoSuchKey, 404): missing as well', async () => {
    listed(CHALLENGER_KEY, CHALLENGER_KEY);
    s3.on(GetObjectCommand, { Key: CHALLENGER_KEY }).rejects(noSuchKey());
    expect((await decide({ ModelPackageArn: CHALLENGER }, deps())).decision).toBe('Rejected');
    expect(updates()[0].ApprovalDescription).toContain('does not exist');
  });
});

describe('a real permission problem still fails the invocation (retried, then dead-lettered)', () => {
  test('the report exists but reading it is denied (e.g. by the key policy): thrown, nothing decided', async () => {
    listed(CHALLENGER_KEY, CHALLENGER_KEY);
    await expect(decide({ ModelPackageArn: CHALLENGER }, deps())).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect(updates()).toHaveLength(0);
  });

  test('the listing itself is denied: thrown, nothing decided', async () => {
    s3.on(ListObjectsV2Command).rejects(accessDenied());
    await expect(decide({ ModelPackageArn: CHALLENGER }, deps())).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(updates()).toHaveLength(0);
  });
});

describe('against the S3 client itself', () => {
  // A real S3 client whose HTTP layer answers what S3 sends for a role without unconditioned ListBucket: a 403
  // AccessDenied XML error for the GetObject of a missing key, and an empty listing for a prefix that matches nothing.
  function fakeS3(): S3Client {
    const handler = {
      async handle(request: { method: string; path: string; query?: { [k: string]: unknown } }) {
        const listing = request.query?.['list-type'] === '2';
        const xml = listing
          ? `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${BUCKET}</Name><Prefix>${CHALLENGER_KEY}</Prefix><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`
          : '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>R</RequestId><HostId>H</HostId></Error>';
        return { response: { statusCode: listing ? 200 : 403, headers: { 'content-type': 'application/xml' }, body: new TextEncoder().encode(xml) } };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs() { return {}; },
    };
    return new S3Client({ region: 'eu-west-1', maxAttempts: 1, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, requestHandler: handler as any });
  }

  test('the SDK error for a missing key is AccessDenied (403), and the handler still rejects the challenger', async () => {
    withChampion();
    const client = fakeS3();
    const denied = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: CHALLENGER_KEY })).catch((e) => e);
    expect(denied).toBeInstanceOf(S3ServiceException);
    expect(denied).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const result = await decide({ ModelPackageArn: CHALLENGER }, { ...deps(), s3: client });
    expect(result).toMatchObject({ decision: 'Rejected', reason: `challenger report s3://${BUCKET}/${CHALLENGER_KEY} does not exist` });
  });
});
