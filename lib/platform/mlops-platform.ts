import { Annotations, Environment, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { MaturityLevel } from '../core/maturity-level';
import { PlatformFeatures } from '../core/platform-features';
import { checkSettings } from '../settings/check-settings';
import { PlatformSettings } from '../settings/platform-settings.generated';
import { settingsToContext } from '../settings/settings-context';
import { CodeConnectionSourceProps } from '../delivery/delivery-source';
import { PlatformModel } from '../models/platform-model';
import { stageAccountsToContext } from './private/stage-accounts-context';
import { DeploymentStageTarget } from '../delivery/deployment-stage-target';
import { OperatedResourcesTag } from '../governance/operated-resources';
import { showStacksAsSiblings } from '../private/display-path';
import { ownerStage, StackPlacement } from './private/stack-placement';
import { InputError, invalid } from '../private/validate';
import { checkModels, modelPackageArns, modelSettings } from './private/platform-models';
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
   * Level 2: the models the platform trains and serves (at least one from level 2): each gets its own training and
   * serving stacks, its dataset in the shared dataset store and, at level 4, its feature group. The first model keeps
   * the ids of a one-model platform: add models after it, never before.
   * @default - none (levels 0 and 1 need none)
   */
  readonly models?: PlatformModel[];
  /**
   * Level 2: the approved model package each model's serving stack deploys, by model name. A model without one has
   * no serving stack until a package is approved: its deploy-on-approval pipeline then deploys it (or call
   * `deployModel`).
   * @default - no serving stacks
   */
  readonly modelPackageArns?: { [modelName: string]: string };
  /**
   * Level 2: the approved model package of the platform's only model (a shorthand of `modelPackageArns` for
   * one-model platforms).
   * @default - no serving stack
   */
  readonly modelPackageArn?: string;
  /** Level 2: the ML code repository (CodeConnections). @default - a versioned S3 source bucket */
  readonly codeRepository?: CodeConnectionSourceProps;
  /** Level 2: deployment stages in other accounts (staging, manual approval, prod). @default - this account */
  readonly stageAccounts?: DeploymentStageTarget[];
  /** Level 3: who may assume the people roles. @default - principals of the platform's account, with MFA */
  readonly peoplePrincipal?: iam.IPrincipal;
  /**
   * Level 2: more context the delivery pipelines pass to `cdk deploy` of the repository's app, so that it builds the
   * same platform (e.g. `{ config: 'platform/mlops.config.json' }` when the app reads its config from there).
   * The platform's own settings are passed already.
   * @default - none
   */
  readonly appContext?: { [key: string]: string };
  /**
   * Level 2: the settings the delivery pipelines pass to `cdk deploy` as context. An app that reads its settings
   * from a file in the repository gives only those that came from its own context: context overrides the file, so
   * passing the file's settings back would pin them and a pushed change of the file would never take effect.
   * @default - every setting of these props
   */
  readonly deliverySettings?: PlatformSettings;
}

/**
 * The MLOps platform at one maturity level: creates the platform's stacks, split by lifecycle, as its own children.
 * Create it directly in the App, or in a `Stage` so CDK Pipelines can deploy the same platform to dev, staging and
 * prod. Like any construct, it passes `Tags.of(platform)` and Aspects applied to it on to every stack and resource.
 *
 * Its stacks have the construct ids `Data` (level 0+), `<model>-Training` (2+, per model), `<model>-Serving` (2+, per model, once a
 * model package is approved) and `Governance` (3+), so their construct paths (what `cdk ls` shows and `cdk deploy <pattern>`
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
 * `Mlops/churn-Serving` under the App, `Prod/Mlops/churn-Serving` in `new Stage(app, 'Prod')`.
 * They run `cdk deploy` on the repository's own app (its `cdk.json`), so that app must build this platform in the
 * same place, with the context they pass (`readPlatformContext` for the settings, `deployModelsFromContext` for each
 * model's package).
 *
 * @example
 * const app = new App();
 * new MlopsPlatform(app, 'Mlops', { level: MaturityLevel.MONITORING_AND_GOVERNANCE, models: [churn], modelPackageArn });
 */
export class MlopsPlatform extends Construct {
  /** The level this platform was built for. */
  public readonly level: MaturityLevel;
  /** The models the platform trains and serves (level 2+), in the order given. */
  public readonly models: PlatformModel[];
  /** Stateful data: artifact store (0+), dataset store and image repository (1+), feature groups (4). */
  public readonly dataStack: DataStack;
  /** Each model's registry, training pipeline and delivery, by model name (level 2+). */
  public readonly trainingStacks: { [modelName: string]: TrainingStack } = {};
  /** Audit trail and people roles (level 3+). */
  public readonly governanceStack?: GovernanceStack;
  /**
   * The tag on the serving stacks' alarms and endpoints through which the people roles reach them (level 3+):
   * `cdk-mlops-maturity:platform` = this platform's construct path.
   */
  public readonly operatedResourcesTag?: OperatedResourcesTag;
  private readonly servingStacksValue: { [modelName: string]: ServingStack } = {};
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
    const features = PlatformFeatures.forLevel(props.level);
    this.models = props.models ?? [];
    checkModels(this, props.level, this.models, props);
    const packages = modelPackageArns(this, this.models, props);
    this.level = props.level;
    this.props = props;
    const env = props.env;

    const data = this.placement('Data');
    this.dataStack = new DataStack(data.scope, data.id, { stackName: data.stackName, level: props.level, env, models: this.models });
    if (!features.trainingPipeline) return;

