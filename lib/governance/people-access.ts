import { Aws } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { OperatedResourcesTag } from './operated-resources';
import { IReadableData } from './readable-data';
import {
  ALARM_ACKNOWLEDGE_ACTIONS, ENDPOINT_READ_ACTIONS, MONITORING_READ_ACTIONS, PIPELINE_EXECUTION_READ_ACTIONS, PIPELINE_READ_ACTIONS,
} from './private/actions';
import { acknowledgeWildcards } from '../private/nag-acknowledgements';
import { IModelRegistry } from '../core/model-registry-interface';
import { InputError } from '../private/validate';
import { checkNonEmpty } from './private/check-non-empty';
import { ARNS_PER_STATEMENT, chunks } from './private/chunks';

/** What a data scientist works on: see {@link PeopleAccess.grantDataScientist}. */
export interface DataScientistAccessOptions {
  /** Datasets to read (a `Dataset`, an `s3.IBucket`, or `ReadableData.fromBucket(bucket, prefix)`). */
  readonly datasets: IReadableData[];
  /** The training pipelines to start and follow: one per model, at least one. */
  readonly pipelines: sagemaker.IPipeline[];
  /** The registries whose model packages to read (never approve): one per model, at least one. */
  readonly registries: IModelRegistry[];
}

/** What an approver decides on: see {@link PeopleAccess.grantApprover}. */
export interface ApproverAccessOptions {
  /** The registries (model package groups) whose versions the approver approves or rejects: one per model, at least one. */
  readonly registries: IModelRegistry[];
}

/** What an operator watches: see {@link PeopleAccess.grantOperator}. Give `alarms`, `operatedResourcesTag` or both. */
export interface OperatorAccessOptions {
  /**
   * Alarms the operator may acknowledge (set state, disable/enable actions), by ARN.
   * @default - none: only the alarms carrying `operatedResourcesTag`
   */
  readonly alarms?: cloudwatch.IAlarm[];
  /**
   * The tag of the alarms the operator may acknowledge and of the endpoints it may describe, in the grantee's account
   * and region (`aws:ResourceTag` condition): stacks that create such resources later need no change to the grant.
   * @default - none: only the `alarms` given
   */
  readonly operatedResourcesTag?: OperatedResourcesTag;
  /**
   * Log groups the operator may read and query (endpoint, pipeline, retraining trigger logs).
   * @default - no log group contents
   */
  readonly logGroups?: logs.ILogGroup[];
}

/**
 * Access-control levers for the people around the platform, as grants on any `iam.IGrantable` (a role, a group,
 * an SSO permission set's role). Each grant gives one job and nothing of the others':
 *
 * - data scientist: read datasets, start and follow the training pipelines, read the registries; never approve;
 * - approver: approve or reject model packages of the registry groups, and read them; never train;
 * - operator: read monitoring (metrics, alarms, dashboards, given logs), acknowledge the platform's alarms and
 *   describe its endpoints; never train, never approve, never read data.
 *
 * {@link PeopleRoles} creates ready roles with these grants.
 *
 * @example
 * PeopleAccess.grantApprover(reviewersGroup, { registries: [churnRegistry, ltvRegistry] });
 */
export class PeopleAccess {
  /**
   * Read the datasets, start the training pipelines and follow their executions (stop or retry them too), read the
   * registries. Grants no `sagemaker:UpdateModelPackage`.
   */
  public static grantDataScientist(grantee: iam.IGrantable, options: DataScientistAccessOptions): iam.Grant {
    const scope = scopeOf(grantee);
    checkNonEmpty(scope, 'pipelines', 'training pipelines', options.pipelines);
    checkNonEmpty(scope, 'registries', 'model registries', options.registries);
    let grant = combined(options.pipelines.map((pipeline) => pipeline.grantStartPipelineExecution(grantee)));
    for (const dataset of options.datasets) {
      grant = grant.combine(acknowledged(grantee, dataset.grantRead(grantee),
        'data scientists read the datasets they are given: the S3 read grant (s3:GetObject*, s3:GetBucket*, s3:List*) on those objects (a dataset prefix or the bucket given) only'));
    }
    // Reads of several pipelines share a statement (up to ARNS_PER_STATEMENT): one statement per pipeline would repeat
    // the action lists and fill the role's managed policies sooner.
    for (const pipelines of chunks(options.pipelines, ARNS_PER_STATEMENT)) {
      grant = grant.combine(iam.Grant.addToPrincipal({
        grantee,
        actions: PIPELINE_READ_ACTIONS,
        resourceArns: pipelines.map((pipeline) => pipeline.pipelineArn),
      }));
    }
    for (const pipelines of chunks(options.pipelines, ARNS_PER_STATEMENT)) {
      grant = grant.combine(acknowledged(grantee, iam.Grant.addToPrincipal({
        grantee,
        actions: [...PIPELINE_EXECUTION_READ_ACTIONS, 'sagemaker:StopPipelineExecution', 'sagemaker:RetryPipelineExecution'],
        resourceArns: pipelines.map(executionArns),
      }), `executions of ${pipelines.length === 1 ? 'this pipeline' : 'these pipelines'} only: SageMaker makes execution ids at run time, so they are matched by <pipeline>/execution/*`));
    }
    for (const registry of options.registries) grant = grant.combine(registry.grantRead(grantee));
    return grant;
  }

