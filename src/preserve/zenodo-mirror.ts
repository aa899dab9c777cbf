// Mirrors a certified release's certification record to Zenodo (policyengine.py zenodo-mirror), with dry run, new versions, retries and resume.
import { PeTraceError } from '../errors.js';
import { isJsonObject } from '../json/index.js';
import type { JsonObject } from '../json/index.js';
import type { CountryRelease, DataReleaseManifest, HttpClient, HttpRequester } from '../manifest/index.js';
import { fetchCertifiedDataset } from './licence-gate.js';
import { type RetryPolicy, ZENODO_API, ZenodoApi, ZenodoError, linkMember, textMember } from './zenodo-api.js';
import { type DepositFile, type DepositionMetadata, type PlannedRequest, depositFiles, depositionMetadata, plannedRequests } from './zenodo-plan.js';

/** What a resumable run remembers between tries: the draft and the files already in its bucket. */
export interface DepositState {
  readonly version: 1;
  readonly base: string;
  readonly country: string;
  readonly deposit_id: string;
  readonly bucket: string;
  readonly deposit_url: string | null;
  /** File name → sha256 of the bytes Zenodo acknowledged (its md5 checked). */
  readonly uploaded: Readonly<Record<string, string>>;
}

/** Where the state lives (the CLI uses a file written atomically); `label` names it in messages. */
export interface DepositStateStore {
  readonly label: string;
  load(): Promise<DepositState | undefined>;
  save(state: DepositState): Promise<void>;
  clear(): Promise<void>;
}

export interface ZenodoMirrorInput {
  /** The country entry of the bundle manifest (overlays merged). */
  readonly release: CountryRelease;
  /** The bundle TRO bytes, deposited unchanged. */
  readonly troBytes: Uint8Array;
  /** The data release manifest after the revision rewrite, when there is one. */
  readonly dataReleaseManifest?: DataReleaseManifest;
  readonly includeDataset?: boolean;
  readonly licenseId?: string;
  readonly publish?: boolean;
  /** Deposit as a new version of this (latest) deposition id instead of a new deposition. */
  readonly newVersionOf?: string;
  /** API base (default https://zenodo.org/api). */
  readonly baseUrl?: string;
  /** Hub client for the licence gate and the dataset (needed with includeDataset). */
  readonly hub?: HttpClient;
  /** Base replacing https://huggingface.co for fetches only (tests); recorded addresses stay public. */
  readonly hubUrl?: string;
}

/** The result JSON of policyengine.py's `ZenodoDeposit.to_json()`. */
export interface ZenodoDeposit {
  readonly deposit_id: string;
  readonly deposit_url: string | null;
  readonly doi: string | null;
  readonly concept_doi: string | null;
  readonly published: boolean;
  readonly mirrors: readonly { readonly kind: 'zenodo'; readonly url: string; readonly doi: string | null; readonly sha256: string; readonly deposited_at: string }[];
}

export interface ZenodoPlan {
  readonly base: string;
  readonly files: readonly DepositFile[];
  readonly metadata: DepositionMetadata;
  readonly requests: readonly PlannedRequest[];
}

/** Builds the files (fetching and checking the dataset when included), the metadata and the request list; no Zenodo request. */
export async function planZenodoMirror(input: ZenodoMirrorInput): Promise<ZenodoPlan> {
  let dataset;
  if (input.includeDataset === true) {
    if (input.hub === undefined) throw new PeTraceError('INTERNAL', 'a hub client is needed to include the dataset');
    dataset = await fetchCertifiedDataset(input.release, input.hub, input.hubUrl);
  }
  const base = (input.baseUrl ?? ZENODO_API).replace(/\/+$/, '');
  const files = depositFiles(input.release, input.troBytes, input.dataReleaseManifest, dataset);
  const metadata = depositionMetadata(input.release, input.dataReleaseManifest, input.licenseId);
  const options = input.newVersionOf === undefined ? { publish: input.publish === true } : { publish: input.publish === true, newVersionOf: input.newVersionOf };
  return { base, files, metadata, requests: plannedRequests(base, files, metadata, options) };
}

/** policyengine.py checks the token before anything else; so do we (USAGE when absent or empty). */
export function requireZenodoToken(token: string | undefined, variable = 'ZENODO_TOKEN'): asserts token is string {
  if (token === undefined || token === '') {
    throw new PeTraceError(
      'USAGE',
      `No Zenodo token: pass token= or set ${variable}. Create one at https://zenodo.org/account/settings/applications/tokens/new/ with deposit:write (and deposit:actions to publish).`,
    );
  }
}

