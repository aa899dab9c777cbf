// Self-contained, offline-verifiable records: the run record (interop §7, §2.3) and the results record (§2.2, fixed).
import type { JsonInput, JsonValue } from '../json/value.js';
import { type DirectoryEntry, writeDirectoryAtomically } from './atomic-dir.js';
import type { EmissionContext } from './emission-context.js';
import { assertCertifiable } from './payloads.js';
import { type RuntimeValue, type SimulationTro, type SimulationTroInput, emitSimulationTro, resultsMetadataDefaults } from './simulation-tro.js';

export interface RunRecordOptions {
  /** The record directory: created (with parents); an existing non-empty one is refused unless `force`. */
  readonly directory: string;
  readonly force?: boolean | undefined;
  /** The bundle TRO the run used, always explicit (its bytes feed the fingerprint: §11.15). */
  readonly bundleTro: JsonValue;
  /** `reformPayload(policy)`; null or undefined when the run has no policy. */
  readonly reform?: JsonInput | undefined;
  /** `inputPayload(...)`. */
  readonly input: JsonInput;
  /** `resultsPayload(...)`. */
  readonly results: JsonInput;
  readonly request?: JsonInput | undefined;
  readonly runtime?: JsonInput | undefined;
  readonly runtimeEnvironment?: Readonly<Record<string, RuntimeValue>> | undefined;
  readonly simulationId: string;
  /** ISO 8601 with a timezone; always explicit (no clock is read). */
  readonly createdAt: string;
  /** Recorded as `pe:bundleTroUrl` only; the bundle_tro location stays the local copy. */
  readonly bundleTroUrl?: string | undefined;
  readonly emissionContext: EmissionContext;
}

/** What a record write produced: the directory, the file names, the citable fingerprint and the TRO. */
export interface WrittenRecord {
  readonly directory: string;
  /** File names in the directory, in artifact order, the TRO last. */
  readonly files: readonly string[];
  /** The composition fingerprint of the record's TRO: the run's citable id. */
  readonly fingerprint: string;
  readonly tro: SimulationTro;
}

/** The file the run TRO is written to, beside its payloads. */
export const RUN_TRO_FILE = 'run.trace.tro.jsonld';
/** The file a results TRO is written to (policyengine.py: `results.json` → `results.trace.tro.jsonld`). */
export const RESULTS_TRO_FILE = 'results.trace.tro.jsonld';

/**
 * Writes a run record: `bundle.trace.tro.jsonld` (the bundle TRO re-canonicalised), `reform.json`,
 * `input.json`, `results.json`, `request.json`, `runtime.json` (those given, canonical bytes, so their raw
 * sha256 equals the TRO's) and `run.trace.tro.jsonld`, all at once (atomic directory rename). Everything that
 * cannot be certified is refused (UNCERTIFIABLE) before anything touches the disk.
 */
export async function writeRunRecord(options: RunRecordOptions): Promise<WrittenRecord> {
  assertPayloadsCertifiable(options);
  const tro = await emitSimulationTro({
    bundleTro: options.bundleTro,
    reform: options.reform,
    input: options.input,
    results: options.results,
    request: options.request,
    runtime: options.runtime,
    runtimeEnvironment: options.runtimeEnvironment,
    emissionContext: options.emissionContext,
    simulationId: options.simulationId,
    createdAt: options.createdAt,
    bundleTroUrl: options.bundleTroUrl,
    // The record is self-contained: the bundle TRO is the local copy even when a URL is known (§2.3).
    locations: { bundle_tro: 'bundle.trace.tro.jsonld' },
  });
  return writeRecord(options.directory, tro, RUN_TRO_FILE, options.force === true);
}

/** The simulation TRO's inputs (bar `locations`, decided by the bundle TRO URL) plus where to write. */
export interface ResultsRecordOptions extends Omit<SimulationTroInput, 'locations'> {
  readonly directory: string;
  readonly force?: boolean | undefined;
  /** Default: the results' `metadata.slug`, else `metadata.title` (a ResultsJson payload). */
  readonly simulationId?: string | undefined;
  /** Default: the results' `metadata.generated_at`. */
  readonly createdAt?: string | undefined;
  /** When given, the bundle_tro location is this URL (as policyengine.py's results writer does). */
  readonly bundleTroUrl?: string | undefined;
}

/**
 * Writes a results TRO (`results.trace.tro.jsonld`) with every payload it lists beside it as canonical bytes,
 * plus the bundle TRO when its location is local: unlike policyengine.py's `write_results_with_trace_tro`
 * (§11.2: non-canonical results.json, reform.json listed but never written), the output always verifies.
 */
export async function writeResultsRecord(options: ResultsRecordOptions): Promise<WrittenRecord> {
  assertPayloadsCertifiable(options);
  const defaults = resultsMetadataDefaults(options.results);
  const tro = await emitSimulationTro({
    bundleTro: options.bundleTro,
    results: options.results,
    reform: options.reform,
    input: options.input,
    request: options.request,
    runtime: options.runtime,
    runtimeEnvironment: options.runtimeEnvironment,
    reformName: options.reformName,
    inputName: options.inputName,
    emissionContext: options.emissionContext,
    simulationId: options.simulationId || defaults.simulationId,
    createdAt: options.createdAt ?? defaults.createdAt,
    startedAt: options.startedAt,
    bundleTroUrl: options.bundleTroUrl,
  });
  return writeRecord(options.directory, tro, RESULTS_TRO_FILE, options.force === true);
}

/** Refuses (UNCERTIFIABLE) any given payload that cannot be certified, before anything touches the disk. */
function assertPayloadsCertifiable(payloads: Pick<SimulationTroInput, 'reform' | 'input' | 'results' | 'request' | 'runtime'>): void {
  for (const [what, payload] of [
    ['reform', payloads.reform],
    ['input', payloads.input],
    ['results', payloads.results],
    ['request', payloads.request],
    ['runtime', payloads.runtime],
  ] as const) {
    if (payload !== undefined) assertCertifiable(payload, what);
  }
}

/** Writes each payload at its location (fragment stripped) when the location is a local file name, then the TRO. */
async function writeRecord(directory: string, tro: SimulationTro, troFile: string, force: boolean): Promise<WrittenRecord> {
  const entries: DirectoryEntry[] = [];
  for (const [id, bytes] of tro.payloads) {
    const name = localFileName(tro.locations.get(id));
    if (name !== undefined) entries.push({ name, bytes });
  }
  entries.push({ name: troFile, bytes: tro.bytes });
  await writeDirectoryAtomically(directory, entries, { force });
  return { directory, files: entries.map((e) => e.name), fingerprint: tro.fingerprint, tro };
}

/** `bundle.trace.tro.jsonld#<fp>` → `bundle.trace.tro.jsonld`; URLs and paths with separators are not written. */
function localFileName(location: string | undefined): string | undefined {
  if (location === undefined) return undefined;
  const name = location.split('#')[0] ?? '';
  if (name === '' || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(name) || /[/\\]/.test(name) || name === '.' || name === '..') return undefined;
  return name;
}
