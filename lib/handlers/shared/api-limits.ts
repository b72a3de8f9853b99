/**
 * The documented limits of every AWS API member our handlers, state machines and custom resources send, as data,
 * and a checker that tests run over every captured call.
 *
 * This folder has no `index.ts`: it is not a handler of its own, and each handler bundle (esbuild, see
 * `scripts/bundle-handlers.ts`) includes what it imports from here. It imports nothing, so any module may use it.
 *
 * Sources: the API references (linked per operation below), which are generated from the same service models as
 * the SDKs; the shapes were read from the `sagemaker-2017-07-24` and `codepipeline-2015-07-09` service models
 * (botocore 1.43.11).
 *
 * How lengths and patterns are read, conservatively:
 * - A length is counted in UTF-16 code units (`string.length`), which is never less than the number of Unicode code
 *   points the service models count: a value within the limit here is within it on either count.
 * - A pattern must match the whole value (AWS validates with Java regular expressions, `matches()`), and `.` does
 *   not match line terminators (`\n`, `\r`, U+0085, U+2028, U+2029), as in Java without DOTALL.
 * - No value may hold a lone UTF-16 surrogate (it is no valid UTF-8 and cannot be sent as is).
 */

/** The documented limits of one member. */
export interface MemberLimit {
  /** Minimum length of a string (UTF-16 code units). */
  readonly min?: number;
  /** Maximum length of a string (UTF-16 code units). */
  readonly max?: number;
  /** Maximum size of a string in UTF-8 bytes (S3 object keys). */
  readonly maxBytes?: number;
  /** Pattern the whole string must match (anchored). */
  readonly pattern?: RegExp;
  /** The values an enum member allows. */
  readonly enum?: readonly string[];
  /** Smallest number allowed. */
  readonly minValue?: number;
  /** Largest number allowed. */
  readonly maxValue?: number;
  /** Whether a number must be whole. */
  readonly integer?: boolean;
  /** Fewest items of a list or entries of a map. */
  readonly minItems?: number;
  /** Most items of a list or entries of a map. */
  readonly maxItems?: number;
}

/** `.*` as AWS applies it: anything but a line terminator of Java's `.` (`\n`, `\r`, U+0085, U+2028, U+2029). */
const ANY_LINE = /^[^\n\r\u0085\u2028\u2029]*$/;

/** SageMaker entity names (`PipelineExecutionDisplayName`, endpoint and variant names): `[a-zA-Z0-9](-*[a-zA-Z0-9])*`. */
const ENTITY_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;

/** `CustomerMetadataProperties` keys and values: `[\p{L}\p{Z}\p{N}_.:\/=+\-@]*`. */
export const CUSTOMER_METADATA_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** A SageMaker model package ARN (versioned or not). */
const MODEL_PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]{9,16}:[0-9]{12}:model-package\/\S{1,2048}$/;

