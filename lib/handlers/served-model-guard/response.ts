import * as http from 'http';
import * as https from 'https';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/** CloudFormation accepts custom resource responses of at most 4,096 bytes. */
export const MAX_RESPONSE_BYTES = 4096;

/** The physical id of the guard: kept across updates (a new one would make CloudFormation replace the guard). */
export function physicalResourceId(event: CloudFormationCustomResourceEvent): string {
  return event.RequestType === 'Create' ? `served-model-guard-${event.RequestId}` : event.PhysicalResourceId;
}

/**
 * The JSON body CloudFormation expects at the event's ResponseURL, within {@link MAX_RESPONSE_BYTES}: the reason is
 * cut (never the ids CloudFormation matches the response by) when the whole would be larger.
 */
export function responseBody(event: CloudFormationCustomResourceEvent, ok: boolean, reason: string): string {
  const body = (text: string) => JSON.stringify({
    Status: ok ? 'SUCCESS' : 'FAILED',
    Reason: text,
    PhysicalResourceId: physicalResourceId(event),
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  let kept = reason;
  let text = reason;
  // Each character takes at most 6 bytes in the JSON body (`\uXXXX`): cutting a sixth of the excess per round converges.
  for (let over = Buffer.byteLength(body(text)) - MAX_RESPONSE_BYTES; over > 0 && kept.length > 0; over = Buffer.byteLength(body(text)) - MAX_RESPONSE_BYTES) {
    kept = kept.slice(0, Math.max(0, kept.length - Math.ceil((over + 3) / 6)));
    text = `${kept}...`;
  }
  return body(text);
}

/** PUTs the response to the pre-signed ResponseURL of the event (https; http only for local tests). */
export function sendResponse(url: string, body: string): Promise<void> {
  const target = new URL(url);
  const transport = target.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const request = transport.request(target, {
      method: 'PUT',
      // The pre-signed S3 URL is signed without a content type: send none.
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    }, (response) => {
      response.resume();
      response.on('end', () => {
        if ((response.statusCode ?? 0) >= 300) reject(new Error(`the CloudFormation response was refused with HTTP ${response.statusCode}`));
        else resolve();
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}
