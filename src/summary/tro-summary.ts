// Summarises one TRO (any dialect) from its JSON tree and typed model: kind, producer, dates, artifacts, releases, links.
import { type JsonObject, type JsonValue, isJsonObject } from '../json/value.js';
import type { TroModel } from '../tro/model.js';
import { atPointer, displayValue, extensionFields, extensionLocalName, obj, objs, str, timeValue } from './json-fields.js';
import type { SummaryArtifactRole, ArtifactSummary, DataFacts, PayloadFacts, RecordKind, RecordSummary, ReleaseFacts, SummaryLink } from './types.js';

/** What a caller can add beyond the TRO's own JSON: its file name, the bundle TRO it consumed, payload contents. */
export interface TroSummaryOptions {
  /** The TRO's file name (basename), used to tell a run record (`run.trace.tro.jsonld`) from a results TRO. */
  readonly fileName?: string;
  /** The summary of the bundle TRO a run/results TRO consumed, when it was read. */
  readonly bundle?: RecordSummary;
  /** Parsed payloads by artifact short id (`reform`, `input`, `results`, …), when the files were read. */
  readonly payloads?: ReadonlyMap<string, JsonValue>;
  readonly source?: 'tro' | 'run-record';
}

const ROLE_BY_ID: Readonly<Record<string, SummaryArtifactRole>> = {
  bundle_manifest: 'bundle-manifest',
  data_release_manifest: 'data-release-manifest',
  dataset: 'dataset',
  model_wheel: 'model-wheel',
  bundle_tro: 'bundle-tro',
  reform: 'reform',
  input: 'input',
  request: 'request',
  runtime: 'runtime',
  results: 'results',
  build_config: 'build-payload',
  gate_report: 'build-payload',
  stage_records: 'build-payload',
};

/** Performance fields that are certification, data-build, link or CI facts (not the run's runtime environment). */
const KNOWN_PERFORMANCE_FIELDS = new Set([
  'bundleFingerprint',
  'bundleTroUrl',
  'emittedIn',
  'ciRunUrl',
  'ciGitSha',
  'ciGitRef',
  'certifiedForModelVersion',
  'compatibilityBasis',
  'builtWithModelVersion',
  'builtWithModelGitSha',
  'dataBuildFingerprint',
  'dataBuildId',
  'certifiedBy',
  'dataReleaseManifestStatus',
  'preservationDoi',
]);

