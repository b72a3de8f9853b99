import { Aws, CfnMapping, CfnRule, Fn, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { CLARIFY_REGISTRIES, FRAMEWORK_REGISTRIES, MODEL_MONITOR_REGISTRIES, XGBOOST_LEGACY_REGISTRIES } from './registries';
import { InputError } from '../../../private/validate';

/** One region -> account map of SageMaker's prebuilt images, and how the stack-level constructs for it are named. */
export interface RegistryMap {
  /** Suffix of the stack-level `CfnMapping` and `CfnRule` ids (`SageMakerImageAccounts<id>`). */
  readonly id: string;
  /** The images the map serves, for the deploy-time rule's description. */
  readonly label: string;
  /** Region -> ECR registry account. */
  readonly registries: { readonly [region: string]: string };
}

/** The four registry maps of the images this library knows. */
export const REGISTRY_MAPS = {
  framework: { id: 'Framework', label: 'SageMaker scikit-learn and XGBoost', registries: FRAMEWORK_REGISTRIES },
  xgboostLegacy: { id: 'XgboostLegacy', label: 'SageMaker XGBoost 1 (legacy)', registries: XGBOOST_LEGACY_REGISTRIES },
  modelMonitor: { id: 'ModelMonitor', label: 'SageMaker Model Monitor', registries: MODEL_MONITOR_REGISTRIES },
  clarify: { id: 'Clarify', label: 'SageMaker Clarify', registries: CLARIFY_REGISTRIES },
} satisfies { [key: string]: RegistryMap };

/** Second-level key of the region mappings. */
const ACCOUNT_KEY = 'account';

/** The stack's region when it is known at synth time. */
export function concreteRegion(stack: Stack): string | undefined {
  return Token.isUnresolved(stack.region) ? undefined : stack.region;
}

/**
 * The registry account of an image in the region of `scope`'s stack.
 *
 * - Concrete region: the account itself; a region the map lacks stops synth with one line listing the regions that
 *   have the image.
 * - Env-agnostic stack: `Fn::FindInMap` on a `CfnMapping` created once per stack on first use, plus a `CfnRule`
 *   (also once per stack) that refuses to create or update the stack in a region without the image, before any
 *   resource is touched, with a message listing the regions that have it.
 */
export function registryAccount(scope: IConstruct, map: RegistryMap, imageLabel: string): string {
  const stack = Stack.of(scope);
  const regions = Object.keys(map.registries);
  const region = concreteRegion(stack);
  if (region !== undefined) {
    const account = map.registries[region];
    if (account === undefined) {
      throw new InputError(scope, `${imageLabel} images are not available in region '${region}'; available: ${regions.join(', ')}`);
    }
    return account;
  }
  const mappingId = `SageMakerImageAccounts${map.id}`;
  let mapping = stack.node.tryFindChild(mappingId) as CfnMapping | undefined;
  if (!mapping) {
    const content: { [region: string]: { [key: string]: string } } = {};
    for (const r of regions) content[r] = { [ACCOUNT_KEY]: map.registries[r] };
    mapping = new CfnMapping(stack, mappingId, { mapping: content });
    new CfnRule(stack, `SageMakerImageRegion${map.id}`, {
      assertions: [{
        assert: Fn.conditionContains(regions, Aws.REGION),
        assertDescription: `${map.label} images are not available in this region; available: ${regions.join(', ')}`,
      }],
    });
  }
  return mapping.findInMap(Aws.REGION, ACCOUNT_KEY);
}

/**
 * The DNS suffix of ECR in the stack's region: known at synth time for a concrete region (`amazonaws.com.cn` in
 * China, the ISO suffixes in the isolated partitions), otherwise `AWS::URLSuffix`.
 */
export function ecrUrlSuffix(stack: Stack): string {
  const region = concreteRegion(stack);
  const known = region !== undefined ? RegionInfo.get(region).domainSuffix : undefined;
  return known ?? stack.urlSuffix;
}

/** The region part of the URI: the concrete region or `AWS::Region`. */
export function imageRegion(stack: Stack): string {
  return concreteRegion(stack) ?? Aws.REGION;
}
