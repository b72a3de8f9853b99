/** Metric name to value, as read from an evaluation report. */
export type Metrics = { [name: string]: number };

/** Where an evaluation report lives in S3. */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** Splits `s3://bucket/key` into bucket and key; undefined when the URI is not of that form. */
export function parseS3Uri(uri: string): S3Location | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri.trim());
  if (!match) return undefined;
  return { bucket: match[1], key: match[2] };
}

function metricValue(entry: unknown): number | undefined {
  if (typeof entry === 'number') return Number.isFinite(entry) ? entry : undefined;
  if (entry && typeof entry === 'object' && 'value' in entry) {
    const value = (entry as { value: unknown }).value;
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  }
  return undefined;
}

function collectGroup(group: unknown, into: { [name: string]: number }): void {
  if (!group || typeof group !== 'object' || Array.isArray(group)) return;
  for (const [name, entry] of Object.entries(group as object)) {
    const value = metricValue(entry);
    if (value !== undefined && !(name in into)) into[name] = value;
  }
}

/**
 * Reads the metrics of an evaluation report.
 *
 * The pipeline's report is `{"metrics": {"accuracy": {"value": 0.91}, ...}}`. The groups of SageMaker's standard
 * model-quality format (`binary_classification_metrics`, `multiclass_classification_metrics`, `regression_metrics`)
 * are read too; `metrics` wins when a name appears twice. Entries without a finite numeric value are ignored.
 *
 * @throws when the text is not a JSON object
 */
export function parseEvaluationReport(text: string): Metrics {
  const report: unknown = JSON.parse(text);
  if (!report || typeof report !== 'object' || Array.isArray(report)) {
    throw new Error('the report is not a JSON object');
  }
  const metrics: { [name: string]: number } = {};
  collectGroup((report as { metrics?: unknown }).metrics, metrics);
  for (const [group, entries] of Object.entries(report as object)) {
    if (group !== 'metrics' && group.endsWith('_metrics')) collectGroup(entries, metrics);
  }
  return metrics;
}
