import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { MaturityLevel, MlopsPlatform, PlatformFeatures, readPlatformContext } from '../../lib';
import { checkSettings } from '../../lib/settings/check-settings';
import { resolveSettings } from '../../lib/settings/resolve-settings';
import { settingsFromContext, settingsToContext } from '../../lib/settings/settings-context';
import { SETTINGS } from '../../lib/settings/settings-table';
import { renderReadmeTable, staleFiles } from '../../scripts/generate-settings';

const ROOT = path.resolve(__dirname, '..', '..');
const plain = SETTINGS.filter((s) => s.scope !== 'context');
/** A valid value of every plain setting: its default, or an example for the settings without one. */
const EXAMPLES: { [name: string]: unknown } = {
  ...Object.fromEntries(plain.filter((s) => s.default !== undefined).map((s) => [s.name, s.default])),
  alarmEmail: 'ml-oncall@example.com',
  promotionMetric: 'f1',
  retrainSchedule: 'rate(7 days)',
  shadowModelPackageArn: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/recommendation/2',
};

describe('the settings table', () => {
  test('the generated interfaces and the README context-key table are up to date (npm run generate:settings)', () => {
    expect(staleFiles()).toEqual([]);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(renderReadmeTable());
    // Every row is in the README, once.
    for (const s of SETTINGS) expect(readme.split(`| \`${s.name}\` |`).length - 1).toBe(1);
  });

  test('names are unique and every plain setting has an example or a default', () => {
    const names = SETTINGS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of plain) expect(EXAMPLES[s.name]).toBeDefined();
  });

  test('defaults are applied once, from the table (maxCapacity follows minCapacity)', () => {
    const resolved = resolveSettings({});
    for (const s of plain) expect([s.name, resolved[s.name as keyof typeof resolved]]).toEqual([s.name, s.default]);
    expect(resolved.promotionMetric).toBeUndefined(); // the model's own metric, chosen per model
    expect(resolveSettings({ minCapacity: 6 }).maxCapacity).toBe(6);
    expect(resolveSettings({ minCapacity: 2 }).maxCapacity).toBe(4);
    expect(resolveSettings({ minCapacity: 6, maxCapacity: 8 }).maxCapacity).toBe(8);
  });

  test('every setting round-trips through the delivery pipelines\' context and the context reader', () => {
    const context = settingsToContext(EXAMPLES);
    expect(Object.keys(context).sort()).toEqual(plain.map((s) => s.name).sort());
    expect(settingsFromContext((key) => context[key])).toEqual(EXAMPLES);
    // And through the app's reader, as `cdk deploy -c key=value` gives it.
    const props = readPlatformContext(new App({ context }).node).props;
    for (const s of plain) expect([s.name, props[s.name as keyof typeof props]]).toEqual([s.name, EXAMPLES[s.name]]);
  });

  test.each(plain.map((s) => [s.name, s.kind]))('%s: a value of the wrong type stops synth with one line naming it', (name, kind) => {
    const wrong = kind === 'string' ? 42 : 'text';
    const allowed = { number: 'a number', integer: 'a whole number', boolean: "'true' or 'false'", string: 'a string' }[kind];
    expect(() => checkSettings(undefined, { [name]: wrong })).toThrow(`${name} must be ${allowed}, got ${JSON.stringify(wrong).replace(/"/g, "'")}`);
  });

  test('the platform validates its props with the table, naming the construct', () => {
    expect(() => new MlopsPlatform(new App(), 'Mlops', { level: MaturityLevel.AUTONOMOUS, canaryPercent: 80 }))
      .toThrow('canaryPercent must be a whole number from 1 to 50, got 80 (in Mlops)');
    expect(() => new MlopsPlatform(new App(), 'Mlops', { level: MaturityLevel.AUTONOMOUS, shadowPercent: 10 }))
      .toThrow('shadowPercent 10 needs shadowModelPackageArn: the challenger model package to shadow (in Mlops)');
  });
});

describe('PlatformFeatures: what each level adds', () => {
  const levels = [0, 1, 2, 3, 4] as MaturityLevel[];
  const on = (level: MaturityLevel) => PlatformFeatures.TABLE.filter((f) => PlatformFeatures.forLevel(level)[f.name]).map((f) => f.name);

  test('a feature is on from its level up, and every level adds one', () => {
    for (const f of PlatformFeatures.TABLE) {
      for (const level of levels) expect([f.name, level, PlatformFeatures.forLevel(level)[f.name]]).toEqual([f.name, level, level >= f.level]);
    }
    for (const level of levels.slice(1)) expect(on(level).length).toBeGreaterThan(on(level - 1).length);
    expect(on(MaturityLevel.PRE_PRODUCTION)).toEqual(['artifactStore', 'datasetStore', 'imageRepository']);
  });

  test('stacks and the platform read the table, not level comparisons', () => {
    const dirs = ['lib/stacks', 'lib/platform'];
    const files = dirs.flatMap((dir) => (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f)));
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.flatMap((file) => fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n')
      .filter((l) => /level\s*[<>]=?\s*\d|level\s*[<>]=?\s*MaturityLevel/.test(l)).map((l) => `${file}: ${l.trim()}`));
    expect(offenders).toEqual([]);
  });
});
