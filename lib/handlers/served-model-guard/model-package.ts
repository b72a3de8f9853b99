/** The parts of a versioned model package ARN the guard compares. */
export interface ModelPackageRef {
  readonly arn: string;
  /** `arn:<partition>:sagemaker:<region>:<account>:model-package/<group>` in lower case: what makes two versions comparable. */
  readonly groupKey: string;
  readonly region: string;
  readonly version: number;
}

const VERSIONED_ARN = /^arn:(aws[a-z-]*):sagemaker:([a-z0-9-]+):(\d{12}):model-package\/([A-Za-z0-9](?:-*[A-Za-z0-9]){0,62})\/(\d+)$/;

/** Parses `arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>`; undefined for anything else. */
export function parseModelPackageArn(value: unknown): ModelPackageRef | undefined {
  if (typeof value !== 'string') return undefined;
  const m = VERSIONED_ARN.exec(value);
  if (!m) return undefined;
  return {
    arn: value,
    // SageMaker matches group names case-insensitively and lower-cases them in ARNs.
    groupKey: `arn:${m[1]}:sagemaker:${m[2]}:${m[3]}:model-package/${m[4].toLowerCase()}`,
    region: m[2],
    version: Number(m[5]),
  };
}
