// Turns `pe-trace verify`'s flag values into VerifyRunOptions (kept out of the command so other flags add a small block).
import { DEFAULT_MAX_SMALL_FILE_BYTES, readDocumentFile } from '../io/read-file.js';
import { parseLocationMapping } from './map.js';
import type { VerifyRunOptions } from './run.js';
import type { VerifyProgressEvent } from './verify.js';

/** The verify flags as oclif parses them (names as on the command line). */
export interface VerifyFlagValues {
  readonly 'base-dir'?: string | undefined;
  readonly skip: readonly string[];
  readonly fetch: boolean;
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
 * a device), `--map` values parsed. `label` shows paths as the user gave them.
 */
export async function verifyOptionsFromFlags(
  flags: VerifyFlagValues,
  io: { label: (path: string) => string; onProgress?: (e: VerifyProgressEvent) => void },
): Promise<VerifyRunOptions> {
  const ca =
    flags.ca === undefined
      ? undefined
      : Buffer.from(await readDocumentFile(flags.ca, { label: io.label(flags.ca), maxBytes: DEFAULT_MAX_SMALL_FILE_BYTES, what: 'a CA certificate' }));
  return {
    ...(flags['base-dir'] === undefined ? {} : { baseDir: flags['base-dir'] }),
    skip: flags.skip,
    fetchHttps: flags.fetch,
    maps: flags.map.map(parseLocationMapping),
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
