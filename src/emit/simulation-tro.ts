// The simulation / results TRO (interop §2.2): payloads hashed canonically, bound to the bundle TRO's fingerprint.
import { InputError, PeTraceError } from '../errors.js';
import { sha256Hex } from '../hash/digest.js';
import { canonicalJsonBytes } from '../json/canonical.js';
import { type JsonInput, JsonNumber, type JsonValue, isJsonObject } from '../json/value.js';
import { readTroModel } from '../tro/read.js';
import { checkFingerprint } from '../verify/check-fingerprint.js';
import { type EmissionContext, checkEmissionContext } from './emission-context.js';
import { type EmitFinding, type EmittedTro, emitTro } from './pipeline.js';
import type { EmissionRequest, PerformanceValue, RequestArtifact } from './request-graph.js';

/** The payload artifacts of a simulation TRO, in emission order. */
export const PAYLOAD_IDS = ['bundle_tro', 'reform', 'input', 'request', 'runtime', 'results'] as const;
export type PayloadId = (typeof PAYLOAD_IDS)[number];

/** A runtime-environment value recorded as `pe:<key>`: a JSON scalar (null means "not recorded"). */
export type RuntimeValue = string | number | boolean | JsonNumber | null | undefined;

export interface SimulationTroInput {
  /** The bundle TRO document (pe-0.1); it is hashed as its canonical re-serialisation, not as file bytes. */
  readonly bundleTro: JsonValue;
  readonly results: JsonInput;
  /** Optional payloads: undefined or null means "not part of this run". */
  readonly reform?: JsonInput | undefined;
  readonly input?: JsonInput | undefined;
  readonly request?: JsonInput | undefined;
  readonly runtime?: JsonInput | undefined;
  readonly reformName?: string | undefined;
  readonly inputName?: string | undefined;
  /** Performance facts: key `runId` becomes `pe:runId`; null values are left out. */
  readonly runtimeEnvironment?: Readonly<Record<string, RuntimeValue>> | undefined;
  /** Required and explicit: the library never reads the environment. */
  readonly emissionContext: EmissionContext;
  readonly simulationId?: string | undefined;
  /** ISO 8601 with a timezone (`Z` or `±hh:mm`): `schema:dateCreated`, `trov:endedAtTime`. */
  readonly createdAt?: string | undefined;
  /** ISO 8601 with a timezone; defaults to `createdAt`. */
  readonly startedAt?: string | undefined;
  /** Overrides of each artifact's location (defaults `reform.json`, …; see §2.2). */
  readonly locations?: Readonly<Partial<Record<PayloadId, string>>> | undefined;
  /** Recorded as `pe:bundleTroUrl`, and the bundle_tro location unless `locations.bundle_tro` is given. */
  readonly bundleTroUrl?: string | undefined;
}

/** A simulation TRO with the canonical bytes of each payload (their sha256 are the artifact hashes). */
export interface SimulationTro extends EmittedTro {
  readonly payloads: ReadonlyMap<PayloadId, Uint8Array>;
  /** Each payload's location as written in the TRO. */
  readonly locations: ReadonlyMap<PayloadId, string>;
}

/** What a simulation TRO reads from its bundle TRO (policyengine.py's `extract_bundle_tro_reference`). */
export interface BundleTroReference {
  readonly fingerprint: string;
  readonly name?: string;
  readonly policyengineVersion: string | null;
  readonly selfUrl?: string;
}

/** Builds a simulation TRO: canonical bytes byte-identical to policyengine.py's `build_simulation_trace_tro`. */
export async function emitSimulationTro(input: SimulationTroInput): Promise<SimulationTro> {
  const plan = planSimulationTro(input);
  await checkPinnedBundleFingerprint(input.bundleTro);
  const tro = await emitTro(plan.request, plan.findings);
  return { ...tro, payloads: plan.payloads, locations: plan.locations };
}

/**
 * The bundle TRO a simulation pins must pass its own fingerprint check: otherwise the simulation TRO (and a run
 * record) would verify while pinning a TRO that does not, turning a failing TRO into part of a passing one.
 * policyengine.py does not check this; pe-trace refuses (TRO_UNVERIFIED, exit 4).
 */
