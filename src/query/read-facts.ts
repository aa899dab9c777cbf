// Reads one corpus file: its bytes checked against the size limit, hashed, and its facts extracted (shared by threads).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, type Location, isPeTraceError } from '../errors.js';
import { sha256Hex } from '../hash/digest.js';
import { describeFsError } from '../io/read-file.js';
import { type SourceFormat, extractFacts } from './extract.js';
import type { DocumentFacts } from './facts.js';

export interface FactsJob {
  readonly rel: string;
  readonly format: SourceFormat;
}

/** One file read: its facts, or the located problem that stopped it (never thrown across threads). */
export type FactsResult =
  | { readonly ok: true; readonly sha256: string; readonly bytes: number; readonly facts: DocumentFacts }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly location?: Location; readonly internal: boolean };

/** Reads, hashes and extracts one file; bad input becomes an `ok: false` result with the reader's message. */
export function readFactsResult(dir: string, job: FactsJob, maxBytes: number): FactsResult {
  try {
    const data = readDocumentBytes(join(dir, job.rel), job.rel, maxBytes);
    const sha256 = sha256Hex(data);
    return { ok: true, sha256, bytes: data.length, facts: extractFacts(data, job.format, job.rel, sha256) };
  } catch (e) {
    if (isPeTraceError(e)) return { ok: false, code: e.code, message: e.message, ...(e.location === undefined ? {} : { location: e.location }), internal: false };
    return { ok: false, code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), internal: true };
  }
}

/**
 * A corpus file's bytes; a missing file, a directory or one over `maxBytes` is a located InputError. One open,
 * one fstat and one read: the size check needs no separate stat by path (thousands of files per directory load).
 */
export function readDocumentBytes(path: string, label: string, maxBytes: number): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', describeFsError(e), { location: { file: label } });
  }
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw new InputError('INPUT_UNREADABLE', 'is a directory, not a file', { location: { file: label } });
    if (info.size > maxBytes) throw new InputError('JSON_LIMIT', `file is ${info.size} bytes, over the ${maxBytes}-byte limit for a document`, { location: { file: label } });
    const bytes = new Uint8Array(info.size);
    let filled = 0;
    while (filled < bytes.length) {
      const n = readSync(fd, bytes, filled, bytes.length - filled, null);
      if (n === 0) break;
      filled += n;
    }
    // A file that shrank while being read is read as it now is; one that grew past its fstat size keeps its first bytes
    // (the digest names exactly the bytes that were read, so nothing downstream can disagree with them).
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('INPUT_UNREADABLE', describeFsError(e), { location: { file: label } });
  } finally {
    closeSync(fd);
  }
}
