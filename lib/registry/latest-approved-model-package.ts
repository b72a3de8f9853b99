// Types only: the SDK client is loaded when a lookup runs, so synths that look nothing up (most) don't pay for it.
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ModelApprovalStatus } from '../core/model-approval-status';
import { checkSageMakerName } from '../private/sagemaker-names';

/** Options of {@link lookupLatestApprovedModelPackage}. */
export interface LatestApprovedModelPackageOptions {
  /**
   * Region of the registry.
   * @default - the SDK's default (AWS_REGION, profile)
   */
  readonly region?: string;
  /**
   * The client to use (tests pass a mocked one).
   * @default - a new SageMakerClient for `region`
   */
  readonly client?: SageMakerClient;
}

const FALLBACK = 'or pass -c modelPackageArn=<arn>';

/**
 * Looks up, at synth time, the ARN of the most recently created **approved** model package of a registry group
 * (`ListModelPackages`, status Approved, newest first, one result).
 *
 * Fails with one line that names the group and what to do when no version is approved, when there are no AWS
 * credentials, or when they may not list the group's packages.
 *
 * @example
 * const arn = app.node.tryGetContext('modelPackageArn')
 *   ?? await lookupLatestApprovedModelPackage('churn', { region: 'eu-west-1' });
 */
export async function lookupLatestApprovedModelPackage(
  modelPackageGroupName: string,
  options: LatestApprovedModelPackageOptions = {},
): Promise<string> {
  checkSageMakerName(undefined, 'modelPackageGroupName', modelPackageGroupName);
  const sdk = await import('@aws-sdk/client-sagemaker');
  const client = options.client ?? new sdk.SageMakerClient(options.region ? { region: options.region } : {});
  const group = `'${modelPackageGroupName}'`;
  let response;
  try {
    response = await client.send(new sdk.ListModelPackagesCommand({
      ModelPackageGroupName: modelPackageGroupName,
      ModelApprovalStatus: ModelApprovalStatus.APPROVED,
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 1,
    }));
  } catch (error) {
    throw new Error(oneLine(describeFailure(error, group)));
  }
  const arn = response.ModelPackageSummaryList?.[0]?.ModelPackageArn;
  if (!arn) {
    throw new Error(`no approved model package in group ${group}: approve one in SageMaker Studio ${FALLBACK}`);
  }
  return arn;
}

function describeFailure(error: unknown, group: string): string {
  const e = error as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? e?.Code ?? '';
  const message = e?.message ?? String(error);
  if (name === 'CredentialsProviderError' || (/could not load credentials/i.test(message) && !e?.$metadata?.httpStatusCode)) {
    return `no AWS credentials to look up the latest approved model package of group ${group}: `
      + `configure credentials (AWS_PROFILE or AWS_ACCESS_KEY_ID) for the registry's account ${FALLBACK}`;
  }
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name) || e?.$metadata?.httpStatusCode === 403) {
    return `access denied listing the model packages of group ${group}: `
      + `use credentials allowed sagemaker:ListModelPackages in the registry's account ${FALLBACK}`;
  }
  return `could not look up the latest approved model package of group ${group} (${name || 'error'}: ${message}) ${FALLBACK}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
