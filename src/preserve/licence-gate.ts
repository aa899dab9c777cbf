// The licence gate before dataset bytes are mirrored: the source repository must be confirmed public by the hub API (positive confirmation only).
import { InputError, PeTraceError } from '../errors.js';
import { sha256Hex } from '../hash/index.js';
import { isJsonObject, parseJson } from '../json/index.js';
import type { JsonValue } from '../json/index.js';
import { hfToHttps, hubBase, zenodoRepoAndFilename } from '../manifest/index.js';
import type { CountryRelease, HttpClient } from '../manifest/index.js';

/**
 * Asks `{hub}/api/datasets/{repo}` then `{hub}/api/models/{repo}`, without credentials. A 200 with a JSON
 * object that is neither `gated` nor `private` confirms the repository is public (the first confirming
 * answer wins). Gated or private → SOURCE_NOT_PUBLIC; if neither answer confirmed and any was 401, 403 or
 * 404 → SOURCE_NOT_PUBLIC; anything else (429, 5xx, non-JSON, a transport error) → SOURCE_UNVERIFIABLE:
 * never taken as public.
 */
export async function assertSourceRepoPublic(http: HttpClient, repoId: string, hubUrl?: string): Promise<void> {
  const seen: string[] = [];
  for (const kind of ['datasets', 'models'] as const) {
    let res;
    try {
      res = await http.get(`${hubBase(hubUrl)}/api/${kind}/${repoId}`);
    } catch {
      seen.push(`${kind}:error`);
      continue;
    }
    seen.push(`${kind}:${res.status}`);
    if (res.status !== 200) continue;
    let body: JsonValue;
    try {
      body = parseJson(res.body);
    } catch {
      seen[seen.length - 1] = `${kind}:200-non-json`;
      continue;
    }
    if (!isJsonObject(body)) {
      seen[seen.length - 1] = `${kind}:200-non-object`;
      continue;
    }
    if (truthy(body['gated'])) {
      throw new PeTraceError('SOURCE_NOT_PUBLIC', `Source repo ${repoId} is gated on Hugging Face; its dataset bytes are not mirrored to a public archive. Mirror the certification record without --include-dataset.`);
    }
    if (truthy(body['private'])) {
      throw new PeTraceError('SOURCE_NOT_PUBLIC', `Source repo ${repoId} is private on Hugging Face; its dataset bytes are not mirrored to a public archive. Mirror the certification record without --include-dataset.`);
    }
    return;
  }
  const list = `[${seen.join(', ')}]`;
  if (seen.some((s) => /:(401|403|404)$/.test(s))) {
    throw new PeTraceError('SOURCE_NOT_PUBLIC', `Source repo ${repoId} is not publicly readable (private or not found; saw ${list}); its dataset bytes are not mirrored.`);
  }
  throw new PeTraceError(
    'SOURCE_UNVERIFIABLE',
    `Could not verify that source repo ${repoId} is openly readable (HF returned ${list}); retry, or omit --include-dataset to mirror only the certification record.`,
  );
}

/** Python truthiness of a JSON value (`gated: "auto"` is truthy, `false`, `""`, `0`, null are not). */
function truthy(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null || v === false || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && 'float' in v) return v.float !== 0;
  if (isJsonObject(v)) return Object.keys(v).length > 0;
  return true;
}

/** The certified dataset, fetched and checked: its file name, bytes, sha256, and the public https address recorded. */
export interface FetchedDataset {
  readonly filename: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
  /** The real public address (huggingface.co), even when fetched from a test hub. */
  readonly publicUrl: string;
}

/**
 * The `--include-dataset` path, in policyengine.py's order: a certified artifact must exist, its URI must
 * parse, the licence gate must confirm the repository public, the bytes are fetched, and a certified
 * sha256 must match them (DATASET_MISMATCH naming both hashes). All of it before any Zenodo request.
 */
export async function fetchCertifiedDataset(release: CountryRelease, http: HttpClient, hubUrl?: string): Promise<FetchedDataset> {
  const cda = release.certified_data_artifact;
  if (cda === undefined) {
    throw new InputError('MANIFEST_INVALID', `No certified data artifact for '${release.country_id}': there is no dataset to mirror.`);
  }
  const parts = zenodoRepoAndFilename(cda.uri);
  if (parts === undefined) throw new InputError('MANIFEST_INVALID', `Could not parse the certified artifact URI '${cda.uri}' (expected hf://owner/repo/path@revision).`);
  await assertSourceRepoPublic(http, parts.repoId, hubUrl);
  const publicUrl = hfToHttps(cda.uri, release.data_package.repo_type);
  const fetchUrl = hfToHttps(cda.uri, release.data_package.repo_type, hubBase(hubUrl));
  let res;
  try {
    res = await http.get(fetchUrl);
  } catch (e) {
    throw new PeTraceError('ZENODO_FAILED', `Failed to download dataset from ${publicUrl}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (res.status !== 200) throw new PeTraceError('ZENODO_FAILED', `Failed to download dataset from ${publicUrl}: HTTP ${res.status}`);
  const sha256 = sha256Hex(res.body);
  if (cda.sha256 !== undefined && cda.sha256 !== sha256) {
    throw new PeTraceError('DATASET_MISMATCH', `Dataset ${parts.filename} fetched from ${publicUrl} has sha256 ${sha256} but the manifest certifies ${cda.sha256}; nothing was deposited.`);
  }
  return { filename: parts.filename, bytes: res.body, sha256, publicUrl };
}
