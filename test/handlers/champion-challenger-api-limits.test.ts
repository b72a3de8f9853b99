import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand, DescribeModelPackageCommandOutput, ListModelPackagesCommand, SageMakerClient, UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { decide, Dependencies } from '../../lib/handlers/champion-challenger/decide';
import { approvalDescription, MAX_APPROVAL_DESCRIPTION } from '../../lib/handlers/champion-challenger/decision-record';
import { Settings } from '../../lib/handlers/champion-challenger/settings';
import { apiViolations } from '../../lib/handlers/shared/api-limits';
import { randomText, seededRandom } from '../support/alarm-events';
import { sentCalls, violationsOf } from '../support/api-calls';

/**
 * Every value the champion/challenger handler sends (DescribeModelPackage, ListModelPackages, GetObject,
 * UpdateModelPackage) satisfies the documented limits of its member, whatever the reports and packages hold.
 */

const sagemaker = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);

const GROUP = 'recommendation';
const BUCKET = 'mlops-data-artifactsbucket-1a2b3c4d5e6f';
const CHALLENGER = `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/7`;
const CHAMPION = `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/6`;
const SETTINGS: Settings = {
  modelPackageGroupName: GROUP,
  reportsBucketName: BUCKET,
  reportsKeyPrefix: 'recommendation/runs/',
  promotionMetric: 'accuracy',
  promotionMargin: 0.01,
  higherIsBetter: true,
  guardMetrics: ['precision', 'recall'],
  guardMetricTolerance: 0,
  minimumValue: 0.7,
};
const CHALLENGER_KEY = 'recommendation/runs/a1b2c3d4e5f6/evaluate/evaluation/evaluation.json';
const CHAMPION_KEY = 'recommendation/runs/0f9e8d7c6b5a/evaluate/evaluation/evaluation.json';

function deps(settings: Partial<Settings> = {}): Dependencies {
  return { sagemaker: new SageMakerClient({}), s3: new S3Client({}), settings: { ...SETTINGS, ...settings }, log: () => undefined };
}

function pkg(arn: string, status: string, key: string | undefined): DescribeModelPackageCommandOutput {
  return {
    $metadata: {},
    ModelPackageArn: arn,
    ModelPackageGroupName: GROUP,
    ModelPackageName: GROUP,
    ModelPackageStatus: 'Completed',
    CreationTime: new Date(),
    ModelApprovalStatus: status as any,
    ModelMetrics: key ? { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: `s3://${BUCKET}/${key}` } } } : undefined,
  } as DescribeModelPackageCommandOutput;
}

function body(text: string): any {
  return { Body: { transformToString: async () => text } };
}

function report(metrics: { [k: string]: number }): string {
  return JSON.stringify({ metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, { value: v }])) }, undefined, 2);
}

/** S3 lists `key` (the handler lists a report's exact key before it reads it) and answers its GetObject with `text`. */
function stored(key: string, text: string): void {
  s3.on(ListObjectsV2Command, { Bucket: BUCKET, Prefix: key, MaxKeys: 1 }).resolves({ KeyCount: 1, Contents: [{ Key: key }] });
  s3.on(GetObjectCommand, { Bucket: BUCKET, Key: key }).resolves(body(text));
}

/** The challenger with the report text `challenger`, and a champion with `champion` (undefined: no champion). */
function given(challenger: string, champion?: string | null): void {
  sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: CHALLENGER }).resolves(pkg(CHALLENGER, 'PendingManualApproval', CHALLENGER_KEY));
  stored(CHALLENGER_KEY, challenger);
  if (champion === undefined) {
    sagemaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
  } else {
    sagemaker.on(ListModelPackagesCommand).resolves({
      ModelPackageSummaryList: [{ ModelPackageArn: CHAMPION, ModelPackageStatus: 'Completed', CreationTime: new Date(), ModelApprovalStatus: 'Approved' }],
    });
    sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: CHAMPION }).resolves(pkg(CHAMPION, 'Approved', champion === null ? undefined : CHAMPION_KEY));
    if (champion !== null) stored(CHAMPION_KEY, champion);
  }
  sagemaker.on(UpdateModelPackageCommand).resolves({ ModelPackageArn: CHALLENGER });
}

