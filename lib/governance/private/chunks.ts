/**
 * Resources of one kind (pipelines, registries) per statement of a person's role: a statement stays a fraction of a
 * managed policy (the role opens a new policy between statements, never inside one), whatever the number of models,
 * while several models share a statement's action list.
 */
export const ARNS_PER_STATEMENT = 10;

/** The values in consecutive lists of at most `size`. */
export function chunks<T>(values: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < values.length; i += size) result.push(values.slice(i, i + size));
  return result;
}
