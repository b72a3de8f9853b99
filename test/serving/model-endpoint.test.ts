import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataStore } from '../../lib/data/data-store';
import { EndpointMetrics } from '../../lib/monitoring/monitoring-metrics';
import { EndpointDeploymentConfig } from '../../lib/serving/endpoint-options';
import { ModelEndpoint, ModelEndpointProps } from '../../lib/serving/model-endpoint';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const V1 = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/recommendation/1';
const V2 = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/recommendation/2';
const V3 = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/recommendation/3';

function build(props: Partial<ModelEndpointProps> = {}, extra?: (s: Stack) => Partial<ModelEndpointProps>) {
  const stack = new Stack(new App(), 'Serving', { env: ENV });
  const endpoint = new ModelEndpoint(stack, 'Endpoint', { modelPackageArn: V1, ...props, ...(extra ? extra(stack) : {}) });
  let template: Template | undefined;
  // Synthesized on first use only: most validation tests never need it.
  return { stack, endpoint, get template() { return template ??= Template.fromStack(stack); } };
}

/** The actions of a policy statement, always as a list. */
function actionsOf(statement: any): string[] {
  return ([] as string[]).concat(statement.Action);
}

function policyStatements(template: Template): any[] {
  const docs = [
    ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')),
    ...Object.values(template.findResources('AWS::IAM::Policy')),
  ].map((r: any) => r.Properties.PolicyDocument);
  return docs.flatMap((d) => d.Statement);
}

describe('ModelEndpoint: the model package, the config and the endpoint', () => {
  const { template, endpoint, stack } = build();

  test('a model whose container is the registry model package, isolated, with its execution role', () => {
    template.hasResourceProperties('AWS::SageMaker::Model', {
      Containers: [{ ModelPackageName: V1 }],
      EnableNetworkIsolation: true,
      ExecutionRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointRole'), 'Arn'] },
      ModelName: Match.absent(),
    });
  });

  test('an endpoint config with one encrypted instance variant', () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      EndpointConfigName: Match.absent(),
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointKey'), 'Arn'] },
      ProductionVariants: [{
        VariantName: 'AllTraffic',
        ModelName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointModel'), 'ModelName'] },
        InstanceType: 'ml.m5.large',
        InitialInstanceCount: 1,
        InitialVariantWeight: 1,
      }],
    });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
  });

  test('the endpoint has a stable derived name and points at the config', () => {
    expect(endpoint.endpointName).toMatch(/^serving-endpoint-[0-9a-f]{8}$/);
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: endpoint.endpointName,
      EndpointConfigName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointConfig'), 'EndpointConfigName'] },
      RetainAllVariantProperties: false,
      DeploymentConfig: Match.absent(),
    });
    expect(stack.resolve(endpoint.endpointArn)).toEqual({ Ref: expect.stringMatching(/^Endpoint/) });
    expect(stack.resolve(endpoint.endpointRef.endpointArn)).toEqual(stack.resolve(endpoint.endpointArn));
  });

  test('the execution role: logs of this endpoint only, pulls, no managed AWS policy, no inline policy', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })] },
      ManagedPolicyArns: Match.absent(),
    });
    const statements = policyStatements(template);
    const logs = statements.find((s) => actionsOf(s).includes('logs:PutLogEvents'));
    expect(JSON.stringify(logs.Resource)).toContain(`log-group:/aws/sagemaker/Endpoints/${endpoint.endpointName}`);
    const token = statements.find((s) => actionsOf(s).includes('ecr:GetAuthorizationToken'));
    expect(token.Resource).toBe('*');
    expect(statements.flatMap((s) => actionsOf(s))).not.toContain('s3:PutObject');
  });

  test('grantInvoke allows InvokeEndpoint on this endpoint only', () => {
    const s = new Stack(new App(), 'S', { env: ENV });
    const e = new ModelEndpoint(s, 'Endpoint', { modelPackageArn: V1 });
    const role = new iam.Role(s, 'Client', { assumedBy: new iam.AccountRootPrincipal() });
    e.grantInvoke(role);
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'sagemaker:InvokeEndpoint', Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('^Endpoint') } }] },
    });
  });
});

