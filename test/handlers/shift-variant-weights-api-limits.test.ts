import { DescribeEndpointCommand, SageMakerClient, UpdateEndpointWeightsAndCapacitiesCommand } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lib/handlers/shift-variant-weights';
import { seededRandom } from '../support/alarm-events';
import { sentCalls, violationsOf } from '../support/api-calls';

/**
 * The weight shifter sends only the endpoint's own name and variant names (read from DescribeEndpoint) and weights
 * and counts it checked: every call it makes, for any input it accepts, satisfies DescribeEndpoint and
 * UpdateEndpointWeightsAndCapacities (weights >= 0, counts whole and >= 0, at least one variant, names of 1-63).
 */
const sm = mockClient(SageMakerClient);
const ENDPOINT = 'Mlops-recommendation-Serving-Endpoint-4F8A2C1D9E7B';

beforeEach(() => {
  sm.reset();
  process.env.ENDPOINT_NAME = ENDPOINT;
});

test('property: 300 random endpoints and requests (seeded) give valid calls or a refusal', async () => {
  const random = seededRandom(63);
  const problems: string[] = [];
  let sent = 0;
  for (let i = 0; i < 300; i++) {
    sm.reset();
    const count = 1 + Math.floor(random() * 5);
    const current: { [name: string]: number } = {};
    for (let v = 0; v < count; v++) current[`Variant-${v}${'x'.repeat(Math.floor(random() * 50))}`] = Math.floor(random() * 4);
    sm.on(DescribeEndpointCommand).resolves({
      EndpointName: ENDPOINT, EndpointStatus: 'InService',
      ProductionVariants: Object.entries(current).map(([VariantName, CurrentWeight]) => ({ VariantName, CurrentWeight })),
    } as any);
    sm.on(UpdateEndpointWeightsAndCapacitiesCommand).resolves({ EndpointArn: `arn:aws:sagemaker:eu-west-1:123456789012:endpoint/${ENDPOINT.toLowerCase()}` });
    const names = Object.keys(current);
    const pick = names[Math.floor(random() * names.length)];
    const event = random() < 0.5
      ? { variantName: pick, percent: random() < 0.2 ? 100 : random() * 100, instanceCounts: random() < 0.3 ? { [pick]: 1 + Math.floor(random() * 4) } : undefined }
      : { weights: { [pick]: random() * 3 } };
    try {
      await handler(event);
      sent++;
    } catch {
      // A refused request sends no update; what it did send (DescribeEndpoint) is still checked.
    }
    problems.push(...violationsOf(sentCalls('sagemaker', sm)).map((v) => `#${i} ${JSON.stringify(event)}: ${v}`));
  }
  expect(problems.slice(0, 10)).toEqual([]);
  expect(sent).toBeGreaterThan(200);
});
