/**
 * Served-model guard: the custom resource every serving stack runs before its endpoint's models change. It answers
 * CloudFormation itself (PUT to the event's ResponseURL): FAILED, with one line saying why, when the model package in
 * the template is not `Approved`, or is an older version of the group than the one the stack serves while that one is
 * still `Approved`; SUCCESS for Delete and whenever the stack is rolling back.
 *
 * Every decision is logged as one JSON line.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { decide, GuardClients, MODEL_PACKAGE_ARN_PROPERTY, Verdict } from './decide';
import { physicalResourceId, responseBody, sendResponse } from './response';

const sageMakerClients = new Map<string, SageMakerClient>();
const clients: GuardClients = {
  cloudFormation: new CloudFormationClient({}),
  sageMaker: (region) => {
    let client = sageMakerClients.get(region);
    if (!client) sageMakerClients.set(region, client = new SageMakerClient({ region }));
    return client;
  },
};

/** Lambda entry point (a CloudFormation custom resource provider). Never throws before CloudFormation has its answer. */
export async function handler(event: CloudFormationCustomResourceEvent): Promise<Verdict> {
  let verdict: Verdict;
  try {
    verdict = await decide(event, clients);
  } catch (err) {
    verdict = { ok: false, decision: 'unreadable', reason: `the guard failed: ${(err as Error).message}` };
  }
  console.log(JSON.stringify({
    requestType: event.RequestType,
    logicalResourceId: event.LogicalResourceId,
    physicalResourceId: physicalResourceId(event),
    modelPackageArn: event.ResourceProperties?.[MODEL_PACKAGE_ARN_PROPERTY],
    ...verdict,
  }));
  // A failed PUT throws: Lambda retries the (asynchronous) invocation, and the decision is the same again.
  await sendResponse(event.ResponseURL, responseBody(event, verdict.ok, verdict.reason));
  return verdict;
}