describe('updating the model package', () => {
  test('keeps the endpoint (logical id and name) and replaces model and config', () => {
    const a = build({ modelPackageArn: V1 }).template.toJSON();
    const b = build({ modelPackageArn: V2 }).template.toJSON();
    const endpointOf = (t: any) => Object.entries(t.Resources).find(([, r]: any) => r.Type === 'AWS::SageMaker::Endpoint')!;
    const [idA, epA]: any = endpointOf(a);
    const [idB, epB]: any = endpointOf(b);
    expect(idB).toBe(idA);
    expect(epB.Properties.EndpointName).toBe(epA.Properties.EndpointName);
    const modelOf = (t: any) => Object.values(t.Resources).find((r: any) => r.Type === 'AWS::SageMaker::Model') as any;
    expect(modelOf(a).Properties.Containers[0].ModelPackageName).toBe(V1);
    expect(modelOf(b).Properties.Containers[0].ModelPackageName).toBe(V2);
    // No fixed physical names: CloudFormation names the replacements, so they never collide with the old ones.
    expect(modelOf(b).Properties.ModelName).toBeUndefined();
    const configOf = (t: any) => Object.values(t.Resources).find((r: any) => r.Type === 'AWS::SageMaker::EndpointConfig') as any;
    expect(configOf(b).Properties.EndpointConfigName).toBeUndefined();
  });
});

describe('variants', () => {
  test('additional weighted variants get their own models', () => {
    const { template, endpoint } = build({
      initialVariantWeight: 9,
      additionalVariants: [{ variantName: 'Challenger', modelPackageArn: V2, initialVariantWeight: 1, instanceType: 'ml.c5.xlarge' }],
    });
    template.resourceCountIs('AWS::SageMaker::Model', 2);
    template.hasResourceProperties('AWS::SageMaker::Model', { Containers: [{ ModelPackageName: V2 }] });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        Match.objectLike({ VariantName: 'AllTraffic', InitialVariantWeight: 9, InstanceType: 'ml.m5.large' }),
        Match.objectLike({ VariantName: 'Challenger', InitialVariantWeight: 1, InstanceType: 'ml.c5.xlarge', InitialInstanceCount: 1 }),
      ],
    });
    expect(endpoint.productionVariantNames).toEqual(['AllTraffic', 'Challenger']);
  });

  test.each<[Partial<ModelEndpointProps>, string]>([
    [{ initialVariantWeight: 0 }, 'initialVariantWeight must be a number greater than 0, got 0'],
    [{ additionalVariants: [{ variantName: 'B', modelPackageArn: V2, initialVariantWeight: -1 }] }, 'additionalVariants[0].initialVariantWeight must be a number greater than 0, got -1'],
    [{ additionalVariants: [{ variantName: 'alltraffic', modelPackageArn: V2 }] }, "variantName must be unique within the endpoint (production and shadow variants, case-insensitive), got 'alltraffic'"],
    [{ additionalVariants: [{ variantName: 'bad_name', modelPackageArn: V2 }] }, "additionalVariants[0].variantName must be 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit, got 'bad_name'"],
    [{ additionalVariants: [{ variantName: 'B', modelPackageArn: 'arn:aws:s3:::x' }] }, "additionalVariants[0].modelPackageArn must be a model package ARN 'arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>', got 'arn:aws:s3:::x'"],
    [{ instanceType: 'm5.large' }, "instanceType must be a SageMaker instance type starting with 'ml.' (e.g. 'ml.m5.large'), got 'm5.large'"],
    [{ initialInstanceCount: 0 }, 'initialInstanceCount must be a whole number >= 1, got 0'],
    [{ modelPackageArn: 'recommendation/1' }, "modelPackageArn must be a model package ARN 'arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>', got 'recommendation/1'"],
    [{ endpointName: 'my_endpoint' }, "endpointName must be 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit, got 'my_endpoint'"],
  ])('rejects %j in one line', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('local NVMe instance types get no volume key (SageMaker rejects it) and say why', () => {
    const { template, endpoint } = build({ instanceType: 'ml.g4dn.xlarge' });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', { KmsKeyId: Match.absent() });
    const acknowledged = endpoint.endpointConfig.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .map((m) => m.data);
    expect(acknowledged).toEqual([{
      'Annotation::NIST.800.53.R5-SageMakerEndpointConfigurationKMSKeyConfigured': expect.stringMatching(/local NVMe instance storage/),
    }]);
    // Instance types without local storage keep the key.
    build({ instanceType: 'ml.c5.xlarge' }).template.hasResourceProperties('AWS::SageMaker::EndpointConfig', { KmsKeyId: Match.anyValue() });
  });
});

