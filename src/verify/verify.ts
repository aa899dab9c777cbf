// The verification engine: rehash every artifact from its first location and recompute the composition fingerprint.
import { dirname } from 'node:path';
import { type HashAlgorithm, type MultiDigest, fsErrorText, hashFileHandleMany, parseHashAlgorithm } from '../hash/digest.js';
import { loadTroFile } from '../tro/load.js';
import type { TroArtifact, TroHash, TroModel } from '../tro/model.js';
import { checkFingerprint } from './check-fingerprint.js';
import { FetchError, fetchHttpsDigests } from './fetch-https.js';
import { type ArtifactSource, locateArtifact, openArtifactFile } from './locate.js';
import type { ArtifactReport, HashCheck, VerifyReport } from './report.js';

/** Progress while an artifact is hashed (for a TTY progress line; the library never prints). */
export interface VerifyProgressEvent {
  /** The artifact's short id. */
  readonly artifact: string;
  readonly bytes: number;
  /** The file size or the response's Content-Length, when known. */
  readonly totalBytes: number | null;
}

export interface VerifyOptions {
  /** Directory relative locations are resolved against and confined to. Absent: relative locations are unfetchable. */
  readonly baseDir?: string;
  /** Short ids never fetched (reported `skipped`). */
  readonly skip?: readonly string[];
  /** Fetch `https://` locations (default true). */
  readonly fetchHttps?: boolean;
  /** Inactivity timeout of an https fetch (default 60 000 ms, as the reference's `requests` timeout). */
  readonly httpsTimeoutMs?: number;
  /** Largest https body accepted (default 16 GiB). */
  readonly httpsMaxBytes?: number;
  /** An extra CA certificate (PEM) trusted for https, in addition to Node's bundled roots. */
  readonly ca?: string | Buffer;
  onProgress?(event: VerifyProgressEvent): void;
}

export const DEFAULT_HTTPS_TIMEOUT_MS = 60_000;
export const DEFAULT_HTTPS_MAX_BYTES = 16 * 1024 ** 3;

/** Verifies a TRO (policyengine-interop §6): never throws for data problems, every finding is in the report. */
export async function verifyTro(model: TroModel, options: VerifyOptions = {}): Promise<VerifyReport> {
  const notes: string[] = [];
  const fp = await checkFingerprint(model);
  notes.push(...fp.notes);

  const locations = firstLocations(model);
  const skip = new Set(options.skip ?? []);
  const artifacts: ArtifactReport[] = [];
  for (const artifact of model.artifacts) {
    artifacts.push(await verifyArtifact(artifact, locations.get(artifact.id) ?? null, skip, options, notes));
  }
  const verified = fp.report.status === 'ok' && artifacts.every((a) => a.status === 'ok' || a.status === 'skipped');
  return { verified, dialect: model.dialect.id, fingerprint: fp.report, artifacts, notes };
}

/** Loads a TRO file and verifies it; relative locations resolve against the file's directory unless `baseDir` is given. */
export async function verifyTroFile(path: string, options: VerifyOptions & { readonly label?: string } = {}): Promise<VerifyReport> {
  const { model } = await loadTroFile(path, options.label === undefined ? {} : { label: options.label });
  return verifyTro(model, { ...options, baseDir: options.baseDir ?? dirname(path) });
}

/** Full artifact @id → its first non-empty location, across arrangements in document order (first one wins). */
function firstLocations(model: TroModel): Map<string, string> {
  const map = new Map<string, string>();
  for (const arrangement of model.arrangements) {
    for (const loc of arrangement.locations) {
      if (loc.artifactId !== '' && loc.location !== '' && !map.has(loc.artifactId)) map.set(loc.artifactId, loc.location);
    }
  }
  return map;
}

/** The hash reported as `expected`: the sha256 one when present, else the first. */
function primaryHash(hashes: readonly TroHash[]): TroHash | undefined {
  return hashes.find((h) => parseHashAlgorithm(h.algorithm) === 'sha256') ?? hashes[0];
}

