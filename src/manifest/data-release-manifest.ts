// Reads a data release manifest (every published variant) into the typed view policyengine.py's pydantic model gives.
import { sha256Hex } from '../hash/digest.js';
import { parseJson } from '../json/parse.js';
import { isJsonObject } from '../json/value.js';
import type { JsonObject, JsonValue } from '../json/value.js';
import { ManifestError, ManifestReader, childPointer, describeJson, emptyRecord } from './fields.js';
import type { ManifestFinding } from './fields.js';
import type { BuildInfo, DataReleaseManifest, PackagePin, PreservationMirror, ReleaseArtifact } from './types.js';

/** Which shape the document has: the schema-versioned manifest, or the early flat populace build record. */
export type DrmVariant = 'schema-v1' | 'populace-unversioned';

/** Who published it, judged from `data_package.name` (for reports; nothing depends on it). */
export type DrmProducer = 'populace' | 'us-data' | 'uk-data' | 'unknown';

export interface ReadDataReleaseManifest {
  readonly manifest: DataReleaseManifest;
  /** The document as read (lossless), for lifting and for rewriting. */
  readonly raw: JsonObject;
  readonly producer: DrmProducer;
  /** Warnings and info: unknown keys policyengine.py drops, an unexpected schema_version. */
  readonly findings: readonly ManifestFinding[];
}

const TOP_KEYS = new Set([
  'schema_version',
  'data_package',
  'compatible_model_packages',
  'compatible_core_packages',
  'default_datasets',
  'build',
  'artifacts',
  'preservation_dois',
  'metadata',
]);
const PIN_KEYS = new Set(['name', 'version', 'sha256', 'wheel_url']);
const MODEL_PIN_KEYS = new Set([...PIN_KEYS, 'git_sha', 'data_build_fingerprint']);
const BUILD_KEYS = new Set(['build_id', 'built_at', 'built_with_core_package', 'built_with_model_package']);
const ARTIFACT_KEYS = new Set(['kind', 'path', 'repo_id', 'revision', 'sha256', 'size_bytes', 'preservation_mirrors']);
const MIRROR_KEYS = new Set(['kind', 'url', 'doi', 'sha256', 'deposited_at']);
const SPEC_KEYS = new Set(['name', 'specifier']);

/** The early populace-us shape (`build/us/release_manifest.json` at microcosm 33ed83d3): flat build facts, no schema_version. */
export function detectDrmVariant(doc: JsonValue): DrmVariant | undefined {
  if (!isJsonObject(doc)) return undefined;
  if (Object.hasOwn(doc, 'schema_version') || Object.hasOwn(doc, 'data_package')) return 'schema-v1';
  if (Object.hasOwn(doc, 'build_id') && isJsonObject(doc['dataset'])) return 'populace-unversioned';
  return undefined;
}

export function drmProducer(dataPackageName: string): DrmProducer {
  if (dataPackageName === 'populace-data' || dataPackageName === 'microcosm-data') return 'populace';
  if (dataPackageName === 'policyengine-us-data') return 'us-data';
  if (dataPackageName === 'policyengine-uk-data') return 'uk-data';
  return 'unknown';
}

/**
 * Validates and types a parsed data release manifest. Unknown keys are ignored as pydantic ignores them,
 * and reported as info findings; a missing required field or a wrong type throws a ManifestError
 * (`label#/pointer: …`, MANIFEST_INVALID, exit 3) listing every problem.
 */
export function readDataReleaseManifest(doc: JsonValue, options: { label?: string; sourceSha256?: string } = {}): ReadDataReleaseManifest {
  const r = new ManifestReader(options.label ?? '<data release manifest>');
  if (!isJsonObject(doc)) throw new ManifestError(r.label, [{ severity: 'error', pointer: '', message: `expected a JSON object, got ${describeJson(doc)}` }]);
  if (detectDrmVariant(doc) === 'populace-unversioned') {
    throw new ManifestError(r.label, [
      {
        severity: 'error',
        pointer: '',
        message:
          'this is an early unversioned populace release record (top-level build_id, dataset, calibration), not a data release manifest: schema_version and data_package are missing',
      },
    ]);
  }
  const schemaVersion = r.int(doc, 'schema_version', '', { required: true });
  if (schemaVersion !== undefined && schemaVersion !== 1) r.warning('/schema_version', `schema_version ${schemaVersion} is not 1; read with the version 1 rules`);
  const dataPackage = readPin(r, doc, 'data_package', '', { required: true, extra: PIN_KEYS });
  const manifest: DataReleaseManifest = {
    schema_version: schemaVersion ?? 1,
    data_package: dataPackage ?? { name: '', version: '' },
    compatible_model_packages: readSpecList(r, doc, 'compatible_model_packages'),
    compatible_core_packages: readSpecList(r, doc, 'compatible_core_packages'),
    default_datasets: r.stringMap(doc, 'default_datasets', ''),
    ...optional('build', readBuild(r, doc)),
    artifacts: readArtifacts(r, doc),
    preservation_dois: r.stringList(doc, 'preservation_dois', ''),
    ...optional('metadata', readMetadata(r, doc)),
    ...optional('source_sha256', options.sourceSha256),
  };
  r.ignoredKeys(doc, '', TOP_KEYS, 'the data release manifest');
  r.throwIfErrors();
  return { manifest, raw: doc, producer: drmProducer(manifest.data_package.name), findings: r.findings };
}

/** Parses bytes (lossless JSON) and reads them; `source_sha256` is the sha256 of exactly these bytes. */
export function parseDataReleaseManifest(bytes: Uint8Array, options: { label?: string } = {}): ReadDataReleaseManifest {
  const label = options.label ?? '<data release manifest>';
  return readDataReleaseManifest(parseJson(bytes, { label }), { label, sourceSha256: sha256Hex(bytes) });
}

