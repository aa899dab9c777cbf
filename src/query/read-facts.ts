// Reads one corpus file: its bytes checked against the size limit, hashed, and its facts extracted (shared by threads).
import { join } from 'node:path';
import { type ErrorCode, type Location, isPeTraceError } from '../errors.js';
import { sha256Hex } from '../hash/digest.js';
import { readDocumentFileSync } from '../io/read-file.js';
import { type SourceFormat, extractFacts } from './extract.js';
import type { DocumentFacts } from './facts.js';

export interface FactsJob {
  readonly rel: string;
  readonly format: SourceFormat;
}

/** One file read: its facts, or the located problem that stopped it (never thrown across threads). */
export type FactsResult =
  | { readonly ok: true; readonly sha256: string; readonly bytes: number; readonly facts: DocumentFacts }
  | { readonly ok: false; readonly code: ErrorCode; readonly detail: string; readonly location?: Location }
  | { readonly ok: false; readonly code: 'INTERNAL'; readonly detail: string; readonly internal: true };

/** Reads, hashes and extracts one file; bad input becomes an `ok: false` result with the reader's message. */
export function readFactsResult(dir: string, job: FactsJob, maxBytes: number): FactsResult {
  try {
    const data = readDocumentFileSync(join(dir, job.rel), { label: job.rel, maxBytes });
    const sha256 = sha256Hex(data);
    return { ok: true, sha256, bytes: data.length, facts: extractFacts(data, job.format, job.rel, sha256) };
  } catch (e) {
    if (isPeTraceError(e)) return { ok: false, code: e.code, detail: e.detail, ...(e.location === undefined ? {} : { location: e.location }) };
    return { ok: false, code: 'INTERNAL', detail: e instanceof Error ? e.message : String(e), internal: true };
  }
}