    const datasetStore = this.dataStack.datasetStore!;
    if (features.governance) this.operatedResourcesTag = { key: PLATFORM_TAG_KEY, value: tagValue(this.node.path) };
    for (const model of this.models) {
      const training = this.placement(`${model.name}-Training`);
      const trainingStack = new TrainingStack(training.scope, training.id, {
        stackName: training.stackName,
        env,
        level: props.level,
        model,
        dataset: this.dataStack.datasets[model.dataset.name],
        artifactStore: this.dataStack.artifactStore,
        settings: modelSettings(props, model),
        codeRepository: props.codeRepository,
        stageAccounts: props.stageAccounts,
        // An approval deploys this model's serving stack only (the people roles reach its alarms by tag, not by
        // import), selected by where it is (or will be) placed: App, Stage and nested Stage alike.
        servingStackSelectors: [this.placement(`${model.name}-Serving`).selector],
        modelPackageArnContextKey: this.modelPackageArnContextKey(model.name),
        deliveryContext: deliveryContext(id, props),
      });
      this.trainingStacks[model.name] = trainingStack;
      if (props.stageAccounts && props.stageAccounts.length > 0) {
        // Stage accounts deploy the serving stack from this account's registry and artifacts: share them, read-only.
        const accounts = [...new Set(props.stageAccounts.map((s) => s.account))];
        trainingStack.registry.grantReadToAccounts(accounts);
        this.dataStack.artifactStore.grantReadToAccounts(accounts, `${model.name}/runs/`);
      }
    }

    if (features.governance) {
      const governance = this.placement('Governance');
      const trainingStacks = Object.values(this.trainingStacks);
      this.governanceStack = new GovernanceStack(governance.scope, governance.id, {
        stackName: governance.stackName,
        env,
        dataStores: [this.dataStack.artifactStore, datasetStore],
        datasets: Object.values(this.dataStack.datasets),
        pipelines: trainingStacks.map((t) => t.pipeline),
        registries: trainingStacks.map((t) => t.registry),
        peoplePrincipal: props.peoplePrincipal,
        operatedResourcesTag: this.operatedResourcesTag!,
      });
    }

    for (const model of this.models) {
      const arn = packages[model.name];
      if (arn) this.deployModel(arn, model.name);
    }
    for (const notice of this.servingNotices) Annotations.of(this).addInfo(notice);
  }

  /**
   * For each model without a serving stack (level 2+ without a model package), one line saying how it will
   * arrive; `bin/mlops-platform.ts` prints them on synth.
   */
  public get servingNotices(): string[] {
    return Object.entries(this.trainingStacks).filter(([name]) => !this.servingStacksValue[name]).map(([name, stack]) =>
      `No serving stack for model '${name}' yet: approve a model package in registry '${stack.registry.modelPackageGroupName}' `
      + `and its deploy-on-approval pipeline deploys it (or synth with -c ${this.modelPackageArnContextKey(name)}=<arn> or =latest-approved).`);
  }

  /** Each model's serving stack, by model name, once a model package is deployed (level 2+). */
  public get servingStacks(): { [modelName: string]: ServingStack } {
    return { ...this.servingStacksValue };
  }

  /**
   * Adds a model's serving stack for an approved model package (level 2+), with its monitoring and retraining (3+),
   * its alarms and endpoint tagged for the governance stack's operators. Used by the constructor for
   * `modelPackageArns`, and by apps that look the package up first (`-c modelPackageArn.<model>=latest-approved`).
   * `modelName` may be left out when the platform has one model.
   */
  public deployModel(modelPackageArn: string, modelName?: string): ServingStack {
    checkModelPackageArn(this, 'modelPackageArn', modelPackageArn);
    const model = this.model(modelName);
    const trainingStack = this.trainingStacks[model.name];
    if (!trainingStack) throw new InputError(this, `modelPackageArn needs level 2 or more, got level ${this.level}`);
    if (this.servingStacksValue[model.name]) {
      throw new InputError(this, `deployModel was already called for model '${model.name}': a model serves one model package`);
    }
    const placement = this.placement(`${model.name}-Serving`);
    const serving = new ServingStack(placement.scope, placement.id, {
      stackName: placement.stackName,
      env: this.props.env,
      level: this.props.level,
      model,
      modelPackageArn,
      artifactStore: this.dataStack.artifactStore,
      datasetStore: this.dataStack.datasetStore,
      pipeline: trainingStack.pipeline,
      settings: modelSettings(this.props, model),
      operatedResourcesTag: this.operatedResourcesTag,
    });
    this.servingStacksValue[model.name] = serving;
    return serving;
  }

  /**
   * The context key through which the delivery pipelines and the app pass a model's package: `modelPackageArn` on a
   * one-model platform (as before models), `modelPackageArn.<model>` with several.
   */
  public modelPackageArnContextKey(modelName: string): string {
    return this.models.length === 1 ? 'modelPackageArn' : `modelPackageArn.${modelName}`;
  }

  /** A model by name; with one model the name may be left out. */
  private model(modelName?: string): PlatformModel {
    if (modelName === undefined) {
      if (this.models.length === 1) return this.models[0];
      invalid(this, 'modelName', `one of ${this.models.map((m) => m.name).join(', ') || '(no models)'}`, modelName);
    }
    const model = this.models.find((m) => m.name === modelName);
    if (!model) invalid(this, 'modelName', `one of ${this.models.map((m) => m.name).join(', ') || '(no models)'}`, modelName);
    return model;
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
function deliveryContext(id: string, props: MlopsPlatformProps): { [key: string]: string } {
  const context: { [key: string]: string } = { ...props.appContext, ...settingsToContext(props.deliverySettings ?? props), platformName: id };
  // A one-model platform names its model, as before models were values (the app's default example reads it).
  const models = props.models ?? [];
  if (models.length === 1) context.modelName = models[0].name;
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
