import { ConfigCost } from './config-cost';
import { RowCost } from './platform-cost';
import { CostItem, totalOf } from './template-cost';

/** The header of the report's table (two lines of Markdown). */
export const TABLE_HEADER = [
  '| level | per model | platform | total, 1 model | upper bound, 1 model | endpoint instance-h | monitoring instance-h | KMS keys | alarm metrics | dashboards |',
  '|---|---|---|---|---|---|---|---|---|---|',
];

/** A row's line of the report's table, as the README quotes it. */
export function tableRow(r: RowCost): string {
  const all = [...r.platform, ...r.perModel];
  const perModel = totalOf(r.perModel);
  const platform = totalOf(r.platform);
  return `| ${r.row.label} | ${r.row.level >= 2 ? usd(perModel.monthlyUsd) : '-'} | ${usd(platform.monthlyUsd)} | `
    + `${usd(perModel.monthlyUsd + platform.monthlyUsd)} | ${usd(perModel.upperBoundUsd + platform.upperBoundUsd)} | `
    + `${quantity(all, (i) => i.startsWith('endpoint '))} | ${round(quantity(all, (i) => i.startsWith('monitoring jobs ')))} | `
    + `${quantity(all, (i) => i === 'KMS keys')} | ${quantity(all, (i) => i.endsWith('alarm metrics'))} | ${quantity(all, (i) => i === 'dashboards')} |`;
}

/** One line per cost item of a row: part, item, quantity x price = monthly cost (and the upper bound where it differs). */
export function itemLines(r: RowCost): string[] {
  return ([['platform', r.platform], ['per model', r.perModel]] as const).flatMap(([part, items]) => items.map((i) => {
    const bound = i.upperBoundUsd !== i.monthlyUsd ? ` (upper bound ${usd(i.upperBoundUsd)})` : '';
    return `level ${r.row.label}, ${part}: ${i.item}: ${round(i.quantity)} ${i.price.unit} x $${i.price.usd} = ${usd(i.monthlyUsd)}${bound}`;
  }));
}

/** The header of the table of a config file's platform (`npm run cost -- --config <path>`): one row per part. */
export const CONFIG_TABLE_HEADER = [
  '| part | monthly | upper bound | endpoint instance-h | monitoring instance-h | KMS keys | alarm metrics | dashboards |',
  '|---|---|---|---|---|---|---|---|',
];

/** The rows of a config file's table: `model <name>` per model of the file, in its order, then `platform` and `total`. */
export function configRows(c: ConfigCost): string[] {
  const parts: [string, CostItem[]][] = [
    ...c.models.map((m): [string, CostItem[]] => [`model ${m.name}`, m.items]),
    ['platform', c.platform],
    ['total', [...c.models.flatMap((m) => m.items), ...c.platform]],
  ];
  return parts.map(([part, items]) => {
    const total = totalOf(items);
    return `| ${part} | ${usd(total.monthlyUsd)} | ${usd(total.upperBoundUsd)} | ${quantity(items, (i) => i.startsWith('endpoint '))} | `
      + `${round(quantity(items, (i) => i.startsWith('monitoring jobs ')))} | ${quantity(items, (i) => i === 'KMS keys')} | `
      + `${quantity(items, (i) => i.endsWith('alarm metrics'))} | ${quantity(items, (i) => i === 'dashboards')} |`;
  });
}

/** One line per cost item of a config file's platform: part, item, quantity x price = monthly cost. */
export function configItemLines(c: ConfigCost): string[] {
  const parts: [string, CostItem[]][] = [['platform', c.platform], ...c.models.map((m): [string, CostItem[]] => [`model ${m.name}`, m.items])];
  return parts.flatMap(([part, items]) => items.map((i) => {
    const bound = i.upperBoundUsd !== i.monthlyUsd ? ` (upper bound ${usd(i.upperBoundUsd)})` : '';
    return `${part}: ${i.item}: ${round(i.quantity)} ${i.price.unit} x $${i.price.usd} = ${usd(i.monthlyUsd)}${bound}`;
  }));
}

/** Dollars with cents. */
export function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}

function quantity(items: CostItem[], match: (item: string) => boolean): number {
  return items.filter((i) => match(i.item)).reduce((sum, i) => sum + i.quantity, 0);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
