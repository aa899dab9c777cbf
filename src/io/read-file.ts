// Reads an input file as bytes with located, coded errors (missing, directory, too large) instead of OS stack traces.
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
    const info = await handle.stat();
    if (info.isDirectory()) throw new InputError('INPUT_UNREADABLE', 'is a directory, not a file', { location: { file: label } });
    if (!info.isFile()) throw new InputError('INPUT_UNREADABLE', 'is not a regular file', { location: { file: label } });
    if (info.size > maxBytes) {
      throw new InputError('JSON_LIMIT', `file is ${info.size} bytes, over the ${maxBytes}-byte limit for a document`, { location: { file: label } });
    }
    return new Uint8Array(await handle.readFile());
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('INPUT_UNREADABLE', describeFsError(e), { location: { file: label }, cause: e });
  } finally {
    await handle.close();
  }
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
