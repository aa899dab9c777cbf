// Builds the bundle's `data_releases.{cc}` entry from a certified data release manifest (build_country_manifest_payload and the bundle extras).
import { JsonNumber, isJsonObject, newJsonObject } from '../json/value.js';
import type { JsonObject, JsonValue } from '../json/value.js';
import type { CompatibilityBasis } from './certify-rules.js';
import { ManifestError, childPointer, describeJson } from './fields.js';
import type { ManifestFinding } from './fields.js';
import { HF_HUB, buildHfUri, httpsReleaseManifestUri, manifestUriToHttps } from './hf-uri.js';
import type { ManifestUri } from './hf-uri.js';
import type { DataReleaseManifest, PackagePin } from './types.js';

/** What policyengine.py writes as `certification.certified_by`; kept so readers see the same value. */
export const DEFAULT_CERTIFIED_BY = 'policyengine.py bundle certification';

export interface CountryPayloadInput {
  readonly country: string;
  readonly manifestUri: ManifestUri;
  readonly drm: DataReleaseManifest;
  /** How the drm is named in error messages. */
  readonly drmLabel?: string;
  readonly basis: CompatibilityBasis;
  readonly defaultDataset: string;
  /** `{name, version, sha256?, wheel_url?}` of the certified model package. */
  readonly modelPackage: PackagePin;
  readonly policyengineVersion: string;
  readonly certifiedBy?: string;
}

/** Build an object without undefined members, keeping insertion order. */
function jsonObject(entries: readonly (readonly [string, JsonValue | undefined])[]): JsonObject {
  const o = newJsonObject();
  for (const [k, v] of entries) if (v !== undefined) o[k] = v;
  return o;
}

/** Empty strings count as absent, as Python's truthiness does. */
function truthy(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}

/** The directory of the manifest inside its repo (`releases/<tag>`), '' at the root. */
export function releaseDir(manifestPath: string): string {
  const slash = manifestPath.lastIndexOf('/');
  return slash < 0 ? '' : manifestPath.slice(0, slash);
}

/** US populace-data releases vendor neither state nor district microdata into the runtime bundle. */
export function isUsPopulace(country: string, drm: DataReleaseManifest): boolean {
  return country === 'us' && drm.data_package.name === 'populace-data';
}

function isAreaMicrodata(path: string): boolean {
  return (path.startsWith('states/') || path.startsWith('districts/')) && path.endsWith('.h5');
}

/** `metadata.region_datasets` as `{region: path_template}`, checked (a malformed entry is MANIFEST_INVALID). */
export function readRegionTemplates(drm: DataReleaseManifest, label: string): Map<string, string> {
  const out = new Map<string, string>();
  const metadata = drm.metadata as JsonValue | undefined;
  if (!isJsonObject(metadata)) return out;
  const regions = metadata['region_datasets'];
  if (regions === undefined || regions === null) return out;
  const problems: ManifestFinding[] = [];
  if (!isJsonObject(regions)) {
    problems.push({ severity: 'error', pointer: '/metadata/region_datasets', message: `expected an object, got ${describeJson(regions)}` });
  } else {
    for (const region of Object.keys(regions)) {
      const here = childPointer('/metadata/region_datasets', region);
      const entry = regions[region];
      const t = isJsonObject(entry) ? entry['path_template'] : undefined;
      if (typeof t === 'string') out.set(region, t);
      else problems.push({ severity: 'error', pointer: childPointer(here, 'path_template'), message: `expected a string path template, got ${describeJson(t)}` });
    }
  }
  if (problems.length > 0) throw new ManifestError(label, problems);
  return out;
}

