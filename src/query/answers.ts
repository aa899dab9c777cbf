// Answers computed over a corpus, cached under the corpus digest and the question, so a repeated question is not recomputed.
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRAPH_CACHE_VERSION } from './corpus.js';
import { FACTS_VERSION } from './extract.js';

/**
 * Bump with any change to what an answer is computed from besides the corpus and the question: the index
 * and links graphs, link derivation, the audit, the result shapes. (FACTS_VERSION and GRAPH_CACHE_VERSION
 * are part of every key already.)
 */
export const ANSWER_CACHE_VERSION = 1;

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
    const path = this.path(key);
    try {
      mkdirSync(join(path, '..'), { recursive: true });
      const tmp = `${path}.${randomUUID()}.tmp`;
      writeFileSync(tmp, JSON.stringify(value));
      renameSync(tmp, path);
    } catch {
      // A cache that cannot be written only costs time.
    }
  }
}
