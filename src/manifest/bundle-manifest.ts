// Reads policyengine.py's bundle manifest (schema v2, `manifest.json`) and its per-country release entries with overlays merged (interop §4.2, §4.6).
import { sha256Hex } from '../hash/digest.js';
import { parseJson } from '../json/parse.js';
import { isJsonObject, newJsonObject } from '../json/value.js';
import type { JsonObject, JsonValue } from '../json/value.js';
import { optional } from './data-release-manifest.js';
import { ManifestError, ManifestReader, childPointer, describeJson, emptyRecord } from './fields.js';
import type { ManifestFinding } from './fields.js';
import type { Certification, CertifiedDataArtifact, CountryRelease, DataPackagePin, DatasetRef, PackagePin } from './types.js';

/** One `packages.{key}` entry. */
export interface BundlePackage {
  readonly name: string;
  readonly version: string;
  readonly import_name?: string;
  readonly install_requirement?: string;
  /** `bundle_carrier` | `runtime_dependency` | `country_model`. */
  readonly role?: string;
  readonly country?: string;
  readonly markers?: string;
  readonly installable?: boolean;
}

/** The bundle manifest: typed top level plus the lossless document (country entries are read on demand). */
export interface BundleManifest {
  readonly schema_version: number;
  readonly bundle_version?: string;
  readonly policyengine_version?: string;
  /** `countries.{cc}.model_package`: the model package name per country. */
  readonly countries: Readonly<Record<string, { readonly model_package?: string }>>;
  readonly packages: Readonly<Record<string, BundlePackage>>;
  /** Countries with a `data_releases` entry, in file order. */
  readonly release_countries: readonly string[];
  /** sha256 of the file text with line ends normalised to LF: the bundle TRO's `bundle_manifest` hash. */
  readonly source_sha256: string;
  readonly raw: JsonObject;
  readonly label: string;
  readonly findings: readonly ManifestFinding[];
}

/** Keys of a `data_releases.{cc}` entry that bundle.py and certification read beyond the pydantic model. */
export interface CountryReleaseExtras {
  readonly data_producer?: string;
  readonly version?: string;
  readonly build_id?: string;
  readonly source_manifest_uri?: string;
  readonly release_manifest_uri?: string;
  readonly default_dataset_uri?: string;
  readonly regional_source_manifest_uri?: string;
  readonly regional_release_manifest_uri?: string;
}

export interface ReadCountryRelease {
  readonly release: CountryRelease;
  readonly extras: CountryReleaseExtras;
  readonly findings: readonly ManifestFinding[];
}

const TOP_KEYS = new Set([
  'bundle_version',
  'citation',
  'countries',
  'data_releases',
  'dataset_overlays',
  'extras',
  'packages',
  'policyengine_version',
  'schema_version',
  'source',
]);
const PACKAGE_KEYS = new Set(['import_name', 'install_requirement', 'name', 'role', 'version', 'country', 'markers', 'installable', 'optional']);
const EXTRA_KEYS = [
  'data_producer',
  'version',
  'build_id',
  'source_manifest_uri',
  'release_manifest_uri',
  'default_dataset_uri',
  'regional_source_manifest_uri',
  'regional_release_manifest_uri',
] as const;
const ENTRY_KEYS = new Set([
  'schema_version',
  'bundle_id',
  'published_at',
  'country_id',
  'policyengine_version',
  'model_package',
  'data_package',
  'default_dataset',
  'datasets',
  'region_datasets',
  'certified_data_artifact',
  'certification',
  ...EXTRA_KEYS,
]);
const PIN_KEYS = new Set(['name', 'version', 'sha256', 'wheel_url']);
const DATA_PACKAGE_KEYS = new Set([...PIN_KEYS, 'repo_id', 'repo_type', 'release_manifest_path', 'release_manifest_revision']);
const DATASET_KEYS = new Set(['path', 'revision', 'sha256', 'metadata_sha256', 'repo_id', 'repo_type']);
const CDA_KEYS = new Set(['data_package', 'dataset', 'uri', 'sha256', 'build_id']);
const CERT_KEYS = new Set([
  'compatibility_basis',
  'certified_for_model_version',
  'data_build_id',
  'built_with_model_version',
  'built_with_model_git_sha',
  'data_build_fingerprint',
  'certified_by',
]);

