import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { OperatedResourcesTag } from './operated-resources';
import { PeopleAccess } from './people-access';
import { IReadableData } from './readable-data';
import { ALARM_ACKNOWLEDGE_ACTIONS, APPROVE_ACTIONS, TRAIN_ACTIONS } from './private/actions';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { checkInteger, InputError } from '../private/validate';
import { checkNonEmpty } from './private/check-non-empty';
import { ARNS_PER_STATEMENT, chunks } from './private/chunks';
import { IModelRegistry } from '../core/model-registry-interface';

/**
 * Properties of {@link PeopleRoles}.
 */
export interface PeopleRolesProps {
  /**
   * Who may assume the roles, e.g. `new iam.AccountPrincipal('111122223333')` (an identity account whose IAM
   * policies decide which person gets which role) or an SSO/SAML principal.
   */
  readonly assumedBy: iam.IPrincipal;

  /**
   * Who may assume the data scientist role.
   * @default - `assumedBy`
   */
  readonly dataScientistsAssumedBy?: iam.IPrincipal;

  /**
   * Who may assume the approver role.
   * @default - `assumedBy`
   */
  readonly approversAssumedBy?: iam.IPrincipal;

  /**
   * Who may assume the operator role.
   * @default - `assumedBy`
   */
  readonly operatorsAssumedBy?: iam.IPrincipal;

  /**
   * Require MFA to assume the roles (`aws:MultiFactorAuthPresent`). Turn off for federated principals whose
   * identity provider enforces MFA itself.
   * @default true
   */
  readonly requireMfa?: boolean;

  /**
   * Longest session of an assumed role.
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;

  /** Datasets the data scientists read. */
  readonly datasets: IReadableData[];
  /** The training pipelines the data scientists start: one per model, at least one. */
  readonly pipelines: sagemaker.IPipeline[];
  /** The registry groups whose model packages the approvers approve or reject: one per model, at least one. */
  readonly registries: IModelRegistry[];
  /**
   * Alarms the operators may acknowledge, by ARN.
   * @default - none: the alarms carrying `operatedResourcesTag`
   */
  readonly alarms?: cloudwatch.IAlarm[];
  /**
   * The tag of the alarms the operators acknowledge and of the endpoints they describe (see {@link OperatedResources}):
   * the roles then need no change when stacks with such alarms and endpoints are added or removed.
   * @default - none: the `alarms` given
   */
  readonly operatedResourcesTag?: OperatedResourcesTag;

  /**
   * Log groups the operators read and query.
   * @default - none
   */
  readonly logGroups?: logs.ILogGroup[];
}

/**
 * Ready IAM roles for the three people around the platform: data scientist (trains), approver (approves) and
 * operator (watches). Each holds its grant from {@link PeopleAccess} in customer-managed policies, plus explicit
 * denies of the other roles' key actions, so no policy attached later lets one do another's work: the approver
 * cannot start training, the data scientist cannot approve, the operator can do neither, and neither of the first
 * two can acknowledge an alarm.
 *
 * @example
 * const people = new PeopleRoles(this, 'People', {
 *   assumedBy: new iam.AccountPrincipal('111122223333'),
 *   datasets: [customerChurn],
 *   pipelines: [churnTraining.pipeline, ltvTraining.pipeline],
 *   registries: [churnTraining.registry, ltvTraining.registry],
 *   operatedResourcesTag: { key: 'team:platform', value: 'churn' },
 * });
 */
export class PeopleRoles extends Construct {
  /** Reads datasets, starts and follows the training pipelines, reads the registries. */
  public readonly dataScientistRole: iam.Role;
  /** Approves or rejects model packages of the registry groups. */
  public readonly approverRole: iam.Role;
  /** Reads monitoring, acknowledges the platform's alarms and describes its endpoints (with `operatedResourcesTag`). */
  public readonly operatorRole: iam.Role;

  private readonly props: PeopleRolesProps;

  constructor(scope: Construct, id: string, props: PeopleRolesProps) {
    super(scope, id);
    if ((props.alarms ?? []).length === 0 && !props.operatedResourcesTag) {
      throw new InputError(this, 'alarms or operatedResourcesTag must give the alarms the operators acknowledge, got no alarm and no tag');
    }
    const maxSession = props.maxSessionDuration ?? Duration.hours(1);
    if (!maxSession.isUnresolved()) {
      checkInteger(this, 'maxSessionDuration (seconds)', maxSession.toSeconds(), 3600, 43200);
    }
    checkNonEmpty(this, 'pipelines', 'training pipelines', props.pipelines);
    checkNonEmpty(this, 'registries', 'model registries', props.registries);
    this.props = props;

    this.dataScientistRole = this.role('DataScientistRole', props.dataScientistsAssumedBy,
      props.pipelines.length === 1 && props.registries.length === 1
        ? 'Data scientist: reads datasets, starts and follows the training pipeline, reads the model registry'
        : `Data scientist: reads datasets, starts and follows ${props.pipelines.length} training pipelines, reads ${props.registries.length} model registries`);
    PeopleAccess.grantDataScientist(this.dataScientistRole, { datasets: props.datasets, pipelines: props.pipelines, registries: props.registries });
    chunks(props.registries.map((registry) => registry.modelPackageArnPattern), ARNS_PER_STATEMENT).forEach((arns, i) =>
      this.deny(this.dataScientistRole, i === 0 ? 'DenyApproving' : `DenyApproving${i + 1}`, APPROVE_ACTIONS, arns));
    this.deny(this.dataScientistRole, 'DenyAcknowledgingAlarms', ALARM_ACKNOWLEDGE_ACTIONS, ['*']);

    this.approverRole = this.role('ApproverRole', props.approversAssumedBy,
      props.registries.length === 1
        ? 'Approver: approves or rejects model packages of one registry group'
        : `Approver: approves or rejects model packages of ${props.registries.length} registry groups`);
    PeopleAccess.grantApprover(this.approverRole, { registries: props.registries });
    this.deny(this.approverRole, 'DenyTraining', TRAIN_ACTIONS, ['*']);
    this.deny(this.approverRole, 'DenyAcknowledgingAlarms', ALARM_ACKNOWLEDGE_ACTIONS, ['*']);

    this.operatorRole = this.role('OperatorRole', props.operatorsAssumedBy,
      'Operator: reads monitoring and acknowledges the platform alarms');
    PeopleAccess.grantOperator(this.operatorRole, {
      alarms: props.alarms, operatedResourcesTag: props.operatedResourcesTag, logGroups: props.logGroups,
    });
    this.deny(this.operatorRole, 'DenyTrainingAndApproving', [...TRAIN_ACTIONS, ...APPROVE_ACTIONS], ['*']);
  }

  private role(id: string, principal: iam.IPrincipal | undefined, description: string): iam.Role {
    const base = principal ?? this.props.assumedBy;
    const assumedBy = this.props.requireMfa === false
      ? base
      : new iam.PrincipalWithConditions(base, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } });
    return new ManagedPolicyRole(this, id, {
      assumedBy,
      description,
      maxSessionDuration: this.props.maxSessionDuration ?? Duration.hours(1),
    });
  }

  private deny(role: iam.Role, sid: string, actions: string[], resources: string[]): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid, effect: iam.Effect.DENY, actions, resources }));
  }
}
