import {
  API_LIMITS, apiViolations, APPROVAL_DESCRIPTION, CUSTOMER_METADATA_VALUE, limitViolation, PIPELINE_EXECUTION_DESCRIPTION,
  PIPELINE_EXECUTION_DISPLAY_NAME,
} from '../../lib/handlers/shared/api-limits';
import { cutToLength, entityName, metadataValue, singleLine } from '../../lib/handlers/shared/fit-text';
import { randomText, seededRandom } from '../support/alarm-events';

describe('apiViolations: the documented limits, checked on a request', () => {
  test('a request within every limit has no violation', () => {
    expect(apiViolations('sagemaker:StartPipelineExecution', {
      PipelineName: 'recommendation-training',
      ClientRequestToken: 'retrain-c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
      PipelineExecutionDisplayName: 'alarm-drift',
      PipelineExecutionDescription: 'Retraining triggered by alarm drift',
      PipelineParameters: [{ Name: 'TriggerReason', Value: 'alarm:drift' }],
    })).toEqual([]);
  });

  test('each kind of violation is one line naming the operation, the member and the rule', () => {
    expect(apiViolations('sagemaker:StartPipelineExecution', {
      PipelineName: 'recommendation-training',
      ClientRequestToken: 'too-short',
      PipelineExecutionDisplayName: '-starts-with-a-dash',
      PipelineExecutionDescription: 'two\nlines',
      PipelineParameters: [{ Name: 'TriggerReason', Value: 'x'.repeat(1025) }],
      ParallelismConfiguration: { MaxParallelExecutionSteps: 2 },
    })).toEqual([
      'sagemaker:StartPipelineExecution ClientRequestToken is 9 characters, fewer than 32: "too-short"',
      expect.stringMatching(/^sagemaker:StartPipelineExecution PipelineExecutionDisplayName does not match /),
      expect.stringMatching(/^sagemaker:StartPipelineExecution PipelineExecutionDescription does not match .*: "two\\nlines"$/),
      expect.stringMatching(/^sagemaker:StartPipelineExecution PipelineParameters\[0\]\.Value is 1025 characters, more than 1024/),
      "sagemaker:StartPipelineExecution ParallelismConfiguration.MaxParallelExecutionSteps: no documented limit recorded for member 'ParallelismConfiguration.MaxParallelExecutionSteps'",
    ]);
  });

  test('map keys and values, entry counts, enums and lone surrogates', () => {
    const metadata: { [k: string]: string } = { 'bad{key}': 'ok', 'Empty': '', 'Lone': 'a\uD800b' };
    for (let i = 0; i < 48; i++) metadata[`k${i}`] = 'v';
    expect(apiViolations('sagemaker:UpdateModelPackage', {
      ModelPackageArn: 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/recommendation/3',
      ModelApprovalStatus: 'approved',
      CustomerMetadataProperties: metadata,
    })).toEqual([
      expect.stringMatching(/^sagemaker:UpdateModelPackage ModelApprovalStatus is not one of Approved, Rejected, PendingManualApproval/),
      'sagemaker:UpdateModelPackage CustomerMetadataProperties has 51 entries, more than 50',
      expect.stringMatching(/^sagemaker:UpdateModelPackage CustomerMetadataProperties key "bad\{key\}" does not match/),
      'sagemaker:UpdateModelPackage CustomerMetadataProperties.Empty is 0 characters, fewer than 1: ""',
      expect.stringMatching(/^sagemaker:UpdateModelPackage CustomerMetadataProperties\.Lone holds a lone UTF-16 surrogate/),
    ]);
  });

  test('an operation without recorded limits is reported, not passed', () => {
    expect(apiViolations('sns:Publish', { Message: 'x' })).toEqual(['sns:Publish: no documented limits recorded for this operation']);
  });

  test('numbers: ranges and whole numbers; S3 keys in UTF-8 bytes', () => {
    expect(limitViolation({ minValue: 1, maxValue: 100, integer: true }, 101)).toBe('is more than 100');
    expect(limitViolation({ minValue: 0, integer: true }, 1.5)).toBe('is not a whole number');
    expect(apiViolations('s3:GetObject', { Bucket: 'reports', Key: 'é'.repeat(513) })).toEqual([
      expect.stringMatching(/^s3:GetObject Key is 1026 bytes of UTF-8, more than 1024/),
    ]);
  });

  test('every pattern of the table is anchored (it must match the whole value)', () => {
    for (const [operation, members] of Object.entries(API_LIMITS)) {
      for (const [path, limit] of Object.entries(members)) {
        if (limit.pattern) expect(`${operation} ${path} ${limit.pattern.source.startsWith('^') && limit.pattern.source.endsWith('$')}`).toBe(`${operation} ${path} true`);
      }
    }
  });
});

describe('fitting free text into members', () => {
  test('cutToLength never splits a surrogate pair and marks the cut', () => {
    expect(cutToLength('abcdef', 6)).toBe('abcdef');
    expect(cutToLength('abcdefg', 6)).toBe('abc...');
    expect(cutToLength('ab😀cdefg', 6)).toBe('ab...');
    expect(cutToLength('a😀', 2, '')).toBe('a');
  });

  test('metadataValue: a compact, valid CustomerMetadataProperties value', () => {
    expect(metadataValue('feature_baseline_drift{Endpoint=rec,Feature=age}')).toBe('feature_baseline_drift-Endpoint=rec-Feature=age-');
    expect(metadataValue('  Überwachung\tder  Café-Daten 漢字 😀 ')).toBe('Überwachung der Café-Daten 漢字 -');
    expect(metadataValue('Cafe\u0301')).toBe('Café'); // decomposed accents are composed, not dropped
    expect(metadataValue('{}')).toBe('-');
    expect(metadataValue('')).toBe('none');
    expect(metadataValue('   ', 256, 'unknown')).toBe('unknown');
    expect(metadataValue('x'.repeat(300))).toBe(`${'x'.repeat(253)}...`);
  });

  test('property: metadataValue, singleLine and entityName satisfy their members for 2,000 random texts (seeded)', () => {
    const random = seededRandom(4096);
    const problems: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const text = randomText(random, Math.floor(random() * 1500));
      const check = (what: string, limit: object, value: string) => {
        const problem = limitViolation(limit, value);
        if (problem) problems.push(`${what} of ${JSON.stringify(text)} ${problem}: ${JSON.stringify(value)}`);
      };
      check('metadataValue', CUSTOMER_METADATA_VALUE, metadataValue(text));
      check('singleLine(1024)', APPROVAL_DESCRIPTION, singleLine(text, 1024));
      check('singleLine(3072)', PIPELINE_EXECUTION_DESCRIPTION, singleLine(`${text}${text}${text}`, 3072));
      check('entityName', PIPELINE_EXECUTION_DISPLAY_NAME, entityName(text, 82, 'retrain'));
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });
});