/**
 * sha256 of a manifest file as policyengine.py computes it: the text read with universal newlines
 * (CRLF and CR become LF) and re-encoded as UTF-8. For an LF file this is the sha256 of the bytes.
 */
export function bundleManifestSha256(bytes: Uint8Array): string {
  if (!bytes.includes(0x0d)) return sha256Hex(bytes);
  const text = new TextDecoder('utf-8').decode(bytes).replace(/\r\n?/g, '\n');
  return sha256Hex(text);
}

/** Parses bundle manifest bytes; the JSON must be valid and the top level well typed. */
export function parseBundleManifest(bytes: Uint8Array, options: { label?: string } = {}): BundleManifest {
  const label = options.label ?? 'manifest.json';
  return readBundleManifest(parseJson(bytes, { label }), { label, sourceSha256: bundleManifestSha256(bytes) });
}

/** Types the top level of a parsed bundle manifest; country entries are checked by `readCountryRelease`. */
export function readBundleManifest(doc: JsonValue, options: { label?: string; sourceSha256: string }): BundleManifest {
  const r = new ManifestReader(options.label ?? 'manifest.json');
  if (!isJsonObject(doc)) throw new ManifestError(r.label, [{ severity: 'error', pointer: '', message: `expected a JSON object, got ${describeJson(doc)}` }]);
  const schemaVersion = r.int(doc, 'schema_version', '', { required: true });
  if (schemaVersion !== undefined && schemaVersion !== 2) r.warning('/schema_version', `bundle manifest schema_version ${schemaVersion} is not 2; read with the version 2 rules`);
  const countries = emptyRecord<{ model_package?: string }>();
  const countriesObj = r.obj(doc, 'countries', '');
  for (const cc of Object.keys(countriesObj ?? {})) {
    const here = childPointer('/countries', cc);
    const c = r.asObject(countriesObj?.[cc], here);
    if (c !== undefined) countries[cc] = optional('model_package', r.str(c, 'model_package', here));
  }
  const packages = emptyRecord<BundlePackage>();
  const packagesObj = r.obj(doc, 'packages', '');
  for (const key of Object.keys(packagesObj ?? {})) {
    const here = childPointer('/packages', key);
    const p = r.asObject(packagesObj?.[key], here);
    if (p === undefined) continue;
    packages[key] = {
      name: r.str(p, 'name', here, { required: true }) ?? '',
      version: r.str(p, 'version', here, { required: true }) ?? '',
      ...optional('import_name', r.str(p, 'import_name', here)),
      ...optional('install_requirement', r.str(p, 'install_requirement', here)),
      ...optional('role', r.str(p, 'role', here)),
      ...optional('country', r.str(p, 'country', here)),
      ...optional('markers', r.str(p, 'markers', here)),
      ...optional('installable', r.bool(p, 'installable', here)),
    };
    r.ignoredKeys(p, here, PACKAGE_KEYS, `package '${key}'`);
  }
  const releases = r.obj(doc, 'data_releases', '');
  for (const cc of Object.keys(releases ?? {})) r.asObject(releases?.[cc], childPointer('/data_releases', cc));
  const overlays = r.obj(doc, 'dataset_overlays', '');
  for (const cc of Object.keys(overlays ?? {})) r.asObject(overlays?.[cc], childPointer('/dataset_overlays', cc));
  const bundleVersion = r.str(doc, 'bundle_version', '');
  const peVersion = r.str(doc, 'policyengine_version', '');
  r.obj(doc, 'citation', '');
  r.obj(doc, 'extras', '');
  r.ignoredKeys(doc, '', TOP_KEYS, 'the bundle manifest');
  r.throwIfErrors();
  return {
    schema_version: schemaVersion ?? 2,
    ...optional('bundle_version', bundleVersion),
    ...optional('policyengine_version', peVersion),
    countries,
    packages,
    release_countries: Object.keys(releases ?? {}),
    source_sha256: options.sourceSha256,
    raw: doc,
    label: r.label,
    findings: r.findings,
  };
}

