import { IConstruct } from 'constructs';
import { checkModelPackageArn } from '../../registry/model-package-arn';
import { checkSageMakerName } from '../../private/sagemaker-names';
import { checkInstanceType, checkInteger, InputError, invalid, isUnresolved } from '../../private/validate';
import { ProductionVariantOptions, ServerlessOptions, ShadowVariantOptions } from '../endpoint-options';

/** A variant after defaults and validation: what the endpoint config and the autoscaling targets are built from. */
export interface ResolvedVariant {
  readonly variantName: string;
  readonly modelPackageArn: string;
  readonly weight: number;
  readonly instanceType?: string;
  readonly initialInstanceCount?: number;
  readonly serverless?: { memorySizeInMb: number; maxConcurrency: number; provisionedConcurrency?: number };
  /** The construct id of the variant's SageMaker model. */
  readonly modelId: string;
}

/** The endpoint-level inputs the variants are resolved from. */
export interface VariantInputs {
  readonly modelPackageArn: string;
  readonly variantName?: string;
  readonly initialVariantWeight?: number;
  readonly instanceType?: string;
  readonly initialInstanceCount?: number;
  readonly serverless?: ServerlessOptions;
  readonly additionalVariants?: ProductionVariantOptions[];
  readonly shadowVariant?: ShadowVariantOptions;
}

const SERVERLESS_MEMORY = [1024, 2048, 3072, 4096, 5120, 6144];

function checkWeight(scope: IConstruct | undefined, name: string, value: number): void {
  if (isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) invalid(scope, name, 'a number greater than 0', value);
}

/** Applies defaults and validates the production variants (main + additional). */
export function resolveProductionVariants(scope: IConstruct | undefined, inputs: VariantInputs): ResolvedVariant[] {
  checkModelPackageArn(scope, 'modelPackageArn', inputs.modelPackageArn);
  checkInstanceType(scope, 'instanceType', inputs.instanceType);
  checkInteger(scope, 'initialInstanceCount', inputs.initialInstanceCount, 1);
  const mainName = inputs.variantName ?? 'AllTraffic';
  checkSageMakerName(scope, 'variantName', mainName);
  const mainWeight = inputs.initialVariantWeight ?? 1;
  checkWeight(scope, 'initialVariantWeight', mainWeight);
  const instanceType = inputs.instanceType ?? 'ml.m5.large';
  const count = inputs.initialInstanceCount ?? 1;

  const main: ResolvedVariant = inputs.serverless
    ? { variantName: mainName, modelPackageArn: inputs.modelPackageArn, weight: mainWeight, serverless: resolveServerless(scope, inputs.serverless), modelId: 'Model' }
    : { variantName: mainName, modelPackageArn: inputs.modelPackageArn, weight: mainWeight, instanceType, initialInstanceCount: count, modelId: 'Model' };

  const variants = [main];
  (inputs.additionalVariants ?? []).forEach((v, i) => {
    const prop = `additionalVariants[${i}]`;
    checkSageMakerName(scope, `${prop}.variantName`, v.variantName);
    checkModelPackageArn(scope, `${prop}.modelPackageArn`, v.modelPackageArn);
    checkInstanceType(scope, `${prop}.instanceType`, v.instanceType);
    checkInteger(scope, `${prop}.initialInstanceCount`, v.initialInstanceCount, 1);
    const weight = v.initialVariantWeight ?? 1;
    checkWeight(scope, `${prop}.initialVariantWeight`, weight);
    variants.push({
      variantName: v.variantName,
      modelPackageArn: v.modelPackageArn,
      weight,
      instanceType: v.instanceType ?? instanceType,
      initialInstanceCount: v.initialInstanceCount ?? count,
      modelId: `Model${v.variantName}`,
    });
  });
  if (inputs.serverless && variants.length > 1) {
    throw new InputError(scope, 'additionalVariants cannot be used with serverless: a serverless endpoint has exactly one production variant');
  }
  checkUniqueNames(scope, variants.map((v) => v.variantName).concat(inputs.shadowVariant ? [inputs.shadowVariant.variantName ?? 'Shadow'] : []));
  return variants;
}

/** Applies defaults and validates the shadow variant; its weight is the production weight times the sampling share. */
export function resolveShadowVariant(scope: IConstruct | undefined, inputs: VariantInputs, production: ResolvedVariant[]): ResolvedVariant | undefined {
  const shadow = inputs.shadowVariant;
  if (!shadow) return undefined;
  if (inputs.serverless) throw new InputError(scope, 'shadowVariant cannot be used with serverless: SageMaker runs shadow variants on instances only');
  if (production.length > 1) {
    throw new InputError(scope, 'shadowVariant cannot be combined with additionalVariants: SageMaker allows one production variant beside a shadow variant');
  }
  const name = shadow.variantName ?? 'Shadow';
  checkSageMakerName(scope, 'shadowVariant.variantName', name);
  checkModelPackageArn(scope, 'shadowVariant.modelPackageArn', shadow.modelPackageArn);
  checkInstanceType(scope, 'shadowVariant.instanceType', shadow.instanceType);
  checkInteger(scope, 'shadowVariant.initialInstanceCount', shadow.initialInstanceCount, 1);
  const sampling = shadow.samplingPercentage ?? 100;
  checkInteger(scope, 'shadowVariant.samplingPercentage', sampling, 1, 100);
  return {
    variantName: name,
    modelPackageArn: shadow.modelPackageArn,
    weight: (production[0].weight * sampling) / 100,
    instanceType: shadow.instanceType ?? production[0].instanceType,
    initialInstanceCount: shadow.initialInstanceCount ?? 1,
    modelId: 'ShadowModel',
  };
}

function resolveServerless(scope: IConstruct | undefined, options: ServerlessOptions): { memorySizeInMb: number; maxConcurrency: number; provisionedConcurrency?: number } {
  const memory = options.memorySizeInMb ?? 2048;
  if (!isUnresolved(memory) && !SERVERLESS_MEMORY.includes(memory)) {
    invalid(scope, 'serverless.memorySizeInMb', `one of ${SERVERLESS_MEMORY.join(', ')}`, memory);
  }
  const maxConcurrency = options.maxConcurrency ?? 5;
  checkInteger(scope, 'serverless.maxConcurrency', maxConcurrency, 1, 200);
  checkInteger(scope, 'serverless.provisionedConcurrency', options.provisionedConcurrency, 1, isUnresolved(maxConcurrency) ? 200 : maxConcurrency);
  return { memorySizeInMb: memory, maxConcurrency, provisionedConcurrency: options.provisionedConcurrency };
}

function checkUniqueNames(scope: IConstruct | undefined, names: string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (isUnresolved(name)) continue;
    const key = name.toLowerCase();
    if (seen.has(key)) invalid(scope, 'variantName', 'unique within the endpoint (production and shadow variants, case-insensitive)', name);
    seen.add(key);
  }
}

/**
 * True for instance types whose storage is local NVMe (encrypted by the instance's hardware): SageMaker rejects a
 * `KmsKeyId` in endpoint configs that use them.
 */
export function hasLocalInstanceStorage(instanceType: string | undefined): boolean {
  if (!instanceType || isUnresolved(instanceType)) return false;
  const family = instanceType.split('.')[1] ?? '';
  return /^[a-z]+\d+[a-z]*d[a-z]*$/.test(family) || /^(g5|g6|g6e|p5|p5e|p5en|trn1|trn1n|inf2)$/.test(family);
}