export function summarizeTro(doc: JsonValue, model: TroModel, options: TroSummaryOptions = {}): RecordSummary {
  const node = atPointer(doc, model.troPointer);
  const tro: JsonObject = isJsonObject(node) ? node : {};
  const perfJson = obj(tro, 'trov:hasPerformance');
  const perf = extensionFields(perfJson);
  const troExt = extensionFields(tro);
  const artifacts = summarizeArtifacts(tro, model);
  const byId = new Map(artifacts.map((a) => [a.id, a]));
  const kind = detectKind(model, tro, artifacts, perf, troExt, options.fileName);
  const perfModel = model.performances[0];
  const creatorJson = tro['schema:creator'];
  const creator = isJsonObject(creatorJson)
    ? { ...opt('name', str(creatorJson, 'schema:name')), ...opt('url', str(creatorJson, 'schema:url')) }
    : typeof creatorJson === 'string'
      ? { name: creatorJson }
      : undefined;
  const createdWith = obj(tro, 'trov:createdWith');
  const producerVersion = createdWith === undefined ? undefined : createdWith['schema:softwareVersion'];
  const producer =
    createdWith === undefined
      ? undefined
      : { ...opt('name', str(createdWith, 'schema:name')), ...(typeof producerVersion === 'string' ? { version: producerVersion } : {}) };
  const system = str(obj(tro, 'trov:wasAssembledBy'), 'schema:name');
  const textOf = (k: string): string | undefined => {
    const v = perf.get(k);
    return v === undefined ? undefined : displayValue(v);
  };

  const releases: ReleaseFacts[] = [];
  if (kind === 'bundle') releases.push(bundleRelease(tro, model, byId, textOf));
  else if ((kind === 'run' || kind === 'results') && options.bundle !== undefined) releases.push(...options.bundle.releases);

  const payload = (id: string): PayloadFacts | undefined => {
    const a = byId.get(id);
    if (a === undefined) return undefined;
    const content = options.payloads?.get(id);
    return { ...opt('sha256', a.hash?.value), ...opt('location', a.locations[0]), facts: content === undefined ? {} : payloadFacts(id, content) };
  };

  const runtimeEnvironment: Record<string, string> = {};
  const extra: Record<string, string> = {};
  for (const [k, v] of perf) {
    if (KNOWN_PERFORMANCE_FIELDS.has(k)) continue;
    if (kind === 'run' || kind === 'results') runtimeEnvironment[k] = displayValue(v);
    else extra[k] = displayValue(v);
  }
  for (const [k, v] of troExt) if (k !== 'selfUrl') extra[k] = displayValue(v);
  for (const k of ['compatibilityBasis', 'certifiedBy', 'ciGitSha', 'ciGitRef']) {
    const v = textOf(k);
    // A bundle's certification facts are in its release; CI facts are extra for every kind.
    if (v !== undefined && (kind !== 'bundle' || k.startsWith('ci'))) extra[k] = v;
  }

  const preservationDois = listOfStrings(perf.get('preservationDoi'));
  const links: SummaryLink[] = [];
  const bundleArtifact = byId.get('bundle_tro');
  if (bundleArtifact?.locations[0] !== undefined) links.push({ kind: 'bundle-tro', target: bundleArtifact.locations[0] });
  const bundleUrl = textOf('bundleTroUrl');
  if (bundleUrl !== undefined) links.push({ kind: 'bundle-tro-url', target: bundleUrl });
  const bundleFp = textOf('bundleFingerprint');
  if (bundleFp !== undefined) links.push({ kind: 'bundle-fingerprint', target: bundleFp });
  const drm = byId.get('data_release_manifest');
  if (drm?.locations[0] !== undefined) links.push({ kind: 'data-release-manifest', target: drm.locations[0] });
  const buildId = textOf('dataBuildId') ?? textOf('buildId');
  if (buildId !== undefined) links.push({ kind: 'build', target: buildId });
  const selfUrl = troExt.get('selfUrl');
  if (typeof selfUrl === 'string') links.push({ kind: 'self-url', target: selfUrl });
  for (const doi of preservationDois) links.push({ kind: 'preservation-doi', target: doi });
  const ci = textOf('ciRunUrl');
  if (ci !== undefined) links.push({ kind: 'ci-run', target: ci });

  const name = model.name ?? str(tro, 'schema:name');
  const simulationId = kind === 'run' || kind === 'results' ? /^policyengine simulation TRO \((.*)\)$/.exec(name ?? '')?.[1] : undefined;
  const created = timeValue(tro, 'schema:dateCreated');
  return {
    source: options.source ?? 'tro',
    kind,
    dialect: model.dialect.id,
    ...opt('name', name),
    ...opt('description', str(tro, 'schema:description')),
    ...(creator === undefined ? {} : { creator }),
    ...(producer === undefined ? {} : { producer }),
    ...opt('system', system),
    ...opt('emittedIn', textOf('emittedIn')),
    dates: { ...opt('created', created), ...opt('started', perfModel?.startedAtTime), ...opt('ended', perfModel?.endedAtTime) },
    ...(model.fingerprint === undefined ? {} : { fingerprint: { algorithm: model.fingerprint.algorithm, value: model.fingerprint.value } }),
    artifacts,
    releases,
    ...optObj('reform', payload('reform')),
    ...optObj('input', payload('input')),
    ...optObj('request', payload('request')),
    ...optObj('runtime', payload('runtime')),
    ...optObj('results', payload('results')),
    runtimeEnvironment,
    ...opt('simulationId', simulationId),
    ...(kind === 'run' || kind === 'results'
      ? {
          bundle: {
            ...opt('fingerprint', bundleFp ?? options.bundle?.fingerprint?.value),
            ...opt('url', bundleUrl),
            ...opt('sha256', bundleArtifact?.hash?.value),
            ...(options.bundle === undefined ? {} : { summary: options.bundle }),
          },
        }
      : {}),
    preservationDois,
    links,
    extra,
  };
}