function everyViolation(): string[] {
  return violationsOf([...sentCalls('sagemaker', sagemaker), ...sentCalls('s3', s3)]);
}

function description(): string {
  return sagemaker.commandCalls(UpdateModelPackageCommand)[0].args[0].input.ApprovalDescription!;
}

beforeEach(() => {
  sagemaker.reset();
  s3.reset();
});

describe('champion/challenger: every call within the API limits', () => {
  test.each([
    ['approved against the champion', report({ accuracy: 0.93, precision: 0.9, recall: 0.85 }), report({ accuracy: 0.9, precision: 0.88, recall: 0.84 }), 'Approved'],
    ['rejected on a guard metric', report({ accuracy: 0.93, precision: 0.7, recall: 0.85 }), report({ accuracy: 0.9, precision: 0.88, recall: 0.84 }), 'Rejected'],
    ['the first model, against the floor', report({ accuracy: 0.8 }), undefined, 'Approved'],
    ['left for review: the champion has no report', report({ accuracy: 0.93, precision: 0.9, recall: 0.85 }), null, 'ManualReview'],
  ])('%s', async (_name, challenger, champion, decision) => {
    given(challenger, champion);
    const result = await decide({ ModelPackageArn: CHALLENGER }, deps());
    expect(result.decision).toBe(decision);
    expect(sagemaker.commandCalls(UpdateModelPackageCommand)).toHaveLength(1);
    expect(everyViolation()).toEqual([]);
  });

  test('a report that is not JSON and has line breaks rejects the challenger with a one-line description', async () => {
    // JSON.parse quotes a short input, line breaks included, in its message; the message reaches the description.
    given('accuracy\n0.93\n');
    const result = await decide({ ModelPackageArn: CHALLENGER }, deps());
    expect(result.decision).toBe('Rejected');
    expect(everyViolation()).toEqual([]);
    expect(description()).toMatch(/^\[champion-challenger\] Rejected: challenger report s3:\/\/.* is not a JSON evaluation report \(.*accuracy 0\.93 .*\)\.$/);
  });

  test('property: 200 random reports and metric names (seeded) give valid calls', async () => {
    const random = seededRandom(1024);
    const problems: string[] = [];
    for (let i = 0; i < 200; i++) {
      sagemaker.reset();
      s3.reset();
      const metric = randomText(random, 1 + Math.floor(random() * 300));
      const challenger = random() < 0.5
        ? JSON.stringify({ metrics: { [metric]: { value: random() }, accuracy: { value: random() } } })
        : randomText(random, Math.floor(random() * 40));
      given(challenger, random() < 0.5 ? report({ [metric]: random(), accuracy: random(), precision: 0.5, recall: 0.5 }) : undefined);
      await decide({ ModelPackageArn: CHALLENGER }, deps({ promotionMetric: metric, guardMetrics: random() < 0.5 ? [metric, 'precision'] : [] }));
      problems.push(...everyViolation().map((v) => `#${i}: ${v}`));
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });
});

describe('approvalDescription: within ApprovalDescription (0-1024 characters, .*)', () => {
  test('line breaks of the reason become spaces', () => {
    const text = approvalDescription('Rejected', 'challenger report s3://b/k is not a JSON evaluation report (Unexpected token \'a\', "accuracy\n0.93\r\n" is not valid JSON)');
    expect(apiViolations('sagemaker:UpdateModelPackage', { ApprovalDescription: text })).toEqual([]);
    expect(text).toBe('[champion-challenger] Rejected: challenger report s3://b/k is not a JSON evaluation report (Unexpected token \'a\', "accuracy 0.93 " is not valid JSON).');
  });

  test('a long reason is cut to 1024 characters, never inside a surrogate pair', () => {
    for (let shift = 0; shift < 4; shift++) {
      const text = approvalDescription('Rejected', `${'x'.repeat(shift)}${'😀'.repeat(600)}`, CHAMPION);
      expect(text.length).toBeLessThanOrEqual(MAX_APPROVAL_DESCRIPTION);
      expect(text.endsWith('...')).toBe(true);
      expect(apiViolations('sagemaker:UpdateModelPackage', { ApprovalDescription: text })).toEqual([]);
    }
  });
});