describe('data capture', () => {
  test('captures input and output under data-capture/<id>, encrypted with the bucket key, written by the role only there', () => {
    const { template, endpoint, stack } = build({}, (s) => ({
      dataCapture: { destinationBucket: new s3.Bucket(s, 'Capture', { encryptionKey: new kms.Key(s, 'CaptureKey') }), samplingPercentage: 25 },
    }));
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      DataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: 25,
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        DestinationS3Uri: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^Capture') }, '/data-capture/Endpoint']] },
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CaptureKey'), 'Arn'] },
      },
    });
    expect(stack.resolve(endpoint.dataCaptureS3Uri)).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: expect.stringMatching(/^Capture/) }, '/data-capture/Endpoint']] });
    const put = policyStatements(template).find((s) => actionsOf(s).includes('s3:PutObject'));
    expect(put.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Capture/), 'Arn'] }, '/data-capture/Endpoint/*']] });
    const kmsStatement = policyStatements(template).find((s) => actionsOf(s).includes('kms:GenerateDataKey'));
    expect(JSON.stringify(kmsStatement.Resource)).toContain('CaptureKey');
  });

  test('input only, a custom prefix, the endpoint key when the bucket has none', () => {
    const { template } = build({}, (s) => ({
      dataCapture: { destinationBucket: new s3.Bucket(s, 'Capture'), prefix: 'capture/recommendation', captureOutput: false, jsonContentTypes: ['application/json'] },
    }));
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      DataCaptureConfig: Match.objectLike({
        CaptureOptions: [{ CaptureMode: 'Input' }],
        InitialSamplingPercentage: 100,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointKey'), 'Arn'] },
        CaptureContentTypeHeader: { JsonContentTypes: ['application/json'] },
      }),
    });
  });

  test.each<[any, string]>([
    [{ samplingPercentage: 101 }, 'dataCapture.samplingPercentage must be a whole number from 0 to 100, got 101'],
    [{ prefix: '/x/' }, "dataCapture.prefix must be a non-empty S3 key prefix without leading or trailing slash, got '/x/'"],
    [{ captureInput: false, captureOutput: false }, 'dataCapture must capture something: captureInput and captureOutput cannot both be false'],
  ])('rejects %j', (options, message) => {
    expect(() => build({}, (s) => ({ dataCapture: { destinationBucket: new s3.Bucket(s, 'B'), ...options } }))).toThrow(message);
  });
});

describe('serverless', () => {
  test('one serverless variant, no instances, no network isolation, no key', () => {
    const { template, endpoint } = build({ serverless: { memorySizeInMb: 4096, maxConcurrency: 10 } });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      KmsKeyId: Match.absent(),
      ProductionVariants: [{
        VariantName: 'AllTraffic',
        ModelName: Match.anyValue(),
        InitialVariantWeight: 1,
        ServerlessConfig: { MemorySizeInMB: 4096, MaxConcurrency: 10 },
      }],
    });
    template.hasResourceProperties('AWS::SageMaker::Model', { EnableNetworkIsolation: false });
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(endpoint.encryptionKey).toBeUndefined();
  });

  test.each<[Partial<ModelEndpointProps>, string]>([
    [{ serverless: { memorySizeInMb: 1000 } }, 'serverless.memorySizeInMb must be one of 1024, 2048, 3072, 4096, 5120, 6144, got 1000'],
    [{ serverless: { maxConcurrency: 201 } }, 'serverless.maxConcurrency must be a whole number from 1 to 200, got 201'],
    [{ serverless: {}, instanceType: 'ml.m5.large' }, 'serverless and instanceType cannot both be given'],
    [{ serverless: {}, deploymentConfig: EndpointDeploymentConfig.canary() }, 'deploymentConfig cannot be used with serverless'],
    [{ serverless: {}, autoScaling: { maxCapacity: 2 } }, 'autoScaling cannot be used with serverless'],
    [{ serverless: {}, enableNetworkIsolation: true }, 'enableNetworkIsolation cannot be used with serverless'],
    [{ serverless: {}, additionalVariants: [{ variantName: 'B', modelPackageArn: V2 }] }, 'additionalVariants cannot be used with serverless'],
    [{ serverless: {}, shadowVariant: { modelPackageArn: V2 } }, 'shadowVariant cannot be used with serverless'],
  ])('rejects %j', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('enableNetworkIsolation (the L1 name) can be turned off for containers that must call out', () => {
    build({ enableNetworkIsolation: false }).template.hasResourceProperties('AWS::SageMaker::Model', { EnableNetworkIsolation: false });
  });
});