function summarizeArtifacts(tro: JsonObject, model: TroModel): ArtifactSummary[] {
  const locations = new Map<string, string[]>();
  for (const arr of model.arrangements) {
    for (const l of arr.locations) {
      const list = locations.get(l.artifactId) ?? [];
      if (!list.includes(l.location)) list.push(l.location);
      locations.set(l.artifactId, list);
    }
  }
  const restricted = new Set<string>();
  for (const arr of objs(tro, 'trov:hasArrangement')) {
    for (const loc of [...objs(arr, 'trov:hasArtifactLocation'), ...objs(arr, 'trov:hasLocus')]) {
      const flag = [...Object.entries(loc)].some(([k, v]) => extensionLocalName(k)?.local === 'accessRestricted' && v === true);
      const target = obj(loc, 'trov:hasArtifact') ?? obj(loc, 'trov:artifact');
      const id = str(target, '@id');
      if (flag && id !== undefined) restricted.add(id);
    }
  }
  return model.artifacts.map((a): ArtifactSummary => {
    const h = a.hashes[0];
    const isRestricted = restricted.has(a.id);
    const role: SummaryArtifactRole = isRestricted ? 'restricted-input' : (ROLE_BY_ID[a.shortId] ?? (a.name === 'release_manifest.json' ? 'data-release-manifest' : 'other'));
    return {
      id: a.shortId,
      role,
      ...opt('name', a.name),
      ...opt('mimeType', a.mimeType),
      ...(h === undefined ? {} : { hash: { algorithm: h.algorithm, value: h.value }, shortHash: h.value.slice(0, 12) }),
      locations: locations.get(a.id) ?? [],
      restricted: isRestricted,
    };
  });
}

function detectKind(
  model: TroModel,
  tro: JsonObject,
  artifacts: readonly ArtifactSummary[],
  perf: ReadonlyMap<string, JsonValue>,
  troExt: ReadonlyMap<string, JsonValue>,
  fileName: string | undefined,
): RecordKind {
  const ids = new Set(artifacts.map((a) => a.id));
  const name = model.name ?? '';
  if (ids.has('bundle_tro') || perf.has('bundleFingerprint')) {
    const bundleLoc = artifacts.find((a) => a.id === 'bundle_tro')?.locations[0];
    return fileName === 'run.trace.tro.jsonld' || bundleLoc === 'bundle.trace.tro.jsonld' ? 'run' : 'results';
  }
  if (ids.has('bundle_manifest') || ids.has('model_wheel') || / certified bundle TRO$/.test(name)) return 'bundle';
  const hasPop = [...perf.keys(), ...troExt.keys()].some((k) => ['buildId', 'buildDate', 'gatesPassed', 'gateNames'].includes(k));
  const producer = str(obj(tro, 'trov:createdWith'), 'schema:name') ?? '';
  const system = str(obj(tro, 'trov:wasAssembledBy'), 'schema:name') ?? '';
  if (hasPop || /build TRO/i.test(name) || /-build$/.test(producer) || /data release pipeline/i.test(system) || perf.has('dataBuildId')) return 'build';
  return 'unknown';
}

