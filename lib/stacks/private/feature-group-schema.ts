import { FeatureGroupSchema, FeatureType } from '../../featurestore/feature-definition';
import { FeatureColumnType, ModelDataset } from '../../models/model-dataset';

/** The event-time feature of every model's feature group: Unix epoch seconds. */
export const EVENT_TIME_FEATURE = 'event_time';

/**
 * A model's feature group schema from its dataset: the record identifier (String), `event_time` (Fractional) and
 * each feature column (numeric -> Fractional, categorical -> String), in the dataset's order.
 */
export function featureGroupSchema(dataset: ModelDataset): FeatureGroupSchema {
  const recordIdentifier = dataset.recordIdentifier ?? 'record_id';
  return {
    features: [
      { name: recordIdentifier, type: FeatureType.STRING },
      { name: EVENT_TIME_FEATURE, type: FeatureType.FRACTIONAL },
      ...dataset.features.map((f) => ({ name: f.name, type: f.type === FeatureColumnType.CATEGORICAL ? FeatureType.STRING : FeatureType.FRACTIONAL })),
    ],
    recordIdentifierFeatureName: recordIdentifier,
    eventTimeFeatureName: EVENT_TIME_FEATURE,
  };
}
