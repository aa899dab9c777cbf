// The one reader of user input files: opened without blocking (FIFOs), checked as regular files, capped in size, with located, coded errors.
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { InputError } from '../errors.js';

/**
 * O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever (the check that refuses it comes after
 * the open). It changes nothing for regular files, whose reads never block.
 */
const OPEN_FLAGS = fsConstants.O_RDONLY | fsConstants.O_NONBLOCK;

export interface ReadOptions {
  /** How the file is named in messages (the path as the user gave it). */
  readonly label?: string;
  /** Refuse larger files (default DEFAULT_MAX_DOCUMENT_BYTES). */
  readonly maxBytes?: number;
  /** What the input is, for the size message (default "a document"), e.g. "a CA certificate". */
  readonly what?: string;
}

/** Cap on small side inputs that are not documents (a PEM certificate, a key): 1 MiB. */
export const DEFAULT_MAX_SMALL_FILE_BYTES = 1024 * 1024;

/**
 * Opens a regular file for streaming (artifacts, payloads, datasets: anything hashed without being read whole).
 * FIFOs, devices and directories are refused (INPUT_UNREADABLE naming `label`) without blocking. The caller closes
 * the handle. `maxBytes`, when given, refuses larger files.
 */
export async function openRegularFile(path: string, options: { label?: string; maxBytes?: number } = {}): Promise<{ handle: FileHandle; size: number }> {
  const label = options.label ?? path;
  let handle: FileHandle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', describeFsError(e), { location: { file: label }, cause: e });
  }
  try {
    const size = checkDocumentStat(await handle.stat(), label, options.maxBytes ?? Number.MAX_SAFE_INTEGER, 'this input');
    return { handle, size };
  } catch (e) {
    await handle.close();
    if (e instanceof InputError) throw e;
    throw new InputError('INPUT_UNREADABLE', describeFsError(e), { location: { file: label }, cause: e });
  }
}

/** Default cap on a document read whole into memory (TROs, manifests, schemas): 64 MiB. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

/**
 * Reads a whole document. `label` is how the file is named in messages (the path as the user gave it).
 * Artifacts are never read with this: they are streamed by the hasher.
 */
export async function readDocumentFile(path: string, options: ReadOptions = {}): Promise<Uint8Array> {
  const label = options.label ?? path;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', describeFsError(e), { location: { file: label }, cause: e });
  }
  try {
    checkDocumentStat(await handle.stat(), label, maxBytes, options.what);
    const bytes = new Uint8Array(await handle.readFile());
    // A file that grew after the check is refused rather than kept past its cap.
    if (bytes.length > maxBytes) throw tooLarge(bytes.length, maxBytes, label, options.what);
    return bytes;
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
export function readDocumentFileSync(path: string, options: ReadOptions = {}): Uint8Array {
  const label = options.label ?? path;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', describeFsError(e), { location: { file: label }, cause: e });
  }
  try {
    const bytes = new Uint8Array(checkDocumentStat(fstatSync(fd), label, maxBytes, options.what));
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
function checkDocumentStat(info: Stats, label: string, maxBytes: number, what = 'a document'): number {
  if (info.isDirectory()) throw new InputError('INPUT_UNREADABLE', 'is a directory, not a file', { location: { file: label } });
  if (!info.isFile()) throw new InputError('INPUT_UNREADABLE', 'is not a regular file', { location: { file: label } });
  if (info.size > maxBytes) throw tooLarge(info.size, maxBytes, label, what);
  return info.size;
}

function tooLarge(size: number, maxBytes: number, label: string, what = 'a document'): InputError {
  return new InputError('JSON_LIMIT', `file is ${size} bytes, over the ${maxBytes}-byte limit for ${what}`, { location: { file: label } });
}

/**
 * Checks, without opening it, that a path the user named for later reading is what it must be: a regular file
 * (`kind: 'file'`) or a folder (`kind: 'folder'`). Symbolic links are followed. Raises INPUT_UNREADABLE naming `label`.
 */
export async function checkInputPath(path: string, kind: 'file' | 'folder', label: string = path): Promise<void> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', describeFsError(e), { location: { file: label }, cause: e });
  }
  if (kind === 'folder' && !info.isDirectory()) throw new InputError('INPUT_UNREADABLE', 'is not a folder', { location: { file: label } });
  if (kind === 'file' && info.isDirectory()) throw new InputError('INPUT_UNREADABLE', 'is a directory, not a file', { location: { file: label } });
  if (kind === 'file' && !info.isFile()) throw new InputError('INPUT_UNREADABLE', 'is not a regular file', { location: { file: label } });
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
