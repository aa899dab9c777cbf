// `--skip ID` names must match an artifact: a typo is a usage error listing the ids that exist, nearest first.
import { PeTraceError } from '../errors.js';
import { editDistance, nearMatches } from '../text/near-matches.js';

/** Throws USAGE for the first skip id that matches none of `known`, listing the known ids nearest first. */
export function checkSkipIds(skip: readonly string[], known: readonly string[]): void {
  const ids = [...new Set(known)];
  for (const id of skip) {
    if (ids.includes(id)) continue;
    const ranked = [...ids].sort((a, b) => editDistance(id, a) - editDistance(id, b) || (a < b ? -1 : a > b ? 1 : 0));
    const near = nearMatches(id, ranked, { limit: 1 })[0];
    const hint = near === undefined ? '' : ` (did you mean ${near}?)`;
    const list = ranked.length === 0 ? 'the TRO has no artifacts' : `the artifact ids are: ${ranked.join(', ')}`;
    throw new PeTraceError('USAGE', `--skip ${id} matches no artifact${hint}; ${list}`);
  }
}
