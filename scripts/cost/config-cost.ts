import { MaturityLevel, PlatformModel, readPlatformConfig } from '../../lib';
import { synthesizePlatform } from './platform-cost';
import { CostItem, PerUseItem, difference, idleCost } from './template-cost';

/** What one configured model adds to the platform's idle cost. */
export interface ModelCost {
  /** The model's name in the config file. */
  readonly name: string;
  /** The cost items it adds (its training and serving stacks, its share of the shared stacks). */
  readonly items: CostItem[];
}

/** The idle cost of the platform a config file describes, its models served. */
export interface ConfigCost {
  /** The config file, as named. */
  readonly file: string;
  /** The level the file sets (2 when it sets none). */
  readonly level: MaturityLevel;
  /** One entry per model of the file, in the file's order. */
  readonly models: ModelCost[];
  /** The rest: what the platform costs besides its models. */
  readonly platform: CostItem[];
  /** What costs only per use. */
  readonly perUse: PerUseItem[];
}

/** Model names are at most 32 characters, dataset names 63: the copy's suffix fits in both. */
const COPY_SUFFIX = '-copy';

/** A second model configured exactly like `model`, under another name and dataset. */
function copyOf(model: PlatformModel): PlatformModel {
  return {
    ...model,
    name: `${model.name.slice(0, 32 - COPY_SUFFIX.length)}${COPY_SUFFIX}`,
    dataset: { ...model.dataset, name: `${model.dataset.name.slice(0, 63 - COPY_SUFFIX.length)}${COPY_SUFFIX}` },
  };
}

/**
 * The idle cost of the platform of `file` (read with `readPlatformConfig`: its level, settings and models, each
 * served from an approved package). What a model costs is measured as the existing report does, by adding one
 * more: the platform with a copy of the model (its own settings, another name and dataset) minus the platform as
 * configured. The platform's part is the rest. Below level 2 there are no models to price.
 */
export function configCost(file: string): ConfigCost {
  const config = readPlatformConfig(file);
  const level = config.props.level ?? MaturityLevel.PRODUCTIONIZATION;
  const props = { ...config.props, level };
  const name = config.platformName ?? 'Mlops';
  const all = idleCost(synthesizePlatform(props, true, name));
  if (level < MaturityLevel.PRODUCTIONIZATION) return { file, level, models: [], platform: all.items, perUse: all.perUse };
  const models = config.props.models.map((model) => {
    const withCopy = idleCost(synthesizePlatform({ ...props, models: [...config.props.models, copyOf(model)] }, true, name));
    return { name: model.name, items: difference(withCopy.items, all.items) };
  });
  return { file, level, models, platform: difference(all.items, sumOf(models.flatMap((m) => m.items))), perUse: all.perUse };
}

/** Items of the same name added up (quantities and costs), in the order they first appear. */
export function sumOf(items: CostItem[]): CostItem[] {
  const sums = new Map<string, CostItem>();
  for (const i of items) {
    const s = sums.get(i.item);
    sums.set(i.item, s
      ? { ...s, quantity: s.quantity + i.quantity, monthlyUsd: s.monthlyUsd + i.monthlyUsd, upperBoundUsd: s.upperBoundUsd + i.upperBoundUsd }
      : i);
  }
  return [...sums.values()];
}
