// The verification engine: rehash every artifact from every location it has and recompute the composition fingerprint.
import { dirname } from 'node:path';
import { type HashAlgorithm, type MultiDigest, fsErrorText, hashFileHandleMany, parseHashAlgorithm } from '../hash/digest.js';
import { loadTroFile } from '../tro/load.js';
import type { TroArtifact, TroHash, TroModel } from '../tro/model.js';
import { checkFingerprint } from './check-fingerprint.js';
import { FetchError, fetchHttpsDigests } from './fetch-https.js';
import { type ArtifactSource, locateArtifact, openArtifactFile } from './locate.js';
import { type LocationMapping, mapLocation } from './map.js';
import type { ArtifactReport, ArtifactStatus, HashCheck, LocationReport, VerifyReport, VerifyVerdict } from './report.js';
import { checkSkipIds } from './skip.js';

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
  /** Short ids never read (reported `skipped`). */
  readonly skip?: readonly string[];
  /** Fetch `https://` locations. Default false: fetching is opt-in; an https artifact not fetched is `not-fetched`. */
  readonly fetchHttps?: boolean;
  /**
   * Report an artifact `skipped` instead of `not-fetched`/`unfetchable` when every location it has is remote (a URL or
   * URN: https, http, hf, urn:pop:payload… not mapped, not fetched) — what a referee offline says for every id at once
   * instead of `--skip` each. A relative location that is missing still fails; a fetched or mapped one is checked.
   */
  readonly skipRemote?: boolean;
  /** Local copies of artifacts (`--map LOCATION=PATH`): checked instead of the location, never fetched. */
  readonly maps?: readonly LocationMapping[];
  /** Folder holding the preimages of `urn:pop:payload:NAME:HASH` locations as `NAME.json` (`emit build --payload-dir`). */
  readonly payloadDir?: string;
  /** Inactivity timeout of an https fetch (default 60 000 ms, as the reference's `requests` timeout). */
  readonly httpsTimeoutMs?: number;
  /** Total time allowed for one https artifact, however steadily it trickles in (default DEFAULT_HTTPS_DEADLINE_MS). */
  readonly httpsDeadlineMs?: number;
  /** Largest https body accepted (default 16 GiB). */
  readonly httpsMaxBytes?: number;
  /** An extra CA certificate (PEM) trusted for https, in addition to Node's bundled roots. */
  readonly ca?: string | Buffer;
  onProgress?(event: VerifyProgressEvent): void;
}

export const DEFAULT_HTTPS_TIMEOUT_MS = 60_000;
/** Two hours: a 16 GiB dataset at ~2.5 MB/s; a server that dribbles bytes can hold a verify no longer than this. */
export const DEFAULT_HTTPS_DEADLINE_MS = 2 * 60 * 60 * 1000;
export const DEFAULT_HTTPS_MAX_BYTES = 16 * 1024 ** 3;

/** `urn:pop:payload:NAME:HASH`: a build TRO's content-addressed payload (pe-data §2.3); NAME is a plain file stem. */
const PAYLOAD_URN = /^urn:pop:payload:([^:]*):([^:]*)$/;
const PAYLOAD_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** In a `u` regex a paired surrogate is one code point, so this matches only lone (ill-formed) ones. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Verifies a TRO (policyengine-interop §6): never throws for data problems, every finding is in the report. */
export async function verifyTro(model: TroModel, options: VerifyOptions = {}): Promise<VerifyReport> {
  const notes: string[] = [];
  const fp = await checkFingerprint(model);
  notes.push(...fp.notes);

  const locations = allLocations(model);
  const skip = new Set(options.skip ?? []);
  const artifacts: ArtifactReport[] = [];
  for (const artifact of model.artifacts) {
    artifacts.push(await verifyArtifact(artifact, locations.get(artifact.id) ?? [], skip, options, notes));
  }
  const verdict = verdictOf(fp.report.status === 'ok', artifacts);
  return { verified: verdict === 'verified', verdict, dialect: model.dialect.id, fingerprint: fp.report, artifacts, notes };
}

/** verified: everything checked or skipped; incomplete: nothing failed but something was not fetched; failed: otherwise. */
function verdictOf(fingerprintOk: boolean, artifacts: readonly ArtifactReport[]): VerifyVerdict {
  if (!fingerprintOk || artifacts.some((a) => a.status !== 'ok' && a.status !== 'skipped' && a.status !== 'not-fetched')) return 'failed';
  return artifacts.some((a) => a.status === 'not-fetched') ? 'incomplete' : 'verified';
}

