// The hub requests certification makes: fetch a manifest (any non-200 refuses), HEAD an artifact in either repo style.
import { CertificationError } from './certify-rules.js';
import { hubBase, manifestUriToHttps, resolveUrl } from './hf-uri.js';
import type { ManifestUri } from './hf-uri.js';
import type { HttpClient } from './http.js';

/** How to reach the hub: the client, a base replacing https://huggingface.co (tests), a token. */
export interface HubAccess {
  readonly http: HttpClient;
  readonly hubUrl?: string;
  readonly token?: string;
}

/** `Authorization: Bearer <token>` when there is a token. */
export function authHeaders(token: string | undefined): Record<string, string> {
  return token === undefined || token === '' ? {} : { authorization: `Bearer ${token}` };
}

/** GET a manifest: anything but 200 is a refusal naming the status and URL. */
export async function fetchManifest(uri: ManifestUri, options: HubAccess): Promise<{ bytes: Uint8Array; url: string }> {
  const url = manifestUriToHttps(uri, hubBase(options.hubUrl));
  let res;
  try {
    res = await options.http.get(url, authHeaders(options.token));
  } catch (e) {
    throw new CertificationError(`Could not fetch data release manifest (${e instanceof Error ? e.message : String(e)}) from ${url}.`);
  }
  if (res.status !== 200) throw new CertificationError(`Could not fetch data release manifest (${res.status}) from ${url}.`);
  return { bytes: res.body, url };
}

/** HEAD `datasets/…` then the model-style URL; true when either answers 200. */
export async function reachableOnHub(options: HubAccess, repoId: string, revision: string, path: string): Promise<boolean> {
  for (const repoType of ['dataset', 'model']) {
    if ((await headStatus(options, resolveUrl(hubBase(options.hubUrl), repoType, repoId, revision, path))) === 200) return true;
  }
  return false;
}

/** HEAD a URL; a transport failure counts as not 200. */
export async function headStatus(options: HubAccess, url: string): Promise<number> {
  try {
    return await options.http.head(url, authHeaders(options.token));
  } catch {
    return 0;
  }
}
