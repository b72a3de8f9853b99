import { Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { DataStore } from '../data/data-store';
import { Dataset } from '../data/dataset';
import { AuditTrail } from '../governance/audit-trail';
import { OperatedResourcesTag } from '../governance/operated-resources';
import { PeopleRoles } from '../governance/people-roles';
import { IModelRegistry } from '../core/model-registry-interface';

/**
 * Properties of a {@link GovernanceStack}.
 */
export interface GovernanceStackProps extends StackProps {
  /** Stores whose object reads and writes the trail records (S3 data events). */
  readonly dataStores: DataStore[];
  /** Datasets the data scientists read. */
  readonly datasets: Dataset[];
  /** The training pipelines data scientists start: one per model, at least one. */
  readonly pipelines: sagemaker.IPipeline[];
  /** The registries approvers decide in: one per model, at least one. */
  readonly registries: IModelRegistry[];
  /**
   * The tag of the alarms operators acknowledge and of the endpoints they describe: serving stacks put it on theirs
   * ({@link OperatedResources}), so this stack never refers to a serving stack and is not redeployed when one changes.
   */
  readonly operatedResourcesTag: OperatedResourcesTag;
  /**
   * Who may assume the people roles (with MFA).
   * @default - principals of this account (`AccountRootPrincipal`) that are allowed sts:AssumeRole
   */
  readonly peoplePrincipal?: iam.IPrincipal;
}

/**
 * Governance of the platform (level 3+): a multi-region CloudTrail trail with log-file validation, KMS and S3 data
 * events on the dataset and artifact stores, and separated roles for people: data scientist (read data, start
 * every model's training), approver (approve or reject in every model's registry) and operator (read monitoring,
 * acknowledge the alarms and describe the endpoints tagged `operatedResourcesTag`). It refers to no serving stack.
 */
export class GovernanceStack extends Stack {
  /** The audit trail. */
  public readonly auditTrail: AuditTrail;
  /** The data scientist, approver and operator roles. */
  public readonly peopleRoles: PeopleRoles;

  constructor(scope: Construct, id: string, props: GovernanceStackProps) {
    super(scope, id, { description: 'cdk-mlops-maturity: audit trail and separated roles', ...props });
    this.auditTrail = new AuditTrail(this, 'AuditTrail', { dataEventBuckets: props.dataStores.map((s) => s.bucket) });
    this.peopleRoles = new PeopleRoles(this, 'People', {
      assumedBy: props.peoplePrincipal ?? new iam.AccountRootPrincipal(),
      datasets: props.datasets,
      pipelines: props.pipelines,
      registries: props.registries,
      operatedResourcesTag: props.operatedResourcesTag,
    });
  }
}
