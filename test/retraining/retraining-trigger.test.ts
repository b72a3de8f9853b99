import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import { FakePipeline } from './fake-pipeline';
import { RetrainingTrigger, RetrainingTriggerProps } from '../../lib/retraining/retraining-trigger';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function driftAlarm(stack: Stack, id: string): cloudwatch.IAlarm {
  return cloudwatch.Alarm.fromAlarmArn(stack, id, `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${id}`);
}

/** One checked app for the nag-clean synth, built once. */
const app = checkedApp();
const stack = new Stack(app, 'Retraining', { env: ENV });
const pipeline = new FakePipeline(stack, 'Pipeline');
const trigger = new RetrainingTrigger(stack, 'Trigger', {
  pipeline,
  alarms: [driftAlarm(stack, 'feature-drift'), driftAlarm(stack, 'model-quality')],
  scheduleExpression: 'rate(7 days)',
  cooldown: Duration.hours(12),
});
trigger.addAlarm(driftAlarm(stack, 'bias-drift'));
const template = Template.fromStack(stack);

function trialStack(): Stack {
  return new Stack(undefined, 'Trial', { env: ENV });
}
function make(props: Partial<RetrainingTriggerProps>, s: Stack = trialStack()): RetrainingTrigger {
  return new RetrainingTrigger(s, 'Trigger', { pipeline: new FakePipeline(s, 'Pipeline'), schedule: events.Schedule.rate(Duration.days(1)), ...props });
}

