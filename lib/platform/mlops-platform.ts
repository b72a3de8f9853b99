import { Annotations, Environment, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { MaturityLevel } from '../core/maturity-level';
import { PlatformFeatures } from '../core/platform-features';
import { checkSettings } from '../settings/check-settings';
import { PlatformSettings } from '../settings/platform-settings.generated';
import { resolveSettings } from '../settings/resolve-settings';
import { settingsToContext } from '../settings/settings-context';
import { CodeConnectionSourceProps } from '../delivery/delivery-source';
import { stageAccountsToContext } from './private/stage-accounts-context';
import { DeploymentStageTarget } from '../delivery/deployment-stage-target';
import { OperatedResourcesTag } from '../governance/operated-resources';
import { showStacksAsSiblings } from '../private/display-path';
import { ownerStage, StackPlacement } from './private/stack-placement';
import { InputError } from '../private/validate';
import { checkModelPackageArn } from '../registry/model-package-arn';
import { DataStack } from '../stacks/data-stack';
import { GovernanceStack } from '../stacks/governance-stack';
import { ServingStack } from '../stacks/serving-stack';
import { TrainingStack } from '../stacks/training-stack';

/**
 * Properties of an {@link MlopsPlatform}. Settings of a level above the chosen one are ignored.
 */
export interface MlopsPlatformProps extends PlatformSettings {
  /** The maturity level the team has reached: the platform deploys exactly what this level needs. */
  readonly level: MaturityLevel;
  /**
   * Account and region of the platform's stacks. Inside a `Stage`, leave unset to use the stage's environment.
   * @default - environment-agnostic stacks (or the stage's environment)
   */
  readonly env?: Environment;
  /**
   * Level 2: the approved model package the serving stack deploys. Without it there is no serving stack until a
   * model is approved: the deploy-on-approval pipeline then deploys it (or call `deployModel`).
   * @default - no serving stack
   */
  readonly modelPackageArn?: string;
  /** Level 2: the ML code repository (CodeConnections). @default - a versioned S3 source bucket */
  readonly codeRepository?: CodeConnectionSourceProps;
  /** Level 2: deployment stages in other accounts (staging, manual approval, prod). @default - this account */
  readonly stageAccounts?: DeploymentStageTarget[];
  /** Level 3: who may assume the people roles. @default - principals of the platform's account, with MFA */
  readonly peoplePrincipal?: iam.IPrincipal;
}

/**
 * The MLOps platform at one maturity level: creates the platform's stacks, split by lifecycle, as its own children.
 * Create it directly in the App, or in a `Stage` so CDK Pipelines can deploy the same platform to dev, staging and
 * prod. Like any construct, it passes `Tags.of(platform)` and Aspects applied to it on to every stack and resource.
 *
 * Its stacks have the construct ids `Data` (level 0+), `<model>-Training` (2+), `<model>-Serving` (2+, once a model
 * package is approved) and `Governance` (3+), so their construct paths (what `cdk ls` shows and `cdk deploy <pattern>`
 * matches) are `<id>/Data`, `<id>/<model>-Training`, ... (`Mlops/Data` under the App, `Prod/Mlops/Data` in
 * `new Stage(app, 'Prod')`; `cdk deploy 'Mlops/*'` selects them all). Their CloudFormation stack names are
 * `<id>-Data`, `<id>-<model>-Training`, `<id>-<model>-Serving` and `<id>-Governance`, prefixed in a Stage by the
 * stage name (`Prod-Mlops-Data`; `Outer-Prod-Mlops-Data` in a nested Stage). Several platforms with different ids
 * coexist in one app, and nothing has a hard-coded physical name.
 *
 * Who deploys what: the team's deployment (a `cdk deploy` of the app, or CDK Pipelines) owns the data, training and
 * governance stacks; deploy-on-approval owns the serving stack, whose guard refuses a model package that is not
 * Approved or older than the approved one it serves, whoever deploys it; the ML code pipeline deploys the training
 * stack only (`mlCodePipeline: false` leaves it out when the team's pipeline deploys that stack).
 *
 * The delivery pipelines select the stacks they deploy by their construct path, which is what `cdk deploy` matches:
 * `Mlops/recommendation-Serving` under the App, `Prod/Mlops/recommendation-Serving` in `new Stage(app, 'Prod')`.
 * They run `cdk deploy` on the repository's own app (its `cdk.json`), so that app must build this platform in the
 * same place, with the context they pass (`readPlatformContext`; at least `modelPackageArn`).
 *
 * @example
 * const app = new App();
 * new MlopsPlatform(app, 'Mlops', { level: MaturityLevel.MONITORING_AND_GOVERNANCE, modelPackageArn });
 */
export class MlopsPlatform extends Construct {
  /** The level this platform was built for. */
  public readonly level: MaturityLevel;
  /** The model the per-model stacks serve. */
  public readonly modelName: string;
  /** Stateful data: artifact store (0+), dataset store and image repository (1+), feature group (4). */
  public readonly dataStack: DataStack;
  /** Registry, training pipeline and delivery of the model (level 2+). */
  public readonly trainingStack?: TrainingStack;
  /** Audit trail and people roles (level 3+). */
  public readonly governanceStack?: GovernanceStack;
  /**
   * The tag on the serving stacks' alarms and endpoints through which the people roles reach them (level 3+):
   * `cdk-mlops-maturity:platform` = this platform's construct path.
   */
  public readonly operatedResourcesTag?: OperatedResourcesTag;
  private servingStackValue?: ServingStack;
  private readonly props: MlopsPlatformProps;

  constructor(scope: Construct, id: string, props: MlopsPlatformProps) {
    super(scope, id);
    const enclosingStack = findStack(scope);
    if (enclosingStack) {
      throw new InputError(this, `MlopsPlatform must be created in an App or a Stage, not inside the stack '${enclosingStack}'`);
    }
    // Its stacks keep the names they had as its siblings, which only a platform directly in its Stage has (no hash),
    // and the descriptions of their resources keep naming them by the paths they had then.
    ownerStage(this);
    showStacksAsSiblings(this);
    checkSettings(this, props);
    checkModelPackageArn(this, 'modelPackageArn', props.modelPackageArn);
    const features = PlatformFeatures.forLevel(props.level);
    const modelName = resolveSettings(props).modelName;
    this.level = props.level;
    this.modelName = modelName;
    this.props = props;
    const env = props.env;

    const data = this.placement('Data');
    this.dataStack = new DataStack(data.scope, data.id, { stackName: data.stackName, level: props.level, env });
    if (!features.trainingPipeline) {
      if (props.modelPackageArn) throw new InputError(this, `modelPackageArn needs level 2 or more, got level ${props.level}`);
      return;
    }

    const datasetStore = this.dataStack.datasetStore!;
    const training = this.placement(`${modelName}-Training`);
    this.trainingStack = new TrainingStack(training.scope, training.id, {
      stackName: training.stackName,
      env,
      level: props.level,
      modelName,
      dataset: this.dataStack.datasets['user-interactions'],
      artifactStore: this.dataStack.artifactStore,
      settings: props,
      codeRepository: props.codeRepository,
      stageAccounts: props.stageAccounts,
      // An approval deploys the serving stack only (the people roles reach its alarms by tag, not by import),
      // selected by where it is (or will be) placed: App, Stage and nested Stage alike.
      servingStackSelectors: [this.placement(`${modelName}-Serving`).selector],
      deliveryContext: deliveryContext(id, modelName, props),
    });
    if (props.stageAccounts && props.stageAccounts.length > 0) {
      // Stage accounts deploy the serving stack from this account's registry and artifacts: share them, read-only.
      const accounts = [...new Set(props.stageAccounts.map((s) => s.account))];
      this.trainingStack.registry.grantReadToAccounts(accounts);
      this.dataStack.artifactStore.grantReadToAccounts(accounts, `${modelName}/runs/`);
    }

    if (features.governance) {
      this.operatedResourcesTag = { key: PLATFORM_TAG_KEY, value: tagValue(this.node.path) };
      const governance = this.placement('Governance');
      this.governanceStack = new GovernanceStack(governance.scope, governance.id, {
        stackName: governance.stackName,
        env,
        dataStores: [this.dataStack.artifactStore, datasetStore],
        datasets: Object.values(this.dataStack.datasets),
        pipeline: this.trainingStack.pipeline,
        registry: this.trainingStack.registry,
        peoplePrincipal: props.peoplePrincipal,
        operatedResourcesTag: this.operatedResourcesTag,
      });
    }

    if (props.modelPackageArn) this.deployModel(props.modelPackageArn);
    else Annotations.of(this).addInfo(this.servingNotice!);
  }

  /**
   * While there is no serving stack (level 2+ without a model package), one line saying how it will arrive;
   * `bin/mlops-platform.ts` prints it on synth.
   */
  public get servingNotice(): string | undefined {
    if (!this.trainingStack || this.servingStackValue) return undefined;
    return `No serving stack yet: approve a model package in registry '${this.trainingStack.registry.modelPackageGroupName}' `
      + 'and the deploy-on-approval pipeline deploys it (or synth with -c modelPackageArn=<arn> or -c modelPackageArn=latest-approved).';
  }

  /** The serving stack, once a model package is deployed (level 2+). */
  public get servingStack(): ServingStack | undefined {
    return this.servingStackValue;
  }

  /**
   * Adds the serving stack for an approved model package (level 2+), with its monitoring and retraining (3+), its
   * alarms and endpoint tagged for the governance stack's operators. Used by the constructor when `modelPackageArn`
   * is given, and by apps that look the package up first (`-c modelPackageArn=latest-approved`).
   */
  public deployModel(modelPackageArn: string): ServingStack {
    checkModelPackageArn(this, 'modelPackageArn', modelPackageArn);
    if (!this.trainingStack) throw new InputError(this, `modelPackageArn needs level 2 or more, got level ${this.level}`);
    if (this.servingStackValue) throw new InputError(this, 'deployModel was already called: the platform serves one model package');
    const props = this.props;
    const placement = this.placement(`${this.modelName}-Serving`);
    const serving = new ServingStack(placement.scope, placement.id, {
      stackName: placement.stackName,
      env: props.env,
      level: props.level,
      modelName: this.modelName,
      modelPackageArn,
      artifactStore: this.dataStack.artifactStore,
      datasetStore: this.dataStack.datasetStore,
      pipeline: this.trainingStack.pipeline,
      settings: props,
      operatedResourcesTag: this.operatedResourcesTag,
    });
    this.servingStackValue = serving;
    return serving;
  }

  /**
   * Where the platform's stack `<name>` goes: under this construct, named `<stage prefix><id>-<name>`. Every stack is
   * created from its placement, and the delivery pipelines select a stack by the same placement's construct path, so
   * the two cannot drift.
   */
  private placement(name: string): StackPlacement {
    return new StackPlacement(this, name);
  }
}

/**
 * The context the delivery pipelines pass to `cdk deploy`, so a redeploy builds the same platform (the ML code
 * pipeline adds `level`; deploy-on-approval sets `level` and `modelPackageArn` itself).
 */
function deliveryContext(id: string, modelName: string, props: MlopsPlatformProps): { [key: string]: string } {
  const context: { [key: string]: string } = { ...settingsToContext(props), platformName: id, modelName };
  if (props.codeRepository) {
    context.sourceConnectionArn = props.codeRepository.connectionArn;
    context.sourceRepository = props.codeRepository.repository;
    if (props.codeRepository.branch) context.sourceBranch = props.codeRepository.branch;
  }
  if (props.stageAccounts) context.stageAccounts = stageAccountsToContext(props.stageAccounts);
  return context;
}

/** Key of the tag that marks a platform's operated alarms and endpoints. */
const PLATFORM_TAG_KEY = 'cdk-mlops-maturity:platform';

/** A construct path as a tag value: characters tags do not allow become '-', at most 256 characters. */
function tagValue(path: string): string {
  return path.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '-').slice(0, 256);
}

function findStack(scope: Construct): string | undefined {
  for (const c of scope.node.scopes) {
    if (Stack.isStack(c)) return c.node.path;
  }
  return undefined;
}
