import { Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { DataStore } from '../data/data-store';
import { Dataset } from '../data/dataset';
import { AuditTrail } from '../governance/audit-trail';
import { PeopleRoles } from '../governance/people-roles';
import { IModelRegistry } from '../registry/model-registry-base';

/**
 * Properties of a {@link GovernanceStack}.
 */
export interface GovernanceStackProps extends StackProps {
  /** Stores whose object reads and writes the trail records (S3 data events). */
  readonly dataStores: DataStore[];
  /** Datasets the data scientists read. */
  readonly datasets: Dataset[];
  /** The training pipeline data scientists start. */
  readonly pipeline: sagemaker.IPipeline;
  /** The registry approvers decide in. */
  readonly registry: IModelRegistry;
  /**
   * Alarms operators acknowledge. Without alarms (no serving stack yet) the people roles are left out.
   * @default - no alarms, no people roles
   */
  readonly alarms?: cloudwatch.IAlarm[];
  /**
   * Who may assume the people roles (with MFA).
   * @default - principals of this account (`AccountRootPrincipal`) that are allowed sts:AssumeRole
   */
  readonly peoplePrincipal?: iam.IPrincipal;
}

/**
 * Governance of the platform (level 3+): a multi-region CloudTrail trail with log-file validation, KMS and S3 data
 * events on the dataset and artifact stores, and separated roles for people: data scientist (read data, start
 * training), approver (approve or reject in the registry) and operator (read monitoring, acknowledge alarms).
 */
export class GovernanceStack extends Stack {
  /** The audit trail. */
  public readonly auditTrail: AuditTrail;
  /** The people roles (when there are alarms to operate). */
  public readonly peopleRoles?: PeopleRoles;

  constructor(scope: Construct, id: string, props: GovernanceStackProps) {
    super(scope, id, { description: 'cdk-mlops-maturity: audit trail and separated roles', ...props });
    this.auditTrail = new AuditTrail(this, 'AuditTrail', { dataEventBuckets: props.dataStores.map((s) => s.bucket) });
    if (props.alarms && props.alarms.length > 0) {
      this.peopleRoles = new PeopleRoles(this, 'People', {
        assumedBy: props.peoplePrincipal ?? new iam.AccountRootPrincipal(),
        datasets: props.datasets,
        pipeline: props.pipeline,
        registry: props.registry,
        alarms: props.alarms,
      });
    }
  }
}
