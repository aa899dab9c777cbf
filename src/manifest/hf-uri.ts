// Every Hugging Face URI form policyengine.py uses (interop §4.4): artifact URIs, manifest URIs, their https forms.
import { InputError } from '../errors.js';

/** The public hub; tests pass a loopback base instead. */
export const HF_HUB = 'https://huggingface.co';

/** The hub base to request from: the given one without trailing slashes, else the public hub. */
export function hubBase(hubUrl: string | undefined): string {
  return hubUrl === undefined ? HF_HUB : hubUrl.replace(/\/+$/, '');
}

/** `hf://{repo_id}/{path}@{revision}`: the artifact URI (`build_hf_uri`). */
export function buildHfUri(repoId: string, path: string, revision: string): string {
  return `hf://${repoId}/${path}@${revision}`;
}

/** An artifact URI split loosely: the revision at the last `@`, the rest on `/` at most twice. */
export interface ArtifactUriParts {
  readonly owner: string;
  readonly repo: string;
  /** May contain `/`; empty when the URI has only two segments. */
  readonly path: string;
  readonly revision?: string;
  /** Number of `/`-separated parts found (1 to 3) before the path is joined back. */
  readonly parts: number;
}

/** Splits `hf://owner/repo/path…@rev` the way the trace and zenodo readers do; undefined when not `hf://`. */
export function splitArtifactUri(uri: string): ArtifactUriParts | undefined {
  if (!uri.startsWith('hf://')) return undefined;
  const body = uri.slice('hf://'.length);
  const at = body.lastIndexOf('@');
  const location = at < 0 ? body : body.slice(0, at);
  const revision = at < 0 ? undefined : body.slice(at + 1);
  const first = location.indexOf('/');
  const second = first < 0 ? -1 : location.indexOf('/', first + 1);
  const owner = first < 0 ? location : location.slice(0, first);
  const repo = first < 0 ? '' : second < 0 ? location.slice(first + 1) : location.slice(first + 1, second);
  const path = second < 0 ? '' : location.slice(second + 1);
  const parts = first < 0 ? 1 : second < 0 ? 2 : 3;
  return revision === undefined ? { owner, repo, path, parts } : { owner, repo, path, revision, parts };
}

/**
 * hf→https as the TRO builder does (`_dataset_location_from_uri`): not `hf://`, no `@`, or fewer than three
 * parts → the input unchanged; else `{hub}/[datasets/]{owner}/{repo}/resolve/{revision}/{path}`. No
 * percent-encoding; `datasets/` only when `repoType` is `dataset`.
 */
export function hfToHttps(uri: string, repoType: string | undefined, hub: string = HF_HUB): string {
  const p = splitArtifactUri(uri);
  if (p === undefined || p.revision === undefined || p.parts < 3) return uri;
  return `${hub}/${repoType === 'dataset' ? 'datasets/' : ''}${p.owner}/${p.repo}/resolve/${p.revision}/${p.path}`;
}

/** The strict form (`dataset_sources.parse_hf_uri`): `hf://` or `gs://`, three non-empty parts, optional `@version`. */
export interface StrictDatasetUri {
  readonly scheme: 'hf' | 'gs';
  readonly owner: string;
  readonly repo: string;
  readonly path: string;
  readonly version?: string;
}

/** Parses strictly; a `version` argument that conflicts with the URI's own version is rejected. */
export function parseDatasetUriStrict(uri: string, version?: string): StrictDatasetUri {
  const scheme = uri.startsWith('hf://') ? 'hf' : uri.startsWith('gs://') ? 'gs' : undefined;
  if (scheme === undefined) throw uriError(uri, 'expected an hf:// or gs:// dataset URI');
  const body = uri.slice(5);
  const at = body.lastIndexOf('@');
  const location = at < 0 ? body : body.slice(0, at);
  const uriVersion = at < 0 ? undefined : body.slice(at + 1);
  const [owner = '', repo = '', ...rest] = location.split('/');
  const path = rest.join('/');
  if (owner === '' || repo === '' || path === '') throw uriError(uri, `expected ${scheme}://owner/repo/path[@version] with three non-empty parts`);
  if (uriVersion !== undefined && version !== undefined && uriVersion !== version) {
    throw uriError(uri, `the URI pins version '${uriVersion}' but version '${version}' was requested`);
  }
  const v = uriVersion ?? version;
  return v === undefined ? { scheme, owner, repo, path } : { scheme, owner, repo, path, version: v };
}

