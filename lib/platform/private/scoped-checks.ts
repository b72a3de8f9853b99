import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';

/**
 * A cdk-nag pack that checks the resources under one scope only.
 *
 * `Validations.of(scope).addPlugins(pack)` registers a plugin on the enclosing Stage (or App), and aws-cdk-lib hands
 * it the templates of that stage; but cdk-nag 3's `NagPack.validate` ignores them and walks the whole construct tree
 * (`context.appConstruct`), so a pack added to a Stage also reports the App's other stacks (a CDK Pipelines stack,
 * for instance). This wrapper walks `scope` instead, through cdk-nag's own `validateScope`, under the pack's name, so
 * acknowledgements and the report read the same.
 */
export class ScopedNagPack implements IPolicyValidationPlugin {
  public readonly name: string;
  public readonly version?: string;
  public readonly ruleIds?: string[];

  constructor(private readonly pack: NagPack, private readonly scope: IConstruct) {
    this.name = pack.name;
    this.version = pack.version;
    this.ruleIds = pack.ruleIds;
  }

  public validate(_context: IPolicyValidationContext): PolicyValidationPluginReport {
    return this.pack.validateScope(this.scope);
  }
}
