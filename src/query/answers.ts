// Answers computed over a corpus, cached under the corpus digest and the question, so a repeated question is not recomputed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCacheEntry } from './cache.js';
import { type Corpus, type CorpusScan, GRAPH_CACHE_VERSION, type LoadOptions, loadCorpus, scanDirectory } from './corpus.js';
import { FACTS_VERSION } from './extract.js';

/**
 * Bump with any change to what an answer is computed from besides the corpus and the question: the index
 * and links graphs, link derivation, the audit, the result shapes. (FACTS_VERSION and GRAPH_CACHE_VERSION
 * are part of every key already.)
 */
export const ANSWER_CACHE_VERSION = 2;

/**
 * Answers past this many rows are not stored (a Question's `toStored` gives undefined): a 1.5-million-row export
 * would be held whole in memory to be written as one JSON entry, and reading it back costs about what scanning the
 * index again does.
 */
export const ANSWER_STORE_MAX_ROWS = 100_000;

/**
 * The cache key of a question over a corpus: a sha256 of the versions, the kind of question, the corpus
 * digest (every path, format and content sha256; see `Corpus.digest`) and the question's own parameters
 * (for a query: its exact text and graph selection; for the audit: its limits).
 */
export function answerKey(kind: string, corpusDigest: string, params: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify([ANSWER_CACHE_VERSION, FACTS_VERSION, GRAPH_CACHE_VERSION, kind, corpusDigest, ...params]))
    .digest('hex');
}

/**
 * Answers as JSON text under `<cache>/answers-v<version>/<aa>/<key>.json`, written atomically (temp file + rename).
 * A missing, unreadable or unparseable entry is a miss, never an error: the answer is then computed again.
 */
export class AnswerCache {
  constructor(private readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, `answers-v${ANSWER_CACHE_VERSION}`, key.slice(0, 2), `${key}.json`);
  }

  get(key: string): unknown {
    try {
      return JSON.parse(readFileSync(this.path(key), 'utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  put(key: string, value: unknown): void {
    writeCacheEntry(this.path(key), JSON.stringify(value));
  }
}

/** A question over a directory, as the answer cache knows it. */
export interface Question<T> {
  /** What kind of question (`query`, `audit restricted-inputs`) and its parameters: with the digest, the key. */
  readonly kind: string;
  readonly params: readonly string[];
  /**
   * The answer as stored (JSON-able; `undefined`: not stored, e.g. past ANSWER_STORE_MAX_ROWS), and back:
   * `undefined` for an entry that is not one (then recomputed).
   */
  readonly toStored: (answer: T) => unknown;
  readonly fromStored: (stored: unknown) => T | undefined;
}

/** A directory scan whose digest names its exact content (every file readable). */
export type CompleteScan = CorpusScan & { readonly digest: string };

/**
 * Answers `question` over `dir`: from the answer cache when the directory's corpus digest and the question are
 * known there; else by `quick` (an answer from what the cache keeps for this digest, without loading the corpus)
 * when it gives one; else by loading the corpus and calling `answer`. The result is stored only when the corpus
 * answered is the one the scan named (no file changed in between). Without a cache directory, or in a `strict`
 * run (a malformed file must raise its error, which a stored answer would hide), it simply loads and answers.
 */
export async function answerOverDirectory<T>(
  dir: string,
  options: LoadOptions,
  question: Question<T>,
  answer: (corpus: Corpus) => T | Promise<T>,
  quick?: (scan: CompleteScan, cacheDir: string) => Promise<T | undefined>,
): Promise<T> {
  const scan = options.scan ?? (await scanDirectory(dir, options));
  const cacheDir = options.strict === true ? undefined : options.cacheDir;
  const complete = scan.digest === undefined ? undefined : (scan as CompleteScan);
  const cache = cacheDir === undefined || complete === undefined ? undefined : new AnswerCache(cacheDir);
  const key = cache === undefined || complete === undefined ? undefined : answerKey(question.kind, complete.digest, question.params);
  if (cache !== undefined && key !== undefined) {
    const hit = question.fromStored(cache.get(key));
    if (hit !== undefined) return hit;
    const fast = complete === undefined || cacheDir === undefined || quick === undefined ? undefined : await quick(complete, cacheDir);
    if (fast !== undefined) {
      store(cache, key, question.toStored(fast));
      return fast;
    }
  }
  const corpus = await loadCorpus(dir, options, scan);
  const result = await answer(corpus);
  if (cache !== undefined && key !== undefined && corpus.digest === scan.digest) store(cache, key, question.toStored(result));
  return result;
}

/** Keeps a stored form, unless the question declined to store this answer (`undefined`). */
function store(cache: AnswerCache, key: string, stored: unknown): void {
  if (stored !== undefined) cache.put(key, stored);
}

/**
 * The stored answer of `question` over `dir`, if the cache holds one for the directory as it is now, with the
 * scan that named it when it was complete (hand it back in `LoadOptions.scan` to answer without scanning again).
 */
export async function storedAnswerOverDirectory<T>(dir: string, options: LoadOptions, question: Question<T>): Promise<{ readonly answer: T | undefined; readonly scan: CorpusScan | undefined }> {
  if (options.cacheDir === undefined || options.strict === true) return { answer: undefined, scan: undefined };
  // Bounded work on the caller's thread: stats only; any file not vouched for by the snapshot means no answer here.
  const scan = await scanDirectory(dir, { ...options, statOnly: true });
  if (scan.digest === undefined) return { answer: undefined, scan: undefined };
  return { answer: question.fromStored(new AnswerCache(options.cacheDir).get(answerKey(question.kind, scan.digest, question.params))), scan };
}