/**
 * Loads a TRO file and verifies it; relative locations resolve against the file's directory unless `baseDir` is
 * given. A `skip` id that names no artifact of the TRO is a USAGE error (a typo must not pass silently).
 */
export async function verifyTroFile(path: string, options: VerifyOptions & { readonly label?: string } = {}): Promise<VerifyReport> {
  const { model } = await loadTroFile(path, options.label === undefined ? {} : { label: options.label });
  checkSkipIds(options.skip ?? [], model.artifacts.map((a) => a.shortId));
  return verifyTro(model, { ...options, baseDir: options.baseDir ?? dirname(path) });
}

/** Full artifact @id → every non-empty location, across arrangements and location nodes, in document order, once each. */
function allLocations(model: TroModel): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const arrangement of model.arrangements) {
    for (const loc of arrangement.locations) {
      if (loc.artifactId === '') continue;
      const list = map.get(loc.artifactId) ?? [];
      for (const text of [loc.location, ...(loc.others ?? [])]) if (text !== '' && !list.includes(text)) list.push(text);
      map.set(loc.artifactId, list);
    }
  }
  return map;
}

/** The hash reported as `expected`: the sha256 one when present, else the first. */
function primaryHash(hashes: readonly TroHash[]): TroHash | undefined {
  return hashes.find((h) => parseHashAlgorithm(h.algorithm) === 'sha256') ?? hashes[0];
}

/** A location with a URI scheme (`https:`, `hf:`, `urn:` …), not a path; a one-letter scheme is a Windows drive. */
export function isRemoteLocation(location: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]+:/.test(location);
}

/** Worse statuses win when an artifact's locations disagree. */
const SEVERITY: Readonly<Record<ArtifactStatus, number>> = { ok: 0, skipped: 0, 'not-fetched': 1, unverifiable: 2, unfetchable: 3, mismatch: 4 };

async function verifyArtifact(
  artifact: TroArtifact,
  locations: readonly string[],
  skip: ReadonlySet<string>,
  options: VerifyOptions,
  notes: string[],
): Promise<ArtifactReport> {
  const id = artifact.shortId;
  const primary = primaryHash(artifact.hashes);
  const base = { id, location: locations[0] ?? null, expected: primary?.value ?? null };
  if (skip.has(id)) return { ...base, status: 'skipped' };
  if (primary === undefined) return { ...base, status: 'unverifiable', detail: 'artifact has no hash' };

  const supported = artifact.hashes.flatMap((h) => parseHashAlgorithm(h.algorithm) ?? []);
  if (supported.length === 0) return { ...base, status: 'unverifiable', detail: `unsupported hash algorithm: ${primary.algorithm}` };
  if (locations.length === 0) return { ...base, status: 'unfetchable', detail: 'no arrangement location for artifact' };

  const results: LocationReport[] = [];
  for (const location of locations) results.push(await checkLocation(artifact, primary, location, [...new Set(supported)], options, notes));
  if (options.skipRemote === true && results.every((r) => isRemoteLocation(r.location) && (r.status === 'not-fetched' || r.status === 'unfetchable'))) {
    return { ...base, status: 'skipped', detail: 'remote, not checked (--skip-remote)' };
  }
  const first = results[0] as LocationReport;
  const worst = results.reduce((w, r) => (SEVERITY[r.status] > SEVERITY[w.status] ? r : w), first);
  const several = results.length > 1;
  return {
    ...base,
    status: worst.status,
    ...(first.actual === undefined ? {} : { actual: first.actual }),
    ...(worst.detail === undefined ? {} : { detail: several ? `${worst.location}: ${worst.detail}` : worst.detail }),
    ...(first.hashes === undefined ? {} : { hashes: first.hashes }),
    ...(several ? { locations: results } : {}),
  };
}

