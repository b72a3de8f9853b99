import { App, Stack } from 'aws-cdk-lib';
import { recommendationModel } from '../../examples/recommendation/model';
import { DataStore, ModelPipeline, ModelRegistry } from '../../lib';

/**
 * The pipeline registers `s3://<bucket>/<dataset prefix>` as the `DatasetS3Uri` of every model package
 * (CustomerMetadataProperties: at most 256 characters of letters, numbers, spaces and `_.:/=+-@`). A dataset prefix
 * that cannot fit would fail every run at RegisterModel, after training: synth stops instead.
 */
function build(prefix: string): () => ModelPipeline {
  const stack = new Stack(new App(), 'Training', { env: { account: '123456789012', region: 'eu-west-1' } });
  const datasets = new DataStore(stack, 'Datasets');
  return () => new ModelPipeline(stack, 'Recommendation', {
    model: recommendationModel(), dataset: datasets.dataset('user-interactions', prefix),
    artifactStore: new DataStore(stack, 'Artifacts'), registry: new ModelRegistry(stack, 'Registry'),
  });
}

describe('the recommendation example model: the dataset prefix fits the DatasetS3Uri metadata value', () => {
  test.each([
    ['brackets', 'raw data (v2)/'],
    ['a comma', 'raw,data/'],
    ['188 characters', `${'p'.repeat(187)}/`],
  ])('a prefix with %s stops synth with one line', (_what, prefix) => {
    expect(build(prefix)).toThrow(`model 'recommendation': dataset prefix must be at most 187 letters, numbers, spaces and _ . : / = + - @ (the pipeline registers s3://<bucket>/<prefix> as model package metadata, CustomerMetadataProperties), got '${prefix}'`);
  });

  test('the longest allowed prefix passes', () => {
    expect(build(`${'p'.repeat(186)}/`)).not.toThrow();
  });
});
