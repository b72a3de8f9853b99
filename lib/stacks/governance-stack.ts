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
   * Alarms operators acknowledge. Without alarms (no serving stack yet) the people roles come with `addPeopleRoles`.
   * @default - no alarms, no people roles yet
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
  private peopleRolesValue?: PeopleRoles;
  private readonly props: GovernanceStackProps;

  constructor(scope: Construct, id: string, props: GovernanceStackProps) {
    super(scope, id, { description: 'cdk-mlops-maturity: audit trail and separated roles', ...props });
    this.props = props;
    this.auditTrail = new AuditTrail(this, 'AuditTrail', { dataEventBuckets: props.dataStores.map((s) => s.bucket) });
    if (props.alarms && props.alarms.length > 0) this.addPeopleRoles(props.alarms);
  }

  /** The people roles (once there are alarms to operate). */
  public get peopleRoles(): PeopleRoles | undefined {
    return this.peopleRolesValue;
  }

  /**
   * Adds the data scientist, approver and operator roles; the operator acknowledges these alarms. Called by the
   * platform when the serving stack (and its alarms) arrives.
   */
  public addPeopleRoles(alarms: cloudwatch.IAlarm[]): PeopleRoles {
    if (this.peopleRolesValue) throw new Error('addPeopleRoles was already called for this governance stack');
    this.peopleRolesValue = new PeopleRoles(this, 'People', {
      assumedBy: this.props.peoplePrincipal ?? new iam.AccountRootPrincipal(),
      datasets: this.props.datasets,
      pipeline: this.props.pipeline,
      registry: this.props.registry,
      alarms,
    });
    return this.peopleRolesValue;
  }
}
