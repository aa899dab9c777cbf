// Resolves an artifact location to an https URL or a file confined to the record directory, or a refusal with its detail text.
import { type FileHandle, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { fsErrorText } from '../hash/digest.js';
import { openRegularFile } from '../io/read-file.js';

export type ArtifactSource =
  | { readonly kind: 'https'; readonly url: string }
  /** `path` is absolute and internal: it never goes into a report. `fragment` is what was stripped (with its `#`). */
  | { readonly kind: 'file'; readonly path: string; readonly fragment?: string }
  | { readonly kind: 'refused'; readonly detail: string };

export interface LocateOptions {
  readonly baseDir?: string;
  readonly fetchHttps: boolean;
}

/** `scheme:` at the start (RFC 3986). A single letter followed by `:\` or `:/` is a Windows drive, not a scheme. */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;

/**
 * Decides where an artifact's bytes come from. Only a case-sensitive `https://` prefix is fetched; every other
 * URL scheme is refused as a scheme (policyengine.py refuses only http/file/hf and reads `gs://…` or `HTTPS://…`
 * as relative paths that then do not exist). Relative paths are resolved by the kernel (symlinks followed,
 * `..` applied after them) and must stay inside realpath(baseDir).
 */
export async function locateArtifact(location: string, options: LocateOptions): Promise<ArtifactSource> {
  if (location.startsWith('https://')) {
    return options.fetchHttps ? { kind: 'https', url: location } : { kind: 'refused', detail: 'https fetching disabled' };
  }
  if (SCHEME.test(location) && !WINDOWS_DRIVE.test(location)) {
    return { kind: 'refused', detail: `unsupported artifact location scheme: ${location}` };
  }
  if (options.baseDir === undefined) return { kind: 'refused', detail: 'no base directory for relative artifact locations' };
  if (isAbsolute(location) || location.startsWith('\\') || WINDOWS_DRIVE.test(location)) {
    return { kind: 'refused', detail: `absolute artifact location refused: ${location}` };
  }
  if (location.includes('\0')) return { kind: 'refused', detail: `artifact location contains a NUL character: ${location}` };

  const hash = location.indexOf('#');
  const relPath = hash < 0 ? location : location.slice(0, hash);
  const fragment = hash < 0 ? undefined : location.slice(hash);

  let base: string;
  try {
    base = await realpath(options.baseDir);
  } catch (e) {
    return { kind: 'refused', detail: `base directory is not readable (${fsErrorText(e)})` };
  }
  // Concatenate rather than path.join: join would collapse `link/..` lexically, before the symlink is followed.
  const joined = relPath === '' ? base : `${base}${sep}${relPath}`;
  let real: string;
  try {
    real = await realpath(joined);
  } catch (e) {
    if (!inside(base, resolve(base, relPath))) return escapes(location);
    return { kind: 'refused', detail: `${fsErrorText(e)}: ${location}` };
  }
  if (!inside(base, real)) return escapes(location);
  return fragment === undefined ? { kind: 'file', path: real } : { kind: 'file', path: real, fragment };
}

function inside(base: string, target: string): boolean {
  const rel = relative(base, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function escapes(location: string): ArtifactSource {
  return { kind: 'refused', detail: `artifact location escapes the record directory: ${location}` };
}

/** An opened regular file, or the detail text of why it cannot be read (never naming the absolute path). */
export type OpenedArtifact = { readonly handle: FileHandle; readonly size: number } | { readonly detail: string };

/** Opens a located file for streaming through the one reader; directories, FIFOs and devices are refused without blocking. */
export async function openArtifactFile(path: string, location: string): Promise<OpenedArtifact> {
  try {
    return await openRegularFile(path, { label: location });
  } catch (e) {
    if (e instanceof InputError) return { detail: `${artifactFileDetail(e.detail)}: ${location}` };
    return { detail: `${fsErrorText(e)}: ${location}` };
  }
}

/** The reader's wording, in the verify report's words (kept from before the one reader). */
function artifactFileDetail(detail: string): string {
  if (detail === 'is a directory, not a file') return 'is a directory';
  if (detail === 'is not a regular file') return 'not a regular file';
  return detail;
}
