// Reads the data release manifest a user names: a FILE, an https URL, or `hub` (the URL the country entry names), revision-rewritten.
import { InputError } from '../errors.js';
import { readDocumentFile } from '../io/read-file.js';
import { HF_HUB, httpsReleaseManifestUri, parseDataReleaseManifest, rewriteArtifactRevisions } from '../manifest/index.js';
import type { CountryRelease, DataReleaseManifest, HttpClient } from '../manifest/index.js';

export interface DrmSourceOptions {
  /** Needed for a URL or `hub`. */
  readonly http?: HttpClient;
  /** Base replacing https://huggingface.co for fetches (tests). */
  readonly hubUrl?: string;
  /** Sent to the hub only, never to another host a URL names. */
  readonly hubToken?: string;
}

/**
 * The manifest with artifact revisions rewritten to the country's release_manifest_revision, as
 * policyengine.py holds it at run time (§4.5). A fetch that fails or answers non-2xx is an error naming
 * the URL: the user asked for this manifest, so it is never silently left out.
 */
export async function loadDataReleaseManifestSource(source: string, release: CountryRelease, options: DrmSourceOptions = {}): Promise<DataReleaseManifest> {
  if (source !== 'hub' && !/^https?:\/\//i.test(source)) {
    const bytes = await readDocumentFile(source, { label: source });
    return rewriteArtifactRevisions(parseDataReleaseManifest(bytes, { label: source }).manifest, release.data_package);
  }
  const hub = (options.hubUrl ?? HF_HUB).replace(/\/+$/, '');
  const url = source === 'hub' ? httpsReleaseManifestUri(release.data_package, hub) : source.startsWith(`${HF_HUB}/`) ? `${hub}${source.slice(HF_HUB.length)}` : source;
  if (options.http === undefined) throw new InputError('USAGE', 'no HTTP client to fetch the data release manifest', { location: { file: url } });
  const sameHost = new URL(url).host === new URL(hub).host;
  const headers: Record<string, string> = options.hubToken && sameHost ? { authorization: `Bearer ${options.hubToken}` } : {};
  let res;
  try {
    res = await options.http.get(url, headers);
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', `could not fetch the data release manifest: ${e instanceof Error ? e.message : String(e)}`, { location: { file: url } });
  }
  if (res.status < 200 || res.status >= 300) {
    throw new InputError('INPUT_UNREADABLE', `could not fetch the data release manifest: HTTP ${res.status}`, { location: { file: url } });
  }
  return rewriteArtifactRevisions(parseDataReleaseManifest(res.body, { label: url }).manifest, release.data_package);
}