  /**
   * Approve or reject model packages of these registry groups only (and read them to decide). Grants nothing on the
   * pipelines or the data.
   */
  public static grantApprover(grantee: iam.IGrantable, options: ApproverAccessOptions): iam.Grant {
    checkNonEmpty(scopeOf(grantee), 'registries', 'model registries', options.registries);
    return combined(options.registries.map((registry) => registry.grantApprove(grantee)));
  }

  /**
   * Read CloudWatch metrics, alarms and dashboards, read and query the given log groups, and acknowledge the
   * platform's alarms (`SetAlarmState`, `DisableAlarmActions`, `EnableAlarmActions` on those alarms only): the
   * `alarms` given, and with `operatedResourcesTag` every alarm of the grantee's account and region carrying that tag,
   * whose endpoints (same tag) it may also describe.
   *
   * CloudWatch metric and dashboard reads support no resource-level permissions: they are granted on `*`, so the
   * grantee's policy carries one `Resource::*` finding (AwsSolutions-IAM5) for read-only monitoring actions.
   */
  public static grantOperator(grantee: iam.IGrantable, options: OperatorAccessOptions): iam.Grant {
    const alarms = options.alarms ?? [];
    if (alarms.length === 0 && !options.operatedResourcesTag) {
      throw new InputError(scopeOf(grantee), 'alarms or operatedResourcesTag must give the alarms the operator acknowledges, got no alarm and no tag');
    }
    let grant = acknowledged(grantee, iam.Grant.addToPrincipal({ grantee, actions: MONITORING_READ_ACTIONS, resourceArns: ['*'] }),
      'read-only monitoring: CloudWatch metric, alarm-listing and dashboard reads and Logs query results support no resource-level permissions');
    if (alarms.length > 0) {
      grant = grant.combine(iam.Grant.addToPrincipal({
        grantee,
        actions: ALARM_ACKNOWLEDGE_ACTIONS,
        resourceArns: alarms.map((alarm) => alarm.alarmArn),
      }));
    }
    const tag = options.operatedResourcesTag;
    if (tag) {
      const tagged = { StringEquals: { [`aws:ResourceTag/${tag.key}`]: tag.value } };
      grant = grant.combine(acknowledged(grantee, iam.Grant.addToPrincipal({
        grantee,
        actions: ALARM_ACKNOWLEDGE_ACTIONS,
        resourceArns: [`arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`],
        conditions: tagged,
      }), `the platform's alarms are those tagged ${tag.key}=${tag.value} (aws:ResourceTag condition): they live in serving stacks that come and go, so their names are not known to this role's stack`));
      grant = grant.combine(acknowledged(grantee, iam.Grant.addToPrincipal({
        grantee,
        actions: ENDPOINT_READ_ACTIONS,
        resourceArns: [`arn:${Aws.PARTITION}:sagemaker:${Aws.REGION}:${Aws.ACCOUNT_ID}:endpoint/*`],
        conditions: tagged,
      }), `the platform's endpoints are those tagged ${tag.key}=${tag.value} (aws:ResourceTag condition): they live in serving stacks that come and go, so their names are not known to this role's stack`));
    }
    for (const logGroup of options.logGroups ?? []) {
      grant = grant.combine(acknowledged(grantee, logGroup.grantRead(grantee),
        'reads the log streams of this log group only: streams are created at run time, so they are matched by <log-group>:*'));
      grant = grant.combine(acknowledged(grantee, logGroup.grant(grantee, 'logs:StartQuery'),
        'Logs Insights queries on this log group only (its ARN ends in :*)'));
    }
    return grant;
  }

  private constructor() {}
}

/** One grant of several (at least one). */
function combined(grants: iam.Grant[]): iam.Grant {
  return grants.slice(1).reduce((all, grant) => all.combine(grant), grants[0]);
}

/** The grantee when it is a construct (where an input error points), else none. */
function scopeOf(grantee: iam.IGrantable): Construct | undefined {
  return Construct.isConstruct(grantee) ? grantee : undefined;
}

/**
 * Acknowledges the wildcards of a grant's statements on the grantee (when it is a construct, such as a role), finding
 * by finding, with the reason; returns the grant.
 */
function acknowledged(grantee: iam.IGrantable, grant: iam.Grant, reason: string): iam.Grant {
  const principal = grantee.grantPrincipal;
  if (grant.success && Construct.isConstruct(principal)) {
    for (const statement of grant.principalStatements) acknowledgeWildcards(principal, statement, reason);
  }
  return grant;
}

/** `<pipelineArn>/execution/*`: the pipeline's executions, whose ids SageMaker generates at run time. */
function executionArns(pipeline: sagemaker.IPipeline): string {
  return `${pipeline.pipelineArn}/execution/*`;
}
