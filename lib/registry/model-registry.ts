import { Arn, ArnFormat, Lazy, RemovalPolicy, Resource, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { ModelApprovalStatus } from '../core/model-approval-status';
import { IModelRegistry } from '../core/model-registry-interface';
import { checkSageMakerName, sageMakerNameFromPath } from '../private/sagemaker-names';
import { acknowledgeWildcards } from '../private/nag-acknowledgements';
import { checkAccountId, invalid, isUnresolved } from '../private/validate';

/**
 * Properties of a {@link ModelRegistry}.
 */
export interface ModelRegistryProps {
  /**
   * Name of the model package group (1 to 63 letters, digits and hyphens, starting and ending with a letter or digit).
   * @default - derived from the construct path (lower case, unique per stack and path)
   */
  readonly modelPackageGroupName?: string;

  /**
   * Description of the model package group.
   * @default - no description
   */
  readonly description?: string;

  /**
   * AWS account ids (12 digits) that may read this registry (describe and list the group and its model packages)
   * through the group's resource policy, e.g. the staging and production accounts that deploy approved models.
   * @default - no other account can read the registry
   */
  readonly shareWithAccounts?: string[];

  /**
   * What happens to the group when the stack is deleted or the resource replaced. A model package group holds the
   * lineage of every registered model: keep it.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The actions another account gets from {@link ModelRegistry.grantReadToAccount}: read, never write or approve. */
const CROSS_ACCOUNT_GROUP_ACTIONS = ['sagemaker:DescribeModelPackageGroup'];
const CROSS_ACCOUNT_PACKAGE_ACTIONS = ['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages'];

/**
 * What every model registry (created or imported) offers: grants that keep duties apart and EventBridge rules for
 * the lifecycle of its model packages.
 */
export abstract class ModelRegistryBase extends Resource implements IModelRegistry {
  /** The EventBridge `detail-type` SageMaker sends when a model package is created or its approval status changes. */
  public static readonly MODEL_PACKAGE_STATE_CHANGE = 'SageMaker Model Package State Change';

  /** Name of the model package group. */
  public abstract readonly modelPackageGroupName: string;
  /** ARN of the model package group. */
  public abstract readonly modelPackageGroupArn: string;

  /** ARN pattern of the versions of this group: `arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/*`. */
  public get modelPackageArnPattern(): string {
    return Stack.of(this).formatArn({
      service: 'sagemaker',
      resource: 'model-package',
      resourceName: `${this.modelPackageGroupName}/*`,
      region: this.env.region,
      account: this.env.account,
    });
  }

  /**
   * Lets the grantee create model packages (versions) in this group and tag them, and describe the group: what a
   * training pipeline's register step needs. It cannot approve (no `UpdateModelPackage`). The `<group>/*` wildcard
   * is acknowledged on the grantee (AwsSolutions-IAM5) with its reason.
   */
  public grantRegister(grantee: iam.IGrantable): iam.Grant {
    const packages = iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:CreateModelPackage', 'sagemaker:AddTags'],
      resourceArns: [this.modelPackageArnPattern],
    });
    this.acknowledgeOnGrantee(grantee, packages, this.versionsReason('register (create and tag)'));
    return packages.combine(this.grantDescribeGroup(grantee));
  }

  /**
   * Lets the grantee approve or reject model packages of this group (`UpdateModelPackage`) and read what it decides
   * on. It cannot register new versions (no `CreateModelPackage`).
   */
  public grantApprove(grantee: iam.IGrantable): iam.Grant {
    const update = iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:UpdateModelPackage'],
      resourceArns: [this.modelPackageArnPattern],
    });
    this.acknowledgeOnGrantee(grantee, update, this.versionsReason('approve or reject'));
    return update.combine(this.grantRead(grantee));
  }

  /**
   * Lets the grantee describe the group and its model packages (scoped to this group) and list model packages and
   * groups. SageMaker supports no resource-level permissions on `List*` calls, so those two actions are granted on
   * `*`. The wildcards this grants are acknowledged (AwsSolutions-IAM5, finding by finding, with the reason) on the
   * grantee when it is a construct, such as a role.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    const describePackages = iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:DescribeModelPackage'],
      resourceArns: [this.modelPackageArnPattern],
    });
    this.acknowledgeOnGrantee(grantee, describePackages, this.versionsReason('describe'));
    const list = iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:ListModelPackages', 'sagemaker:ListModelPackageGroups'],
      resourceArns: ['*'],
    });
    this.acknowledgeOnGrantee(grantee, list,
      'SageMaker supports no resource-level permissions on List* calls (ListModelPackages, ListModelPackageGroups); describing is scoped to this group');
    return describePackages.combine(list).combine(this.grantDescribeGroup(grantee));
  }

  /** EventBridge rule for "SageMaker Model Package State Change" events of this group, any status. */
  public onModelPackageStateChange(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.stateChangeRule(id, options);
  }

  /** EventBridge rule for a new model package registered in this group (status `PendingManualApproval`). */
  public onModelRegistered(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.stateChangeRule(id, options, ModelApprovalStatus.PENDING_MANUAL_APPROVAL);
  }

  /** EventBridge rule for a model package of this group being approved (status `Approved`). */
  public onModelApproved(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.stateChangeRule(id, options, ModelApprovalStatus.APPROVED);
  }

  /** EventBridge rule for a model package of this group being rejected (status `Rejected`). */
  public onModelRejected(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.stateChangeRule(id, options, ModelApprovalStatus.REJECTED);
  }

  private versionsReason(what: string): string {
    const group = isUnresolved(this.modelPackageGroupName) ? 'this model package group' : `model package group ${this.modelPackageGroupName}`;
    return `${what} the versions of ${group} only: versions are numbered as they are registered, so they are matched by <group>/*`;
  }

  /**
   * Acknowledges, on the grantee's own construct and finding by finding, the wildcards of the statements this
   * registry just granted, with the reason they are needed.
   */
  private acknowledgeOnGrantee(grantee: iam.IGrantable, grant: iam.Grant, reason: string): void {
    const principal = grantee.grantPrincipal;
    if (!grant.success || !Construct.isConstruct(principal)) return;
    for (const statement of grant.principalStatements) acknowledgeWildcards(principal, statement, reason);
  }

  private grantDescribeGroup(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:DescribeModelPackageGroup'],
      resourceArns: [this.modelPackageGroupArn],
    });
  }

  private stateChangeRule(id: string, options: events.OnEventOptions, status?: ModelApprovalStatus): events.Rule {
    const rule = new events.Rule(this, id, options);
    const detail: { [key: string]: string[] } = { ModelPackageGroupName: [this.modelPackageGroupName] };
    if (status) detail.ModelApprovalStatus = [status];
    rule.addEventPattern({ source: ['aws.sagemaker'], detailType: [ModelRegistryBase.MODEL_PACKAGE_STATE_CHANGE], detail });
    rule.addTarget(options.target);
    return rule;
  }
}