describe('shadow variant', () => {
  test('copies a sample of the traffic to the challenger: weight = production weight x sampling', () => {
    const { template, endpoint } = build({ initialVariantWeight: 2, shadowVariant: { modelPackageArn: V3, samplingPercentage: 25 } });
    template.resourceCountIs('AWS::SageMaker::Model', 2);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ VariantName: 'AllTraffic', InitialVariantWeight: 2 })],
      ShadowProductionVariants: [{
        VariantName: 'Shadow',
        ModelName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointShadowModel'), 'ModelName'] },
        InitialVariantWeight: 0.5,
        InstanceType: 'ml.m5.large',
        InitialInstanceCount: 1,
      }],
    });
    expect(endpoint.shadowVariantName).toBe('Shadow');
    expect(endpoint.metricModelLatency({ variantName: 'Shadow' }).dimensions).toEqual({ EndpointName: endpoint.endpointName, VariantName: 'Shadow' });
  });

  test.each<[Partial<ModelEndpointProps>, string]>([
    [{ shadowVariant: { modelPackageArn: V3, samplingPercentage: 0 } }, 'shadowVariant.samplingPercentage must be a whole number from 1 to 100, got 0'],
    [{ shadowVariant: { modelPackageArn: V3 }, additionalVariants: [{ variantName: 'B', modelPackageArn: V2 }] }, 'shadowVariant cannot be combined with additionalVariants'],
    [{ shadowVariant: { modelPackageArn: V3, variantName: 'AllTraffic' } }, "variantName must be unique within the endpoint (production and shadow variants, case-insensitive), got 'AllTraffic'"],
  ])('rejects %j', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('enableNetworkIsolation (the L1 name) can be turned off for containers that must call out', () => {
    build({ enableNetworkIsolation: false }).template.hasResourceProperties('AWS::SageMaker::Model', { EnableNetworkIsolation: false });
  });
});

