import { S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommandOutput } from '@aws-sdk/client-sagemaker';
import { Metrics, parseEvaluationReport, parseS3Uri } from './evaluation-report';
import { readReportObject } from './report-object';
import { Settings } from './settings';

/** The metrics of one model package, or why they could not be read. */
export interface Evidence {
  /** `s3://` URI of the evaluation report, when the package names one. */
  readonly reportUri?: string;
  /** The report's metrics, when it could be read. */
  readonly metrics?: Metrics;
  /** Why there are no metrics (missing, outside the reports bucket, not found, not JSON). */
  readonly problem?: string;
}

/**
 * Reads the evaluation metrics a model package points at (`ModelMetrics.ModelQuality.Statistics.S3Uri`).
 *
 * Problems with the evidence itself come back as `problem` (a missing report is told apart from access denied with
 * certainty: see {@link readReportObject}); errors that say nothing about the model (access denied, throttling after
 * the SDK's retries, network) are thrown so the invocation fails and is retried or dead-lettered.
 */
export async function readEvidence(s3: S3Client, settings: Settings, pkg: DescribeModelPackageCommandOutput): Promise<Evidence> {
  const reportUri = pkg.ModelMetrics?.ModelQuality?.Statistics?.S3Uri;
  if (!reportUri) return { problem: 'has no ModelMetrics.ModelQuality.Statistics report' };
  const location = parseS3Uri(reportUri);
  if (!location) return { reportUri, problem: `report URI '${reportUri}' is not of the form s3://bucket/key` };
  if (location.bucket !== settings.reportsBucketName || !location.key.startsWith(settings.reportsKeyPrefix)) {
    return { reportUri, problem: `report ${reportUri} is outside the reports location s3://${settings.reportsBucketName}/${settings.reportsKeyPrefix}` };
  }
  const object = await readReportObject(s3, location);
  if (!object.found) return { reportUri, problem: `report ${reportUri} does not exist` };
  const text = object.text;
  if (!text) return { reportUri, problem: `report ${reportUri} is empty` };
  try {
    return { reportUri, metrics: parseEvaluationReport(text) };
  } catch (err) {
    return { reportUri, problem: `report ${reportUri} is not a JSON evaluation report (${err instanceof Error ? err.message : String(err)})` };
  }
}
