import { InputError } from '../lib/private/validate';
import { configCost } from './cost/config-cost';
import { COST_ROWS, rowCost } from './cost/platform-cost';
import { HOSTING_PER_HOUR, HOURS_PER_MONTH, PRICES, PRICES_RECORDED, PROCESSING_PER_HOUR } from './cost/prices';
import { CONFIG_TABLE_HEADER, TABLE_HEADER, configItemLines, configRows, itemLines, tableRow } from './cost/report';
import { MONITORING_MINUTES_PER_RUN } from './cost/template-cost';

/**
 * `npm run cost`: the fixed monthly cost of the platform at each level while nobody uses it, per model and for the
 * platform, computed from the synthesized templates (see scripts/cost/template-cost.ts) at the us-east-1 on-demand
 * list prices of scripts/cost/prices.ts. Prints one table, then one line per cost item, the prices and their
 * pages, the assumptions, and what costs only per use.
 *
 * `npm run cost -- --config <path>` prices the platform of a config file instead (read with `readPlatformConfig`: its
 * level, settings and models, each served): one table row per model of the file, then the platform's part and the
 * total. Without `--config` the report prices the example model at every level.
 */

/** The one line printed for an argument the script does not know. */
export const COST_USAGE = 'usage: npm run cost [-- --config <path>]';

/** Parses `[--config <path>]` (also `--config=<path>`): the config file, if any; anything else throws the usage line. */
export function parseCostArgs(argv: string[]): { config?: string } {
  const [first, ...rest] = argv;
  if (first === undefined) return {};
  const inline = /^--config=(.+)$/.exec(first);
  const config = inline ? inline[1] : first === '--config' ? rest.shift() : undefined;
  if (config === undefined || config.startsWith('--') || rest.length > 0) throw new InputError(undefined, COST_USAGE);
  return { config };
}

function printPrices(): void {
  console.log('');
  console.log(`Prices (us-east-1, on-demand, recorded ${PRICES_RECORDED} without network access: check them on the page):`);
  for (const [type, price] of Object.entries(HOSTING_PER_HOUR)) console.log(`  hosting ${type}: $${price.usd}/${price.unit}, ${price.source}`);
  for (const [type, price] of Object.entries(PROCESSING_PER_HOUR)) console.log(`  processing ${type}: $${price.usd}/${price.unit}, ${price.source}`);
  for (const [name, price] of Object.entries(PRICES)) console.log(`  ${name}: $${price.usd}/${price.unit}, ${price.source}`);
}

function printConfigReport(file: string): void {
  const cost = configCost(file);
  console.log(`Fixed monthly cost of the platform of ${file} (level ${cost.level}, every model served) while nobody uses it`
    + ` (us-east-1 on-demand list prices recorded ${PRICES_RECORDED}; ${HOURS_PER_MONTH} h a month)`);
  console.log('');
  for (const line of [...CONFIG_TABLE_HEADER, ...configRows(cost)]) console.log(line);
  console.log('');
  console.log('Cost items (quantity per month x price):');
  for (const line of configItemLines(cost)) console.log(`  ${line}`);
  printPrices();
  console.log('');
  console.log('Assumptions: as for the default report (npm run cost); a model = the platform with one more model configured like it');
  console.log('  (another name and dataset) minus the platform as configured; platform = the rest.');
  console.log('');
  console.log('Only per use (nothing while idle):');
  for (const p of cost.perUse) console.log(`  ${p.count} x ${p.type}: ${p.source}`);
}

function printLevelsReport(): void {
  const results = COST_ROWS.map(rowCost);

  console.log(`Fixed monthly cost while nobody uses the platform (us-east-1 on-demand list prices recorded ${PRICES_RECORDED}; ${HOURS_PER_MONTH} h a month)`);
  console.log('');
  for (const line of TABLE_HEADER) console.log(line);
  for (const r of results) console.log(tableRow(r));

  console.log('');
  console.log('Cost items (quantity per month x price):');
  for (const line of results.flatMap(itemLines)) console.log(`  ${line}`);

  printPrices();
  console.log('');
  console.log('Assumptions:');
  console.log(`  - Idle means no invocations, no pipeline runs, no retraining (retrainSchedule unset), no new code.`);
  console.log(`  - Endpoints: each variant's InitialInstanceCount x ${HOURS_PER_MONTH} h, or its autoscaling MinCapacity (idle scales in to it); serverless variants cost nothing idle.`);
  console.log(`  - Monitoring: each schedule's cron gives its runs; a run bills ${MONITORING_MINUTES_PER_RUN} minutes of its instances (assumed: little or no capture to analyse);`);
  console.log(`    the upper bound bills every run its job definition's MaxRuntimeInSeconds. Runs with no captured data may end sooner, or not start.`);
  console.log(`  - Per model = the same platform with two models minus with one; platform = the rest.`);
  console.log(`  - KMS keys at the first-year price: each of the first two yearly rotations adds $1/key-month.`);
  console.log(`  - Dashboards at list price: the account's first 3 (up to 50 metrics each) are free but shared with every other dashboard in it.`);
  console.log(`  - CloudTrail: the trail's management events are free if it is the account's first copy; data events, and a second copy, are per use.`);

  console.log('');
  console.log('Only per use (nothing while idle), level 4 with one model:');
  for (const p of results[results.length - 1].perUse) console.log(`  ${p.count} x ${p.type}: ${p.source}`);
}

if (require.main === module) {
  try {
    const { config } = parseCostArgs(process.argv.slice(2));
    if (config) printConfigReport(config);
    else printLevelsReport();
  } catch (error) {
    // A bad argument or config file: its one line; anything else is a bug and keeps its stack trace.
    if (!(error instanceof InputError)) throw error;
    console.error(error.message);
    process.exitCode = error.message === COST_USAGE ? 2 : 1;
  }
}