export interface ZenodoRunOptions {
  readonly token: string | undefined;
  readonly requester: HttpRequester;
  readonly retry?: RetryPolicy;
  readonly state?: DepositStateStore;
  /** The clock for `deposited_at` (one timestamp for every mirror). */
  readonly now: () => Date;
}

/**
 * policyengine.py's mirror: token first, then the plan (dataset checks before any Zenodo request), then
 * create (or resume the draft the state names, or open a new version), upload each file (md5 checked),
 * set the metadata, publish only when asked. A failure after the draft exists keeps the state so the next
 * run resumes that draft, and says so in the reference's orphaned-draft words.
 */
export async function mirrorToZenodo(input: ZenodoMirrorInput, run: ZenodoRunOptions): Promise<ZenodoDeposit> {
  requireZenodoToken(run.token);
  const plan = await planZenodoMirror(input);
  const api = new ZenodoApi(run.requester, plan.base, run.token, run.retry);
  const draft = await openDraft(api, input, plan, run.state);
  const ref = draft.depositUrl ?? `${plan.base}/deposit/${draft.id}`;
  const uploaded: Record<string, string> = { ...draft.uploaded };
  const save = async (): Promise<void> => {
    await run.state?.save({ version: 1, base: plan.base, country: input.release.country_id, deposit_id: draft.id, bucket: draft.bucket, deposit_url: draft.depositUrl, uploaded: { ...uploaded } });
  };
  let published: JsonObject | undefined;
  try {
    if (draft.bucket === '') throw new ZenodoError('Zenodo deposition response has no bucket link.');
    await save();
    for (const name of draft.inherited) {
      if (!plan.files.some((f) => f.name === name)) await api.send({ step: `removal of inherited ${name}`, method: 'DELETE', url: `${draft.bucket}/${name}`, expect: [200, 204] });
    }
    for (const f of plan.files) {
      // The server's own listing decides what is already there (a state can be stale); the state is the fallback.
      if (draft.present !== undefined ? draft.present.get(f.name) === f.md5 : uploaded[f.name] === f.sha256) {
        uploaded[f.name] = f.sha256;
        continue;
      }
      const answer = await api.send({ step: `upload of ${f.name}`, method: 'PUT', url: `${draft.bucket}/${encodeURIComponent(f.name)}`, bytes: f.bytes, expect: [200, 201] });
      const checksum = textMember(answer.body, 'checksum');
      if (checksum !== undefined && checksum !== `md5:${f.md5}`) {
        throw new ZenodoError(`Zenodo upload of ${f.name} was acknowledged with ${checksum} but the bytes sent have md5:${f.md5}.`);
      }
      uploaded[f.name] = f.sha256;
      await save();
    }
    await api.send({ step: 'metadata update', method: 'PUT', url: `${plan.base}/deposit/depositions/${draft.id}`, json: { metadata: plan.metadata }, expect: [200] });
    if (input.publish === true) {
      published = (await api.send({ step: 'publish', method: 'POST', url: `${plan.base}/deposit/depositions/${draft.id}/actions/publish`, expect: [200, 202] })).body;
    }
  } catch (e) {
    if (!(e instanceof PeTraceError)) throw e;
    const resume = run.state === undefined ? '' : ` Running the same command again resumes it (state kept in ${run.state.label}).`;
    throw new ZenodoError(
      `${e.detail} A draft deposit was already created on Zenodo (deposit_id=${draft.id}, deposit_url=${ref}); delete or resume it manually before retrying, to avoid orphaned drafts.${resume}`,
      e instanceof ZenodoError ? e.status : undefined,
    );
  }
  await run.state?.clear();
  const doi = textMember(published, 'doi') ?? null;
  const recordHtml = linkMember(published, 'record_html');
  const at = pythonUtcIso(run.now());
  return {
    deposit_id: draft.id,
    deposit_url: draft.depositUrl,
    doi,
    concept_doi: textMember(published, 'conceptdoi') ?? null,
    published: input.publish === true,
    mirrors: plan.files.map((f) => ({
      kind: 'zenodo' as const,
      url: input.publish === true && recordHtml !== undefined ? `${recordHtml}/files/${f.name}` : ref,
      doi,
      sha256: f.sha256,
      deposited_at: at,
    })),
  };
}

