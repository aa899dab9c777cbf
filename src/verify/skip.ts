// `--skip ID` names must match an artifact: a typo is a usage error listing the ids that exist, nearest first.
import { PeTraceError } from '../errors.js';

/** Throws USAGE for the first skip id that matches none of `known`, listing the known ids nearest first. */
export function checkSkipIds(skip: readonly string[], known: readonly string[]): void {
  const ids = [...new Set(known)];
  for (const id of skip) {
    if (ids.includes(id)) continue;
    const ranked = [...ids].sort((a, b) => editDistance(id, a) - editDistance(id, b) || (a < b ? -1 : a > b ? 1 : 0));
    const near = ranked[0];
    const hint = near !== undefined && editDistance(id, near) <= Math.max(2, Math.floor(near.length / 3)) ? ` (did you mean ${near}?)` : '';
    const list = ranked.length === 0 ? 'the TRO has no artifacts' : `the artifact ids are: ${ranked.join(', ')}`;
    throw new PeTraceError('USAGE', `--skip ${id} matches no artifact${hint}; ${list}`);
  }
}

/** Levenshtein distance over code points (ids are short: a plain table is enough). */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= y.length; j += 1) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[y.length] ?? 0;
}