/** Python's `urllib.parse.quote(s, safe='/')`: UTF-8, everything but `A-Za-z0-9_.-~/` percent-encoded. */
export function pyQuote(s: string, safe = '/'): string {
  let out = '';
  for (const byte of new TextEncoder().encode(s)) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.\-~]/.test(ch) || (byte < 0x80 && safe.includes(ch))) out += ch;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The bundle installer's download URL (`bundle._download_url`): http(s) passes through; `gs://b/p` →
 * storage.googleapis.com with the path quoted; `hf://owner/repo/path@rev` needs the revision, which is
 * quoted (the path is not).
 */
export function bundleDownloadUrl(uri: string, repoType: string | undefined, hub: string = HF_HUB): string {
  if (uri.startsWith('https://') || uri.startsWith('http://')) return uri;
  if (uri.startsWith('gs://')) {
    const body = uri.slice(5);
    const slash = body.indexOf('/');
    if (slash <= 0 || slash === body.length - 1) throw uriError(uri, 'expected gs://bucket/path');
    return `https://storage.googleapis.com/${body.slice(0, slash)}/${pyQuote(body.slice(slash + 1))}`;
  }
  const p = splitArtifactUri(uri);
  if (p === undefined) throw uriError(uri, 'expected an hf://, gs:// or https:// dataset URI');
  if (p.revision === undefined || p.revision === '') throw uriError(uri, 'the dataset URI has no @revision pin');
  if (p.parts < 3 || p.owner === '' || p.repo === '' || p.path === '') throw uriError(uri, 'expected hf://owner/repo/path@revision');
  return `${hub}/${repoType === 'dataset' ? 'datasets/' : ''}${p.owner}/${p.repo}/resolve/${pyQuote(p.revision)}/${p.path}`;
}

/** A certification manifest URI `hf://(dataset|model)/{repo_id}@{revision}/{path}`: revision before path. */
export interface ManifestUri {
  readonly repoType: 'dataset' | 'model';
  readonly repoId: string;
  readonly revision: string;
  readonly path: string;
}

const MANIFEST_URI_RE = /^hf:\/\/(dataset|model)\/([^@]+)@([^/]+)\/(.+)$/s;

/** Parses a manifest URI; anything else (an https URL, a bare path) is a MANIFEST_INVALID error naming the form. */
export function parseManifestUri(uri: string): ManifestUri {
  const m = MANIFEST_URI_RE.exec(uri);
  if (m === null) {
    throw uriError(uri, 'a data release manifest URI must look like hf://dataset/<owner>/<repo>@<revision>/<path> (or hf://model/…)');
  }
  return { repoType: m[1] as 'dataset' | 'model', repoId: m[2] ?? '', revision: m[3] ?? '', path: m[4] ?? '' };
}

export function isManifestUri(uri: string): boolean {
  return MANIFEST_URI_RE.test(uri);
}

/** `{hub}/[datasets/]{repo_id}/resolve/{revision}/{path}` for a manifest URI. */
export function manifestUriToHttps(m: ManifestUri, hub: string = HF_HUB): string {
  return resolveUrl(hub, m.repoType, m.repoId, m.revision, m.path);
}

/** `{hub}/[datasets/]{repo_id}/resolve/{revision}/{path}`. */
export function resolveUrl(hub: string, repoType: string | undefined, repoId: string, revision: string, path: string): string {
  return `${hub}/${repoType === 'dataset' ? 'datasets/' : ''}${repoId}/resolve/${revision}/${path}`;
}

/** The fields of a country entry's `data_package` that locate its release manifest. */
export interface ReleaseManifestLocator {
  readonly repo_id: string;
  readonly repo_type?: string;
  readonly version: string;
  readonly release_manifest_path?: string;
  readonly release_manifest_revision?: string;
}

/** `https_release_manifest_uri`: `{hub}/[datasets/]{repo_id}/resolve/{release_manifest_revision or version}/{release_manifest_path}`. */
export function httpsReleaseManifestUri(dp: ReleaseManifestLocator, hub: string = HF_HUB): string {
  return resolveUrl(hub, dp.repo_type ?? 'model', dp.repo_id, dp.release_manifest_revision ?? dp.version, dp.release_manifest_path ?? 'release_manifest.json');
}

/** The Zenodo mirror's reading: `(owner/repo, last path segment)`, or undefined. */
export function zenodoRepoAndFilename(uri: string): { readonly repoId: string; readonly filename: string } | undefined {
  const p = splitArtifactUri(uri);
  if (p === undefined || p.parts < 3 || p.path === '') return undefined;
  const filename = p.path.split('/').pop() ?? '';
  return filename === '' ? undefined : { repoId: `${p.owner}/${p.repo}`, filename };
}

function uriError(uri: string, message: string): InputError {
  return new InputError('MANIFEST_INVALID', `${message}; got '${uri}'`);
}