async function verifyArtifact(
  artifact: TroArtifact,
  location: string | null,
  skip: ReadonlySet<string>,
  options: VerifyOptions,
  notes: string[],
): Promise<ArtifactReport> {
  const id = artifact.shortId;
  const primary = primaryHash(artifact.hashes);
  const base = { id, location, expected: primary?.value ?? null };
  if (skip.has(id)) return { ...base, status: 'skipped' };
  if (primary === undefined) return { ...base, status: 'unverifiable', detail: 'artifact has no hash' };

  const supported = artifact.hashes.flatMap((h) => parseHashAlgorithm(h.algorithm) ?? []);
  const unsupported = artifact.hashes.find((h) => parseHashAlgorithm(h.algorithm) === undefined);
  if (supported.length === 0) return { ...base, status: 'unverifiable', detail: `unsupported hash algorithm: ${primary.algorithm}` };
  if (location === null) return { ...base, status: 'unfetchable', detail: 'no arrangement location for artifact' };

  const source = await locateArtifact(location, {
    fetchHttps: options.fetchHttps ?? true,
    ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }),
  });
  if (source.kind === 'refused') return { ...base, status: 'unfetchable', detail: source.detail };
  if (source.kind === 'file' && source.fragment !== undefined) {
    notes.push(`${id}: stripped the fragment ${source.fragment} from location ${location} and read the file it names`);
  }

  const read = await readDigests(source, location, id, [...new Set(supported)], options);
  if ('detail' in read) return { ...base, status: 'unfetchable', detail: read.detail };

  const checks: HashCheck[] = artifact.hashes.map((h) => {
    const algorithm = parseHashAlgorithm(h.algorithm);
    const actual = algorithm === undefined ? undefined : read.hex[algorithm];
    return actual === undefined ? { algorithm: h.algorithm, expected: h.value } : { algorithm: h.algorithm, expected: h.value, actual };
  });
  const actual = checks[artifact.hashes.indexOf(primary)]?.actual;
  const result = {
    ...base,
    ...(actual === undefined ? {} : { actual }),
    ...(checks.length > 1 ? { hashes: checks } : {}),
  };
  const mismatches = checks.filter((c) => c.actual !== undefined && c.actual !== c.expected);
  for (const m of mismatches) {
    if (m.actual === m.expected.toLowerCase()) notes.push(`${id}: the claimed ${m.algorithm} differs from the content's only in letter case (hex must be lowercase)`);
  }
  if (mismatches.length > 0) {
    return { ...result, status: 'mismatch', detail: mismatches.map((m) => `${m.algorithm} ${m.actual ?? ''} != claimed ${m.expected}`).join('; ') };
  }
  if (unsupported !== undefined) return { ...result, status: 'unverifiable', detail: `unsupported hash algorithm: ${unsupported.algorithm}` };
  return { ...result, status: 'ok' };
}

/** Streams the artifact's bytes once through every needed hasher; failures become the `unfetchable` detail. */
async function readDigests(
  source: Exclude<ArtifactSource, { kind: 'refused' }>,
  location: string,
  id: string,
  algorithms: readonly HashAlgorithm[],
  options: VerifyOptions,
): Promise<MultiDigest | { detail: string }> {
  const progress = options.onProgress;
  if (source.kind === 'https') {
    try {
      return await fetchHttpsDigests(source.url, algorithms, {
        timeoutMs: options.httpsTimeoutMs ?? DEFAULT_HTTPS_TIMEOUT_MS,
        maxBytes: options.httpsMaxBytes ?? DEFAULT_HTTPS_MAX_BYTES,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        onProgress: (bytes, totalBytes) => progress?.({ artifact: id, bytes, totalBytes }),
      });
    } catch (e) {
      if (e instanceof FetchError) return { detail: e.message };
      throw e;
    }
  }
  const opened = await openArtifactFile(source.path, location);
  if ('detail' in opened) return opened;
  try {
    return await hashFileHandleMany(opened.handle, opened.size, algorithms, {
      onProgress: (bytes) => progress?.({ artifact: id, bytes, totalBytes: opened.size }),
    });
  } catch (e) {
    return { detail: `${fsErrorText(e)}: ${location}` };
  } finally {
    await opened.handle.close();
  }
}