/**
 * Merges `dataset_overlays.{cc}` into a country entry's `datasets` (interop §4.6). No overlays → the very
 * same object. An overlay named like the default dataset, or like an existing dataset, is a MANIFEST_INVALID
 * error located at the overlay.
 */
export function mergeDatasetOverlays(entry: JsonObject, overlays: JsonObject | undefined, cc: string, options: { label?: string } = {}): JsonObject {
  if (overlays === undefined || Object.keys(overlays).length === 0) return entry;
  const label = options.label ?? 'manifest.json';
  const datasets = isJsonObject(entry['datasets']) ? entry['datasets'] : newJsonObject();
  const defaultDataset = entry['default_dataset'];
  const problems: ManifestFinding[] = [];
  const merged = newJsonObject();
  for (const k of Object.keys(datasets)) merged[k] = datasets[k] ?? null;
  for (const name of Object.keys(overlays)) {
    const pointer = childPointer(childPointer('/dataset_overlays', cc), name);
    if (name === defaultDataset) {
      problems.push({ severity: 'error', pointer, message: `dataset overlay '${name}' for ${cc} shadows the certified default dataset` });
    } else if (Object.hasOwn(datasets, name)) {
      problems.push({ severity: 'error', pointer, message: `dataset overlay '${name}' for ${cc} collides with a certified dataset entry` });
    } else {
      merged[name] = overlays[name] ?? null;
    }
  }
  if (problems.length > 0) throw new ManifestError(label, problems);
  const out = newJsonObject();
  for (const k of Object.keys(entry)) out[k] = entry[k] ?? null;
  out['datasets'] = merged;
  return out;
}

/** `countryRelease` with its extras and findings. */
export function readCountryRelease(bundle: BundleManifest, cc: string): ReadCountryRelease {
  const r = new ManifestReader(bundle.label);
  const releases = isJsonObject(bundle.raw['data_releases']) ? bundle.raw['data_releases'] : undefined;
  const entry = releases !== undefined && Object.hasOwn(releases, cc) ? releases[cc] : undefined;
  if (!isJsonObject(entry)) {
    const known = bundle.release_countries.length > 0 ? ` (it has: ${bundle.release_countries.join(', ')})` : '';
    throw new ManifestError(bundle.label, [{ severity: 'error', pointer: '/data_releases', message: `No bundled data release for country '${cc}'${known}` }]);
  }
  const base = childPointer('/data_releases', cc);
  const overlaysAll = isJsonObject(bundle.raw['dataset_overlays']) ? bundle.raw['dataset_overlays'] : undefined;
  const overlays = overlaysAll !== undefined && isJsonObject(overlaysAll[cc]) ? overlaysAll[cc] : undefined;
  for (const name of Object.keys(overlays ?? {})) {
    const here = childPointer(childPointer('/dataset_overlays', cc), name);
    const o = r.asObject(overlays?.[name], here);
    if (o !== undefined) readDatasetRef(r, o, here);
  }
  r.throwIfErrors();
  const merged = mergeDatasetOverlays(entry, overlays, cc, { label: bundle.label });
  const release = readCountryEntry(r, merged, base, bundle.source_sha256, new Set(Object.keys(overlays ?? {})));
  const extras: CountryReleaseExtras = Object.assign({}, ...EXTRA_KEYS.map((k) => optional(k, r.str(merged, k, base)))) as CountryReleaseExtras;
  r.ignoredKeys(merged, base, ENTRY_KEYS, `the ${cc} release entry`);
  if (release.datasets[release.default_dataset] === undefined && release.default_dataset !== '') {
    r.warning(childPointer(base, 'default_dataset'), `default dataset '${release.default_dataset}' is not among the entry's datasets`);
  }
  r.throwIfErrors();
  return { release, extras, findings: r.findings };
}

