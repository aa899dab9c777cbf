// Reads an input file as bytes with located, coded errors (missing, directory, too large) instead of OS stack traces.
import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputError } from '../errors.js';

/** Default cap on a document read whole into memory (TROs, manifests, schemas): 64 MiB. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

/**
 * Reads a whole document. `label` is how the file is named in messages (the path as the user gave it).
 * Artifacts are never read with this: they are streamed by the hasher.
 */
export async function readDocumentFile(path: string, options: { label?: string; maxBytes?: number } = {}): Promise<Uint8Array> {
  const label = options.label ?? path;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', describeFsError(e), { location: { file: label }, cause: e });
  }
  try {
    checkDocumentStat(await handle.stat(), label, maxBytes);
    return new Uint8Array(await handle.readFile());
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('INPUT_UNREADABLE', describeFsError(e), { location: { file: label }, cause: e });
  } finally {
    await handle.close();
  }
}

/**
 * `readDocumentFile` without the thread pool, for loops over thousands of small files (a directory load), where
 * a round trip per open/stat/read costs more than the read: one open, one fstat, one read.
 */
export function readDocumentFileSync(path: string, options: { label?: string; maxBytes?: number } = {}): Uint8Array {
  const label = options.label ?? path;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', describeFsError(e), { location: { file: label }, cause: e });
  }
  try {
    const bytes = new Uint8Array(checkDocumentStat(fstatSync(fd), label, maxBytes));
    let filled = 0;
    while (filled < bytes.length) {
      const n = readSync(fd, bytes, filled, bytes.length - filled, null);
      if (n === 0) break;
      filled += n;
    }
    // A file that shrank while being read is what was read; one that grew keeps its first bytes (what is hashed
    // downstream is exactly what was read, so nothing can disagree with it).
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('INPUT_UNREADABLE', describeFsError(e), { location: { file: label }, cause: e });
  } finally {
    closeSync(fd);
  }
}

/** The checks both readers make on an open file: a regular file within the size limit. Returns its size. */
function checkDocumentStat(info: Stats, label: string, maxBytes: number): number {
  if (info.isDirectory()) throw new InputError('INPUT_UNREADABLE', 'is a directory, not a file', { location: { file: label } });
  if (!info.isFile()) throw new InputError('INPUT_UNREADABLE', 'is not a regular file', { location: { file: label } });
  if (info.size > maxBytes) {
    throw new InputError('JSON_LIMIT', `file is ${info.size} bytes, over the ${maxBytes}-byte limit for a document`, { location: { file: label } });
  }
  return info.size;
}

/** A short, path-free description of a filesystem error (the caller adds the file name as the user gave it). */
export function describeFsError(e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a parent of this path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    case '':
      return 'read error';
    default:
      // Node's own message names the absolute path: never show it (messages must be path-free).
      return `read error ${code}`;
  }
}
