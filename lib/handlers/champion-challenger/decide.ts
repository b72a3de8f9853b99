import { S3Client } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  DescribeModelPackageCommandOutput,
  ListModelPackagesCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { judgeAgainstChampion, judgeFirstModel, Judgement } from './comparison';
import { approvalDescription, DecisionRecord, logLine, MANUAL_REVIEW_PREFIX } from './decision-record';
import { readEvidence } from './evidence';
import { Settings } from './settings';

/** The detail of a "SageMaker Model Package State Change" event (the fields the handler reads). */
export interface ModelPackageStateChange {
  readonly ModelPackageArn?: string;
  readonly ModelPackageGroupName?: string;
  readonly ModelApprovalStatus?: string;
}

/** What `decide` works with: the clients, the settings and where the decision line goes. */
export interface Dependencies {
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
  readonly settings: Settings;
  /** Receives the one JSON log line of the decision. */
  readonly log: (line: string) => void;
}

const PENDING = 'PendingManualApproval';

async function describe(deps: Dependencies, arn: string): Promise<DescribeModelPackageCommandOutput> {
  return deps.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
}

/** The champion: the newest Approved package of the group, or undefined when none is approved yet. */
async function findChampion(deps: Dependencies): Promise<DescribeModelPackageCommandOutput | undefined> {
  const list = await deps.sagemaker.send(new ListModelPackagesCommand({
    ModelPackageGroupName: deps.settings.modelPackageGroupName,
    ModelApprovalStatus: 'Approved',
    ModelPackageType: 'Versioned',
    SortBy: 'CreationTime',
    SortOrder: 'Descending',
    MaxResults: 1,
  }));
  const newest = list.ModelPackageSummaryList?.[0]?.ModelPackageArn;
  return newest ? describe(deps, newest) : undefined;
}

/** Compares the challenger with the champion (or the floor) and gathers everything the record shows. */
async function judge(deps: Dependencies, challenger: DescribeModelPackageCommandOutput): Promise<Partial<DecisionRecord> & { judgement: Judgement }> {
  const { settings } = deps;
  const challengerEvidence = await readEvidence(deps.s3, settings, challenger);
  const base = { challengerReport: challengerEvidence.reportUri, challengerMetrics: challengerEvidence.metrics };
  if (!challengerEvidence.metrics) {
    return { ...base, judgement: { verdict: 'Rejected', reason: `challenger ${challengerEvidence.problem}`, guards: [] } };
  }
  const champion = await findChampion(deps);
  if (!champion) {
    return { ...base, judgement: judgeFirstModel(settings, challengerEvidence.metrics) };
  }
  const championArn = champion.ModelPackageArn;
  const championEvidence = await readEvidence(deps.s3, settings, champion);
  const withChampion = { ...base, championArn, championReport: championEvidence.reportUri, championMetrics: championEvidence.metrics };
  if (!championEvidence.metrics) {
    return {
      ...withChampion,
      judgement: { verdict: 'ManualReview', reason: `champion ${championEvidence.problem}, so the models cannot be compared`, guards: [] },
    };
  }
  return { ...withChampion, judgement: judgeAgainstChampion(settings, challengerEvidence.metrics, championEvidence.metrics) };
}

/**
 * Decides on one registered model package and records the decision.
 *
 * - Packages of another group, packages no longer `PendingManualApproval` and packages already deferred to a
 *   person are skipped (idempotent: a retried or duplicated event changes nothing).
 * - Approved / Rejected: `UpdateModelPackage` sets the status with the comparison as `ApprovalDescription`.
 * - ManualReview (the champion's metrics are missing): only the description is written, with a marker, and the
 *   package stays pending for a person.
 * - Every outcome, including skips, is logged as one JSON line.
 *
 * SDK errors (after the clients' own retries) are thrown: the invocation fails and goes to the dead-letter queue.
 */
export async function decide(detail: ModelPackageStateChange, deps: Dependencies): Promise<DecisionRecord> {
  const arn = detail.ModelPackageArn;
  if (!arn) throw new Error('the event has no detail.ModelPackageArn: not a "SageMaker Model Package State Change" event');
  const { settings } = deps;
  const record = (r: DecisionRecord): DecisionRecord => {
    deps.log(logLine(r));
    return r;
  };

  const pkg = await describe(deps, arn);
  const group = pkg.ModelPackageGroupName;
  const skip = (reason: string) => record({ decision: 'Skipped', reason, modelPackageArn: arn, modelPackageGroupName: group });
  if (group !== settings.modelPackageGroupName) {
    return skip(`package belongs to group '${group}', not '${settings.modelPackageGroupName}'`);
  }
  if (pkg.ModelApprovalStatus !== PENDING) {
    return skip(`package is already ${pkg.ModelApprovalStatus ?? 'without approval status'}, not ${PENDING}`);
  }
  if (pkg.ApprovalDescription?.startsWith(MANUAL_REVIEW_PREFIX)) {
    return skip('package was already left for manual review');
  }

  const { judgement, ...evidence } = await judge(deps, pkg);
  const description = approvalDescription(judgement.verdict, judgement.reason, evidence.championArn);
  await deps.sagemaker.send(new UpdateModelPackageCommand({
    ModelPackageArn: arn,
    ModelApprovalStatus: judgement.verdict === 'ManualReview' ? undefined : judgement.verdict,
    ApprovalDescription: description,
  }));
  return record({
    decision: judgement.verdict,
    reason: judgement.reason,
    modelPackageArn: arn,
    modelPackageGroupName: group,
    promotionMetric: settings.promotionMetric,
    ...evidence,
    promotion: judgement.promotion,
    guards: judgement.guards,
    approvalDescription: description,
  });
}
