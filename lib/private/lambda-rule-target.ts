import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { invalid } from './validate';
import { displayUniqueId } from './display-path';

/** How a {@link LambdaRuleTarget} delivers events. */
export interface LambdaRuleTargetProps {
  /** Where EventBridge puts events it could not deliver: a queue in the rule's account and region. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Delivery attempts before an event goes to the dead-letter queue. */
  readonly retryAttempts: number;
  /** How long EventBridge keeps trying to deliver an event. */
  readonly maxEventAge: Duration;
}

/**
 * An EventBridge rule target that invokes a Lambda function, with a retry policy and a dead-letter queue: the target,
 * the Lambda permission and the queue policy statement aws-cdk-lib's `targets.LambdaFunction` makes, except that the
 * permission's construct id and the statement's Sid come from {@link displayUniqueId}, not `Names.nodeUniqueId` of
 * the whole construct path, so they do not change when the platform's stacks move under it (a new permission id
 * replaces the permission; a new Sid rewrites the queue policy). The rule, the function and the queue are in one stack.
 */
export class LambdaRuleTarget implements events.IRuleTarget {
  constructor(private readonly handler: lambda.IFunction, private readonly props: LambdaRuleTargetProps) {}

  public bind(rule: events.IRuleRef): events.RuleTargetConfig {
    if (!(rule instanceof Construct)) invalid(undefined, 'rule', 'a rule of this app (LambdaRuleTarget puts the permission on it)', rule.node.path);
    const ruleArn = events.CfnRule.arnForRule(rule);
    // The ids targets.LambdaFunction gives them, made from the display path so they stay stable.
    const permissionId = `AllowEventRule${displayUniqueId(this.handler)}`;
    if (!rule.node.tryFindChild(permissionId)) {
      this.handler.addPermission(permissionId, {
        scope: rule,
        action: 'lambda:InvokeFunction',
        principal: new iam.ServicePrincipal('events.amazonaws.com'),
        sourceArn: ruleArn,
      });
    }
    const queue = this.props.deadLetterQueue;
    queue.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowEventRule${displayUniqueId(rule)}`,
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': ruleArn } },
    }));
    return {
      arn: this.handler.functionArn,
      deadLetterConfig: { arn: queue.queueArn },
      retryPolicy: {
        maximumRetryAttempts: this.props.retryAttempts,
        maximumEventAgeInSeconds: this.props.maxEventAge.toSeconds({ integral: true }),
      },
      targetResource: this.handler,
    };
  }
}