/**
 * A model registry: one SageMaker model package group (`AWS::SageMaker::ModelPackageGroup`) whose versions move
 * through approval.
 *
 * Secure defaults: retained on delete, no access for other accounts unless named in `shareWithAccounts` (read-only),
 * grants that keep registering (pipeline) and approving (a person or the champion/challenger judge) apart.
 *
 * @example
 * const registry = new ModelRegistry(this, 'Registry', { description: 'churn models' });
 * registry.grantRegister(pipelineRole);
 * registry.grantApprove(approverRole);
 * registry.onModelApproved('Deploy', { target: new targets.CodePipeline(deliveryPipeline) });
 */
export class ModelRegistry extends ModelRegistryBase {
  /** Imports a model package group of this account and region by name. */
  public static fromModelRegistryName(scope: Construct, id: string, modelPackageGroupName: string): IModelRegistry {
    checkSageMakerName(scope, 'modelPackageGroupName', modelPackageGroupName);
    class Import extends ModelRegistryBase {
      public readonly modelPackageGroupName = modelPackageGroupName;
      public readonly modelPackageGroupArn = Stack.of(scope).formatArn({
        service: 'sagemaker',
        resource: 'model-package-group',
        resourceName: modelPackageGroupName,
      });
    }
    return new Import(scope, id);
  }

