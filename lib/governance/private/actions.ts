/**
 * The actions each person's role gets beyond what the resources' own grants give, kept in one place so the
 * separation tests and the explicit denies read the same lists.
 */

/** Follow a pipeline's runs (on the pipeline and its executions): what a data scientist needs beside starting it. */
export const PIPELINE_READ_ACTIONS = [
  'sagemaker:DescribePipeline',
  'sagemaker:ListPipelineExecutions',
];

/** Follow one run: its steps, parameters and definition (on `<pipelineArn>/execution/*`). */
export const PIPELINE_EXECUTION_READ_ACTIONS = [
  'sagemaker:DescribePipelineExecution',
  'sagemaker:ListPipelineExecutionSteps',
  'sagemaker:ListPipelineParametersForExecution',
  'sagemaker:DescribePipelineDefinitionForExecution',
];

/** CloudWatch reads that support no resource-level permissions (or that the console issues without a name). */
export const MONITORING_READ_ACTIONS = [
  'cloudwatch:GetMetricData',
  'cloudwatch:GetMetricStatistics',
  'cloudwatch:ListMetrics',
  'cloudwatch:DescribeAlarms',
  'cloudwatch:DescribeAlarmHistory',
  'cloudwatch:DescribeAlarmsForMetric',
  'cloudwatch:GetMetricWidgetImage',
  'cloudwatch:ListDashboards',
  'cloudwatch:GetDashboard',
  'logs:DescribeLogGroups',
  'logs:GetQueryResults',
  'logs:DescribeQueries',
];

/** Acknowledge an alarm: set its state, silence or restore its actions (on the platform's alarm ARNs only). */
export const ALARM_ACKNOWLEDGE_ACTIONS = [
  'cloudwatch:SetAlarmState',
  'cloudwatch:DisableAlarmActions',
  'cloudwatch:EnableAlarmActions',
];

/** Follow an endpoint: its status, variants, current weights and the state of an update or rollback (on tagged endpoints). */
export const ENDPOINT_READ_ACTIONS = ['sagemaker:DescribeEndpoint'];

/** The approver's power: changing a model package's approval status. */
export const APPROVE_ACTIONS = ['sagemaker:UpdateModelPackage'];

/** The data scientist's power: starting (or steering) a training run. */
export const TRAIN_ACTIONS = [
  'sagemaker:StartPipelineExecution',
  'sagemaker:StopPipelineExecution',
  'sagemaker:RetryPipelineExecution',
  'sagemaker:SendPipelineExecutionStepSuccess',
  'sagemaker:SendPipelineExecutionStepFailure',
];