/** Reads one location (local file, mapped copy, payload preimage or https) and compares every claimed hash. */
async function checkLocation(
  artifact: TroArtifact,
  primary: TroHash,
  location: string,
  algorithms: readonly HashAlgorithm[],
  options: VerifyOptions,
  notes: string[],
): Promise<LocationReport> {
  const id = artifact.shortId;
  const source = await resolveSource(location, primary, options);
  if (source.kind === 'refused') return { location, status: 'unfetchable', detail: source.detail };
  if (source.kind === 'not-fetched') return { location, status: 'not-fetched', detail: source.detail };
  if (source.kind === 'mismatch') return { location, status: 'mismatch', detail: source.detail };
  if (source.kind === 'file' && source.fragment !== undefined) {
    notes.push(`${id}: stripped the fragment ${source.fragment} from location ${location} and read the file it names`);
  }

  const read = await readDigests(source, location, id, algorithms, options);
  if ('detail' in read) return { location, status: 'unfetchable', detail: read.detail };

  const checks: HashCheck[] = artifact.hashes.map((h) => {
    const algorithm = parseHashAlgorithm(h.algorithm);
    const actual = algorithm === undefined ? undefined : read.hex[algorithm];
    return actual === undefined ? { algorithm: h.algorithm, expected: h.value } : { algorithm: h.algorithm, expected: h.value, actual };
  });
  const actual = checks[artifact.hashes.indexOf(primary)]?.actual;
  const result = { location, ...(actual === undefined ? {} : { actual }), ...(checks.length > 1 ? { hashes: checks } : {}) };
  const mismatches = checks.filter((c) => c.actual !== undefined && c.actual !== c.expected);
  for (const m of mismatches) {
    if (m.actual === m.expected.toLowerCase()) notes.push(`${id}: the claimed ${m.algorithm} differs from the content's only in letter case (hex must be lowercase)`);
  }
  if (mismatches.length > 0) {
    return { ...result, status: 'mismatch', detail: mismatches.map((m) => `${m.algorithm} ${m.actual ?? ''} != claimed ${m.expected}`).join('; ') };
  }
  const unsupported = artifact.hashes.find((h) => parseHashAlgorithm(h.algorithm) === undefined);
  if (unsupported !== undefined) return { ...result, status: 'unverifiable', detail: `unsupported hash algorithm: ${unsupported.algorithm}` };
  return { ...result, status: 'ok' };
}

type ResolvedSource =
  | ArtifactSource
  | { readonly kind: 'not-fetched'; readonly detail: string }
  | { readonly kind: 'mismatch'; readonly detail: string };

/** Where one location's bytes come from, in order: refusals, `--map`, payload preimages, https (opt-in), local files. */
async function resolveSource(location: string, primary: TroHash, options: VerifyOptions): Promise<ResolvedSource> {
  if (LONE_SURROGATE.test(location)) {
    // The file system would receive U+FFFD in its place and could read a different file than the one named.
    return { kind: 'refused', detail: `artifact location is not valid Unicode (a lone surrogate), refused: ${JSON.stringify(location)}` };
  }
  const mapped = mapLocation(location, options.maps ?? []);
  if (mapped?.kind === 'exact') return { kind: 'file', path: mapped.path };
  if (mapped?.kind === 'prefix') {
    const inside = await locateArtifact(mapped.rest, { baseDir: mapped.dir, fetchHttps: false });
    if (inside.kind === 'refused') return { kind: 'refused', detail: `--map ${mapped.mapping.location}=${mapped.mapping.path}: ${inside.detail}` };
    return inside;
  }
  const payload = PAYLOAD_URN.exec(location);
  if (payload !== null) return payloadSource(location, payload[1] ?? '', payload[2] ?? '', primary, options);
  if (location.startsWith('https://') && options.fetchHttps !== true) {
    return { kind: 'not-fetched', detail: `${location} not fetched (pass --fetch to download it, or --map LOCATION=PATH for a copy you have)` };
  }
  return locateArtifact(location, { fetchHttps: true, ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }) });
}

/** A payload URN: its hash must be the artifact's, and its preimage is NAME.json in the payload folder. */
async function payloadSource(location: string, name: string, hash: string, primary: TroHash, options: VerifyOptions): Promise<ResolvedSource> {
  if (!PAYLOAD_NAME.test(name)) return { kind: 'refused', detail: `payload location names no usable file: ${location}` };
  if (parseHashAlgorithm(primary.algorithm) === 'sha256' && hash !== primary.value) {
    return { kind: 'mismatch', detail: `payload location names sha256 ${hash} != claimed ${primary.value}` };
  }
  if (options.payloadDir === undefined) {
    return { kind: 'not-fetched', detail: `${location} is a content-addressed payload (pass --payload-dir DIR, the folder emit build --payload-dir wrote)` };
  }
  return locateArtifact(`${name}.json`, { baseDir: options.payloadDir, fetchHttps: false });
}

/** Streams the artifact's bytes once through every needed hasher; failures become the `unfetchable` detail. */
async function readDigests(
  source: Extract<ArtifactSource, { kind: 'https' | 'file' }>,
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
        deadlineMs: options.httpsDeadlineMs ?? DEFAULT_HTTPS_DEADLINE_MS,
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