async function checkPinnedBundleFingerprint(bundleTro: JsonValue): Promise<void> {
  const model = readTroModel(bundleTro, { label: 'bundle TRO' });
  const { report } = await checkFingerprint(model);
  if (report.status === 'ok') return;
  const claimed = report.claimed ?? '(none)';
  throw new PeTraceError(
    'TRO_UNVERIFIED',
    `the bundle TRO's claimed fingerprint ${claimed} does not match its artifact hashes (${report.computed}): refusing to pin a TRO that fails verify`,
    { location: { file: 'bundle TRO', ...(model.fingerprint === undefined ? {} : { pointer: model.fingerprint.pointer }) } },
  );
}

export interface SimulationTroPlan {
  readonly request: EmissionRequest;
  readonly findings: readonly EmitFinding[];
  readonly payloads: ReadonlyMap<PayloadId, Uint8Array>;
  readonly locations: ReadonlyMap<PayloadId, string>;
}

/** §2.2 in TS: hashes the payloads and decides every value; the graph shape is queries/construct-simulation-tro.rq's. */
export function planSimulationTro(input: SimulationTroInput): SimulationTroPlan {
  checkEmissionContext(input.emissionContext);
  checkTimestamp('createdAt', input.createdAt);
  checkTimestamp('startedAt', input.startedAt);
  const ref = bundleTroReference(input.bundleTro);
  const overrides = input.locations ?? {};

  const defaults: Record<PayloadId, { payload: JsonInput | undefined; location: string; name: string }> = {
    bundle_tro: {
      payload: input.bundleTro,
      location: input.bundleTroUrl ?? `bundle.trace.tro.jsonld#${ref.fingerprint}`,
      name: ref.name || 'policyengine bundle TRO',
    },
    reform: { payload: input.reform, location: 'reform.json', name: input.reformName || 'reform' },
    input: { payload: input.input, location: 'input.json', name: input.inputName || 'simulation input' },
    request: { payload: input.request, location: 'request.json', name: 'API request payload' },
    runtime: { payload: input.runtime, location: 'runtime.json', name: 'runtime environment' },
    results: { payload: input.results, location: 'results.json', name: 'results.json' },
  };
  const payloads = new Map<PayloadId, Uint8Array>();
  const locations = new Map<PayloadId, string>();
  const artifacts: RequestArtifact[] = [];
  for (const id of PAYLOAD_IDS) {
    const spec = defaults[id];
    const required = id === 'bundle_tro' || id === 'results';
    if (!required && (spec.payload === undefined || spec.payload === null)) continue;
    const bytes = canonicalJsonBytes(spec.payload ?? null);
    const location = overrides[id] ?? spec.location;
    payloads.set(id, bytes);
    locations.set(id, location);
    artifacts.push({ shortId: id, sha256: sha256Hex(bytes), location, mimeType: id === 'bundle_tro' ? 'application/ld+json' : 'application/json', name: spec.name });
  }

  const slug = input.simulationId || 'simulation';
  const performance: [string, PerformanceValue][] = [['pe:bundleFingerprint', ref.fingerprint]];
  if (input.bundleTroUrl !== undefined) performance.push(['pe:bundleTroUrl', input.bundleTroUrl]);
  for (const [key, value] of Object.entries(input.runtimeEnvironment ?? {})) {
    const recorded = runtimeValue(key, value);
    if (recorded !== undefined) performance.push([`pe:${key}`, recorded]);
  }
  for (const [key, value] of Object.entries(input.emissionContext)) performance.push([key, value]);

  const request: EmissionRequest = {
    kind: 'SimulationTroRequest',
    troName: `policyengine simulation TRO (${slug})`,
    softwareVersion: ref.policyengineVersion,
    dateCreated: input.createdAt,
    artifacts,
    arrangementComment: `Simulation arrangement for ${slug}.`,
    performanceComment: `PolicyEngine simulation bound to bundle fingerprint ${ref.fingerprint}.`,
    startedAt: input.startedAt ?? input.createdAt,
    endedAt: input.createdAt,
    performance,
  };
  const findings: EmitFinding[] = [];
  if (input.startedAt === undefined && input.createdAt !== undefined) {
    findings.push({ severity: 'info', code: 'START_IS_END', message: 'no start time was given: trov:startedAtTime repeats the creation time' });
  }
  return { request, findings, payloads, locations };
}

/**
 * Finds the TRO node (first `@graph` item whose `@type` is exactly `trov:TransparentResearchObject`, other nodes
 * tolerated) and reads its fingerprint (required), name, policyengine version and self URL.
 */
