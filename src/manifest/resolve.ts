// Dataset resolution against a country release entry (interop §4.6): names → pinned hf:// URIs, region templates, local mirrors.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { buildHfUri } from './hf-uri.js';
import type { CountryRelease, DataReleaseManifest } from './types.js';

export interface ResolveOptions {
  /** The fetched data release manifest, consulted last (its artifacts). */
  readonly drm?: DataReleaseManifest;
  /** Whether a local path exists; default `fs.existsSync`. */
  readonly pathExists?: (path: string) => boolean;
}

/** The revision a dataset entry falls back to: the release manifest revision, else the data package version. */
function packageRevision(release: CountryRelease): string {
  return release.data_package.release_manifest_revision ?? release.data_package.version;
}

/**
 * `resolve_dataset_reference`: a URI (`://`) as is; a known dataset name → its pinned hf:// URI (entry pins
 * win); an existing local path as is; else the drm artifact of that name; else an error listing known names.
 * A manifest name wins over a local file of the same name.
 */
export function resolveDatasetReference(release: CountryRelease, name: string, options: ResolveOptions = {}): string {
  if (name.includes('://')) return name;
  const ref = Object.hasOwn(release.datasets, name) ? release.datasets[name] : undefined;
  if (ref !== undefined) return buildHfUri(ref.repo_id ?? release.data_package.repo_id, ref.path, ref.revision ?? packageRevision(release));
  const exists = options.pathExists ?? existsSync;
  if (exists(name)) return name;
  const art = options.drm !== undefined && Object.hasOwn(options.drm.artifacts, name) ? options.drm.artifacts[name] : undefined;
  if (art !== undefined) return buildHfUri(art.repo_id, art.path, art.revision);
  const known = [...Object.keys(release.datasets), ...Object.keys(options.drm?.artifacts ?? {})];
  const unique = [...new Set(known)].sort();
  throw new InputError('MANIFEST_INVALID', `unknown dataset '${name}' for ${release.country_id}; known datasets: ${unique.length > 0 ? unique.join(', ') : '(none)'}`);
}

/** `default_dataset_uri`: the certified artifact URI when it certifies the default dataset, else its resolution. */
export function defaultDatasetUri(release: CountryRelease, options: ResolveOptions = {}): string {
  const ca = release.certified_data_artifact;
  if (ca !== undefined && ca.dataset === release.default_dataset) return ca.uri;
  return resolveDatasetReference(release, release.default_dataset, options);
}

export interface ManagedResolveOptions extends ResolveOptions {
  /** Allow a dataset outside the bundle (an explicit URI or a local file). */
  readonly allowUnmanaged?: boolean;
}

/**
 * `resolve_managed_dataset_reference`: none → the certified default; a known name → resolved; a local file or a
 * foreign URI only with `allowUnmanaged` (else an error saying it would bypass the release bundle).
 */
export function resolveManagedDatasetReference(release: CountryRelease, dataset?: string, options: ManagedResolveOptions = {}): string {
  if (dataset === undefined) return defaultDatasetUri(release, options);
  if (Object.hasOwn(release.datasets, dataset)) return resolveDatasetReference(release, dataset, options);
  const exists = options.pathExists ?? existsSync;
  const bypass = (): InputError =>
    new InputError(
      'MANIFEST_INVALID',
      `dataset '${dataset}' would bypass the policyengine.py release bundle for ${release.country_id}; allow unmanaged datasets to use it`,
    );
  if (!dataset.includes('://') && exists(dataset)) {
    if (options.allowUnmanaged === true) return dataset;
    throw bypass();
  }
  if (dataset.includes('://')) {
    if (options.allowUnmanaged === true || dataset === defaultDatasetUri(release, options)) return dataset;
    throw bypass();
  }
  return resolveDatasetReference(release, dataset, options);
}

/** Python's `str.format(**params)` for `{name}` fields, `{{`/`}}` escapes; a missing field is an error. */
export function formatPathTemplate(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, field: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const key = field ?? '';
    if (!Object.hasOwn(params, key)) throw new InputError('MANIFEST_INVALID', `path template '${template}' needs a value for {${key}}`);
    return params[key] ?? '';
  });
}

/**
 * `resolve_region_dataset_path`: no template → undefined; the formatted template as is when it is a URI;
 * the pins of a `datasets` entry with that path; else the data package repo and revision.
 */
export function resolveRegionDatasetPath(release: CountryRelease, regionType: string, params: Readonly<Record<string, string>> = {}): string | undefined {
  const template = Object.hasOwn(release.region_datasets, regionType) ? release.region_datasets[regionType]?.path_template : undefined;
  if (template === undefined) return undefined;
  const path = formatPathTemplate(template, params);
  if (path.includes('://')) return path;
  const entry = Object.values(release.datasets).find((d) => d.path === path);
  if (entry !== undefined) return buildHfUri(entry.repo_id ?? release.data_package.repo_id, path, entry.revision ?? packageRevision(release));
  return buildHfUri(release.data_package.repo_id, path, packageRevision(release));
}

/** `dataset_logical_name`: the file stem of a URI or path after dropping `@revision`. */
export function datasetLogicalName(uri: string): string {
  const at = uri.lastIndexOf('@');
  const noRev = uri.startsWith('hf://') || uri.startsWith('gs://') ? (at < 0 ? uri : uri.slice(0, at)) : uri;
  const last = noRev.split('/').pop() ?? noRev;
  const dot = last.lastIndexOf('.');
  return dot > 0 ? last.slice(0, dot) : last;
}

export interface LocalMirrorOptions {
  /** Checkout roots in priority order (the caller reads POLICYENGINE_{CC}_DATA_REPO, POLICYENGINE_LOCAL_DATA_REPO_ROOT, …). */
  readonly roots: readonly string[];
  /** The data package name, e.g. `policyengine-us-data` (its module is the name with `_`). */
  readonly dataPackageName: string;
  readonly pathExists?: (path: string) => boolean;
}

/**
 * `resolve_local_managed_dataset_source`: maps `hf://owner/repo/path@rev` to `{root}/{module}/storage/{path}` in a
 * local checkout, trying each root as is and as `{root}/{repo name}`. Undefined when no candidate exists.
 */
export function localManagedDatasetSource(uri: string, options: LocalMirrorOptions): string | undefined {
  if (!uri.startsWith('hf://')) return undefined;
  const body = uri.slice('hf://'.length);
  const at = body.lastIndexOf('@');
  const [, repo = '', ...rest] = (at < 0 ? body : body.slice(0, at)).split('/');
  const path = rest.join('/');
  if (repo === '' || path === '') return undefined;
  const module = options.dataPackageName.replace(/-/g, '_');
  const exists = options.pathExists ?? existsSync;
  for (const root of options.roots) {
    for (const candidateRoot of [root, join(root, repo)]) {
      const candidate = join(candidateRoot, module, 'storage', path);
      if (exists(candidate)) return candidate;
    }
  }
  return undefined;
}