  /** Imports a model package group by ARN (`arn:<partition>:sagemaker:<region>:<account>:model-package-group/<name>`). */
  public static fromModelRegistryArn(scope: Construct, id: string, modelPackageGroupArn: string): IModelRegistry {
    if (!isUnresolved(modelPackageGroupArn)
      && !/^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package-group\/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(modelPackageGroupArn)) {
      invalid(scope, 'modelPackageGroupArn', "an ARN 'arn:<partition>:sagemaker:<region>:<account>:model-package-group/<name>'", modelPackageGroupArn);
    }
    const name = Arn.split(modelPackageGroupArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    class Import extends ModelRegistryBase {
      public readonly modelPackageGroupName = name;
      public readonly modelPackageGroupArn = modelPackageGroupArn;
    }
    return new Import(scope, id, { environmentFromArn: modelPackageGroupArn });
  }

  /** Name of the model package group. */
  public readonly modelPackageGroupName: string;
  /** ARN of the model package group. */
  public readonly modelPackageGroupArn: string;
  /** The L1 model package group. */
  public readonly resource: sagemaker.CfnModelPackageGroup;
  /** The group's resource policy (rendered only when it has statements). */
  public readonly resourcePolicy: iam.PolicyDocument = new iam.PolicyDocument();

  private readonly sharedAccounts = new Set<string>();
  private readonly deployAccounts = new Set<string>();

  constructor(scope: Construct, id: string, props: ModelRegistryProps = {}) {
    super(scope, id);
    checkSageMakerName(this, 'modelPackageGroupName', props.modelPackageGroupName);
    if (props.description !== undefined && !isUnresolved(props.description) && props.description.length > 1024) {
      invalid(this, 'description', 'at most 1024 characters', `${props.description.slice(0, 40)}... (${props.description.length} characters)`);
    }
    this.modelPackageGroupName = props.modelPackageGroupName ?? sageMakerNameFromPath(this);

    this.resource = new sagemaker.CfnModelPackageGroup(this, 'Resource', {
      modelPackageGroupName: this.modelPackageGroupName,
      modelPackageGroupDescription: props.description,
      modelPackageGroupPolicy: Lazy.any({ produce: () => (this.resourcePolicy.isEmpty ? undefined : this.resourcePolicy) }),
    });
    this.resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.modelPackageGroupArn = this.resource.attrModelPackageGroupArn;

    (props.shareWithAccounts ?? []).forEach((account, i) => this.grantReadToAccount(account, `shareWithAccounts[${i}]`));
  }

  /**
   * Adds a statement to the group's resource policy. Resources must be this group's ARN or its packages'
   * ({@link modelPackageArnPattern}); use {@link groupArnForPolicy} to refer to the group without a circular reference.
   */
  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    this.resourcePolicy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.resource };
  }

  /** The group's ARN built from its name, for use inside its own resource policy (the attribute would be circular). */
  public get groupArnForPolicy(): string {
    return Stack.of(this).formatArn({ service: 'sagemaker', resource: 'model-package-group', resourceName: this.modelPackageGroupName });
  }

  /**
   * Lets another AWS account read this registry through the resource policy: describe the group, describe and list
   * its model packages. Nothing else: the other account can neither register nor approve.
   *
   * @param accountId the 12-digit id of the account
   * @param propName the name used in the error message when the id is not valid
   */
  public grantReadToAccount(accountId: string, propName: string = 'accountId'): void {
    checkAccountId(this, propName, accountId);
    if (this.sharedAccounts.has(accountId)) return;
    this.sharedAccounts.add(accountId);
    const principal = new iam.AccountPrincipal(accountId);
    const sid = isUnresolved(accountId) ? undefined : `ReadAccount${accountId}`;
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: sid && `${sid}Group`,
      principals: [principal],
      actions: CROSS_ACCOUNT_GROUP_ACTIONS,
      resources: [this.groupArnForPolicy],
    }));
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: sid && `${sid}Packages`,
      principals: [principal],
      actions: CROSS_ACCOUNT_PACKAGE_ACTIONS,
      resources: [this.modelPackageArnPattern],
    }));
  }

  /**
   * Lets other AWS accounts (deployment stages) read this registry and create SageMaker models from its packages,
   * which is what deploying a shared model package to an endpoint needs. Still no register or approve.
   *
   * @param accountIds the 12-digit ids of the accounts
   */
  public grantReadToAccounts(accountIds: string[]): void {
    accountIds.forEach((account, i) => {
      this.grantReadToAccount(account, `accountIds[${i}]`);
      if (this.deployAccounts.has(account)) return;
      this.deployAccounts.add(account);
      this.addToResourcePolicy(new iam.PolicyStatement({
        sid: isUnresolved(account) ? undefined : `DeployAccount${account}`,
        principals: [new iam.AccountPrincipal(account)],
        actions: ['sagemaker:CreateModel'],
        resources: [this.modelPackageArnPattern],
      }));
    });
  }
}
