// Did-you-mean suggestions: the candidates closest to a mistyped word (edit distance, then substring), deterministic.

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), on code points. */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) rows.push(Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, (rows[i - 2] as number[])[j - 2] as number + 1);
      row[j] = d;
    }
  }
  return (rows[s.length] as number[])[t.length] as number;
}

export interface NearMatchOptions {
  /** At most this many suggestions (default 3). */
  readonly limit?: number;
  /** The largest edit distance suggested (default: a third of the word's length, at least 2 and at most 3). */
  readonly maxDistance?: number;
}

/**
 * The candidates a user most likely meant by `word`, best first: those within a small edit distance (case
 * ignored), then those that contain the word or are contained in it, keeping only those within one edit of the
 * best. Ties keep the candidates' order, so the
 * same input always gives the same suggestions. The word itself is never suggested.
 */
export function nearMatches(word: string, candidates: Iterable<string>, options: NearMatchOptions = {}): string[] {
  const limit = options.limit ?? 3;
  const needle = word.toLowerCase();
  const maxDistance = options.maxDistance ?? Math.min(3, Math.max(2, Math.floor([...word].length / 3)));
  const scored: { candidate: string; score: number; order: number }[] = [];
  let order = 0;
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (seen.has(candidate) || candidate === word) continue;
    seen.add(candidate);
    const hay = candidate.toLowerCase();
    const distance = editDistance(needle, hay);
    if (distance <= maxDistance) scored.push({ candidate, score: distance, order: order++ });
    else if (needle.length >= 2 && hay.length >= 2 && (hay.includes(needle) || needle.includes(hay))) scored.push({ candidate, score: maxDistance + 1, order: order++ });
  }
  scored.sort((x, y) => x.score - y.score || x.order - y.order);
  // Only those about as close as the best: `frs_spine.adult` for `frs_spine.adlut`, not every `frs_spine.*`.
  const best = scored[0]?.score ?? 0;
  return scored
    .filter((s) => s.score <= best + 1)
    .slice(0, limit)
    .map((s) => s.candidate);
}
