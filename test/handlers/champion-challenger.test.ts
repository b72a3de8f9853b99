import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  DescribeModelPackageCommandOutput,
  ListModelPackagesCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { decide, Dependencies } from '../../lib/handlers/champion-challenger/decide';
import { parseEvaluationReport, parseS3Uri } from '../../lib/handlers/champion-challenger/evaluation-report';
import { Settings } from '../../lib/handlers/champion-challenger/settings';

const sagemaker = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);

const GROUP = 'recommendation';
const BUCKET = 'reports-bucket';
const CHALLENGER = `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/7`;
const CHAMPION = `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/6`;

const SETTINGS: Settings = {
  modelPackageGroupName: GROUP,
  reportsBucketName: BUCKET,
  reportsKeyPrefix: 'evaluation/',
  promotionMetric: 'accuracy',
  promotionMargin: 0.01,
  higherIsBetter: true,
  guardMetrics: ['precision', 'recall'],
  guardMetricTolerance: 0,
  minimumValue: 0.7,
};

let lines: string[];
function deps(settings: Partial<Settings> = {}): Dependencies {
  return { sagemaker: new SageMakerClient({}), s3: new S3Client({}), settings: { ...SETTINGS, ...settings }, log: (l) => lines.push(l) };
}

function pkg(arn: string, status: string, reportKey?: string, extra: Partial<DescribeModelPackageCommandOutput> = {}): DescribeModelPackageCommandOutput {
  return {
    $metadata: {},
    ModelPackageArn: arn,
    ModelPackageGroupName: GROUP,
    ModelPackageName: GROUP,
    ModelPackageStatus: 'Completed',
    CreationTime: new Date(),
    ModelApprovalStatus: status as any,
    ModelMetrics: reportKey ? { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: `s3://${BUCKET}/${reportKey}` } } } : undefined,
    ...extra,
  } as DescribeModelPackageCommandOutput;
}

/** An object S3 holds: listed under its exact key, and readable. */
function stored(key: string, text: string): void {
  s3.on(ListObjectsV2Command, { Bucket: BUCKET, Prefix: key, MaxKeys: 1 }).resolves({ KeyCount: 1, Contents: [{ Key: key }] });
  s3.on(GetObjectCommand, { Bucket: BUCKET, Key: key }).resolves({ Body: { transformToString: async () => text } as any });
}

function report(metrics: { [k: string]: number }): string {
  return JSON.stringify({ metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, { value: v }])) });
}

/** Registers the challenger (pending), an optional champion, and the reports under evaluation/<name>.json. */
function given(opts: { challenger?: { [k: string]: number } | null; champion?: { [k: string]: number } | null | 'none' }): void {
  const challengerKey = opts.challenger === null ? undefined : 'evaluation/challenger.json';
  sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: CHALLENGER }).resolves(pkg(CHALLENGER, 'PendingManualApproval', challengerKey));
  if (opts.challenger) {
    stored('evaluation/challenger.json', report(opts.challenger));
  }
  if (opts.champion === 'none' || opts.champion === undefined) {
    sagemaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
  } else {
    sagemaker.on(ListModelPackagesCommand).resolves({
      ModelPackageSummaryList: [{ ModelPackageArn: CHAMPION, ModelPackageStatus: 'Completed', CreationTime: new Date(), ModelApprovalStatus: 'Approved' }],
    });
    const championKey = opts.champion === null ? undefined : 'evaluation/champion.json';
    sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: CHAMPION }).resolves(pkg(CHAMPION, 'Approved', championKey));
    if (opts.champion) {
      stored('evaluation/champion.json', report(opts.champion));
    }
  }
  sagemaker.on(UpdateModelPackageCommand).resolves({ ModelPackageArn: CHALLENGER });
}

function updates() {
  return sagemaker.commandCalls(UpdateModelPackageCommand).map((c) => c.args[0].input);
}

function loggedDecision(): any {
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]);
}

const CHAMPION_METRICS = { accuracy: 0.9, precision: 0.85, recall: 0.8 };

beforeEach(() => {
  sagemaker.reset();
  s3.reset();
  // What S3 lists for a key no object has.
  s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
  lines = [];
});