describe('deployment guardrails', () => {
  test('canary with rollback alarms', () => {
    const { template } = build({
      deploymentConfig: EndpointDeploymentConfig.canary({ canarySizePercent: 10, wait: Duration.minutes(15), terminationWait: Duration.minutes(10) }),
      retainDeploymentConfig: true,
    }, (s) => ({ rollbackAlarms: [cloudwatch.Alarm.fromAlarmName(s, 'Latency', 'recommendation-latency')] }));
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      RetainDeploymentConfig: true,
      DeploymentConfig: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: { Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 900 },
          TerminationWaitInSeconds: 600,
        },
        AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'recommendation-latency' }] },
      },
    });
  });

  test('linear and all-at-once', () => {
    build({ deploymentConfig: EndpointDeploymentConfig.linear({ stepPercent: 25, interval: Duration.minutes(3) }) }).template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: { Type: 'LINEAR', LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 25 }, WaitIntervalInSeconds: 180 },
          TerminationWaitInSeconds: 300,
        },
        AutoRollbackConfiguration: Match.absent(),
      },
    });
    build({ deploymentConfig: EndpointDeploymentConfig.allAtOnce({ maximumExecutionTimeout: Duration.hours(1) }) }).template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: { BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE' }, MaximumExecutionTimeoutInSeconds: 3600 } },
    });
  });

  test.each<[() => unknown, string]>([
    [() => EndpointDeploymentConfig.canary({ canarySizePercent: 60 }), 'deploymentConfig.canarySizePercent must be a whole number from 1 to 50, got 60'],
    [() => EndpointDeploymentConfig.linear({ stepPercent: 5 }), 'deploymentConfig.stepPercent must be a whole number from 10 to 50, got 5'],
    [() => EndpointDeploymentConfig.canary({ wait: Duration.hours(2) }), "deploymentConfig.wait must be between 0 and 60 minutes, got '2 hours'"],
    [() => EndpointDeploymentConfig.allAtOnce({ terminationWait: Duration.hours(2) }), "deploymentConfig.terminationWait must be between 0 and 60 minutes, got '2 hours'"],
    [() => EndpointDeploymentConfig.allAtOnce({ maximumExecutionTimeout: Duration.minutes(5) }), "deploymentConfig.maximumExecutionTimeout must be between 10 and 240 minutes, got '5 minutes'"],
  ])('validates percent and time ranges (%#)', (make, message) => {
    expect(make).toThrow(message);
  });

  test('rollback alarms added after construction (alarms that watch this endpoint) render into the update policy', () => {
    const built = build({ deploymentConfig: EndpointDeploymentConfig.canary() });
    const latency = new cloudwatch.Alarm(built.stack, 'P99', {
      metric: built.endpoint.metricModelLatency(), threshold: 500_000, evaluationPeriods: 1,
    });
    built.endpoint.addRollbackAlarms(latency);
    built.template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: { AutoRollbackConfiguration: { Alarms: [{ AlarmName: { Ref: Match.stringLikeRegexp('P99') } }] } },
    });
    expect(() => build({}).endpoint.addRollbackAlarms(latency)).toThrow(/^rollbackAlarms requires deploymentConfig/);
  });

  test('canary on Inf1 instances warns that SageMaker falls back to all at once', () => {
    const { stack } = build({ instanceType: 'ml.inf1.xlarge', deploymentConfig: EndpointDeploymentConfig.canary() });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('deploymentConfig CANARY is ignored for variant AllTraffic on ml.inf1.xlarge'));
    const { stack: other } = build({ deploymentConfig: EndpointDeploymentConfig.canary() });
    Annotations.fromStack(other).hasNoWarning('*', Match.stringLikeRegexp('is ignored for variant'));
  });

  test('rollback alarms need a deployment config; at most 10', () => {
    expect(() => build({}, (s) => ({ rollbackAlarms: [cloudwatch.Alarm.fromAlarmName(s, 'A', 'a')] }))).toThrow(/^rollbackAlarms requires deploymentConfig/);
    expect(() => build({ deploymentConfig: EndpointDeploymentConfig.canary() }, (s) => ({
      rollbackAlarms: Array.from({ length: 11 }, (_, i) => cloudwatch.Alarm.fromAlarmName(s, `A${i}`, `a${i}`)),
    }))).toThrow('rollbackAlarms.length must be a whole number from 0 to 10, got 11');
  });
});

describe('autoscaling', () => {
  test('target tracking on invocations per instance for each production variant', () => {
    const { template, endpoint } = build({
      initialInstanceCount: 2,
      additionalVariants: [{ variantName: 'Challenger', modelPackageArn: V2 }],
      autoScaling: { maxCapacity: 6, targetInvocationsPerInstance: 250, disableScaleIn: true },
    });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 2);
    for (const variant of ['AllTraffic', 'Challenger']) {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        ServiceNamespace: 'sagemaker',
        ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        ResourceId: { 'Fn::Join': ['', ['endpoint/', { 'Fn::GetAtt': [Match.stringLikeRegexp('^Endpoint'), 'EndpointName'] }, `/variant/${variant}`]] },
        MinCapacity: 2,
        MaxCapacity: 6,
        RoleARN: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint')])] }),
      });
    }
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
        TargetValue: 250,
        ScaleInCooldown: 300,
        ScaleOutCooldown: 60,
        DisableScaleIn: true,
      },
    });
    template.hasResourceProperties('AWS::SageMaker::Endpoint', { RetainAllVariantProperties: true });
    template.resourceCountIs('AWS::IAM::Role', 1); // the execution role only: autoscaling uses its service-linked role
    expect(Object.keys(endpoint.scalableTargets)).toEqual(['AllTraffic', 'Challenger']);
  });

  test('min above max is rejected; starting below min warns', () => {
    expect(() => build({ autoScaling: { minCapacity: 5, maxCapacity: 2 } })).toThrow('autoScaling.minCapacity must be at most autoScaling.maxCapacity (2), got 5');
    expect(() => build({ autoScaling: { maxCapacity: 0 } })).toThrow('autoScaling.maxCapacity must be a whole number >= 1, got 0');
    const { stack } = build({ autoScaling: { minCapacity: 2, maxCapacity: 4 } });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('starts with 1 instances, below autoScaling.minCapacity 2'));
  });
});

