/**
 * The type of a feature, as SageMaker Feature Store stores it.
 */
export enum FeatureType {
  /** Whole numbers (64-bit integers). */
  INTEGRAL = 'Integral',
  /** Floating-point numbers. */
  FRACTIONAL = 'Fractional',
  /** Text. */
  STRING = 'String',
}

/**
 * One feature (column) of a feature group.
 */
export interface FeatureDefinition {
  /** Feature name: 1 to 64 letters, digits, hyphens and underscores, starting and ending with a letter or digit. */
  readonly name: string;
  /** Feature type. */
  readonly type: FeatureType;
}

/**
 * What records of a feature group look like: the features, which one identifies a record and which one holds the
 * time of the event the record describes.
 */
export interface FeatureGroupSchema {
  /** The features of each record (at most 2,500), including the record identifier and the event time. */
  readonly features: FeatureDefinition[];
  /** The feature whose value identifies a record (`String` or `Integral`). */
  readonly recordIdentifierFeatureName: string;
  /**
   * The feature that holds when the event happened: `Fractional` (Unix epoch seconds) or `String` (ISO-8601, e.g.
   * `2024-01-31T12:00:00Z`).
   */
  readonly eventTimeFeatureName: string;
}
