import * as fs from 'fs';
import { App } from 'aws-cdk-lib';
import { recommendationModel } from '../../examples/recommendation/model';
import { MaturityLevel, MlopsPlatform, MlopsPlatformProps, PlatformModel } from '../../lib';
import { CfnTemplate, CostItem, PerUseItem, difference, idleCost } from './template-cost';

/** One row of the report: a platform at a level, its model served or not, on instances or serverless. */
export interface CostRow {
  /** What the row shows, e.g. `2, not served`. */
  readonly label: string;
  readonly level: MaturityLevel;
  /** Whether each model has an approved package, so that its serving stack exists. */
  readonly served: boolean;
  /** Level 2: serve with serverless inference. @default false */
  readonly serverless?: boolean;
}

/** The rows `npm run cost` prints: each level with a served model, and level 2 without one and serverless. */
export const COST_ROWS: CostRow[] = [
  { label: '0', level: MaturityLevel.AD_HOC, served: false },
  { label: '1', level: MaturityLevel.PRE_PRODUCTION, served: false },
  { label: '2, not served yet', level: MaturityLevel.PRODUCTIONIZATION, served: false },
  { label: '2', level: MaturityLevel.PRODUCTIONIZATION, served: true },
  { label: '2, serverless', level: MaturityLevel.PRODUCTIONIZATION, served: true, serverless: true },
  { label: '3', level: MaturityLevel.MONITORING_AND_GOVERNANCE, served: true },
  { label: '4', level: MaturityLevel.AUTONOMOUS, served: true },
];

/** The cost of a row: what the platform costs with its first model, split into the shared part and each model's. */
export interface RowCost {
  readonly row: CostRow;
  /** Shared by every model (data and governance stacks, and whatever else does not grow with the models). */
  readonly platform: CostItem[];
  /** What each model adds (its training and serving stacks, its share of the data stack). Empty below level 2. */
  readonly perModel: CostItem[];
  /** What costs only per use, with one model. */
  readonly perUse: PerUseItem[];
}

/**
 * The example's recommendation model, `count` times under different names and datasets, with the row's settings:
 * every model of a row is configured alike, so two minus one is the cost of one more.
 */
export function exampleModels(count: number, row: CostRow): PlatformModel[] {
  return Array.from({ length: count }, (_, i) => {
    const model = recommendationModel(i === 0 ? {} : { name: `model${i + 1}` });
    return {
      ...model,
      dataset: i === 0 ? model.dataset : { ...model.dataset, name: `${model.dataset.name}-${i + 1}` },
      serverless: row.serverless,
    };
  });
}

/** Synthesizes the platform of a row with `modelCount` models (no cdk-nag: the templates are the same) and returns its templates. */
export function synthesizeRow(row: CostRow, modelCount: number): CfnTemplate[] {
  const models = row.level >= MaturityLevel.PRODUCTIONIZATION ? exampleModels(modelCount, row) : undefined;
  return synthesizePlatform({ level: row.level, models }, row.served);
}

/**
 * Synthesizes a platform of these props (no cdk-nag: the templates are the same), each model served from an approved
 * package when `served`, and returns its templates.
 */
export function synthesizePlatform(props: MlopsPlatformProps, served: boolean, platformName = 'Mlops'): CfnTemplate[] {
  const app = new App();
  const models = props.models;
  new MlopsPlatform(app, platformName, {
    ...props,
    modelPackageArns: served && models && models.length > 0
      ? Object.fromEntries(models.map((m) => [m.name, `arn:aws:sagemaker:us-east-1:123456789012:model-package/${m.name}/1`]))
      : undefined,
  });
  const assembly = app.synth();
  const templates = assembly.stacks.map((s) => s.template as CfnTemplate);
  fs.rmSync(assembly.directory, { recursive: true, force: true });
  return templates;
}

/**
 * A row's cost from its synthesized templates: one model, and (from level 2) two models, whose difference is what
 * each model costs; the rest is the platform's.
 */
export function rowCost(row: CostRow): RowCost {
  const one = idleCost(synthesizeRow(row, 1));
  if (row.level < MaturityLevel.PRODUCTIONIZATION) return { row, platform: one.items, perModel: [], perUse: one.perUse };
  const two = idleCost(synthesizeRow(row, 2));
  const perModel = difference(two.items, one.items);
  return { row, platform: difference(one.items, perModel), perModel, perUse: one.perUse };
}