describe('metrics', () => {
  const { endpoint } = build({ additionalVariants: [{ variantName: 'Challenger', modelPackageArn: V2 }] });

  test('AWS/SageMaker metrics by endpoint and variant', () => {
    const latency = endpoint.metricModelLatency();
    expect(latency.namespace).toBe('AWS/SageMaker');
    expect(latency.metricName).toBe('ModelLatency');
    expect(latency.statistic).toBe('Average');
    expect(latency.period.toMinutes()).toBe(5);
    expect(latency.unit).toBeUndefined();
    expect(endpoint.metricModelLatency({ statistic: 'p99' }).statistic).toBe('p99');
    expect(latency.dimensions).toEqual({ EndpointName: endpoint.endpointName, VariantName: 'AllTraffic' });
    const cases: [cloudwatch.Metric, string][] = [
      [endpoint.metricInvocations({ variantName: 'Challenger' }), 'Invocations'],
      [endpoint.metricInvocation5XXErrors({ variantName: 'Challenger' }), 'Invocation5XXErrors'],
      [endpoint.metricInvocation4XXErrors({ variantName: 'Challenger' }), 'Invocation4XXErrors'],
      [endpoint.metricInvocationsPerInstance({ variantName: 'Challenger', period: Duration.minutes(1) }), 'InvocationsPerInstance'],
    ];
    for (const [metric, name] of cases) {
      expect(metric.metricName).toBe(name);
      expect(metric.statistic).toBe('Sum');
      expect(metric.dimensions).toEqual({ EndpointName: endpoint.endpointName, VariantName: 'Challenger' });
    }
    expect(cases[3][0].period.toMinutes()).toBe(1);
  });

  test('an unknown variant is rejected', () => {
    expect(() => endpoint.metricInvocations({ variantName: 'Nope' })).toThrow("variantName must be one of the endpoint's variants (AllTraffic, Challenger), got 'Nope'");
  });

  test('one factory: the metricXxx methods give exactly the metrics of EndpointMetrics, which EndpointAlarms and MlopsDashboard use', () => {
    const factory = new EndpointMetrics(endpoint.endpointName, endpoint.productionVariantNames);
    const stack = endpoint.stack;
    const pairs: [cloudwatch.IMetric, cloudwatch.IMetric][] = [
      [endpoint.metricModelLatency(), factory.modelLatency('AllTraffic')],
      [endpoint.metricModelLatency({ variantName: 'Challenger', statistic: 'p99' }), factory.modelLatency('Challenger', { statistic: 'p99' })],
      [endpoint.metricInvocations(), factory.invocations('AllTraffic')],
      [endpoint.metricInvocation5XXErrors({ period: Duration.minutes(1) }), factory.errors('5XX', 'AllTraffic', { period: Duration.minutes(1) })],
      [endpoint.metricInvocation4XXErrors(), factory.errors('4XX', 'AllTraffic')],
      [endpoint.metricInvocationsPerInstance(), factory.invocationsPerInstance('AllTraffic')],
      [endpoint.metric('OverheadLatency', { variantName: 'Challenger' }), factory.overheadLatency('Challenger')],
    ];
    for (const [own, shared] of pairs) expect(stack.resolve(own.toMetricConfig())).toEqual(stack.resolve(shared.toMetricConfig()));
  });
});

