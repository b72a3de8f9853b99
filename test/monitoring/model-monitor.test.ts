import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DataStore } from '../../lib/data/data-store';
import { ModelMonitor, ModelMonitorProps } from '../../lib/monitoring/model-monitor';
import { ModelPackageBaselines } from '../../lib/monitoring/model-package-baselines';
import { ProblemType } from '../../lib/core/problem-type';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';
import { FakeEndpoint } from './fixtures';

const ENV = { account: '123456789012', region: 'eu-west-1' };

describe('ModelMonitor with baselines of the deployed model package', () => {
  const app = checkedApp();
  const stack = new Stack(app, 'Monitoring', { env: ENV });
  const artifacts = new DataStore(stack, 'Artifacts', { purpose: 'model artifacts' });
  const datasets = new DataStore(stack, 'Datasets', { purpose: 'datasets' });
  const endpoint = new FakeEndpoint(stack, 'Endpoint', 'recommendation-endpoint');
  const baselines = new ModelPackageBaselines(stack, 'Baselines', {
    modelPackageArn: 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/recommendation/3',
    includeModelQuality: true,
  });
  const monitor = new ModelMonitor(stack, 'Monitor', {
    endpoint,
    dataCaptureBucket: artifacts.bucket,
    baselineBucket: artifacts.bucket,
    baselinePrefix: 'pipelines/',
    dataQualityStatisticsS3Uri: baselines.dataQualityStatisticsS3Uri,
    dataQualityConstraintsS3Uri: baselines.dataQualityConstraintsS3Uri,
    modelQualityConstraintsS3Uri: baselines.modelQualityConstraintsS3Uri,
    groundTruthBucket: datasets.bucket,
    groundTruthPrefix: 'ground-truth/recommendation',
    outputBucket: artifacts.bucket,
    biasAnalysisConfigS3Uri: 's3://configs-bucket/pipelines/clarify/bias.json',
    explainabilityAnalysisConfigS3Uri: 's3://configs-bucket/pipelines/clarify/shap.json',
  });
  monitor.onMonitoringJobFailed('MonitoringJobFailed');
  const { warnings } = synthAndCollectWarnings(app);
  const template = Template.fromStack(stack);
  const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(artifacts.encryptionKey.node.defaultChild as any), 'Arn'] };

  test('nag-clean with no warnings left', () => {
    expect(warnings).toEqual([]);
  });

  test('data-quality job: deployed model\'s baselines, CloudWatch metrics on, endpoint input', () => {
    template.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      EndpointName: 'recommendation-endpoint',
      DataQualityAppSpecification: {
        ImageUri: Match.anyValue(),
        Environment: { publish_cloudwatch_metrics: 'Enabled' },
      },
      DataQualityBaselineConfig: {
        StatisticsResource: { S3Uri: stack.resolve(baselines.dataQualityStatisticsS3Uri) },
        ConstraintsResource: { S3Uri: stack.resolve(baselines.dataQualityConstraintsS3Uri) },
      },
      DataQualityJobInput: { EndpointInput: Match.objectLike({ EndpointName: 'recommendation-endpoint' }) },
    });
  });

  test.each([
    'AWS::SageMaker::DataQualityJobDefinition', 'AWS::SageMaker::ModelQualityJobDefinition',
    'AWS::SageMaker::ModelBiasJobDefinition', 'AWS::SageMaker::ModelExplainabilityJobDefinition',
  ])('%s: network isolation, encrypted traffic, KMS volume and output, instance, max runtime', (type) => {
    const outputKey = {
      DataQualityJobDefinition: 'DataQualityJobOutputConfig',
      ModelQualityJobDefinition: 'ModelQualityJobOutputConfig',
      ModelBiasJobDefinition: 'ModelBiasJobOutputConfig',
      ModelExplainabilityJobDefinition: 'ModelExplainabilityJobOutputConfig',
    }[type.split('::')[2]]!;
    template.hasResourceProperties(type, {
      NetworkConfig: { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true },
      JobResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20, VolumeKmsKeyId: keyArn } },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      [outputKey]: {
        KmsKeyId: keyArn,
        MonitoringOutputs: [{ S3Output: Match.objectLike({ S3Uri: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^/monitoring/model-|^/monitoring/data-')])] } }) }],
      },
      RoleArn: Match.anyValue(),
    });
  });

  test('model-quality job: binary classification, probability column, ground truth from the dataset prefix', () => {
    template.hasResourceProperties('AWS::SageMaker::ModelQualityJobDefinition', {
      ModelQualityAppSpecification: Match.objectLike({ ProblemType: 'BinaryClassification', Environment: { publish_cloudwatch_metrics: 'Enabled' } }),
      ModelQualityBaselineConfig: { ConstraintsResource: { S3Uri: stack.resolve(baselines.modelQualityConstraintsS3Uri) } },
      ModelQualityJobInput: {
        EndpointInput: Match.objectLike({ EndpointName: 'recommendation-endpoint', ProbabilityAttribute: '0', ProbabilityThresholdAttribute: 0.5 }),
        GroundTruthS3Input: { S3Uri: { 'Fn::Join': ['', ['s3://', { Ref: stack.getLogicalId(datasets.bucket.node.defaultChild as any) }, '/ground-truth/recommendation/']] } },
      },
    });
    expect(stack.resolve(monitor.groundTruthS3Uri)).toBeDefined();
  });

  test('Clarify monitors use the analysis configs and the Clarify image of the stack\'s region', () => {
    const clarifyImage = '131013547314.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-clarify-processing:1.0';
    template.hasResourceProperties('AWS::SageMaker::ModelBiasJobDefinition', {
      ModelBiasAppSpecification: { ConfigUri: 's3://configs-bucket/pipelines/clarify/bias.json', ImageUri: clarifyImage, Environment: Match.anyValue() },
      ModelBiasJobInput: { EndpointInput: Match.anyValue(), GroundTruthS3Input: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::SageMaker::ModelExplainabilityJobDefinition', {
      ModelExplainabilityAppSpecification: Match.objectLike({ ConfigUri: 's3://configs-bucket/pipelines/clarify/shap.json', ImageUri: clarifyImage }),
    });
  });

  test('analyzer image of the stack\'s region (a concrete region needs no mapping), pulled from its repository', () => {
    expect(template.toJSON().Mappings).toBeUndefined();
    template.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      DataQualityAppSpecification: Match.objectLike({
        ImageUri: '468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer',
      }),
    });
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const pull = statements.find((s: any) => JSON.stringify(s.Action).includes('ecr:BatchGetImage'));
    expect(JSON.stringify(pull.Resource)).toContain(':ecr:eu-west-1:468650794304:repository/sagemaker-model-monitor-analyzer');
    expect(JSON.stringify(pull.Resource)).toContain(':ecr:eu-west-1:131013547314:repository/sagemaker-clarify-processing');
  });

  test('four hourly schedules with derived names, each referring to its job definition by ARN', () => {
    const schedules = template.findResources('AWS::SageMaker::MonitoringSchedule');
    const configs = Object.values(schedules).map((s: any) => s.Properties);
    expect(configs.map((c) => c.MonitoringScheduleConfig.MonitoringType).sort())
      .toEqual(['DataQuality', 'ModelBias', 'ModelExplainability', 'ModelQuality']);
    for (const c of configs) {
      expect(c.MonitoringScheduleName).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
      expect(c.MonitoringScheduleName).toMatch(/^Monitoring-Monitor-/);
      expect(c.EndpointName).toBe('recommendation-endpoint');
      expect(c.MonitoringScheduleConfig.ScheduleConfig).toEqual({ ScheduleExpression: 'cron(0 * ? * * *)' });
      expect(c.MonitoringScheduleConfig.MonitoringJobDefinitionName).toEqual({
        'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': [expect.any(String), 'JobDefinitionArn'] }] }],
      });
    }
    expect(monitor.monitoringScheduleNames).toEqual(configs.map((c) => c.MonitoringScheduleName));
    expect(monitor.dataQualityScheduleName).toMatch(/-DataQuality$/);
  });

  test('least-privilege role: reads only the capture, baseline and ground-truth prefixes, writes only the reports', () => {
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((p: any) => JSON.stringify(p).includes('Monitor'));
    const statements = policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const text = JSON.stringify(statements);
    expect(text).toContain('/data-capture/*');
    expect(text).toContain('/pipelines/*');
    expect(text).toContain('/ground-truth/recommendation/*');
    expect(text).toContain('/monitoring/*');
    const puts = statements.filter((s: any) => [].concat(s.Action).some((a: string) => a.startsWith('s3:Put')));
    expect(JSON.stringify(puts)).not.toContain('data-capture');
    expect(JSON.stringify(puts)).toContain('/monitoring/*');
    expect(statements).toContainEqual(expect.objectContaining({
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
    }));
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 'cloudwatch:PutMetricData', Condition: { StringLike: { 'cloudwatch:namespace': 'aws/sagemaker/Endpoints/*' } },
    }));
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })] },
    });
  });

  test('failed monitoring jobs as an EventBridge rule on this monitor\'s schedules', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.sagemaker'],
        'detail-type': ['SageMaker Processing Job State Change'],
        'detail': { ProcessingJobStatus: ['Failed'], MonitoringScheduleArn: Match.arrayWith([{ 'Fn::GetAtt': [Match.anyValue(), 'MonitoringScheduleArn'] }]) },
      },
    });
  });

  test('metrics: feature drift and model quality with the real namespaces and dimensions', () => {
    const drift = stack.resolve(monitor.metricFeatureDrift('user_age').toMetricConfig().metricStat);
    expect(drift).toEqual(expect.objectContaining({
      namespace: 'aws/sagemaker/Endpoints/data-metrics',
      metricName: 'feature_baseline_drift_user_age',
      dimensions: [{ name: 'Endpoint', value: 'recommendation-endpoint' }, { name: 'MonitoringSchedule', value: monitor.dataQualityScheduleName }],
    }));
    const accuracy = stack.resolve(monitor.metricModelQuality('accuracy').toMetricConfig().metricStat);
    expect(accuracy).toEqual(expect.objectContaining({
      namespace: 'aws/sagemaker/Endpoints/model-metrics',
      metricName: 'accuracy',
      dimensions: [{ name: 'Endpoint', value: 'recommendation-endpoint' }, { name: 'MonitoringSchedule', value: monitor.modelQualityScheduleName }],
    }));
  });
});