export function bundleTroReference(doc: JsonValue, label = 'bundle TRO'): BundleTroReference {
  const graph = isJsonObject(doc) ? doc['@graph'] : undefined;
  const node = Array.isArray(graph) ? graph.find((n) => isJsonObject(n) && n['@type'] === 'trov:TransparentResearchObject') : undefined;
  if (!isJsonObject(node)) {
    throw new InputError('TRO_MALFORMED', 'the bundle TRO has no trov:TransparentResearchObject node in @graph', { location: { file: label, pointer: '/@graph' } });
  }
  const composition = node['trov:hasComposition'];
  const fp = isJsonObject(composition) ? composition['trov:hasFingerprint'] : undefined;
  const fingerprint = isJsonObject(fp) ? fp['trov:sha256'] : undefined;
  if (typeof fingerprint !== 'string' || fingerprint === '') {
    throw new InputError('TRO_MALFORMED', 'the bundle TRO has no composition fingerprint (trov:hasComposition/trov:hasFingerprint/trov:sha256)', {
      location: { file: label },
    });
  }
  const createdWith = node['trov:createdWith'];
  const version = isJsonObject(createdWith) ? createdWith['schema:softwareVersion'] : undefined;
  const name = node['schema:name'];
  const selfUrl = node['pe:selfUrl'];
  return {
    fingerprint,
    ...(typeof name === 'string' ? { name } : {}),
    policyengineVersion: typeof version === 'string' ? version : null,
    ...(typeof selfUrl === 'string' ? { selfUrl } : {}),
  };
}

/**
 * What policyengine.py's `build_results_trace_tro` takes from a ResultsJson payload when the caller does not
 * say: the slug (`metadata.slug`, else `metadata.title`) and the creation time (`metadata.generated_at`).
 */
export function resultsMetadataDefaults(results: JsonInput): { simulationId?: string; createdAt?: string } {
  const metadata = field(results, 'metadata');
  const text = (key: string): string | undefined => {
    const v = field(metadata, key);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const simulationId = text('slug') ?? text('title');
  const createdAt = text('generated_at');
  return { ...(simulationId === undefined ? {} : { simulationId }), ...(createdAt === undefined ? {} : { createdAt }) };
}

function field(value: JsonInput | undefined, key: string): JsonInput | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof JsonNumber) return undefined;
  return Object.hasOwn(value, key) ? (value as Readonly<Record<string, JsonInput | undefined>>)[key] : undefined;
}

/** A runtime-environment mapping from a JSON document: an object whose values are scalars or null. */
export function runtimeEnvironmentFrom(doc: JsonValue, label = 'runtime environment'): Record<string, RuntimeValue> {
  if (!isJsonObject(doc)) throw new InputError('USAGE', 'the runtime environment must be a JSON object of names to values', { location: { file: label } });
  const out: Record<string, RuntimeValue> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (value !== null && typeof value === 'object' && !(value instanceof JsonNumber)) {
      throw new InputError('USAGE', `value of ${key} must be a string, number, boolean or null`, { location: { file: label, pointer: `/${key}` } });
    }
    out[key] = value;
  }
  return out;
}

const RUNTIME_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** A runtime-environment entry as a performance value; only JSON scalars are recorded (objects have no pe: form). */
function runtimeValue(key: string, value: RuntimeValue): PerformanceValue | undefined {
  if (!RUNTIME_KEY.test(key)) throw new InputError('USAGE', `runtime environment key ${JSON.stringify(key)} is not a plain name (it becomes pe:${key})`);
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'boolean' || value instanceof JsonNumber) return value;
  if (typeof value === 'number') return Number.isInteger(value) ? JsonNumber.ofInt(value) : JsonNumber.ofFloat(value);
  throw new InputError('USAGE', `runtime environment value of ${key} must be a string, number or boolean`);
}

/** ISO 8601 date-time with seconds optional, fraction optional, and a mandatory zone (`Z` or `±hh:mm`). */
const ZONED_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Refuses naive timestamps (§11.15): policyengine.py's default `created_at` has no timezone, so the same
 * moment reads differently by machine. Ours must say which zone they are in.
 */
export function checkTimestamp(what: string, value: string | undefined): void {
  if (value !== undefined && !ZONED_TIMESTAMP.test(value)) {
    throw new InputError('USAGE', `${what} ${JSON.stringify(value)} is not an ISO 8601 date-time with a timezone (e.g. 2026-06-12T00:00:00Z)`);
  }
}
