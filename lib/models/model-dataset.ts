/**
 * How a feature column of a model's dataset is read (not the feature store's `FeatureType`, which types a feature
 * group's records).
 */
export enum FeatureColumnType {
  /** A number: read as is. */
  NUMERIC = 'numeric',
  /** A category (text or codes): the preprocessing encodes it; the built-in XGBoost kind accepts none. */
  CATEGORICAL = 'categorical',
}

/**
 * A feature column of a model's dataset.
 */
export interface FeatureColumn {
  /** The column's name in the CSV header row. */
  readonly name: string;
  /**
   * How the column is read.
   * @default FeatureColumnType.NUMERIC
   */
  readonly type?: FeatureColumnType;
}

/**
 * The dataset a model trains on: CSV files with a header row, stored in the platform's dataset store under
 * `datasets/<name>/`.
 *
 * @example
 * const churn: ModelDataset = {
 *   name: 'customer-churn',
 *   label: 'churned',
 *   features: [{ name: 'tenure' }, { name: 'monthly_charges' }, { name: 'plan', type: FeatureColumnType.CATEGORICAL }],
 * };
 */
export interface ModelDataset {
  /** The dataset's name: its key prefix `datasets/<name>/` in the dataset store (1-63 lowercase letters, digits, '.', '_' or '-'). */
  readonly name: string;
  /** The label column: what the model predicts; not one of the features. */
  readonly label: string;
  /** The feature columns, in the order the model reads them (at least one, names unique). */
  readonly features: FeatureColumn[];
  /**
   * The column that identifies a record in the model's feature group (level 4), e.g. a customer or user id; it is
   * neither a feature nor the label.
   * @default 'record_id'
   */
  readonly recordIdentifier?: string;
}