function bundleRelease(tro: JsonObject, model: TroModel, byId: ReadonlyMap<string, ArtifactSummary>, textOf: (k: string) => string | undefined): ReleaseFacts {
  const name = model.name ?? '';
  const country = /^policyengine (\S+) certified bundle TRO$/.exec(name)?.[1];
  const description = str(tro, 'schema:description') ?? '';
  const comment = model.arrangements[0]?.comment ?? '';
  const bundleId = /certified runtime bundle (\S+) covering/.exec(description)?.[1] ?? /^Certified arrangement for bundle (.+)\.$/.exec(comment)?.[1];
  const wheel = byId.get('model_wheel');
  const perfComment = model.performances[0]?.comment ?? '';
  const fromComment = /^Certification of build (.+) for (\S+) (\S+)\.$/.exec(perfComment);
  const fromWheel = /^(.+)==(.+) wheel$/.exec(wheel?.name ?? '');
  const drm = byId.get('data_release_manifest');
  const fromDrm = /^(.+) release manifest (\S+)$/.exec(drm?.name ?? '');
  const dataset = byId.get('dataset');
  const data: DataFacts = {
    ...opt('package', fromDrm?.[1]),
    ...opt('version', fromDrm?.[2]),
    ...opt('buildId', textOf('dataBuildId') ?? fromComment?.[1]),
    ...opt('buildFingerprint', textOf('dataBuildFingerprint')),
    ...opt('builtWithModelVersion', textOf('builtWithModelVersion')),
    ...opt('builtWithModelGitSha', textOf('builtWithModelGitSha')),
    ...(dataset === undefined ? {} : { dataset: { ...opt('name', dataset.name), ...opt('sha256', dataset.hash?.value), ...opt('location', dataset.locations[0]) } }),
    ...(drm === undefined && textOf('dataReleaseManifestStatus') === undefined
      ? {}
      : { releaseManifest: { ...opt('sha256', drm?.hash?.value), ...opt('location', drm?.locations[0]), ...opt('status', textOf('dataReleaseManifestStatus')) } }),
  };
  return {
    ...opt('country', country),
    ...opt('bundleId', bundleId),
    model: {
      ...opt('name', fromWheel?.[1] ?? fromComment?.[2]),
      ...opt('version', fromWheel?.[2] ?? fromComment?.[3]),
      ...opt('wheelSha256', wheel?.hash?.value),
      ...opt('wheelUrl', wheel?.locations[0]),
    },
    data,
    certification: {
      ...opt('compatibilityBasis', textOf('compatibilityBasis')),
      ...opt('certifiedForModelVersion', textOf('certifiedForModelVersion')),
      ...opt('certifiedBy', textOf('certifiedBy')),
    },
  };
}

/** A few readable facts of a run payload (reform name and parameters, input/output dataset), never the whole payload. */
function payloadFacts(id: string, content: JsonValue): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isJsonObject(content)) return out;
  if (id === 'reform') {
    const n = str(content, 'name');
    if (n !== undefined) out['name'] = n;
    const pv = content['parameter_values'];
    if (Array.isArray(pv)) {
      out['parameters'] = String(pv.length);
      const names = pv.flatMap((p) => (isJsonObject(p) && typeof p['parameter'] === 'string' ? [p['parameter']] : []));
      if (names.length > 0) out['parameter names'] = [...new Set(names)].join(', ');
    }
  } else if (id === 'input' || id === 'results') {
    const ds = obj(content, id === 'input' ? 'dataset' : 'output_dataset');
    for (const k of ['name', 'file', 'sha256', 'year']) {
      const v = ds?.[k];
      if (v !== undefined && v !== null) out[`dataset ${k}`] = displayValue(v);
    }
  } else {
    for (const [k, v] of Object.entries(content)) if (v === null || typeof v !== 'object' || !isJsonObject(v)) if (!Array.isArray(v)) out[k] = displayValue(v);
  }
  return out;
}

function listOfStrings(v: JsonValue | undefined): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** `{key: value}` when the value is defined, else `{}` (exactOptionalPropertyTypes-friendly spreading). */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function optObj<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return opt(key, value);
}