interface Draft {
  readonly id: string;
  readonly bucket: string;
  readonly depositUrl: string | null;
  readonly uploaded: Readonly<Record<string, string>>;
  /** File names a new-version draft inherited from the previous version. */
  readonly inherited: readonly string[];
  /** File name → md5 hex as the server lists the draft's files, when it does. */
  readonly present?: ReadonlyMap<string, string>;
}

/** The draft to fill: the one a matching state names (if still a draft), a new version, or a new deposition. */
async function openDraft(api: ZenodoApi, input: ZenodoMirrorInput, plan: ZenodoPlan, store: DepositStateStore | undefined): Promise<Draft> {
  const saved = await store?.load();
  if (saved !== undefined && (saved.base !== plan.base || saved.country !== input.release.country_id)) {
    // Never overwrite the only pointer to another draft: that would orphan it silently.
    throw new PeTraceError(
      'USAGE',
      `${store?.label ?? 'The state'} names draft ${saved.deposit_id} of '${saved.country}' on ${saved.base}; finish it with the same --zenodo-url and country, or delete that draft and the file, or pass another --state.`,
    );
  }
  if (saved !== undefined) {
    const answer = await api.send({ step: 'lookup of the draft to resume', method: 'GET', url: `${plan.base}/deposit/depositions/${saved.deposit_id}`, expect: [200, 404, 410] });
    if (answer.status === 200 && answer.body?.['submitted'] !== true) {
      const present = fileChecksums(answer.body);
      const draft = { id: saved.deposit_id, bucket: linkMember(answer.body, 'bucket') ?? saved.bucket, depositUrl: saved.deposit_url, uploaded: saved.uploaded, inherited: [] };
      return present === undefined ? draft : { ...draft, present };
    }
    if (answer.status === 200) {
      throw new PeTraceError('USAGE', `The deposit ${saved.deposit_id} named in ${store?.label ?? 'the state'} is already published; remove that file to deposit again (use --new-version-of ${saved.deposit_id} for a new version).`);
    }
    // Gone (deleted by hand): start afresh.
  }
  if (input.newVersionOf !== undefined) {
    const nv = await api.send({ step: 'new version', method: 'POST', url: `${plan.base}/deposit/depositions/${input.newVersionOf}/actions/newversion`, expect: [200, 201] });
    const latest = linkMember(nv.body, 'latest_draft');
    if (latest === undefined) throw new ZenodoError('Zenodo new version response has no latest_draft link.');
    const d = (await api.send({ step: 'new version draft lookup', method: 'GET', url: latest, expect: [200] })).body;
    const id = textMember(d, 'id');
    if (id === undefined) throw new ZenodoError('Zenodo new version draft has no id.');
    const present = fileChecksums(d);
    const draft = { id, bucket: linkMember(d, 'bucket') ?? '', depositUrl: linkMember(d, 'html') ?? null, uploaded: {}, inherited: [...(present?.keys() ?? [])].sort() };
    return present === undefined ? draft : { ...draft, present };
  }
  const created = (await api.send({ step: 'deposition creation', method: 'POST', url: `${plan.base}/deposit/depositions`, json: {}, expect: [200, 201] })).body;
  const id = textMember(created, 'id');
  if (id === undefined) throw new ZenodoError('Zenodo deposition response has no id.');
  return { id, bucket: linkMember(created, 'bucket') ?? '', depositUrl: linkMember(created, 'html') ?? null, uploaded: {}, inherited: [] };
}

/** `files[]` of a deposition as name (`filename`, or a bucket listing's `key`) → md5 hex (`checksum`, `md5:` prefix dropped); undefined without a list. */
function fileChecksums(d: JsonObject | undefined): Map<string, string> | undefined {
  const files = d?.['files'];
  if (!Array.isArray(files)) return undefined;
  const out = new Map<string, string>();
  for (const f of files) {
    if (!isJsonObject(f)) continue;
    const name = textMember(f, 'filename') ?? textMember(f, 'key');
    if (name !== undefined) out.set(name, (textMember(f, 'checksum') ?? '').replace(/^md5:/, '').toLowerCase());
  }
  return out;
}

/** Python's `datetime.now(timezone.utc).isoformat()`: microseconds and `+00:00`. */
export function pythonUtcIso(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}
