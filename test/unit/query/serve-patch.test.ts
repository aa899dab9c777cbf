// When serve may patch its store in place and when it must load afresh (planPatch), on synthetic corpora.
import { describe, expect, it } from 'vitest';
import type { Corpus } from '../../../src/query/corpus.js';
import { PATCH_MAX_DOCUMENTS, type ResidentDataset, planPatch } from '../../../src/query/serve-patch.js';

const sha = (i: number): string => i.toString(16).padStart(64, '0');
/** A corpus of documents `ids` (JSON), with only what planPatch reads. */
const corpusOf = (ids: readonly number[], format: 'json' | 'turtle' = 'json'): Corpus => ({ documents: ids.map((i) => ({ sha256: sha(i), format })) }) as unknown as Corpus;
const keysOf = (ids: readonly number[], format = 'json'): Set<string> => new Set(ids.map((i) => `${sha(i)}.${format}`));
const KNOWN: ResidentDataset['ownership'] = { unowned: new Set(), claimed: new Set() };
const resident = (ids: readonly number[], ownership: ResidentDataset['ownership'] | 'unknown' = KNOWN): ResidentDataset => ({ keys: keysOf(ids), derivedBasis: () => undefined, ownership: ownership === 'unknown' ? undefined : ownership });
const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('planPatch', () => {
  it('patches a few added, changed and removed documents', () => {
    const plan = planPatch(resident(range(100)), corpusOf([...range(98), 500, 501]));
    expect([...(plan?.removed ?? [])].sort()).toEqual([`${sha(98)}.json`, `${sha(99)}.json`]);
    expect(plan?.added.map((d) => d.sha256)).toEqual([sha(500), sha(501)]);
    expect(planPatch(resident(range(100)), corpusOf(range(100)))).toEqual({ added: [], removed: [] });
  });

  it('loads afresh past its bounds: a quarter of the directory as it is now (at least 8), and PATCH_MAX_DOCUMENTS', () => {
    expect(planPatch(resident(range(100)), corpusOf([...range(100), ...range(33, 1000)]))).toBeDefined();
    expect(planPatch(resident(range(100)), corpusOf([...range(100), ...range(34, 1000)]))).toBeUndefined();
    expect(planPatch(resident(range(4)), corpusOf([...range(4), ...range(8, 1000)]))).toBeDefined();
    expect(planPatch(resident(range(4)), corpusOf([...range(4), ...range(9, 1000)]))).toBeUndefined();
    const big = range(10_000);
    expect(planPatch(resident(big), corpusOf([...big, ...range(PATCH_MAX_DOCUMENTS, 20_000)]))).toBeDefined();
    expect(planPatch(resident(big), corpusOf([...big, ...range(PATCH_MAX_DOCUMENTS + 1, 20_000)]))).toBeUndefined();
  });

  it('never drops a document by its graphs when that could take other triples or leave its own', () => {
    // Unknown ownership (no directory index): additions only.
    expect(planPatch(resident(range(10), 'unknown'), corpusOf([...range(10), 50]))).toBeDefined();
    expect(planPatch(resident(range(10), 'unknown'), corpusOf(range(9)))).toBeUndefined();
    // The removed document wrote outside its graphs, or another document writes into its graph.
    expect(planPatch(resident(range(10), { unowned: keysOf([9]), claimed: new Set() }), corpusOf(range(9)))).toBeUndefined();
    expect(planPatch(resident(range(10), { unowned: keysOf([3]), claimed: new Set([sha(9)]) }), corpusOf(range(9)))).toBeUndefined();
    expect(planPatch(resident(range(10), { unowned: keysOf([3]), claimed: new Set([sha(8)]) }), corpusOf(range(9)))).toBeDefined();
  });

  it('loads afresh when the bytes that go live on under another format (both name one graph)', () => {
    const before: ResidentDataset = { keys: new Set([...keysOf(range(10)), `${sha(9)}.turtle`]), derivedBasis: () => undefined, ownership: { unowned: new Set(), claimed: new Set() } };
    const after = { documents: [...corpusOf(range(9)).documents, { sha256: sha(9), format: 'turtle' }] } as unknown as Corpus;
    expect(planPatch(before, after)).toBeUndefined();
    // …or come back under another format in the same change.
    const swapped = { documents: [...corpusOf(range(9)).documents, { sha256: sha(9), format: 'turtle' }] } as unknown as Corpus;
    expect(planPatch(resident(range(10)), swapped)).toBeUndefined();
  });
});