describe('champion/challenger decision', () => {
  test('a challenger that beats the champion by the margin and holds the guards is approved', async () => {
    given({ challenger: { accuracy: 0.92, precision: 0.86, recall: 0.8 }, champion: CHAMPION_METRICS });
    const result = await decide({ ModelPackageArn: CHALLENGER }, deps());

    expect(result.decision).toBe('Approved');
    expect(updates()).toEqual([{
      ModelPackageArn: CHALLENGER,
      ModelApprovalStatus: 'Approved',
      ApprovalDescription: expect.stringMatching(/^\[champion-challenger\] Approved: beats the champion: accuracy 0\.92 vs champion 0\.9 \(\+0\.02, margin 0\.01\); guards held: precision 0\.86 vs 0\.85, recall 0\.8 vs 0\.8\. Champion: arn:.*\/6\.$/),
    }]);
    // The champion is the newest Approved package of this group.
    expect(sagemaker.commandCalls(ListModelPackagesCommand)[0].args[0].input).toEqual({
      ModelPackageGroupName: GROUP, ModelApprovalStatus: 'Approved', ModelPackageType: 'Versioned',
      SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 1,
    });
    const line = loggedDecision();
    expect(line).toMatchObject({
      level: 'INFO', decision: 'Approved', modelPackageArn: CHALLENGER, championArn: CHAMPION, promotionMetric: 'accuracy',
      challengerMetrics: { accuracy: 0.92 }, championMetrics: { accuracy: 0.9 },
      challengerReport: `s3://${BUCKET}/evaluation/challenger.json`,
    });
    expect(line.promotion.passed).toBe(true);
  });

  test('a worse challenger is rejected with the comparison in the description', async () => {
    given({ challenger: { accuracy: 0.85, precision: 0.9, recall: 0.9 }, champion: CHAMPION_METRICS });
    const result = await decide({ ModelPackageArn: CHALLENGER }, deps());
    expect(result.decision).toBe('Rejected');
    expect(updates()[0]).toMatchObject({
      ModelApprovalStatus: 'Rejected',
      ApprovalDescription: expect.stringContaining('does not beat the champion by the margin: accuracy 0.85 vs champion 0.9 (-0.05, margin 0.01)'),
    });
    expect(loggedDecision()).toMatchObject({ decision: 'Rejected', promotion: { passed: false } });
  });

  test('a tie, and an improvement smaller than the margin, are rejected', async () => {
    given({ challenger: { accuracy: 0.9, precision: 0.85, recall: 0.8 }, champion: CHAMPION_METRICS });
    expect((await decide({ ModelPackageArn: CHALLENGER }, deps())).decision).toBe('Rejected');

    sagemaker.reset(); s3.reset(); lines = [];
    given({ challenger: { accuracy: 0.905, precision: 0.85, recall: 0.8 }, champion: CHAMPION_METRICS });
    const small = await decide({ ModelPackageArn: CHALLENGER }, deps());
    expect(small.decision).toBe('Rejected');
    expect(updates()[0].ApprovalDescription).toContain('(+0.005, margin 0.01)');
  });

  test('with margin 0 a tie is still rejected: the challenger must be strictly better', async () => {
    given({ challenger: { accuracy: 0.9, precision: 0.85, recall: 0.8 }, champion: CHAMPION_METRICS });
    expect((await decide({ ModelPackageArn: CHALLENGER }, deps({ promotionMargin: 0 }))).decision).toBe('Rejected');
  });

  test('a better challenger that is worse on a guard metric is rejected, naming the guard', async () => {
    given({ challenger: { accuracy: 0.95, precision: 0.84, recall: 0.9 }, champion: CHAMPION_METRICS });
    const result = await decide({ ModelPackageArn: CHALLENGER }, deps());
    expect(result.decision).toBe('Rejected');
    expect(updates()[0].ApprovalDescription).toContain('worse than the champion on a guard metric: precision 0.84 vs champion 0.85 (-0.01)');
    expect(loggedDecision().guards).toEqual([
      expect.objectContaining({ metric: 'precision', passed: false }),
      expect.objectContaining({ metric: 'recall', passed: true }),
    ]);
  });

  test('a guard tolerance lets a guard metric drop by at most the tolerance', async () => {
    given({ challenger: { accuracy: 0.95, precision: 0.84, recall: 0.8 }, champion: CHAMPION_METRICS });
    expect((await decide({ ModelPackageArn: CHALLENGER }, deps({ guardMetricTolerance: 0.02 }))).decision).toBe('Approved');
  });

  test('lower-is-better metrics: a smaller value wins', async () => {
    given({ challenger: { rmse: 1.2 }, champion: { rmse: 1.5 } });
    const result = await decide({ ModelPackageArn: CHALLENGER }, deps({ promotionMetric: 'rmse', higherIsBetter: false, guardMetrics: [], promotionMargin: 0.1 }));
    expect(result.decision).toBe('Approved');
    expect(updates()[0].ApprovalDescription).toContain('rmse 1.2 vs champion 1.5 (+0.3, margin 0.1)');
  });

  test('a challenger without ModelMetrics is rejected with the reason', async () => {
    given({ challenger: null, champion: CHAMPION_METRICS });
    const result = await decide({ ModelPackageArn: CHALLENGER }, deps());
    expect(result.decision).toBe('Rejected');
    expect(updates()[0]).toMatchObject({
      ModelApprovalStatus: 'Rejected',
      ApprovalDescription: '[champion-challenger] Rejected: challenger has no ModelMetrics.ModelQuality.Statistics report.',
    });
    expect(sagemaker.commandCalls(ListModelPackagesCommand)).toHaveLength(0);
  });

  test('a challenger whose report lacks the promotion metric is rejected', async () => {
    given({ challenger: { precision: 0.9, recall: 0.9 }, champion: CHAMPION_METRICS });
    expect((await decide({ ModelPackageArn: CHALLENGER }, deps())).decision).toBe('Rejected');
    expect(updates()[0].ApprovalDescription).toContain("challenger's evaluation report has no 'accuracy' metric");
  });

  test('a challenger report that lies outside the reports bucket is rejected with the reason', async () => {
    given({ champion: CHAMPION_METRICS });
    sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: CHALLENGER }).resolves(
      pkg(CHALLENGER, 'PendingManualApproval', undefined, { ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://someone-else/evaluation/x.json' } } } }));
    expect((await decide({ ModelPackageArn: CHALLENGER }, deps())).decision).toBe('Rejected');
    expect(updates()[0].ApprovalDescription).toContain(`outside the reports location s3://${BUCKET}/evaluation/`);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  test('a champion without metrics leaves the challenger pending for a person, marked so it is not decided again', async () => {
    given({ challenger: { accuracy: 0.95, precision: 0.9, recall: 0.9 }, champion: null });
    const result = await decide({ ModelPackageArn: CHALLENGER }, deps());
    expect(result.decision).toBe('ManualReview');
    const [update] = updates();
    expect(update.ModelApprovalStatus).toBeUndefined();
    expect(update.ApprovalDescription).toMatch(/^\[champion-challenger\] Manual review: champion has no ModelMetrics\.ModelQuality\.Statistics report, so the models cannot be compared\. Champion: arn:/);

    // The description update may emit another state-change event: the marked package is then left alone.
    sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: CHALLENGER })
      .resolves(pkg(CHALLENGER, 'PendingManualApproval', 'evaluation/challenger.json', { ApprovalDescription: update.ApprovalDescription }));
    sagemaker.resetHistory();
    const again = await decide({ ModelPackageArn: CHALLENGER }, deps());
    expect(again).toMatchObject({ decision: 'Skipped', reason: 'package was already left for manual review' });
    expect(updates()).toHaveLength(0);
  });

  test('a champion report without a guard metric also goes to manual review', async () => {
    given({ challenger: { accuracy: 0.95, precision: 0.9, recall: 0.9 }, champion: { accuracy: 0.9, precision: 0.85 } });
    const result = await decide({ ModelPackageArn: CHALLENGER }, deps());
    expect(result.decision).toBe('ManualReview');
    expect(result.reason).toContain("champion's evaluation report has no 'recall' metric");
  });

  test('the first model is approved when it clears the floor', async () => {
    given({ challenger: { accuracy: 0.75 }, champion: 'none' });
    const result = await decide({ ModelPackageArn: CHALLENGER }, deps());
    expect(result.decision).toBe('Approved');
    expect(updates()[0]).toMatchObject({
      ModelApprovalStatus: 'Approved',
      ApprovalDescription: '[champion-challenger] Approved: no approved champion yet; accuracy 0.75 meets the floor 0.7.',
    });
    const line = loggedDecision();
    expect(line.decision).toBe('Approved');
    expect(line.championArn).toBeUndefined();
  });

  test('the first model is rejected when it misses the floor', async () => {
    given({ challenger: { accuracy: 0.65 }, champion: 'none' });
    const result = await decide({ ModelPackageArn: CHALLENGER }, deps());
    expect(result.decision).toBe('Rejected');
    expect(updates()[0].ApprovalDescription).toBe('[champion-challenger] Rejected: no approved champion yet; accuracy 0.65 misses the floor 0.7.');
  });

  test('an already decided package is left alone', async () => {
    sagemaker.on(DescribeModelPackageCommand).resolves(pkg(CHALLENGER, 'Approved', 'evaluation/challenger.json'));
    const result = await decide({ ModelPackageArn: CHALLENGER }, deps());
    expect(result).toMatchObject({ decision: 'Skipped', reason: 'package is already Approved, not PendingManualApproval' });
    expect(updates()).toHaveLength(0);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(loggedDecision()).toMatchObject({ decision: 'Skipped', modelPackageArn: CHALLENGER });
  });

  test('a package of another group is left alone', async () => {
    sagemaker.on(DescribeModelPackageCommand).resolves(pkg(CHALLENGER, 'PendingManualApproval', 'x', { ModelPackageGroupName: 'other' }));
    expect((await decide({ ModelPackageArn: CHALLENGER }, deps())).decision).toBe('Skipped');
    expect(updates()).toHaveLength(0);
  });

  test('errors that survive the SDK retries fail the invocation without deciding', async () => {
    given({ challenger: { accuracy: 0.95, precision: 0.9, recall: 0.9 }, champion: CHAMPION_METRICS });
    sagemaker.on(ListModelPackagesCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(decide({ ModelPackageArn: CHALLENGER }, deps())).rejects.toThrow('Rate exceeded');
    expect(updates()).toHaveLength(0);

    s3.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await expect(decide({ ModelPackageArn: CHALLENGER }, deps())).rejects.toThrow('Access Denied');
    expect(updates()).toHaveLength(0);
  });

  test('an event without a model package ARN fails loudly', async () => {
    await expect(decide({}, deps())).rejects.toThrow('the event has no detail.ModelPackageArn');
  });
});

describe('evaluation reports', () => {
  test('the pipeline format and the groups of SageMaker\'s model-quality format are read; other entries are ignored', () => {
    expect(parseEvaluationReport(JSON.stringify({
      metrics: { accuracy: { value: 0.9 }, note: { value: 'n/a' } },
      binary_classification_metrics: { accuracy: { value: 0.1 }, recall: { value: 0.8, standard_deviation: 0.01 } },
      regression_metrics: { mse: 1.5 },
      other: { precision: { value: 1 } },
    }))).toEqual({ accuracy: 0.9, recall: 0.8, mse: 1.5 });
    expect(() => parseEvaluationReport('[1]')).toThrow('the report is not a JSON object');
    expect(parseS3Uri('s3://bucket/a/b.json')).toEqual({ bucket: 'bucket', key: 'a/b.json' });
    expect(parseS3Uri('https://bucket/a')).toBeUndefined();
  });

  test('a challenger report that is not JSON is rejected with the reason', async () => {
    given({ champion: CHAMPION_METRICS });
    stored('evaluation/challenger.json', 'accuracy=0.9');
    expect((await decide({ ModelPackageArn: CHALLENGER }, deps())).decision).toBe('Rejected');
    expect(updates()[0].ApprovalDescription).toMatch(/report s3:\/\/reports-bucket\/evaluation\/challenger\.json is not a JSON evaluation report \(.+\)/);
  });

  test('the approval description stays within SageMaker\'s 1024 characters', async () => {
    const long = 'm'.repeat(60);
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`${long}${i}`, 0.9]));
    given({ challenger: { accuracy: 0.95, ...many }, champion: { accuracy: 0.9, ...many } });
    await decide({ ModelPackageArn: CHALLENGER }, deps({ guardMetrics: Object.keys(many) }));
    const description = updates()[0].ApprovalDescription!;
    expect(description).toHaveLength(1024);
    expect(description.endsWith('...')).toBe(true);
  });
});
