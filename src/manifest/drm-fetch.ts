// Fetches a country's data release manifest at runtime (interop §4.5): available (parsed, revision-rewritten) or unavailable with a reason.
import { parseDataReleaseManifest } from './data-release-manifest.js';
import type { ReadDataReleaseManifest } from './data-release-manifest.js';
import { hubBase, httpsReleaseManifestUri } from './hf-uri.js';
import type { HttpClient } from './http.js';
import { rewriteArtifactRevisions } from './revision-rewrite.js';
import type { CountryRelease, DataReleaseManifest } from './types.js';

export type DrmFetchOutcome =
  | { readonly status: 'available'; readonly url: string; readonly manifest: DataReleaseManifest; readonly read: ReadDataReleaseManifest }
  | { readonly status: 'unavailable'; readonly url: string; readonly httpStatus?: number; readonly reason: string };

export interface DrmFetchOptions {
  readonly http: HttpClient;
  /** A Hugging Face token (policyengine.py reads only HUGGING_FACE_TOKEN here; the caller decides). */
  readonly token?: string;
  /** Base replacing https://huggingface.co (tests). */
  readonly hubUrl?: string;
}

/**
 * GETs `https_release_manifest_uri(data_package)`. A transport error, 401/403, 404 or any other non-2xx is
 * "unavailable" with policyengine.py's reason; a body that is not a valid manifest throws (as there). On
 * success, `source_sha256` is of the raw body and artifact revisions are rewritten (§4.5).
 */
export async function fetchDataReleaseManifest(release: CountryRelease, options: DrmFetchOptions): Promise<DrmFetchOutcome> {
  const url = httpsReleaseManifestUri(release.data_package, hubBase(options.hubUrl));
  const headers: Record<string, string> = options.token === undefined || options.token === '' ? {} : { authorization: `Bearer ${options.token}` };
  let res;
  try {
    res = await options.http.get(url, headers);
  } catch (e) {
    return { status: 'unavailable', url, reason: `Could not reach the data release manifest at ${url}: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (res.status === 401 || res.status === 403) {
    return {
      status: 'unavailable',
      url,
      httpStatus: res.status,
      reason: `The data release manifest at ${url} needs authorisation (HTTP ${res.status}); set HUGGING_FACE_TOKEN to a token that can read ${release.data_package.repo_id}.`,
    };
  }
  if (res.status === 404) {
    return { status: 'unavailable', url, httpStatus: 404, reason: 'No data release manifest was published for this data package.' };
  }
  if (res.status < 200 || res.status >= 300) {
    return { status: 'unavailable', url, httpStatus: res.status, reason: `Fetching the data release manifest from ${url} failed with HTTP ${res.status}.` };
  }
  const read = parseDataReleaseManifest(res.body, { label: url });
  return { status: 'available', url, manifest: rewriteArtifactRevisions(read.manifest, release.data_package), read };
}