/** `StartPipelineExecution.PipelineExecutionDisplayName`: 1-82 characters, `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}`. */
export const PIPELINE_EXECUTION_DISPLAY_NAME: MemberLimit = { min: 1, max: 82, pattern: ENTITY_NAME };
/** `StartPipelineExecution.PipelineExecutionDescription`: 0-3072 characters, `.*`. */
export const PIPELINE_EXECUTION_DESCRIPTION: MemberLimit = { min: 0, max: 3072, pattern: ANY_LINE };
/** `StartPipelineExecution.ClientRequestToken` (IdempotencyToken): 32-128 characters, no documented pattern. */
export const PIPELINE_CLIENT_REQUEST_TOKEN: MemberLimit = { min: 32, max: 128 };
/** `Parameter.Name`: 1-256 characters, `[A-Za-z0-9\-_]*`. */
export const PIPELINE_PARAMETER_NAME: MemberLimit = { min: 1, max: 256, pattern: /^[A-Za-z0-9\-_]*$/ };
/** `Parameter.Value` (String1024): 0-1024 characters. */
export const PIPELINE_PARAMETER_VALUE: MemberLimit = { min: 0, max: 1024 };
/** `CustomerMetadataProperties` key (CustomerMetadataKey): 1-128 characters of {@link CUSTOMER_METADATA_PATTERN}. */
export const CUSTOMER_METADATA_KEY: MemberLimit = { min: 1, max: 128, pattern: CUSTOMER_METADATA_PATTERN };
/** `CustomerMetadataProperties` value (CustomerMetadataValue): 1-256 characters of {@link CUSTOMER_METADATA_PATTERN}. */
export const CUSTOMER_METADATA_VALUE: MemberLimit = { min: 1, max: 256, pattern: CUSTOMER_METADATA_PATTERN };
/** `CreateModelPackage.ModelPackageDescription` (EntityDescription): 0-1024 characters, letters, marks, separators, symbols, numbers, punctuation (no control characters). */
export const MODEL_PACKAGE_DESCRIPTION: MemberLimit = { min: 0, max: 1024, pattern: /^[\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]*$/u };
/** Entries of `CustomerMetadataProperties` (CustomerMetadataMap): 1-50. */
export const CUSTOMER_METADATA_ENTRIES: MemberLimit = { minItems: 1, maxItems: 50 };
/** `UpdateModelPackage.ApprovalDescription`: 0-1024 characters, `.*`. */
export const APPROVAL_DESCRIPTION: MemberLimit = { min: 0, max: 1024, pattern: ANY_LINE };

const PIPELINE_NAME_OR_ARN: MemberLimit = {
  min: 1, max: 2048, pattern: /^(arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:([0-9]{12}|aws):pipeline\/.*)?([a-zA-Z0-9](-*[a-zA-Z0-9]){0,255})$/,
};
const MODEL_APPROVAL_STATUS: MemberLimit = { enum: ['Approved', 'Rejected', 'PendingManualApproval'] };
const NEXT_TOKEN: MemberLimit = { min: 0, max: 8192, pattern: ANY_LINE };
const SORT_ORDER: MemberLimit = { enum: ['Ascending', 'Descending'] };
const ENDPOINT_OR_VARIANT_NAME: MemberLimit = { min: 0, max: 63, pattern: ENTITY_NAME };
const CODEPIPELINE_NAME: MemberLimit = { min: 1, max: 100, pattern: /^[A-Za-z0-9.@\-_]+$/ };

/**
 * Limits by operation (`service:Operation`) and member path. Paths: `A.B` a member of a structure, `A[]` each item of
 * a list, `A{}` each key of a map, `A.*` each value of a map; a list or map's own entry holds its item counts.
 */
