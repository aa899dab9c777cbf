// Turns `pe-trace verify`'s flag values into VerifyRunOptions (kept out of the command so other flags add a small block).
import { DEFAULT_MAX_SMALL_FILE_BYTES, checkInputPath, readDocumentFile } from '../io/read-file.js';
import { parseLocationMapping } from './map.js';
import type { VerifyRunOptions } from './run.js';
import type { VerifyProgressEvent } from './verify.js';

/** The verify flags as oclif parses them (names as on the command line). */
export interface VerifyFlagValues {
  readonly 'base-dir'?: string | undefined;
  readonly skip: readonly string[];
  readonly fetch: boolean;
  readonly 'skip-remote': boolean;
  readonly map: readonly string[];
  readonly 'payload-dir'?: string | undefined;
  readonly recursive: boolean;
  /** Seconds without data before an https fetch is abandoned. */
  readonly timeout: number;
  /** Seconds one https artifact may take in total. */
  readonly deadline: number;
  readonly 'max-bytes'?: number | undefined;
  readonly ca?: string | undefined;
}

/**
 * Builds the run options: `--ca` read through the one reader (a regular file of at most 1 MiB, never a FIFO or
 * a device), `--map` values parsed and their targets checked (a file for an exact location, a folder for a prefix),
 * `--payload-dir` checked as a folder. `label` shows paths as the user gave them.
 */
export async function verifyOptionsFromFlags(
  flags: VerifyFlagValues,
  io: { label: (path: string) => string; onProgress?: (e: VerifyProgressEvent) => void },
): Promise<VerifyRunOptions> {
  const ca =
    flags.ca === undefined
      ? undefined
      : Buffer.from(await readDocumentFile(flags.ca, { label: io.label(flags.ca), maxBytes: DEFAULT_MAX_SMALL_FILE_BYTES, what: 'a CA certificate' }));
  // Named inputs are checked before anything is read: a FIFO, a device or a missing path is exit 3, not a report line.
  const maps = flags.map.map(parseLocationMapping);
  for (const m of maps) await checkInputPath(m.path, m.location.endsWith('/') ? 'folder' : 'file', io.label(m.path));
  if (flags['payload-dir'] !== undefined) await checkInputPath(flags['payload-dir'], 'folder', io.label(flags['payload-dir']));
  return {
    ...(flags['base-dir'] === undefined ? {} : { baseDir: flags['base-dir'] }),
    skip: flags.skip,
    fetchHttps: flags.fetch,
    skipRemote: flags['skip-remote'],
    maps,
    ...(flags['payload-dir'] === undefined ? {} : { payloadDir: flags['payload-dir'] }),
    recursive: flags.recursive,
    httpsTimeoutMs: flags.timeout * 1000,
    httpsDeadlineMs: flags.deadline * 1000,
    ...(flags['max-bytes'] === undefined ? {} : { httpsMaxBytes: flags['max-bytes'] }),
    ...(ca === undefined ? {} : { ca }),
    label: io.label,
    ...(io.onProgress === undefined ? {} : { onProgress: io.onProgress }),
  };
}