describe('RetrainingTrigger', () => {
  test('synthesizes with zero cdk-nag findings (AwsSolutions + NIST 800-53 R5)', () => {
    const { warnings } = synthAndCollectWarnings(app);
    expect(warnings).toEqual([]);
  });

  test('alarm rule matches only the given alarms entering ALARM', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        'resources': [
          'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:feature-drift',
          'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:model-quality',
          'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:bias-drift',
        ],
        'detail': { state: { value: ['ALARM'] } },
      },
      State: 'ENABLED',
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('TriggerHandler'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('TriggerDeadLetterQueue'), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 },
      })],
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(7 days)' });
    expect(trigger.rules).toHaveLength(2);
  });

  test('function: Node 24, reserved concurrency 1, encrypted logs with retention, DLQ, environment from props', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      ReservedConcurrentExecutions: 1,
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('TriggerDeadLetterQueue'), 'Arn'] } },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('TriggerLogGroup') } },
      Environment: {
        Variables: {
          PIPELINE_NAME: 'recommendation-training',
          COOLDOWN_SECONDS: '43200',
          REASON_PARAMETER_NAME: 'TriggerReason',
          ALARM_PARAMETER_NAME: 'TriggerAlarm',
        },
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('TriggerKey'), 'Arn'] },
      RetentionInDays: 365,
    });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
  });

  test('role: start and list executions of this pipeline only, no inline policy, no wildcard action', () => {
    const pipelineArn = stack.resolve(pipeline.pipelineArn);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sagemaker:StartPipelineExecution', Resource: pipelineArn }),
          Match.objectLike({ Action: 'sagemaker:ListPipelineExecutions', Resource: pipelineArn }),
        ]),
      },
    });
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    const actions = policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [].concat(s.Action)));
    expect(actions).not.toContain('sagemaker:*');
    expect(actions.filter((a: string) => a.startsWith('sagemaker:')).sort()).toEqual(['sagemaker:ListPipelineExecutions', 'sagemaker:StartPipelineExecution']);
  });

  test('dead-letter queue is KMS-encrypted, SSL-only, and alarmed to an encrypted topic', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('TriggerKey'), 'Arn'] },
      MessageRetentionPeriod: 1209600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('TriggerAlarmTopic') }],
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('TriggerKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'CloudWatchLogsEncryptsLogGroups', Principal: { Service: 'logs.eu-west-1.amazonaws.com' } }),
          Match.objectLike({ Sid: 'EventBridgeSendsToDeadLetterQueue', Principal: { Service: 'events.amazonaws.com' } }),
          Match.objectLike({ Sid: 'CloudWatchAlarmsPublishToTopic', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
  });

  test('empty reasonParameterName passes only the description', () => {
    const s = trialStack();
    make({ reasonParameterName: '' }, s);
    Template.fromStack(s).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { REASON_PARAMETER_NAME: '', ALARM_PARAMETER_NAME: '' } },
    });
  });

  test('a cool-down of zero and custom parameter names reach the function', () => {
    const s = trialStack();
    make({ cooldown: Duration.seconds(0), reasonParameterName: 'RetrainReason', alarmParameterName: 'RetrainAlarm' }, s);
    Template.fromStack(s).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { COOLDOWN_SECONDS: '0', REASON_PARAMETER_NAME: 'RetrainReason', ALARM_PARAMETER_NAME: 'RetrainAlarm' } },
    });
  });

  test('in a VPC: egress-only security group and ENI permissions, no LambdaInsideVPC acknowledgement needed', () => {
    const s = trialStack();
    const vpc = ec2.Vpc.fromVpcAttributes(s, 'Vpc', {
      vpcId: 'vpc-0a1b2c3d4e5f60718', vpcCidrBlock: '10.0.0.0/16', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0a1b2c3d4e5f60718'],
    });
    make({ vpc }, s);
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: { SubnetIds: ['subnet-0a1b2c3d4e5f60718'] } });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: Match.arrayWith([Match.objectLike({ CidrIp: '10.0.0.0/16', FromPort: 443, ToPort: 443 })]),
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['ec2:CreateNetworkInterface']) })]) },
    });
  });

  describe('bad input stops synth with one line naming the prop', () => {
    test.each([
      [{ schedule: undefined, scheduleExpression: 'every day' }, "scheduleExpression must be an EventBridge schedule expression"],
      [{ schedule: undefined, scheduleExpression: 'rate(1 days)' }, "got 'rate(1 days)'"],
      [{ schedule: undefined, scheduleExpression: 'rate(2 day)' }, "got 'rate(2 day)'"],
      [{ schedule: undefined, scheduleExpression: 'cron(0 3 * * *)' }, "got 'cron(0 3 * * *)'"],
      [{ cooldown: Duration.days(400) }, 'cooldown must be a whole number of seconds from 0 to 365 days, got'],
      [{ reasonParameterName: 'Trigger Reason' }, "reasonParameterName must be a SageMaker pipeline parameter name (1-256 of A-Z a-z 0-9 '_' '-') or '' for none, got 'Trigger Reason'"],
      [{ alarmParameterName: 'TriggerReason' }, "alarmParameterName must be different from reasonParameterName, got 'TriggerReason'"],
    ])('%o', (props, message) => {
      expect(() => make(props as Partial<RetrainingTriggerProps>)).toThrow(message);
    });

    test('subnets or security groups without a VPC', () => {
      expect(() => make({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }))
        .toThrow(new Error('vpcSubnets must be given together with vpc, got vpcSubnets without vpc (in Trial/Trigger)'));
      const s = trialStack();
      const group = ec2.SecurityGroup.fromSecurityGroupId(s, 'Group', 'sg-0a1b2c3d4e5f60718');
      expect(() => make({ securityGroups: [group] }, s))
        .toThrow(new Error('securityGroups must be given together with vpc, got securityGroups without vpc (in Trial/Trigger)'));
    });

    test('schedule and scheduleExpression together', () => {
      expect(() => make({ scheduleExpression: 'rate(1 day)' })).toThrow('schedule and scheduleExpression cannot both be given');
    });

    test('valid expressions pass', () => {
      expect(() => make({ schedule: undefined, scheduleExpression: 'rate(1 day)' })).not.toThrow();
      expect(() => make({ schedule: undefined, scheduleExpression: 'cron(0 3 ? * SUN *)' })).not.toThrow();
      for (const expression of ['rate(1 day)', 'cron(0 3 ? * SUN *)']) {
        const s = trialStack();
        make({ schedule: undefined, scheduleExpression: expression }, s);
        Template.fromStack(s).hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: expression });
      }
    });

    test('no alarm and no schedule fails validation at synth', () => {
      const s = trialStack();
      make({ schedule: undefined }, s);
      expect(() => Template.fromStack(s)).toThrow('RetrainingTrigger needs alarms or a schedule');
    });
  });
});