export const API_LIMITS: { readonly [operation: string]: { readonly [path: string]: MemberLimit } } = {
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_StartPipelineExecution.html
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_Parameter.html
  'sagemaker:StartPipelineExecution': {
    'PipelineName': PIPELINE_NAME_OR_ARN,
    'PipelineExecutionDisplayName': PIPELINE_EXECUTION_DISPLAY_NAME,
    'PipelineExecutionDescription': PIPELINE_EXECUTION_DESCRIPTION,
    'ClientRequestToken': PIPELINE_CLIENT_REQUEST_TOKEN,
    'PipelineParameters': { minItems: 0, maxItems: 200 },
    'PipelineParameters[].Name': PIPELINE_PARAMETER_NAME,
    'PipelineParameters[].Value': PIPELINE_PARAMETER_VALUE,
  },
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListPipelineExecutions.html
  'sagemaker:ListPipelineExecutions': {
    'PipelineName': PIPELINE_NAME_OR_ARN,
    'SortBy': { enum: ['CreationTime', 'PipelineExecutionArn'] },
    'SortOrder': SORT_ORDER,
    'MaxResults': { minValue: 1, maxValue: 100, integer: true },
    'NextToken': NEXT_TOKEN,
  },
  // What the pipeline's RegisterModel step sends: the `TriggerReason` and `TriggerAlarm` parameters end up in it.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelPackage.html (CustomerMetadataProperties,
  // ModelPackageDescription); AWS::SageMaker::ModelPackage documents the same key/value rules.
  'sagemaker:CreateModelPackage': {
    'CustomerMetadataProperties': CUSTOMER_METADATA_ENTRIES,
    'CustomerMetadataProperties{}': CUSTOMER_METADATA_KEY,
    'CustomerMetadataProperties.*': CUSTOMER_METADATA_VALUE,
    'ModelPackageDescription': MODEL_PACKAGE_DESCRIPTION,
    'ModelApprovalStatus': MODEL_APPROVAL_STATUS,
  },
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelPackage.html
  'sagemaker:UpdateModelPackage': {
    'ModelPackageArn': { min: 1, max: 2048, pattern: MODEL_PACKAGE_ARN },
    'ModelApprovalStatus': MODEL_APPROVAL_STATUS,
    'ApprovalDescription': APPROVAL_DESCRIPTION,
    'CustomerMetadataProperties': CUSTOMER_METADATA_ENTRIES,
    'CustomerMetadataProperties{}': CUSTOMER_METADATA_KEY,
    'CustomerMetadataProperties.*': CUSTOMER_METADATA_VALUE,
  },
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelPackage.html
  'sagemaker:DescribeModelPackage': {
    ModelPackageName: {
      min: 1, max: 176,
      pattern: /^(arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:[a-z-]*\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)(\/[0-9]{1,9})?$/,
    },
  },
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListModelPackages.html
  'sagemaker:ListModelPackages': {
    ModelPackageGroupName: {
      min: 1, max: 170,
      pattern: /^(arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:[a-z-]*\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)$/,
    },
    ModelApprovalStatus: MODEL_APPROVAL_STATUS,
    ModelPackageType: { enum: ['Versioned', 'Unversioned', 'Both'] },
    SortBy: { enum: ['Name', 'CreationTime'] },
    SortOrder: SORT_ORDER,
    MaxResults: { minValue: 1, maxValue: 100, integer: true },
    NextToken: NEXT_TOKEN,
  },
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html
  'sagemaker:DescribeEndpoint': {
    EndpointName: ENDPOINT_OR_VARIANT_NAME,
  },
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpointWeightsAndCapacities.html
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DesiredWeightAndCapacity.html
  'sagemaker:UpdateEndpointWeightsAndCapacities': {
    'EndpointName': ENDPOINT_OR_VARIANT_NAME,
    'DesiredWeightsAndCapacities': { minItems: 1 },
    'DesiredWeightsAndCapacities[].VariantName': ENDPOINT_OR_VARIANT_NAME,
    'DesiredWeightsAndCapacities[].DesiredWeight': { minValue: 0 },
    'DesiredWeightsAndCapacities[].DesiredInstanceCount': { minValue: 0, integer: true },
  },
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html; keys are at most 1,024 bytes of UTF-8
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html), bucket names 3-63 characters
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
  's3:GetObject': {
    Bucket: { min: 3, max: 63, pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/ },
    Key: { min: 1, maxBytes: 1024 },
  },
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html: the champion/challenger handler lists one
  // exact key (Prefix = the key, MaxKeys = 1) to tell a missing report from a denied read.
  's3:ListObjectsV2': {
    Bucket: { min: 3, max: 63, pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/ },
    Prefix: { min: 1, maxBytes: 1024 },
    MaxKeys: { minValue: 1, maxValue: 1000, integer: true },
  },
  // https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_StartPipelineExecution.html
  // https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineVariable.html
  'codepipeline:StartPipelineExecution': {
    'Name': CODEPIPELINE_NAME,
    'ClientRequestToken': { min: 1, max: 128, pattern: /^[a-zA-Z0-9-]+$/ },
    'Variables': { minItems: 1, maxItems: 50 },
    'Variables[].Name': { min: 1, max: 128, pattern: /^[A-Za-z0-9@\-_]+$/ },
    'Variables[].Value': { min: 1, max: 1000, pattern: ANY_LINE },
  },
  // https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetPipelineExecution.html
  'codepipeline:GetPipelineExecution': {
    PipelineName: CODEPIPELINE_NAME,
    PipelineExecutionId: { pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/ },
  },
};