/** The country entry policyengine.py certification writes (before the bundle extras). */
export function buildCountryManifestPayload(input: CountryPayloadInput): JsonObject {
  const { drm, manifestUri: uri, country } = input;
  const dir = releaseDir(uri.path);
  const usPopulace = isUsPopulace(country, drm);
  const datasets = newJsonObject();
  for (const [name, art] of Object.entries(drm.artifacts)) {
    if (usPopulace && isAreaMicrodata(art.path)) continue;
    let path = art.path;
    // Release-scoped diagnostics live beside the manifest: give them the release directory.
    if (art.kind === 'diagnostics' && art.repo_id === uri.repoId && art.revision === uri.revision && dir !== '' && !path.startsWith(`${dir}/`)) {
      path = `${dir}/${path}`;
    }
    datasets[name] = jsonObject([
      ['path', path],
      ['revision', art.revision],
      ['sha256', truthy(art.sha256)],
      ['repo_id', truthy(art.repo_id)],
    ]);
  }
  const defaultArtifact = drm.artifacts[input.defaultDataset];
  const regions = newJsonObject();
  const templates = readRegionTemplates(drm, input.drmLabel ?? '<data release manifest>');
  for (const region of [...templates.keys()].sort()) {
    if (usPopulace && (region === 'state' || region === 'congressional_district')) continue;
    regions[region] = jsonObject([['path_template', templates.get(region)]]);
  }
  if (!Object.hasOwn(regions, 'national') && defaultArtifact !== undefined) regions['national'] = jsonObject([['path_template', defaultArtifact.path]]);
  const build = drm.build;
  const bw = build?.built_with_model_package;
  const certification = jsonObject([
    ['compatibility_basis', input.basis],
    ['certified_for_model_version', input.modelPackage.version],
    ['certified_by', input.certifiedBy ?? DEFAULT_CERTIFIED_BY],
    ['data_build_id', truthy(build?.build_id)],
    ['built_with_model_version', truthy(bw?.version)],
    ['built_with_model_git_sha', truthy(bw?.git_sha)],
    ['data_build_fingerprint', truthy(bw?.data_build_fingerprint)],
  ]);
  const certified = jsonObject([
    ['data_package', jsonObject([['name', drm.data_package.name], ['version', drm.data_package.version]])],
    ['dataset', input.defaultDataset],
    ['uri', defaultArtifact === undefined ? undefined : buildHfUri(defaultArtifact.repo_id, defaultArtifact.path, defaultArtifact.revision)],
    ['sha256', truthy(defaultArtifact?.sha256)],
    ['build_id', truthy(build?.build_id)],
  ]);
  const dataPackage = jsonObject([
    ['name', drm.data_package.name],
    ['version', drm.data_package.version],
    ['repo_id', uri.repoId],
    ['repo_type', uri.repoType],
    ['release_manifest_path', uri.path],
    ['release_manifest_revision', uri.revision],
  ]);
  const modelPackage = jsonObject([
    ['name', input.modelPackage.name],
    ['version', input.modelPackage.version],
    ['sha256', truthy(input.modelPackage.sha256)],
    ['wheel_url', truthy(input.modelPackage.wheel_url)],
  ]);
  return jsonObject([
    ['schema_version', JsonNumber.ofInt(1)],
    ['bundle_id', `${country}-${input.policyengineVersion}`],
    ['country_id', country],
    ['policyengine_version', input.policyengineVersion],
    ['model_package', modelPackage],
    ['data_package', dataPackage],
    ['default_dataset', input.defaultDataset],
    ['datasets', datasets],
    ['region_datasets', regions],
    ['certified_data_artifact', certified],
    ['certification', certification],
  ]);
}

export interface BundlePayloadInput {
  readonly dataProducer: string;
  /** The hf:// manifest URI certified. */
  readonly sourceManifestUri: string;
  readonly regional?: { readonly sourceManifestUri: string; readonly manifestUri: ManifestUri };
}

/** Adds what `build_bundle_data_release_payload` adds: producer, version/build id, and the manifest and dataset URIs. */
export function buildBundleDataReleasePayload(countryPayload: JsonObject, input: BundlePayloadInput): JsonObject {
  const out = newJsonObject();
  for (const k of Object.keys(countryPayload)) out[k] = countryPayload[k] ?? null;
  const certified = isJsonObject(countryPayload['certified_data_artifact']) ? countryPayload['certified_data_artifact'] : newJsonObject();
  const dataPackage = isJsonObject(countryPayload['data_package']) ? countryPayload['data_package'] : newJsonObject();
  const str = (o: JsonObject, k: string): string | undefined => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);
  const buildId = str(certified, 'build_id') ?? str(dataPackage, 'version') ?? '';
  out['data_producer'] = input.dataProducer;
  out['version'] = buildId;
  out['build_id'] = buildId;
  out['source_manifest_uri'] = input.sourceManifestUri;
  out['release_manifest_uri'] = httpsReleaseManifestUri(
    {
      repo_id: str(dataPackage, 'repo_id') ?? '',
      repo_type: str(dataPackage, 'repo_type') ?? 'model',
      version: str(dataPackage, 'version') ?? '',
      release_manifest_path: str(dataPackage, 'release_manifest_path') ?? 'release_manifest.json',
      ...(str(dataPackage, 'release_manifest_revision') === undefined ? {} : { release_manifest_revision: str(dataPackage, 'release_manifest_revision') ?? '' }),
    },
    HF_HUB,
  );
  // The certified artifact certifies the default dataset here, so it is the default dataset URI.
  const uri = str(certified, 'uri');
  if (uri !== undefined) out['default_dataset_uri'] = uri;
  if (input.regional !== undefined) {
    out['regional_source_manifest_uri'] = input.regional.sourceManifestUri;
    out['regional_release_manifest_uri'] = manifestUriToHttps(input.regional.manifestUri, HF_HUB);
  }
  return out;
}
