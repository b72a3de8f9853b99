import { Node } from 'constructs';
import { MaturityLevel, parseMaturityLevel } from './maturity-level';

/**
 * The platform settings read from CDK context (`-c key=value`), validated.
 * Every key is documented in the README's "Context keys" table.
 */
export interface PlatformContext {
  /** `level`: the maturity level (default 2). */
  readonly level: MaturityLevel;
  /** `modelName`: the model the per-model stacks serve (default `recommendation`). */
  readonly modelName: string;
  /** `platformName`: id of the platform, prefix of its stack names (default `Mlops`). */
  readonly platformName: string;
}

/** Context keys the platform app reads, with their defaults. */
export const CONTEXT_DEFAULTS = {
  level: 2,
  modelName: 'recommendation',
  platformName: 'Mlops',
};

/**
 * Reads and validates the platform's context keys. A bad value stops synth with one line naming the key, the value
 * and what is allowed: `level must be one of 0, 1, 2, 3, 4, got '7'`.
 */
export function readPlatformContext(node: Node): PlatformContext {
  const get = (key: string): unknown => node.tryGetContext(key);
  const level = parseMaturityLevel(get('level') ?? CONTEXT_DEFAULTS.level, 'level');
  const modelName = String(get('modelName') ?? CONTEXT_DEFAULTS.modelName);
  const platformName = String(get('platformName') ?? CONTEXT_DEFAULTS.platformName);
  if (!/^[A-Za-z][A-Za-z0-9-]{0,39}$/.test(platformName)) {
    throw new Error(`platformName must be 1-40 letters, digits or hyphens, starting with a letter, got '${platformName}'`);
  }
  return { level, modelName, platformName };
}
