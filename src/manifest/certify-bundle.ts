// What certification changes in the bundle manifest: the model wheel pin, the country entry, the package pin.
import { isJsonObject, newJsonObject } from '../json/value.js';
import type { JsonObject } from '../json/value.js';
import type { BundleManifest } from './bundle-manifest.js';
import type { HttpClient } from './http.js';
import { fetchPypiWheelMetadata } from './pypi.js';
import type { PackagePin } from './types.js';

export interface ModelPinOptions {
  readonly country: string;
  readonly modelVersion: string;
  readonly http: HttpClient;
  readonly pypiUrl?: string;
  readonly skipPypi?: boolean;
}

/** The model pin: PyPI's wheel metadata, or (skipPypi) the bundle's pin when it is for the same version. */
export async function modelPin(options: ModelPinOptions, pkg: string, bundle: BundleManifest, warnings: string[]): Promise<PackagePin> {
  const pin: { name: string; version: string; sha256?: string; wheel_url?: string } = { name: pkg, version: options.modelVersion };
  if (options.skipPypi === true) {
    const entry = isJsonObject(bundle.raw['data_releases']) ? bundle.raw['data_releases'][options.country] : undefined;
    const old = isJsonObject(entry) && isJsonObject(entry['model_package']) ? entry['model_package'] : undefined;
    if (old !== undefined && old['name'] === pkg && old['version'] === options.modelVersion) {
      if (typeof old['sha256'] === 'string') pin.sha256 = old['sha256'];
      if (typeof old['wheel_url'] === 'string') pin.wheel_url = old['wheel_url'];
    }
    if (pin.sha256 === undefined) warnings.push(`PyPI was not asked and the bundle has no wheel pin for ${pkg} ${options.modelVersion}: the model wheel is not pinned by sha256`);
    return pin;
  }
  const meta = await fetchPypiWheelMetadata(options.http, pkg, options.modelVersion, options.pypiUrl === undefined ? {} : { pypiUrl: options.pypiUrl });
  if (meta.sha256 !== undefined) pin.sha256 = meta.sha256;
  if (meta.url !== undefined) pin.wheel_url = meta.url;
  if (meta.sha256 === undefined) warnings.push(`no wheel metadata for ${pkg} ${options.modelVersion} from PyPI (${meta.problem ?? 'no sha256'}): the model wheel is not pinned by sha256`);
  return pin;
}

function copyObject(o: JsonObject | undefined): JsonObject {
  const out = newJsonObject();
  for (const k of Object.keys(o ?? {})) out[k] = o?.[k] ?? null;
  return out;
}

/** The bundle with `data_releases[cc]` replaced, `countries[cc].model_package` set and the package pin moved to the version. */
export function applyToBundle(raw: JsonObject, cc: string, entry: JsonObject, pkg: string, version: string): JsonObject {
  const out = copyObject(raw);
  const releases = copyObject(isJsonObject(raw['data_releases']) ? raw['data_releases'] : undefined);
  releases[cc] = entry;
  out['data_releases'] = releases;
  const countries = copyObject(isJsonObject(raw['countries']) ? raw['countries'] : undefined);
  const country = copyObject(isJsonObject(countries[cc]) ? countries[cc] : undefined);
  country['model_package'] = pkg;
  countries[cc] = country;
  out['countries'] = countries;
  const packages = isJsonObject(raw['packages']) ? raw['packages'] : undefined;
  const pinned = packages === undefined ? undefined : packages[pkg];
  if (packages !== undefined && isJsonObject(pinned)) {
    const updated = copyObject(pinned);
    updated['version'] = version;
    // Keep the install requirement in step with the pin (what policyengine.py's generate step rewrites).
    if (typeof pinned['install_requirement'] === 'string') {
      const name = typeof pinned['name'] === 'string' ? pinned['name'] : pkg;
      const markers = typeof pinned['markers'] === 'string' && pinned['markers'] !== '' ? `; ${pinned['markers']}` : '';
      updated['install_requirement'] = `${name}==${version}${markers}`;
    }
    const newPackages = copyObject(packages);
    newPackages[pkg] = updated;
    out['packages'] = newPackages;
  }
  return out;
}