/** `{key: value}` when value is defined, else `{}`: builds objects without explicit undefined (exactOptionalPropertyTypes). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function readPin(
  r: ManifestReader,
  parent: JsonObject,
  key: string,
  pointer: string,
  options: { required?: boolean; extra: ReadonlySet<string> },
): (PackagePin & { git_sha?: string; data_build_fingerprint?: string }) | undefined {
  const o = r.obj(parent, key, pointer, options.required === true ? { required: true } : {});
  if (o === undefined) return undefined;
  const here = childPointer(pointer, key);
  const name = r.str(o, 'name', here, { required: true });
  const version = r.str(o, 'version', here, { required: true });
  const pin = {
    name: name ?? '',
    version: version ?? '',
    ...optional('sha256', r.str(o, 'sha256', here)),
    ...optional('wheel_url', r.str(o, 'wheel_url', here)),
    ...(options.extra.has('git_sha') ? optional('git_sha', r.str(o, 'git_sha', here)) : {}),
    ...(options.extra.has('data_build_fingerprint') ? optional('data_build_fingerprint', r.str(o, 'data_build_fingerprint', here)) : {}),
  };
  r.ignoredKeys(o, here, options.extra, `'${key}'`);
  return pin;
}

function readSpecList(r: ManifestReader, doc: JsonObject, key: string): { name: string; specifier: string }[] {
  const list = r.arr(doc, key, '', { nullable: false });
  if (list === undefined) return [];
  const out: { name: string; specifier: string }[] = [];
  list.forEach((item, i) => {
    const here = childPointer(`/${key}`, i);
    const o = r.asObject(item, here);
    if (o === undefined) return;
    const name = r.str(o, 'name', here, { required: true });
    const specifier = r.str(o, 'specifier', here, { required: true });
    r.ignoredKeys(o, here, SPEC_KEYS, `a '${key}' entry`);
    if (name !== undefined && specifier !== undefined) out.push({ name, specifier });
  });
  return out;
}

function readBuild(r: ManifestReader, doc: JsonObject): BuildInfo | undefined {
  const b = r.obj(doc, 'build', '');
  if (b === undefined) return undefined;
  const build: BuildInfo = {
    ...optional('build_id', r.str(b, 'build_id', '/build')),
    ...optional('built_at', r.str(b, 'built_at', '/build')),
    ...optional('built_with_core_package', readPin(r, b, 'built_with_core_package', '/build', { extra: PIN_KEYS })),
    ...optional('built_with_model_package', readPin(r, b, 'built_with_model_package', '/build', { extra: MODEL_PIN_KEYS })),
  };
  r.ignoredKeys(b, '/build', BUILD_KEYS, "'build'");
  return build;
}

function readArtifacts(r: ManifestReader, doc: JsonObject): Record<string, ReleaseArtifact> {
  const out = emptyRecord<ReleaseArtifact>();
  const map = r.obj(doc, 'artifacts', '', { nullable: false });
  if (map === undefined) return out;
  for (const name of Object.keys(map)) {
    const here = childPointer('/artifacts', name);
    const a = r.asObject(map[name], here);
    if (a === undefined) continue;
    const required = { required: true } as const;
    const kind = r.str(a, 'kind', here, required);
    // An artifact located only by `uri` (allowed by the retired bundles schema) is not enough for policyengine.py.
    const hasUriOnly = typeof a['uri'] === 'string' && a['path'] === undefined;
    if (hasUriOnly) r.error(childPointer(here, 'path'), "required field is missing (an artifact located only by 'uri' is not accepted)");
    const path = hasUriOnly ? undefined : r.str(a, 'path', here, required);
    const repoId = r.str(a, 'repo_id', here, required);
    const revision = r.str(a, 'revision', here, required);
    const sizeBytes = r.int(a, 'size_bytes', here);
    if (sizeBytes !== undefined && sizeBytes < 0) r.error(childPointer(here, 'size_bytes'), `size_bytes must not be negative, got ${sizeBytes}`);
    const mirrors = readMirrors(r, a, here);
    r.ignoredKeys(a, here, ARTIFACT_KEYS, `artifact '${name}'`);
    out[name] = {
      kind: kind ?? '',
      path: path ?? '',
      repo_id: repoId ?? '',
      revision: revision ?? '',
      ...optional('sha256', r.str(a, 'sha256', here)),
      ...optional('size_bytes', sizeBytes),
      ...optional('preservation_mirrors', mirrors),
    };
  }
  return out;
}

function readMirrors(r: ManifestReader, a: JsonObject, pointer: string): PreservationMirror[] | undefined {
  const list = r.arr(a, 'preservation_mirrors', pointer, { nullable: false });
  if (list === undefined) return undefined;
  const base = childPointer(pointer, 'preservation_mirrors');
  const out: PreservationMirror[] = [];
  list.forEach((item, i) => {
    const here = childPointer(base, i);
    const m = r.asObject(item, here);
    if (m === undefined) return;
    const kind = r.str(m, 'kind', here, { required: true });
    const url = r.str(m, 'url', here, { required: true });
    r.ignoredKeys(m, here, MIRROR_KEYS, 'a preservation mirror');
    out.push({
      kind: kind ?? '',
      url: url ?? '',
      ...optional('doi', r.str(m, 'doi', here)),
      ...optional('sha256', r.str(m, 'sha256', here)),
      ...optional('deposited_at', r.str(m, 'deposited_at', here)),
    });
  });
  return out;
}

function readMetadata(r: ManifestReader, doc: JsonObject): JsonObject | undefined {
  return r.obj(doc, 'metadata', '');
}
