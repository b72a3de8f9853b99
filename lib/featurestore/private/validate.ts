import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { FeatureDefinition, FeatureType } from '../feature-definition';
import { invalid, isUnresolved } from '../../private/validate';

/** SageMaker's pattern for feature names. */
const FEATURE_NAME_PATTERN = /^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,63}$/;
/** Names Feature Store keeps for itself (offline store columns). */
const RESERVED_FEATURE_NAMES = ['is_deleted', 'write_time', 'api_invocation_time'];
/** Most features a feature group can have. */
const MAX_FEATURES = 2500;

/**
 * Checks the features and that the record identifier and event time are among them with a type SageMaker accepts.
 */
export function checkFeatures(scope: IConstruct | undefined, features: FeatureDefinition[], recordIdentifier: string, eventTime: string): void {
  if (features.length === 0 || features.length > MAX_FEATURES) {
    invalid(scope, 'features', `1 to ${MAX_FEATURES} feature definitions`, `${features.length} features`);
  }
  const seen = new Set<string>();
  for (const feature of features) {
    const name = feature.name;
    if (isUnresolved(name)) continue;
    if (!FEATURE_NAME_PATTERN.test(name)) {
      invalid(scope, 'feature name', '1 to 64 letters, digits, hyphens and underscores, starting and ending with a letter or digit', name);
    }
    if (RESERVED_FEATURE_NAMES.includes(name.toLowerCase())) {
      invalid(scope, 'feature name', `none of the reserved names ${RESERVED_FEATURE_NAMES.join(', ')}`, name);
    }
    if (seen.has(name.toLowerCase())) invalid(scope, 'feature name', 'unique in the feature group', name);
    seen.add(name.toLowerCase());
  }
  checkDefinedAs(scope, 'recordIdentifierFeatureName', recordIdentifier, features, [FeatureType.STRING, FeatureType.INTEGRAL]);
  checkDefinedAs(scope, 'eventTimeFeatureName', eventTime, features, [FeatureType.FRACTIONAL, FeatureType.STRING]);
}

function checkDefinedAs(scope: IConstruct | undefined, prop: string, name: string, features: FeatureDefinition[], types: FeatureType[]): void {
  if (isUnresolved(name)) return;
  const feature = features.find((f) => f.name === name);
  if (!feature) invalid(scope, prop, `one of the defined features (${features.map((f) => f.name).join(', ')})`, name);
  if (!types.includes(feature.type)) {
    invalid(scope, `${prop} '${name}'`, `a feature of type ${types.join(' or ')}`, feature.type);
  }
}

/** The online store TTL as CloudFormation wants it: the largest unit that expresses the duration exactly. */
export function ttlDuration(scope: IConstruct | undefined, ttl: Duration): { Unit: string; Value: number } {
  if (Token.isUnresolved(ttl.toSeconds({ integral: false }))) {
    return { Unit: 'Seconds', Value: ttl.toSeconds() };
  }
  const seconds = ttl.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 1) {
    invalid(scope, 'onlineStoreTtl', 'a whole number of seconds, at least 1', ttl.toHumanString());
  }
  const units: Array<[string, number]> = [['Weeks', 604800], ['Days', 86400], ['Hours', 3600], ['Minutes', 60], ['Seconds', 1]];
  const [unit, size] = units.find(([, s]) => seconds % s === 0)!;
  return { Unit: unit, Value: seconds / size };
}
