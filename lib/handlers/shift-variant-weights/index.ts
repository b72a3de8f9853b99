import {
  DescribeEndpointCommand, DesiredWeightAndCapacity, SageMakerClient, UpdateEndpointWeightsAndCapacitiesCommand,
} from '@aws-sdk/client-sagemaker';

/**
 * Input of the weight shifter. Give either `weights` (the new weight of each named variant; unnamed variants keep
 * theirs) or `variantName` + `percent` (that variant gets `percent` of the traffic, the others share the rest in
 * proportion to their current weights).
 */
export interface ShiftVariantWeightsEvent {
  /** New weight (>= 0) by variant name. */
  readonly weights?: { [variantName: string]: number };
  /** The variant whose traffic share is set. */
  readonly variantName?: string;
  /** Traffic share (0-100) of `variantName`. */
  readonly percent?: number;
  /** Optional new instance count (>= 1) by variant name. */
  readonly instanceCounts?: { [variantName: string]: number };
}

/** What the shifter did. */
export interface ShiftVariantWeightsResult {
  readonly endpointName: string;
  /** Weights before the update, by variant. */
  readonly previousWeights: { [variantName: string]: number };
  /** Weights requested, by variant. */
  readonly weights: { [variantName: string]: number };
}

const client = new SageMakerClient({});

/**
 * Shifts traffic between the production variants of the endpoint named by `ENDPOINT_NAME` with
 * `UpdateEndpointWeightsAndCapacities` (no redeploy: the change applies in seconds). Refuses to act while the
 * endpoint is not `InService`, and on unknown variants or invalid weights, with a one-line error.
 */
export async function handler(event: ShiftVariantWeightsEvent): Promise<ShiftVariantWeightsResult> {
  const endpointName = process.env.ENDPOINT_NAME;
  if (!endpointName) throw new Error('ENDPOINT_NAME is not set: deploy the handler with the VariantWeightShifter construct');

  const endpoint = await client.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
  if (endpoint.EndpointStatus !== 'InService') {
    throw new Error(`endpoint ${endpointName} is ${endpoint.EndpointStatus}, not InService: shift the weights once the current update is done`);
  }
  const previousWeights: { [name: string]: number } = {};
  for (const v of endpoint.ProductionVariants ?? []) {
    if (v.VariantName) previousWeights[v.VariantName] = v.CurrentWeight ?? 0;
  }
  const weights = requestedWeights(event, previousWeights);
  const counts = event.instanceCounts ?? {};
  for (const [name, count] of Object.entries(counts)) {
    checkVariant(name, previousWeights);
    if (!Number.isInteger(count) || count < 1) throw new Error(`instanceCounts.${name} must be a whole number >= 1, got ${JSON.stringify(count)}`);
  }

  const names = new Set([...Object.keys(weights), ...Object.keys(counts)]);
  const desired: DesiredWeightAndCapacity[] = [...names].map((name) => ({
    VariantName: name,
    ...(weights[name] !== undefined ? { DesiredWeight: weights[name] } : {}),
    ...(counts[name] !== undefined ? { DesiredInstanceCount: counts[name] } : {}),
  }));
  await client.send(new UpdateEndpointWeightsAndCapacitiesCommand({ EndpointName: endpointName, DesiredWeightsAndCapacities: desired }));
  return { endpointName, previousWeights, weights };
}

/** The weights to request, validated against the endpoint's variants. */
export function requestedWeights(event: ShiftVariantWeightsEvent, current: { [name: string]: number }): { [name: string]: number } {
  if (event.weights && event.variantName !== undefined) {
    throw new Error('give either weights or variantName and percent, not both');
  }
  if (event.weights) {
    const entries = Object.entries(event.weights);
    if (entries.length === 0) throw new Error('weights must name at least one variant, got {}');
    for (const [name, weight] of entries) {
      checkVariant(name, current);
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
        throw new Error(`weights.${name} must be a number >= 0, got ${JSON.stringify(weight)}`);
      }
    }
    const after = { ...current, ...event.weights };
    if (Object.values(after).every((w) => w === 0)) throw new Error('weights must leave traffic on at least one variant, got all 0');
    return { ...event.weights };
  }
  if (event.variantName === undefined) throw new Error('give weights, or variantName and percent');
  checkVariant(event.variantName, current);
  const percent = event.percent;
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new Error(`percent must be between 0 and 100, got ${JSON.stringify(percent)}`);
  }
  const others = Object.keys(current).filter((n) => n !== event.variantName);
  if (others.length === 0 && percent < 100) {
    throw new Error(`percent must be 100 for an endpoint with the single variant ${event.variantName}, got ${percent}`);
  }
  const otherTotal = others.reduce((sum, n) => sum + current[n], 0);
  const result: { [name: string]: number } = { [event.variantName]: round(percent / 100) };
  for (const n of others) {
    const share = otherTotal > 0 ? current[n] / otherTotal : 1 / others.length;
    result[n] = round(((100 - percent) / 100) * share);
  }
  return result;
}

function checkVariant(name: string, current: { [name: string]: number }): void {
  if (!(name in current)) {
    throw new Error(`variant ${JSON.stringify(name)} is not a production variant of the endpoint (${Object.keys(current).join(', ')})`);
  }
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
