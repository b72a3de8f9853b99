import { DescribeEndpointCommand, SageMakerClient, UpdateEndpointWeightsAndCapacitiesCommand } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, requestedWeights } from '../../lib/handlers/shift-variant-weights';

const sm = mockClient(SageMakerClient);

function endpoint(status: string, weights: { [name: string]: number }) {
  sm.on(DescribeEndpointCommand, { EndpointName: 'recommendation' }).resolves({
    EndpointName: 'recommendation',
    EndpointStatus: status as any,
    ProductionVariants: Object.entries(weights).map(([VariantName, CurrentWeight]) => ({ VariantName, CurrentWeight })),
  } as any);
  sm.on(UpdateEndpointWeightsAndCapacitiesCommand).resolves({ EndpointArn: 'arn:aws:sagemaker:eu-west-1:111111111111:endpoint/recommendation' });
}

beforeEach(() => {
  sm.reset();
  process.env.ENDPOINT_NAME = 'recommendation';
});

describe('shift-variant-weights handler', () => {
  test('sets explicit weights on the configured endpoint', async () => {
    endpoint('InService', { AllTraffic: 1, Challenger: 0 });
    const result = await handler({ weights: { AllTraffic: 0.5, Challenger: 0.5 } });
    expect(result).toEqual({ endpointName: 'recommendation', previousWeights: { AllTraffic: 1, Challenger: 0 }, weights: { AllTraffic: 0.5, Challenger: 0.5 } });
    const calls = sm.commandCalls(UpdateEndpointWeightsAndCapacitiesCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toEqual({
      EndpointName: 'recommendation',
      DesiredWeightsAndCapacities: [{ VariantName: 'AllTraffic', DesiredWeight: 0.5 }, { VariantName: 'Challenger', DesiredWeight: 0.5 }],
    });
  });

  test('gives one variant a percentage; the others share the rest by their current weights', async () => {
    endpoint('InService', { AllTraffic: 3, Challenger: 0, Other: 1 });
    await handler({ variantName: 'Challenger', percent: 20, instanceCounts: { Challenger: 2 } });
    expect(sm.commandCalls(UpdateEndpointWeightsAndCapacitiesCommand)[0].args[0].input.DesiredWeightsAndCapacities).toEqual([
      { VariantName: 'Challenger', DesiredWeight: 0.2, DesiredInstanceCount: 2 },
      { VariantName: 'AllTraffic', DesiredWeight: 0.6 },
      { VariantName: 'Other', DesiredWeight: 0.2 },
    ]);
  });

  test('refuses while the endpoint is updating, without calling the update', async () => {
    endpoint('Updating', { AllTraffic: 1, Challenger: 0 });
    await expect(handler({ variantName: 'Challenger', percent: 10 })).rejects.toThrow(
      'endpoint recommendation is Updating, not InService: shift the weights once the current update is done',
    );
    expect(sm.commandCalls(UpdateEndpointWeightsAndCapacitiesCommand)).toHaveLength(0);
  });

  test('rejects unknown variants and bad values', async () => {
    endpoint('InService', { AllTraffic: 1, Challenger: 0 });
    await expect(handler({ weights: { Nope: 1 } })).rejects.toThrow('variant "Nope" is not a production variant of the endpoint (AllTraffic, Challenger)');
    await expect(handler({ variantName: 'Challenger', percent: 120 })).rejects.toThrow('percent must be between 0 and 100, got 120');
    await expect(handler({ instanceCounts: { Challenger: 0 }, weights: { Challenger: 1 } })).rejects.toThrow('instanceCounts.Challenger must be a whole number >= 1, got 0');
    expect(sm.commandCalls(UpdateEndpointWeightsAndCapacitiesCommand)).toHaveLength(0);
  });

  test('fails clearly without ENDPOINT_NAME', async () => {
    delete process.env.ENDPOINT_NAME;
    await expect(handler({ weights: { AllTraffic: 1 } })).rejects.toThrow(/^ENDPOINT_NAME is not set/);
    expect(sm.calls()).toHaveLength(0);
  });
});

describe('requestedWeights', () => {
  const current = { AllTraffic: 1, Challenger: 0 };
  test.each<[any, string]>([
    [{ weights: { AllTraffic: -1 } }, 'weights.AllTraffic must be a number >= 0, got -1'],
    [{ weights: { AllTraffic: 0 } }, 'weights must leave traffic on at least one variant, got all 0'],
    [{ weights: {} }, 'weights must name at least one variant, got {}'],
    [{ weights: { AllTraffic: 1 }, variantName: 'Challenger', percent: 5 }, 'give either weights or variantName and percent, not both'],
    [{}, 'give weights, or variantName and percent'],
  ])('rejects %j', (event, message) => {
    expect(() => requestedWeights(event, current)).toThrow(message);
  });

  test('all traffic back to the champion', () => {
    expect(requestedWeights({ variantName: 'AllTraffic', percent: 100 }, { AllTraffic: 0.5, Challenger: 0.5 })).toEqual({ AllTraffic: 1, Challenger: 0 });
  });

  test('others with no weight share the rest equally', () => {
    expect(requestedWeights({ variantName: 'A', percent: 40 }, { A: 1, B: 0, C: 0 })).toEqual({ A: 0.4, B: 0.3, C: 0.3 });
  });
});
