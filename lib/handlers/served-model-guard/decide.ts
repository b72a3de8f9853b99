import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ModelPackageRef, parseModelPackageArn } from './model-package';

/** The clients the guard calls; SageMaker by region, because it reads each package in the package's own region. */
export interface GuardClients {
  readonly cloudFormation: CloudFormationClient;
  sageMaker(region: string): SageMakerClient;
}

/** What the guard answers CloudFormation: SUCCESS (`ok`) or FAILED, with one line saying why. */
export interface Verdict {
  readonly ok: boolean;
  readonly reason: string;
  /** What was decided, for the log line. */
  readonly decision: 'deleted' | 'rollback' | 'approved' | 'not-approved' | 'older-than-served' | 'invalid' | 'unreadable';
}

/** Stack statuses in which CloudFormation is rolling back: the guard never stands in the way of a rollback. */
const ROLLING_BACK = /ROLLBACK_IN_PROGRESS$/;

/** The property of the custom resource that names the model package being deployed. */
export const MODEL_PACKAGE_ARN_PROPERTY = 'ModelPackageArn';

/**
 * Decides whether the serving stack may deploy the model package of this custom-resource event:
 *
 * - Delete: always yes (nothing is deployed by removing the guard).
 * - While the stack rolls back (`*_ROLLBACK_IN_PROGRESS`, read with DescribeStacks): always yes, at once.
 * - Create/Update: the package must be `Approved`; and on Update, a lower version of the same group than the package
 *   the stack serves now (`OldResourceProperties`) is refused while that newer package is still `Approved` (once it
 *   is rejected or deleted, going back to the older one is allowed).
 */
export async function decide(event: CloudFormationCustomResourceEvent, clients: GuardClients): Promise<Verdict> {
  if (event.RequestType === 'Delete') return { ok: true, decision: 'deleted', reason: 'Delete: nothing to check' };

  const status = await stackStatus(clients.cloudFormation, event.StackId);
  if (status !== undefined && ROLLING_BACK.test(status)) {
    return { ok: true, decision: 'rollback', reason: `stack is ${status}: a rollback is never refused` };
  }

  const raw = event.ResourceProperties[MODEL_PACKAGE_ARN_PROPERTY];
  const target = parseModelPackageArn(raw);
  if (!target) {
    return {
      ok: false,
      decision: 'invalid',
      reason: `${MODEL_PACKAGE_ARN_PROPERTY} must be a versioned model package ARN (arn:...:model-package/<group>/<version>), got '${shorten(String(raw), 300)}'`,
    };
  }

  const targetStatus = await approvalStatus(clients, target);
  if (targetStatus.error) return { ok: false, decision: 'unreadable', reason: `could not read model package ${target.arn}: ${targetStatus.error}` };
  if (targetStatus.status !== 'Approved') {
    return {
      ok: false,
      decision: 'not-approved',
      reason: `model package ${target.arn} is ${targetStatus.status ?? 'not found'}, not Approved: only approved model packages are served`,
    };
  }

  if (event.RequestType === 'Update') {
    const served = parseModelPackageArn(event.OldResourceProperties?.[MODEL_PACKAGE_ARN_PROPERTY]);
    if (served && served.groupKey === target.groupKey && target.version < served.version) {
      const servedStatus = await approvalStatus(clients, served);
      if (servedStatus.error) {
        return { ok: false, decision: 'unreadable', reason: `could not read the served model package ${served.arn}: ${servedStatus.error}` };
      }
      if (servedStatus.status === 'Approved') {
        return {
          ok: false,
          decision: 'older-than-served',
          reason: `model package version ${target.version} is older than version ${served.version} (${served.arn}), which this stack serves and which is still Approved: `
            + `reject version ${served.version} in the registry to go back to version ${target.version}`,
        };
      }
    }
  }
  return { ok: true, decision: 'approved', reason: `model package ${target.arn} is Approved` };
}

/** The stack's status, or undefined when it cannot be read (the package checks then decide alone). */
async function stackStatus(client: CloudFormationClient, stackId: string): Promise<string | undefined> {
  try {
    const result = await client.send(new DescribeStacksCommand({ StackName: stackId }));
    return result.Stacks?.[0]?.StackStatus;
  } catch (err) {
    console.log(JSON.stringify({ warning: 'DescribeStacks failed', stackId, error: errorText(err) }));
    return undefined;
  }
}

/** The approval status of a package; `status` undefined when the package does not exist (any more). */
async function approvalStatus(clients: GuardClients, ref: ModelPackageRef): Promise<{ status?: string; error?: string }> {
  try {
    const result = await clients.sageMaker(ref.region).send(new DescribeModelPackageCommand({ ModelPackageName: ref.arn }));
    return { status: result.ModelApprovalStatus ?? 'without approval status' };
  } catch (err) {
    if (isNotFound(err)) return {};
    return { error: errorText(err) };
  }
}

/** SageMaker answers DescribeModelPackage of a deleted package with a ValidationException saying it does not exist. */
function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; message?: string };
  return (e.name === 'ValidationException' || e.name === 'ResourceNotFound') && /does not exist|not found/i.test(e.message ?? '');
}

function errorText(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return shorten(`${e.name ?? 'Error'}: ${e.message ?? String(err)}`, 500);
}

/** `text` cut to `max` characters, marked with an ellipsis when cut. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
