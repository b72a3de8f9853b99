/**
 * Published us-east-1 on-demand list prices the cost report uses, each with the AWS pricing page it comes from.
 *
 * Recorded on {@link PRICES_RECORDED} without network access: they are the long-standing list prices of those pages
 * as known then (unchanged since at least 2023), not fetched. Check them on the page before quoting a figure, and
 * add an instance type here (with its page) when a model uses one the table lacks: the report stops on a price it
 * does not have rather than guess.
 */
export const PRICES_RECORDED = '2026-12-03';

/** Hours in a month, as AWS's own pricing examples count them (365 x 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** One price, its unit and where it is published. */
export interface Price {
  /** US dollars per unit. */
  readonly usd: number;
  /** What one unit is. */
  readonly unit: string;
  /** The AWS pricing page that publishes it (us-east-1, on-demand). */
  readonly source: string;
}

const SAGEMAKER = 'https://aws.amazon.com/sagemaker/pricing/ (On-Demand Pricing: Real-Time Inference, Processing)';
const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/ (Paid tier: Alarms, Dashboards)';

/** SageMaker real-time inference (hosting) instances, per instance-hour. */
export const HOSTING_PER_HOUR: { readonly [instanceType: string]: Price } = {
  'ml.m5.large': { usd: 0.115, unit: 'instance-hour', source: SAGEMAKER },
  'ml.m5.xlarge': { usd: 0.23, unit: 'instance-hour', source: SAGEMAKER },
  'ml.m5.2xlarge': { usd: 0.461, unit: 'instance-hour', source: SAGEMAKER },
};

/** SageMaker Processing instances (Model Monitor jobs run as processing jobs), per instance-hour. */
export const PROCESSING_PER_HOUR: { readonly [instanceType: string]: Price } = {
  'ml.m5.large': { usd: 0.115, unit: 'instance-hour', source: SAGEMAKER },
  'ml.m5.xlarge': { usd: 0.23, unit: 'instance-hour', source: SAGEMAKER },
};

/** Everything else that has a fixed monthly price. */
export const PRICES = {
  /** A customer managed KMS key (the first and second yearly rotation add $1 each per month: first-year price). */
  kmsKey: { usd: 1, unit: 'key-month', source: 'https://aws.amazon.com/kms/pricing/' },
  /** A standard-resolution alarm (period of 60 s or more), per metric it evaluates. */
  alarmMetric: { usd: 0.1, unit: 'alarm metric-month', source: CLOUDWATCH },
  /** A high-resolution alarm (period of 10 or 30 s), per metric it evaluates. */
  highResolutionAlarmMetric: { usd: 0.3, unit: 'alarm metric-month', source: CLOUDWATCH },
  /** A composite alarm. */
  compositeAlarm: { usd: 0.5, unit: 'alarm-month', source: CLOUDWATCH },
  /** A dashboard (an account's first 3 with up to 50 metrics each are free). */
  dashboard: { usd: 3, unit: 'dashboard-month', source: CLOUDWATCH },
  /** A secret. */
  secret: { usd: 0.4, unit: 'secret-month', source: 'https://aws.amazon.com/secrets-manager/pricing/' },
  /** An interface VPC endpoint, per Availability Zone it is in. */
  interfaceEndpointAzHour: { usd: 0.01, unit: 'endpoint AZ-hour', source: 'https://aws.amazon.com/privatelink/pricing/' },
  /** A NAT gateway. */
  natGatewayHour: { usd: 0.045, unit: 'gateway-hour', source: 'https://aws.amazon.com/vpc/pricing/' },
} satisfies { [item: string]: Price };

/** Where the per-use items' prices are published (they cost nothing while nobody uses the platform). */
export const PER_USE_SOURCES: { readonly [resourceType: string]: string } = {
  'AWS::CloudTrail::Trail': 'https://aws.amazon.com/cloudtrail/pricing/ (first copy of management events free; data events per 100,000)',
  'AWS::SageMaker::FeatureGroup': 'https://aws.amazon.com/sagemaker/pricing/ (Feature Store: reads, writes, storage)',
  'AWS::S3::Bucket': 'https://aws.amazon.com/s3/pricing/ (storage, requests)',
  'AWS::ECR::Repository': 'https://aws.amazon.com/ecr/pricing/ (storage)',
  'AWS::Logs::LogGroup': 'https://aws.amazon.com/cloudwatch/pricing/ (Logs: ingestion, storage)',
  'AWS::CodePipeline::Pipeline': 'https://aws.amazon.com/codepipeline/pricing/ (V2: per action execution minute)',
  'AWS::CodeBuild::Project': 'https://aws.amazon.com/codebuild/pricing/ (build minutes)',
  'AWS::SageMaker::Pipeline': 'https://aws.amazon.com/sagemaker/pricing/ (the jobs its runs start)',
  'AWS::Lambda::Function': 'https://aws.amazon.com/lambda/pricing/ (requests, duration)',
  'AWS::StepFunctions::StateMachine': 'https://aws.amazon.com/step-functions/pricing/ (state transitions)',
  'AWS::SQS::Queue': 'https://aws.amazon.com/sqs/pricing/ (requests)',
  'AWS::SNS::Topic': 'https://aws.amazon.com/sns/pricing/ (publishes, deliveries)',
};