describe('network and roles', () => {
  test('VPC: subnets, a security group without ingress, ENI permissions limited to the VPC', () => {
    const { template } = build({}, (s) => ({ vpc: new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] }) }));
    template.hasResourceProperties('AWS::SageMaker::Model', {
      VpcConfig: { Subnets: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^VpcprivateSubnet1') }]), SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointSecurityGroup'), 'GroupId'] }] },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: Match.absent(), GroupDescription: Match.stringLikeRegexp('no inbound rules') });
    const eni = policyStatements(template).find((st) => actionsOf(st).includes('ec2:CreateNetworkInterface'));
    expect(eni.Condition.ArnEquals['ec2:Vpc']).toBeDefined();
  });

  test('artifacts: read-only under the prefix; given image repositories only', () => {
    const { template } = build({ artifactKeyPrefix: 'models/' }, (s) => ({
      artifactBucket: new s3.Bucket(s, 'Artifacts'),
      imageRepositories: [ecr.Repository.fromRepositoryName(s, 'Repo', 'inference')],
    }));
    const statements = policyStatements(template);
    const get = statements.find((st) => actionsOf(st).includes('s3:GetObject'));
    expect(get.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Artifacts/), 'Arn'] }, '/models/*']] });
    const pull = statements.find((st) => actionsOf(st).includes('ecr:BatchGetImage'));
    expect(JSON.stringify(pull.Resource)).toContain('repository/inference');
  });

  test('a given role and key are used', () => {
    const { template } = build({}, (s) => ({
      role: new iam.Role(s, 'Mine', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') }),
      encryptionKey: new kms.Key(s, 'MyKey', { enableKeyRotation: true }),
    }));
    template.hasResourceProperties('AWS::SageMaker::Model', { ExecutionRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Mine'), 'Arn'] } });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MyKey'), 'Arn'] } });
    template.resourceCountIs('AWS::KMS::Key', 1);
  });
});

test('every flavour of ModelEndpoint synthesizes with no cdk-nag or CloudFormation findings', () => {
  const app = checkedApp();
  const data = new Stack(app, 'Data', { env: { account: '111111111111', region: 'eu-west-1' } });
  const artifacts = new DataStore(data, 'Artifacts', { purpose: 'model artifacts' });
  const stack = new Stack(app, 'Serving', { env: { account: '111111111111', region: 'eu-west-1' } });

  // Level 4: A/B variants, data capture to the (cross-stack) artifact store, canary with rollback, autoscaling.
  const full = new ModelEndpoint(stack, 'Endpoint', {
    modelPackageArn: V1,
    artifactBucket: artifacts.bucket,
    artifactKeyPrefix: 'models/',
    additionalVariants: [{ variantName: 'Challenger', modelPackageArn: V2, initialVariantWeight: 0.1 }],
    dataCapture: { destinationBucket: artifacts.bucket, samplingPercentage: 50 },
    deploymentConfig: EndpointDeploymentConfig.canary(),
    rollbackAlarms: [cloudwatch.Alarm.fromAlarmName(stack, 'Errors', 'recommendation-5xx')],
    autoScaling: { maxCapacity: 4 },
  });
  // Shadow testing of a challenger with its own capture (endpoint key).
  new ModelEndpoint(stack, 'Shadowed', {
    modelPackageArn: V1,
    shadowVariant: { modelPackageArn: V2, samplingPercentage: 20 },
    dataCapture: { destinationBucket: artifacts.bucket, prefix: 'capture/shadowed' },
  });
  new ModelEndpoint(stack, 'Serverless', { modelPackageArn: V1, serverless: { memorySizeInMb: 2048 } });
  new ModelEndpoint(stack, 'Nvme', { modelPackageArn: V1, instanceType: 'ml.g4dn.xlarge' });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-12345678'] });
  new ModelEndpoint(stack, 'InVpc', { modelPackageArn: V1, vpc });

  expect(full.metricModelLatency().period).toEqual(Duration.minutes(5));
  const { warnings } = synthAndCollectWarnings(app);
  expect(warnings).toEqual([]);
});
