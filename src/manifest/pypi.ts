// Wheel metadata from a PyPI-style JSON endpoint (interop §9 `fetch_pypi_wheel_metadata`), through the injected HTTP client.
import { parseJson } from '../json/parse.js';
import { isJsonObject } from '../json/value.js';
import type { HttpClient } from './http.js';

export const PYPI_BASE = 'https://pypi.org';

export interface WheelMetadata {
  readonly sha256?: string;
  readonly url?: string;
  /** Why nothing was found (a status, an unreadable body, a transport error); absent on success. */
  readonly problem?: string;
}

/**
 * GET `{base}/pypi/{name}/{version}/json`; the first `urls[]` entry with packagetype `bdist_wheel`, else the
 * first entry, gives `digests.sha256` and `url`. Non-200 gives no metadata (as policyengine.py); so does a
 * transport error or an unreadable body, with the reason in `problem` (policyengine.py would raise).
 */
export async function fetchPypiWheelMetadata(http: HttpClient, name: string, version: string, options: { pypiUrl?: string } = {}): Promise<WheelMetadata> {
  const url = `${options.pypiUrl ?? PYPI_BASE}/pypi/${encodeURIComponent(name)}/${encodeURIComponent(version)}/json`;
  let res;
  try {
    res = await http.get(url);
  } catch (e) {
    return { problem: `could not reach ${url}: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (res.status !== 200) return { problem: `${url} answered HTTP ${res.status}` };
  let doc;
  try {
    doc = parseJson(res.body, { label: url });
  } catch (e) {
    return { problem: e instanceof Error ? e.message : String(e) };
  }
  const urls = isJsonObject(doc) && Array.isArray(doc['urls']) ? doc['urls'].filter(isJsonObject) : [];
  const chosen = urls.find((u) => u['packagetype'] === 'bdist_wheel') ?? urls[0];
  if (chosen === undefined) return { problem: `${url} lists no files` };
  const digests = chosen['digests'];
  const sha = isJsonObject(digests) && typeof digests['sha256'] === 'string' ? digests['sha256'] : undefined;
  const fileUrl = typeof chosen['url'] === 'string' ? chosen['url'] : undefined;
  return { ...(sha === undefined ? {} : { sha256: sha }), ...(fileUrl === undefined ? {} : { url: fileUrl }) };
}