/**
 * A whole file that is one country entry: the schema v1 layout `data/release_manifests/{cc}.json` that
 * policyengine.py shipped before the bundle manifest. `sourceSha256` is recorded as given (the file's hash).
 */
export function readCountryReleaseDocument(doc: JsonValue, options: { label?: string; sourceSha256: string }): ReadCountryRelease {
  const r = new ManifestReader(options.label ?? '<country release>');
  if (!isJsonObject(doc)) throw new ManifestError(r.label, [{ severity: 'error', pointer: '', message: `expected a JSON object, got ${describeJson(doc)}` }]);
  const release = readCountryEntry(r, doc, '', options.sourceSha256, new Set());
  const extras: CountryReleaseExtras = Object.assign({}, ...EXTRA_KEYS.map((k) => optional(k, r.str(doc, k, '')))) as CountryReleaseExtras;
  r.ignoredKeys(doc, '', ENTRY_KEYS, 'the country release');
  r.throwIfErrors();
  return { release, extras, findings: r.findings };
}

/** The country entry `data_releases.{cc}` with overlays merged and validated (`get_release_manifest`). */
export function countryRelease(bundle: BundleManifest, cc: string): CountryRelease {
  return readCountryRelease(bundle, cc).release;
}

function readCountryEntry(r: ManifestReader, e: JsonObject, base: string, sourceSha256: string, overlayNames: ReadonlySet<string>): CountryRelease {
  const modelPackage = readPin(r, e, 'model_package', base, true);
  const dataPackage = readDataPackage(r, e, base);
  const datasets = emptyRecord<DatasetRef>();
  const datasetsObj = r.obj(e, 'datasets', base);
  for (const name of Object.keys(datasetsObj ?? {})) {
    // Overlay entries were checked at their own pointer already.
    const here = childPointer(childPointer(base, 'datasets'), name);
    const d = overlayNames.has(name) ? (datasetsObj?.[name] as JsonObject) : r.asObject(datasetsObj?.[name], here);
    if (d !== undefined) datasets[name] = readDatasetRef(overlayNames.has(name) ? new ManifestReader(r.label) : r, d, here);
  }
  const regions = emptyRecord<{ path_template: string }>();
  const regionsObj = r.obj(e, 'region_datasets', base);
  for (const region of Object.keys(regionsObj ?? {})) {
    const here = childPointer(childPointer(base, 'region_datasets'), region);
    const o = r.asObject(regionsObj?.[region], here);
    const t = o === undefined ? undefined : r.str(o, 'path_template', here, { required: true });
    if (t !== undefined) regions[region] = { path_template: t };
  }
  return {
    schema_version: r.int(e, 'schema_version', base) ?? 1,
    ...optional('bundle_id', r.str(e, 'bundle_id', base)),
    ...optional('published_at', r.str(e, 'published_at', base)),
    country_id: r.str(e, 'country_id', base, { required: true }) ?? '',
    policyengine_version: r.str(e, 'policyengine_version', base, { required: true }) ?? '',
    model_package: modelPackage ?? { name: '', version: '' },
    data_package: dataPackage ?? { name: '', version: '', repo_id: '', repo_type: 'model', release_manifest_path: 'release_manifest.json' },
    default_dataset: r.str(e, 'default_dataset', base, { required: true }) ?? '',
    datasets,
    region_datasets: regions,
    ...optional('certified_data_artifact', readCertifiedArtifact(r, e, base)),
    ...optional('certification', readCertification(r, e, base)),
    source_sha256: sourceSha256,
  };
}

