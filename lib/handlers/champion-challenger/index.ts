import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { EventBridgeEvent } from 'aws-lambda';
import { retryingClientConfig } from './clients';
import { decide, ModelPackageStateChange } from './decide';
import { DecisionRecord } from './decision-record';
import { settingsFromEnv } from './settings';

const sagemaker = new SageMakerClient(retryingClientConfig());
const s3 = new S3Client(retryingClientConfig());

function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Champion/challenger approval: invoked by EventBridge for a model package registered in the group
 * ("SageMaker Model Package State Change", PendingManualApproval), approves or rejects it against the champion.
 *
 * A failure (bad configuration, an SDK error after the clients' retries) is logged as one JSON line and thrown, so
 * Lambda retries the event and finally sends it to the dead-letter queue.
 */
export async function handler(event: EventBridgeEvent<'SageMaker Model Package State Change', ModelPackageStateChange>): Promise<DecisionRecord> {
  try {
    return await decide(event.detail ?? {}, { sagemaker, s3, settings: settingsFromEnv(), log: writeLine });
  } catch (err) {
    writeLine(JSON.stringify({
      level: 'ERROR',
      message: 'champion-challenger decision failed',
      modelPackageArn: event.detail?.ModelPackageArn,
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    }));
    throw err;
  }
}
