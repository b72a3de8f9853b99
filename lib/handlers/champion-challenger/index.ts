import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { EventBridgeEvent } from 'aws-lambda';
import { retryingClientConfig } from './clients';
import { decide, ModelPackageStateChange } from './decide';
import { DecisionRecord } from './decision-record';
import { settingsFromEnv } from './settings';

const sagemaker = new SageMakerClient(retryingClientConfig());
const s3 = new S3Client(retryingClientConfig());

/**
 * Champion/challenger approval: invoked by EventBridge for a model package registered in the group
 * ("SageMaker Model Package State Change", PendingManualApproval), approves or rejects it against the champion.
 */
export async function handler(event: EventBridgeEvent<'SageMaker Model Package State Change', ModelPackageStateChange>): Promise<DecisionRecord> {
  return decide(event.detail ?? {}, {
    sagemaker,
    s3,
    settings: settingsFromEnv(),
    log: (line) => process.stdout.write(`${line}\n`),
  });
}