describe('ModelMonitor options', () => {
  function minimal(stack: Stack, extra: Partial<ModelMonitorProps> = {}): ModelMonitor {
    const store = new DataStore(stack, `Store${stack.node.children.length}`);
    return new ModelMonitor(stack, `Monitor${stack.node.children.length}`, {
      endpoint: new FakeEndpoint(stack, `Endpoint${stack.node.children.length}`, 'ep'),
      dataCaptureBucket: store.bucket,
      baselineBucket: store.bucket,
      dataQualityStatisticsS3Uri: 's3://b-1/baselines/statistics.json',
      dataQualityConstraintsS3Uri: 's3://b-1/baselines/constraints.json',
      outputBucket: store.bucket,
      ...extra,
    });
  }

  test('data quality only without ground truth; schedule, instance and runtime configurable', () => {
    const stack = new Stack(new App(), 'Options', { env: ENV });
    const monitor = minimal(stack, { scheduleExpression: 'cron(0 0/6 ? * * *)', instanceType: 'ml.m5.2xlarge', instanceCount: 2, maxRuntime: Duration.hours(2) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SageMaker::ModelQualityJobDefinition', 0);
    template.resourceCountIs('AWS::SageMaker::MonitoringSchedule', 1);
    template.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', {
      MonitoringScheduleConfig: Match.objectLike({ ScheduleConfig: { ScheduleExpression: 'cron(0 0/6 ? * * *)' } }),
    });
    template.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      JobResources: { ClusterConfig: Match.objectLike({ InstanceType: 'ml.m5.2xlarge', InstanceCount: 2 }) },
      StoppingCondition: { MaxRuntimeInSeconds: 7200 },
    });
    expect(() => monitor.metricModelQuality('accuracy')).toThrow(/^groundTruthBucket must be given for model-quality metrics, got undefined \(asked for 'accuracy'\) \(in Options\/Monitor1\)$/);
    expect(monitor.monitoringScheduleNames).toHaveLength(1);
  });

  test('a given role is used and no role is created; given analyzer image is pulled from its own repository', () => {
    const stack = new Stack(new App(), 'Given', { env: ENV });
    const role = new iam.Role(stack, 'MyRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    minimal(stack, { role, analyzerImageUri: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/my-analyzer:1' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      DataQualityAppSpecification: Match.objectLike({ ImageUri: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/my-analyzer:1' }),
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MyRole'), 'Arn'] },
    });
    expect(template.toJSON().Mappings).toBeUndefined();
  });

  test('regression with an inference attribute, no probability threshold', () => {
    const stack = new Stack(new App(), 'Regression', { env: ENV });
    const store = new DataStore(stack, 'Gt');
    minimal(stack, { groundTruthBucket: store.bucket, problemType: ProblemType.REGRESSION, inferenceAttribute: 'prediction' });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::ModelQualityJobDefinition', {
      ModelQualityAppSpecification: Match.objectLike({ ProblemType: 'Regression' }),
      ModelQualityJobInput: Match.objectLike({
        EndpointInput: Match.objectLike({ InferenceAttribute: 'prediction', ProbabilityAttribute: Match.absent(), ProbabilityThresholdAttribute: Match.absent() }),
      }),
    });
  });

  test('a region without the analyzer image asks for analyzerImageUri, in one line', () => {
    const stack = new Stack(new App(), 'Gov', { env: { account: '123456789012', region: 'us-gov-west-1' } });
    expect(() => minimal(stack)).toThrow(/^Model Monitor images are not available in region 'us-gov-west-1'; available: [a-z0-9, -]+; set analyzerImageUri to use another image \(in Gov\/Monitor1\)$/);
  });

  test('env-agnostic stack: analyzer image account from a region mapping, a rule refuses regions without the image', () => {
    const stack = new Stack(new App(), 'Agnostic');
    minimal(stack);
    const template = Template.fromStack(stack);
    expect(template.toJSON().Mappings.SageMakerImageAccountsModelMonitor['eu-west-1']).toEqual({ account: '468650794304' });
    template.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      DataQualityAppSpecification: Match.objectLike({
        ImageUri: { 'Fn::Join': ['', [{ 'Fn::FindInMap': ['SageMakerImageAccountsModelMonitor', { Ref: 'AWS::Region' }, 'account'] }, '.dkr.ecr.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/sagemaker-model-monitor-analyzer']] },
      }),
    });
    expect(template.toJSON().Rules.SageMakerImageRegionModelMonitor).toBeDefined();
  });

  test.each<[string, Partial<ModelMonitorProps>, RegExp]>([
    ['scheduleExpression', { scheduleExpression: 'rate(1 hour)' }, /^scheduleExpression must be a Model Monitor cron expression: .*, got 'rate\(1 hour\)' \(in Bad\/Monitor1\)$/],
    ['scheduleExpression minutes', { scheduleExpression: 'cron(15 * ? * * *)' }, /^scheduleExpression must be .*, got 'cron\(15 \* \? \* \* \*\)' \(in Bad\/Monitor1\)$/],
    ['instanceType', { instanceType: 'm5.large' }, /^instanceType must be a SageMaker instance type .*, got 'm5.large' \(in Bad\/Monitor1\)$/],
    ['instanceCount', { instanceCount: 0 }, /^instanceCount must be a whole number from 1 to 100, got 0 \(in Bad\/Monitor1\)$/],
    ['volumeSizeInGb', { volumeSizeInGb: 1.5 }, /^volumeSizeInGb must be a whole number from 1 to 16384, got 1.5 \(in Bad\/Monitor1\)$/],
    ['maxRuntime hourly', { maxRuntime: Duration.hours(2) }, /^maxRuntime must be between 1 second and 1 hour \(the schedule is hourly\), got '7200 seconds' \(in Bad\/Monitor1\)$/],
    ['probabilityThreshold', { probabilityThreshold: 1.5 }, /^probabilityThreshold must be between 0 and 1, got 1.5 \(in Bad\/Monitor1\)$/],
    ['statistics URI', { dataQualityStatisticsS3Uri: 'baselines/statistics.json' }, /^dataQualityStatisticsS3Uri must be an S3 URI like 's3:\/\/bucket\/key', got 'baselines\/statistics.json' \(in Bad\/Monitor1\)$/],
    ['model quality without ground truth', { modelQualityConstraintsS3Uri: 's3://b-1/mq/constraints.json' }, /^groundTruthBucket must be given when modelQualityConstraintsS3Uri is set, got undefined \(in Bad\/Monitor1\)$/],
    ['bias without ground truth', { biasAnalysisConfigS3Uri: 's3://b-1/bias.json' }, /^groundTruthBucket must be given when biasAnalysisConfigS3Uri is set, got undefined \(in Bad\/Monitor1\)$/],
    ['bias constraints without config', { biasConstraintsS3Uri: 's3://b-1/bias-constraints.json' }, /^biasAnalysisConfigS3Uri must be given when biasConstraintsS3Uri is set, got undefined \(in Bad\/Monitor1\)$/],
    ['outputPrefix', { outputPrefix: 'a//b' }, /^outputPrefix must be an S3 key prefix without .*, got 'a\/\/b' \(in Bad\/Monitor1\)$/],
    ['analyzerImageUri', { analyzerImageUri: 'my-analyzer:latest' }, /^analyzerImageUri must be an ECR image URI like .*, got 'my-analyzer:latest' \(in Bad\/Monitor1\)$/],
    ['clarifyImageUri', { clarifyImageUri: 'my-clarify:1', explainabilityAnalysisConfigS3Uri: 's3://b-1/shap.json' }, /^clarifyImageUri must be an ECR image URI like .*, got 'my-clarify:1' \(in Bad\/Monitor1\)$/],
  ])('bad %s stops synth with one line', (_name, extra, message) => {
    const stack = new Stack(new App(), 'Bad', { env: ENV });
    expect(() => minimal(stack, extra)).toThrow(message);
  });

  test('enableNetworkIsolation (the L1 name) false: the jobs may reach the network, with a warning', () => {
    const stack = new Stack(new App(), 'Open', { env: ENV });
    minimal(stack, { enableNetworkIsolation: false });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      NetworkConfig: { EnableNetworkIsolation: false, EnableInterContainerTrafficEncryption: true },
    });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('^enableNetworkIsolation is false: the monitoring jobs can reach the network'));
  });

  test('feature names are checked where they become metric names', () => {
    const stack = new Stack(new App(), 'Feature', { env: ENV });
    expect(() => minimal(stack).metricFeatureDrift('user age')).toThrow(/^feature must be a label of 1 to 200 .*, got 'user age' \(in Feature\/Monitor1\)$/);
  });
});