/** Why `value` breaks `limit`, or undefined when it satisfies it. */
export function limitViolation(limit: MemberLimit, value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (/\p{Cs}/u.test(value)) return 'holds a lone UTF-16 surrogate (not valid UTF-8)';
    if (limit.min !== undefined && value.length < limit.min) return `is ${value.length} characters, fewer than ${limit.min}`;
    if (limit.max !== undefined && value.length > limit.max) return `is ${value.length} characters, more than ${limit.max}`;
    const bytes = Buffer.byteLength(value, 'utf8');
    if (limit.maxBytes !== undefined && bytes > limit.maxBytes) return `is ${bytes} bytes of UTF-8, more than ${limit.maxBytes}`;
    if (limit.pattern && !limit.pattern.test(value)) return `does not match ${limit.pattern}`;
    if (limit.enum && !limit.enum.includes(value)) return `is not one of ${limit.enum.join(', ')}`;
    if (limit.minValue !== undefined || limit.maxValue !== undefined || limit.integer) return 'is a string where a number is expected';
    return undefined;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'is not a finite number';
    if (limit.integer && !Number.isInteger(value)) return 'is not a whole number';
    if (limit.minValue !== undefined && value < limit.minValue) return `is less than ${limit.minValue}`;
    if (limit.maxValue !== undefined && value > limit.maxValue) return `is more than ${limit.maxValue}`;
    if (limit.pattern || limit.enum || limit.max !== undefined) return 'is a number where a string is expected';
    return undefined;
  }
  if (typeof value === 'boolean') return undefined;
  return `is a ${value === null ? 'null' : typeof value}, not a string or number`;
}

/**
 * Every way `input` breaks the documented limits of `operation`, one line each (`[]` when it satisfies them all).
 * A member the table does not list is a violation too, so a new member cannot be sent unchecked.
 */
export function apiViolations(operation: string, input: unknown): string[] {
  const limits = API_LIMITS[operation];
  if (!limits) return [`${operation}: no documented limits recorded for this operation`];
  const problems: string[] = [];
  const report = (path: string, concrete: string, limit: MemberLimit | undefined, value: unknown) => {
    if (!limit) {
      problems.push(`${operation} ${concrete}: no documented limit recorded for member '${path}'`);
      return;
    }
    const problem = limitViolation(limit, value);
    if (problem) problems.push(`${operation} ${concrete} ${problem}: ${JSON.stringify(value)}`);
  };
  const counts = (path: string, concrete: string, size: number) => {
    const limit = limits[path];
    if (limit?.minItems !== undefined && size < limit.minItems) problems.push(`${operation} ${concrete} has ${size} entries, fewer than ${limit.minItems}`);
    if (limit?.maxItems !== undefined && size > limit.maxItems) problems.push(`${operation} ${concrete} has ${size} entries, more than ${limit.maxItems}`);
  };
  const walk = (path: string, concrete: string, value: unknown): void => {
    if (value === undefined) return;
    if (Array.isArray(value)) {
      counts(path, concrete, value.length);
      value.forEach((item, i) => walk(`${path}[]`, `${concrete}[${i}]`, item));
      return;
    }
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      const entries = Object.entries(value as object).filter(([, v]) => v !== undefined);
      if (path !== '' && (limits[`${path}{}`] || limits[`${path}.*`])) {
        counts(path, concrete, entries.length);
        for (const [key, v] of entries) {
          report(`${path}{}`, `${concrete} key ${JSON.stringify(key)}`, limits[`${path}{}`], key);
          walk(`${path}.*`, `${concrete}.${key}`, v);
        }
        return;
      }
      for (const [key, v] of entries) walk(path ? `${path}.${key}` : key, concrete ? `${concrete}.${key}` : key, v);
      return;
    }
    report(path, concrete, limits[path], value);
  };
  walk('', '', input);
  return problems;
}