function readPin(r: ManifestReader, parent: JsonObject, key: string, base: string, required: boolean): PackagePin | undefined {
  const o = r.obj(parent, key, base, { required });
  if (o === undefined) return undefined;
  const here = childPointer(base, key);
  const pin: PackagePin = {
    name: r.str(o, 'name', here, { required: true }) ?? '',
    version: r.str(o, 'version', here, { required: true }) ?? '',
    ...optional('sha256', r.str(o, 'sha256', here)),
    ...optional('wheel_url', r.str(o, 'wheel_url', here)),
  };
  r.ignoredKeys(o, here, PIN_KEYS, `'${key}'`);
  return pin;
}

function readDataPackage(r: ManifestReader, e: JsonObject, base: string): DataPackagePin | undefined {
  const o = r.obj(e, 'data_package', base, { required: true });
  if (o === undefined) return undefined;
  const here = childPointer(base, 'data_package');
  const pin: DataPackagePin = {
    name: r.str(o, 'name', here, { required: true }) ?? '',
    version: r.str(o, 'version', here, { required: true }) ?? '',
    ...optional('sha256', r.str(o, 'sha256', here)),
    ...optional('wheel_url', r.str(o, 'wheel_url', here)),
    repo_id: r.str(o, 'repo_id', here, { required: true }) ?? '',
    repo_type: r.str(o, 'repo_type', here) ?? 'model',
    release_manifest_path: r.str(o, 'release_manifest_path', here) ?? 'release_manifest.json',
    ...optional('release_manifest_revision', r.str(o, 'release_manifest_revision', here)),
  };
  r.ignoredKeys(o, here, DATA_PACKAGE_KEYS, "'data_package'");
  return pin;
}

/** A `datasets` / `dataset_overlays` entry (an ArtifactPathReference). */
function readDatasetRef(r: ManifestReader, d: JsonObject, here: string): DatasetRef {
  const ref: DatasetRef = {
    path: r.str(d, 'path', here, { required: true }) ?? '',
    ...optional('revision', r.str(d, 'revision', here)),
    ...optional('sha256', r.str(d, 'sha256', here)),
    ...optional('metadata_sha256', r.str(d, 'metadata_sha256', here)),
    ...optional('repo_id', r.str(d, 'repo_id', here)),
    ...optional('repo_type', r.str(d, 'repo_type', here)),
  };
  r.ignoredKeys(d, here, DATASET_KEYS, 'a dataset reference');
  return ref;
}

function readCertifiedArtifact(r: ManifestReader, e: JsonObject, base: string): CertifiedDataArtifact | undefined {
  const o = r.obj(e, 'certified_data_artifact', base);
  if (o === undefined) return undefined;
  const here = childPointer(base, 'certified_data_artifact');
  const cda: CertifiedDataArtifact = {
    ...optional('data_package', readPin(r, o, 'data_package', here, false)),
    dataset: r.str(o, 'dataset', here, { required: true }) ?? '',
    uri: r.str(o, 'uri', here, { required: true }) ?? '',
    ...optional('sha256', r.str(o, 'sha256', here)),
    ...optional('build_id', r.str(o, 'build_id', here)),
  };
  r.ignoredKeys(o, here, CDA_KEYS, "'certified_data_artifact'");
  return cda;
}

function readCertification(r: ManifestReader, e: JsonObject, base: string): Certification | undefined {
  const o = r.obj(e, 'certification', base);
  if (o === undefined) return undefined;
  const here = childPointer(base, 'certification');
  const cert: Certification = {
    compatibility_basis: r.str(o, 'compatibility_basis', here, { required: true }) ?? '',
    certified_for_model_version: r.str(o, 'certified_for_model_version', here, { required: true }) ?? '',
    ...optional('data_build_id', r.str(o, 'data_build_id', here)),
    ...optional('built_with_model_version', r.str(o, 'built_with_model_version', here)),
    ...optional('built_with_model_git_sha', r.str(o, 'built_with_model_git_sha', here)),
    ...optional('data_build_fingerprint', r.str(o, 'data_build_fingerprint', here)),
    ...optional('certified_by', r.str(o, 'certified_by', here)),
  };
  r.ignoredKeys(o, here, CERT_KEYS, "'certification'");
  return cert;
}
