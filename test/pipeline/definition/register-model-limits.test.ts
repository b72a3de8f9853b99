import { ContainerImage, PipelineParameter, RegisterModelStep, RegisterModelStepProps, S3Location } from '../../../lib/pipeline/definition';

/**
 * CreateModelPackage (what a RegisterModel step sends) takes `CustomerMetadataProperties` of 1-50 entries whose keys
 * (1-128) and values (1-256) are letters, numbers, spaces and `_.:/=+-@`, and a `ModelPackageDescription` of at most
 * 1024 characters without control characters. A value known at synth that breaks them would fail every run at its
 * last step: synth stops instead, naming the step and the key.
 */
function register(props: Partial<RegisterModelStepProps>): RegisterModelStep {
  return new RegisterModelStep('Register', {
    modelPackageGroupName: 'recommendation',
    containers: [{ image: ContainerImage.fromUri('123456789012.dkr.ecr.eu-west-1.amazonaws.com/model:v1'), modelData: S3Location.fromUri('s3://bucket/model.tar.gz') }],
    contentTypes: ['text/csv'],
    responseTypes: ['text/csv'],
    ...props,
  } as RegisterModelStepProps);
}

describe('RegisterModelStep: metadata and description within CreateModelPackage limits', () => {
  test('valid keys and values, and values known only at run time, pass', () => {
    const reason = PipelineParameter.string('TriggerReason', { defaultValue: 'manual' });
    expect(() => register({
      customerMetadata: { 'Dataset S3 URI': 's3://bucket/datasets/user-interactions/', 'TriggerReason': reason.asString(), 'Ünïcode_ok': 'a=b+c@d:e/f' },
      modelPackageDescription: 'Recommendation model (sklearn 1.2), trained on user-interactions; 80/20 split.',
    })).not.toThrow();
  });

  test.each([
    ['a key with parentheses', { customerMetadata: { 'trigger reason (alarm)': 'x' } }, "step 'Register' customerMetadata key must be 1 to 128 characters of letters, numbers, spaces and _ . : / = + - @ (SageMaker's CustomerMetadataProperties), got 'trigger reason (alarm)'"],
    ['a value with braces', { customerMetadata: { Reason: 'drift {age}' } }, "step 'Register' customerMetadata.Reason must be 1 to 256 characters of letters, numbers, spaces and _ . : / = + - @ (SageMaker's CustomerMetadataProperties), got 'drift {age}'"],
    ['an empty value', { customerMetadata: { Reason: '' } }, "step 'Register' customerMetadata.Reason must be 1 to 256 characters"],
    ['a 257-character value', { customerMetadata: { Reason: 'x'.repeat(257) } }, "step 'Register' customerMetadata.Reason must be 1 to 256 characters"],
    ['51 entries', { customerMetadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }, "step 'Register' customerMetadata must be 1 to 50 entries, got '51 entries'"],
    ['no entries', { customerMetadata: {} }, "step 'Register' customerMetadata must be 1 to 50 entries, got '0 entries'"],
    ['a description with a line break', { modelPackageDescription: 'first line\nsecond line' }, "step 'Register' modelPackageDescription must be at most 1024 letters, marks, spaces, symbols, numbers or punctuation (no line breaks or other control characters)"],
    ['a 1025-character description', { modelPackageDescription: 'd'.repeat(1025) }, "step 'Register' modelPackageDescription must be at most 1024"],
  ])('%s stops synth with one line', (_label, props, message) => {
    expect(() => register(props as Partial<RegisterModelStepProps>)).toThrow(message);
  });
});
