// `pe-trace zenodo-mirror` end to end against a loopback Zenodo deposit API and a loopback hub: the reference's 23 behaviours (interop §10), then dry run, new version, resume.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, envelope, expectOneLineError } from '../support/cli.js';
import { LoopbackHub, hubPath, runCliAsync } from '../support/loopback-hub.js';
import { LoopbackZenodo } from '../support/loopback-zenodo.js';
import { usDrm } from '../support/manifest-samples.js';

const MANIFEST = join(FIXTURES, 'policyengine-py', 'shipped', 'manifest.json');
const TRO = join(FIXTURES, 'policyengine-py', 'shipped', 'us.trace.tro.jsonld');
/** The bytes policyengine.py 5.0.3 uploads as us.bundle_manifest.json. */
const REFERENCE_BUNDLE_MANIFEST = join(FIXTURES, 'policyengine-py', 'generated', 'us.bundle_manifest.zenodo-deposit.json');
const REPO = 'policyengine/populace-us';
const REV = 'populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z';
const DATASET_PATH = hubPath('dataset', REPO, REV, 'populace_us_2024.h5');
const PAYLOAD = Buffer.from('HDF5 stand-in bytes of populace_us_2024\n');

const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

interface Deposit {
  deposit_id: string;
  deposit_url: string | null;
  doi: string | null;
  concept_doi: string | null;
  published: boolean;
  mirrors: { kind: string; url: string; doi: string | null; sha256: string; deposited_at: string }[];
}

let z: LoopbackZenodo;
let hub: LoopbackHub;
let dir: string;
let drmFile: string;

beforeEach(async () => {
  z = await LoopbackZenodo.start();
  hub = await LoopbackHub.start();
  dir = mkdtempSync(join(tmpdir(), 'pe-trace-zenodo-'));
  drmFile = join(dir, 'release_manifest.json');
  writeFileSync(drmFile, JSON.stringify(usDrm()));
});
afterEach(async () => {
  await z.close();
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A copy of the shipped manifest whose certified dataset sha256 is `sha`. */
function manifestCertifying(sha: string): string {
  const doc = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { data_releases: { us: { certified_data_artifact: { sha256: string } } } };
  doc.data_releases.us.certified_data_artifact.sha256 = sha;
  const path = join(dir, 'manifest.json');
  writeFileSync(path, JSON.stringify(doc, null, 2));
  return path;
}

function mirror(extra: readonly string[] = [], options: { manifest?: string; token?: string; json?: boolean; drm?: boolean } = {}) {
  const args = ['zenodo-mirror', 'us', '--manifest', options.manifest ?? MANIFEST, '--tro', TRO, '--zenodo-url', z.api, '--hub-url', hub.url];
  args.push('--state', join(dir, 'state.json'), '--retry-delay', '0');
  if (options.drm !== false) args.push('--data-release-manifest', drmFile);
  if (options.json !== false) args.push('--json');
  return runCliAsync([...args, ...extra], { cwd: dir, env: { ZENODO_TOKEN: options.token ?? z.token, HUGGING_FACE_TOKEN: '' } });
}

async function deposit(extra: readonly string[] = [], options: { manifest?: string } = {}): Promise<Deposit> {
  const r = await mirror(extra, options);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return envelope<Deposit>(r).result as Deposit;
}

function publicRepo(): void {
  hub.file(`/api/datasets/${REPO}`, JSON.stringify({ id: REPO, private: false, gated: false }));
  hub.file(DATASET_PATH, PAYLOAD);
}

describe('zenodo-mirror: the reference behaviours (test_zenodo_mirror.py)', () => {
  it('given_release_then_certification_record_is_deposited', async () => {
    const d = await deposit();
    expect(d.deposit_id).toBe('4321');
    expect(z.uploads.map((u) => u.name).sort()).toEqual(['us.bundle_manifest.json', 'us.data_release_manifest.json', 'us.trace.tro.jsonld']);
    const byName = new Map(z.uploads.map((u) => [u.name, u.body]));
    expect(byName.get('us.trace.tro.jsonld')?.equals(readFileSync(TRO))).toBe(true);
    // Byte for byte what policyengine.py 5.0.3 uploads (its model dump, not the manifest.json bytes).
    expect(byName.get('us.bundle_manifest.json')?.equals(readFileSync(REFERENCE_BUNDLE_MANIFEST))).toBe(true);
    expect(z.calls).toEqual([
      'POST /api/deposit/depositions',
      'PUT /api/files/b-4321/us.bundle_manifest.json',
      'PUT /api/files/b-4321/us.trace.tro.jsonld',
      'PUT /api/files/b-4321/us.data_release_manifest.json',
      'PUT /api/deposit/depositions/4321',
    ]);
  });

  it('given_default_then_dataset_bytes_are_not_deposited', async () => {
    publicRepo();
    await deposit();
    expect(z.uploads.some((u) => u.name.endsWith('.h5'))).toBe(false);
    expect(hub.requests).toEqual([]);
  });

  it('given_draft_then_mirrors_have_no_doi_and_not_published', async () => {
    const d = await deposit();
    expect(z.calls.some((c) => c.endsWith('/actions/publish'))).toBe(false);
    expect(d.published).toBe(false);
    expect(d.doi).toBeNull();
    expect(d.concept_doi).toBeNull();
    expect(d.mirrors).toHaveLength(3);
    for (const m of d.mirrors) {
      expect(m.kind).toBe('zenodo');
      expect(m.doi).toBeNull();
    }
    expect(z.depositions.get(4321)?.submitted).toBe(false);
  });

  it('given_publish_then_doi_recorded_on_every_mirror', async () => {
    const d = await deposit(['--publish']);
    expect(d.published).toBe(true);
    expect(d.doi).toBe('10.5281/zenodo.4321');
    expect(d.concept_doi).toBe('10.5281/zenodo.104321');
    expect(d.mirrors.map((m) => m.doi)).toEqual(['10.5281/zenodo.4321', '10.5281/zenodo.4321', '10.5281/zenodo.4321']);
    expect(z.calls.at(-1)).toBe('POST /api/deposit/depositions/4321/actions/publish');
  });

  it('given_uploads_then_mirror_sha256_matches_uploaded_bytes', async () => {
    const d = await deposit();
    expect(new Set(d.mirrors.map((m) => m.sha256))).toEqual(new Set(z.uploads.map((u) => sha256(u.body))));
    // One timestamp for all, Python's isoformat with +00:00.
    expect(new Set(d.mirrors.map((m) => m.deposited_at)).size).toBe(1);
    expect(d.mirrors[0]?.deposited_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
  });

  it('given_draft_then_mirror_urls_are_provisional_deposit_handle', async () => {
    const d = await deposit();
    expect(d.deposit_url).toBe(`${z.origin}/deposit/4321`);
    for (const m of d.mirrors) {
      expect(m.url).toBe(`${z.origin}/deposit/4321`);
      expect(m.url).not.toContain('/files/');
    }
  });

  it('given_publish_then_mirror_urls_are_per_file_record_urls', async () => {
    const d = await deposit(['--publish']);
    expect(d.mirrors.map((m) => m.url)).toEqual([
      `${z.origin}/records/4321/files/us.bundle_manifest.json`,
      `${z.origin}/records/4321/files/us.trace.tro.jsonld`,
      `${z.origin}/records/4321/files/us.data_release_manifest.json`,
    ]);
  });

  it('given_post_creation_failure_then_error_names_the_orphaned_draft', async () => {
    z.fail('PUT', /^\/api\/deposit\/depositions\/\d+$/, { status: 400, body: '{"status":400,"message":"Validation error"}' });
    const r = await mirror([], { json: false });
    expectOneLineError(r, 3, /Zenodo metadata update failed with HTTP 400: .*Validation error/);
    expect(r.stderr).toContain('deposit_id=4321');
    expect(r.stderr).toContain(`deposit_url=${z.origin}/deposit/4321`);
    expect(r.stderr).toContain('delete or resume');
    // A 400 is not retried: one metadata PUT.
    expect(z.calls.filter((c) => c === 'PUT /api/deposit/depositions/4321')).toHaveLength(1);
  });

  it('given_zipimport_keyerror_then_raises_zenodo_error (the TRO file is missing)', async () => {
    const r = await runCliAsync(['zenodo-mirror', 'us', '--manifest', MANIFEST, '--tro', join(dir, 'absent.trace.tro.jsonld'), '--zenodo-url', z.api], {
      cwd: dir,
      env: { ZENODO_TOKEN: z.token },
    });
    expectOneLineError(r, 3, /No bundled TRACE TRO for 'us'/);
    expect(z.log).toEqual([]);
  });

  it('given_metadata_then_describes_certified_release', async () => {
    await deposit();
    const put = z.log.find((e) => e.method === 'PUT' && e.path === '/api/deposit/depositions/4321');
    expect(put?.contentType).toBe('application/json');
    const { metadata } = JSON.parse(put?.body.toString('utf8') ?? '{}') as { metadata: Record<string, unknown> };
    expect(metadata['upload_type']).toBe('dataset');
    expect(metadata['title']).toBe('PolicyEngine us certified release us-5.0.3 (certification record)');
    expect(metadata['creators']).toEqual([{ name: 'PolicyEngine' }]);
    expect(metadata['keywords']).toEqual(['microsimulation', 'tax-benefit', 'replication', 'TRACE', 'provenance']);
    expect(metadata['related_identifiers']).toEqual([{ identifier: `https://huggingface.co/datasets/${REPO}/resolve/${REV}/populace_us_2024.h5`, relation: 'isAlternateIdentifier' }]);
    expect(metadata).not.toHaveProperty('license');
  });

  it('given_sandbox_then_requests_hit_sandbox_api (planned, never sent: no network in tests)', async () => {
    const r = await runCliAsync(['zenodo-mirror', 'us', '--manifest', MANIFEST, '--tro', TRO, '--sandbox', '--dry-run', '--json'], { cwd: dir });
    expect(r.status).toBe(0);
    const plan = envelope<{ base: string; requests: { method: string; url: string }[] }>(r).result;
    expect(plan?.base).toBe('https://sandbox.zenodo.org/api');
    const posts = plan?.requests.filter((q) => q.method === 'POST') ?? [];
    expect(posts.length).toBeGreaterThan(0);
    for (const q of posts) expect(q.url.startsWith('https://sandbox.zenodo.org/api/')).toBe(true);
    const both = await runCliAsync(['zenodo-mirror', 'us', '--manifest', MANIFEST, '--tro', TRO, '--sandbox', '--zenodo-url', z.api], { cwd: dir });
    expect(both.status).toBe(2);
  });

  it('given_no_token_then_raises', async () => {
    const r = await mirror([], { token: '', json: false });
    expectOneLineError(r, 2, /No Zenodo token.*ZENODO_TOKEN/);
    expect(z.log).toEqual([]);
    // Checked first, as the reference does: before the country is even looked up.
    const first = await runCliAsync(['zenodo-mirror', 'usa', '--manifest', MANIFEST, '--tro', TRO, '--zenodo-url', z.api], { cwd: dir, env: { ZENODO_TOKEN: '' } });
    expectOneLineError(first, 2, /No Zenodo token/);
    // --token-env names another variable.
    const other = await runCliAsync(['zenodo-mirror', 'us', '--manifest', MANIFEST, '--tro', TRO, '--zenodo-url', z.api, '--token-env', 'MY_ZENODO', '--state', join(dir, 's.json'), '--json'], {
      cwd: dir,
      env: { ZENODO_TOKEN: '', MY_ZENODO: z.token },
    });
    expect(other.status).toBe(0);
  });

  it('given_deposit_api_failure_then_raises_with_status', async () => {
    z.fail('POST', /^\/api\/deposit\/depositions$/, { status: 500, body: 'upstream exploded' });
    const r = await mirror([], { json: false });
    expectOneLineError(r, 3, /Zenodo deposition creation failed with HTTP 500: upstream exploded/);
    // Never re-POSTed blindly (a second deposition could have been created), and no draft is claimed.
    expect(z.calls).toEqual(['POST /api/deposit/depositions']);
    expect(r.stderr).not.toContain('draft deposit');
  });

  it('given_private_source_repo_then_refuses_even_when_asked', async () => {
    hub.set(`/api/datasets/${REPO}`, { status: 401, body: '{}' }).set(`/api/models/${REPO}`, { status: 401, body: '{}' });
    hub.file(DATASET_PATH, PAYLOAD);
    const r = await mirror(['--include-dataset'], { json: false });
    expectOneLineError(r, 4, /not publicly readable \(private or not found; saw \[datasets:401, models:401\]\)/);
    expect(z.log).toEqual([]);
    expect(hub.requests.every((q) => q.authorization === undefined)).toBe(true);
    expect(hub.requests.some((q) => q.path === DATASET_PATH)).toBe(false);
  });

  it('given_gated_source_repo_then_refuses_even_when_metadata_is_200', async () => {
    hub.file(`/api/datasets/${REPO}`, JSON.stringify({ private: false, gated: 'auto' }));
    const r = await mirror(['--include-dataset'], { json: false });
    expectOneLineError(r, 4, /is gated/);
    expect(z.log).toEqual([]);
  });

  it('given_transient_hf_error_then_refuses_as_unverifiable_not_private', async () => {
    hub.set(`/api/datasets/${REPO}`, { status: 429 }).set(`/api/models/${REPO}`, { status: 503 });
    const r = await mirror(['--include-dataset']);
    expect(r.status).toBe(4);
    const e = envelope(r).error;
    expect(e?.code).toBe('SOURCE_UNVERIFIABLE');
    expect(e?.message).toMatch(/Could not verify that source repo .* \(HF returned \[datasets:429, models:503\]\); retry/);
    expect(e?.message).not.toMatch(/private/);
    expect(z.log).toEqual([]);
  });

  it('given_non_json_200_then_refuses_as_unverifiable', async () => {
    hub.file(`/api/datasets/${REPO}`, '<html>login</html>').file(`/api/models/${REPO}`, '<html>login</html>');
    const r = await mirror(['--include-dataset']);
    expect(r.status).toBe(4);
    expect(envelope(r).error?.message).toMatch(/Could not verify .*datasets:200-non-json, models:200-non-json/);
    expect(z.log).toEqual([]);
  });

  it('given_private_flag_in_200_metadata_then_refuses', async () => {
    hub.file(`/api/datasets/${REPO}`, JSON.stringify({ private: true }));
    const r = await mirror(['--include-dataset']);
    expect(r.status).toBe(4);
    expect(envelope(r).error).toMatchObject({ code: 'SOURCE_NOT_PUBLIC' });
    expect(envelope(r).error?.message).toMatch(/is private/);
  });

  it('given_public_source_repo_then_dataset_bytes_deposited', async () => {
    publicRepo();
    const d = await deposit(['--include-dataset'], { manifest: manifestCertifying(sha256(PAYLOAD)) });
    const h5 = z.uploads.find((u) => u.name === 'populace_us_2024.h5');
    expect(h5?.body.equals(PAYLOAD)).toBe(true);
    expect(d.mirrors.map((m) => m.sha256)).toContain(sha256(PAYLOAD));
    // The gate asked the datasets API first and was confirmed there.
    expect(hub.requests.map((q) => q.path)).toEqual([`/api/datasets/${REPO}`, DATASET_PATH]);
  });

  it('given_tampered_dataset_bytes_then_refuses_on_sha256_mismatch', async () => {
    publicRepo();
    const certified = 'c'.repeat(64);
    const r = await mirror(['--include-dataset'], { manifest: manifestCertifying(certified), json: false });
    expectOneLineError(r, 5, new RegExp(`sha256 ${sha256(PAYLOAD)} but the manifest certifies ${certified}`));
    expect(z.log).toEqual([]);
  });

  it('DepositionMetadata.given_manifests_then_version_and_description_pinned', async () => {
    await deposit();
    const put = z.log.find((e) => e.method === 'PUT' && e.path === '/api/deposit/depositions/4321');
    const { metadata } = JSON.parse(put?.body.toString('utf8') ?? '{}') as { metadata: { version: string; description: string } };
    expect(metadata.version).toBe('5.0.3');
    expect(metadata.description).toContain('populace-us-2024');
    expect(metadata.description).toBe(
      'Certification record for the PolicyEngine us certified release bundle us-5.0.3. Model package: policyengine-us==1.764.6. ' +
        'Data package: populace-data==0.1.0. Data build: populace-us-2024-aaaaaaa-20260101. ' +
        'Certified dataset populace_us_2024 sha256 48b9d479fb4fd1c3537f9383ce4697d130b6f618658409d74f6233c43b994c7e. ' +
        'The bundled TRACE Transparent Research Object pins every artifact by sha256; verify any copy with `policyengine trace-tro-verify`.',
    );
  });

  it('CLI.given_cli_then_prints_mirrors_json', async () => {
    const r = await mirror([], { json: false, drm: false });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const printed = JSON.parse(r.stdout) as Deposit;
    expect(printed.mirrors[0]?.kind).toBe('zenodo');
    // Indent 2, keys sorted, as the reference prints it.
    expect(r.stdout.startsWith('{\n  "concept_doi": null,\n  "deposit_id": "4321",')).toBe(true);
  });

  it('CLI.given_unknown_country_then_clean_error_exit', async () => {
    const r = await runCliAsync(['zenodo-mirror', 'usa', '--manifest', MANIFEST, '--tro', TRO, '--zenodo-url', z.api], { cwd: dir, env: { ZENODO_TOKEN: z.token } });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^error: .*usa/);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(z.log).toEqual([]);
  });
});

describe('zenodo-mirror: beyond the reference', () => {
  it('--dry-run lists every request, file, sha256 and the metadata, and sends nothing to Zenodo', async () => {
    publicRepo();
    const manifest = manifestCertifying(sha256(PAYLOAD));
    const r = await mirror(['--dry-run', '--include-dataset', '--publish', '--license', 'cc-by-4.0'], { manifest, token: '' });
    expect(r.status).toBe(0);
    expect(z.log).toEqual([]);
    const plan = envelope<{ dry_run: boolean; files: { name: string; sha256: string; size: number }[]; metadata: Record<string, unknown>; requests: { step: string; method: string; url: string }[] }>(r).result;
    expect(plan?.dry_run).toBe(true);
    expect(plan?.files.map((f) => f.name)).toEqual(['us.bundle_manifest.json', 'us.trace.tro.jsonld', 'us.data_release_manifest.json', 'populace_us_2024.h5']);
    expect(plan?.files[1]?.sha256).toBe(sha256(readFileSync(TRO)));
    expect(plan?.files[3]).toMatchObject({ sha256: sha256(PAYLOAD), size: PAYLOAD.length });
    expect(plan?.metadata['license']).toBe('cc-by-4.0');
    expect(plan?.requests.map((q) => `${q.method} ${q.step}`)).toEqual([
      'POST deposition creation',
      'PUT upload of us.bundle_manifest.json',
      'PUT upload of us.trace.tro.jsonld',
      'PUT upload of us.data_release_manifest.json',
      'PUT upload of populace_us_2024.h5',
      'PUT metadata update',
      'POST publish',
    ]);
    // Then the real run deposits exactly the planned bytes.
    const d = await deposit(['--include-dataset', '--publish', '--license', 'cc-by-4.0'], { manifest });
    expect(d.mirrors.map((m) => m.sha256)).toEqual(plan?.files.map((f) => f.sha256));
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
    // With the shipped manifest the planned bundle manifest is the reference's bytes.
    const plain = envelope<{ files: { sha256: string }[]; metadata: Record<string, unknown> }>(await mirror(['--dry-run'], { token: '' })).result;
    expect(plain?.files[0]?.sha256).toBe(sha256(readFileSync(REFERENCE_BUNDLE_MANIFEST)));
    // A planned new version names the newversion action and the removal of inherited files.
    z.log.length = 0;
    const nv = envelope<{ requests: { method: string; url: string }[] }>(await mirror(['--dry-run', '--new-version-of', '99'], { token: '' })).result;
    expect(nv?.requests.slice(0, 3).map((q) => `${q.method} ${q.url}`)).toEqual([`POST ${z.api}/deposit/depositions/99/actions/newversion`, 'GET {latest_draft}', 'DELETE {bucket}/{inherited file}']);
    expect(z.log).toEqual([]);
    // Human mode: one line per request and file, then the metadata.
    const human = await mirror(['--dry-run'], { token: '', json: false });
    expect(human.stdout.split('\n')[0]).toBe(`dry run: nothing is sent to ${z.api}`);
    expect(human.stdout).toContain(`file us.trace.tro.jsonld  ${readFileSync(TRO).length} bytes  sha256 ${sha256(readFileSync(TRO))}`);
    // The metadata prints as readable JSON lines (not one line of escaped `\n`s) and parses back to the plan's.
    const metadataText = human.stdout.slice(human.stdout.indexOf('metadata:\n') + 'metadata:\n'.length);
    expect(metadataText).not.toContain('\\n');
    expect(JSON.parse(metadataText)).toEqual({ metadata: plain?.metadata });
  });

  it('--new-version-of opens a new version, replaces inherited files and publishes it', async () => {
    const previous = z.seedPublished({ 'us.trace.tro.jsonld': 'old tro', 'stale.json': 'gone in this version' });
    const d = await deposit(['--new-version-of', String(previous), '--publish']);
    const draftId = previous + 1;
    expect(z.calls).toEqual([
      `POST /api/deposit/depositions/${previous}/actions/newversion`,
      `GET /api/deposit/depositions/${draftId}`,
      `DELETE /api/files/b-${draftId}/stale.json`,
      `PUT /api/files/b-${draftId}/us.bundle_manifest.json`,
      `PUT /api/files/b-${draftId}/us.trace.tro.jsonld`,
      `PUT /api/files/b-${draftId}/us.data_release_manifest.json`,
      `PUT /api/deposit/depositions/${draftId}`,
      `POST /api/deposit/depositions/${draftId}/actions/publish`,
    ]);
    expect(d.deposit_id).toBe(String(draftId));
    expect(d.doi).toBe(`10.5281/zenodo.${draftId}`);
    // Same concept DOI as the previous version.
    expect(d.concept_doi).toBe(`10.5281/zenodo.${(z.depositions.get(previous)?.conceptrecid ?? 0).toString()}`);
    const files = z.depositions.get(draftId)?.files;
    expect([...(files?.keys() ?? [])].sort()).toEqual(['us.bundle_manifest.json', 'us.data_release_manifest.json', 'us.trace.tro.jsonld']);
    expect(files?.get('us.trace.tro.jsonld')?.equals(readFileSync(TRO))).toBe(true);
    // The previous version's files are untouched.
    expect(z.depositions.get(previous)?.files.get('us.trace.tro.jsonld')?.toString()).toBe('old tro');
  });

  it('resumes the draft after a failed upload instead of orphaning it', async () => {
    // Every try of the TRO upload fails (more than --retries): the run stops with the draft named.
    z.fail('PUT', /us\.trace\.tro\.jsonld$/, { status: 503, times: 4 });
    const first = await mirror([], { json: false });
    expectOneLineError(first, 3, /upload of us\.trace\.tro\.jsonld failed with HTTP 503.*deposit_id=4321.*delete or resume.*resumes it \(state kept in .*state\.json\)/);
    expect(z.calls.filter((c) => c.endsWith('us.trace.tro.jsonld'))).toHaveLength(4);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { deposit_id: string; uploaded: Record<string, string> };
    expect(state.deposit_id).toBe('4321');
    expect(Object.keys(state.uploaded)).toEqual(['us.bundle_manifest.json']);

    z.log.length = 0;
    const d = await deposit(['--publish']);
    expect(d.deposit_id).toBe('4321');
    expect(z.calls).toEqual([
      'GET /api/deposit/depositions/4321',
      'PUT /api/files/b-4321/us.trace.tro.jsonld',
      'PUT /api/files/b-4321/us.data_release_manifest.json',
      'PUT /api/deposit/depositions/4321',
      'POST /api/deposit/depositions/4321/actions/publish',
    ]);
    expect(z.depositions.size).toBe(1);
    expect(d.mirrors).toHaveLength(3);
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
  });

  it('on resume the server decides what is uploaded: a file the state claims but the draft lacks is uploaded again', async () => {
    z.fail('PUT', /us\.data_release_manifest\.json$/, { status: 500, times: 4 });
    expect((await mirror()).status).toBe(3);
    // Someone removed the TRO from the draft by hand; the state still lists it.
    z.depositions.get(4321)?.files.delete('us.trace.tro.jsonld');
    z.log.length = 0;
    await deposit();
    expect(z.calls).toEqual([
      'GET /api/deposit/depositions/4321',
      'PUT /api/files/b-4321/us.trace.tro.jsonld',
      'PUT /api/files/b-4321/us.data_release_manifest.json',
      'PUT /api/deposit/depositions/4321',
    ]);
    expect([...(z.depositions.get(4321)?.files.keys() ?? [])].sort()).toEqual(['us.bundle_manifest.json', 'us.data_release_manifest.json', 'us.trace.tro.jsonld']);
  });

  it('retries 429 and 5xx on uploads with backoff and succeeds; a wrong token is a clean 401 error', async () => {
    z.fail('PUT', /us\.bundle_manifest\.json$/, { status: 429, headers: { 'x-ratelimit-remaining': '0' } });
    z.fail('PUT', /us\.data_release_manifest\.json$/, { status: 502 });
    const d = await deposit();
    expect(d.mirrors).toHaveLength(3);
    expect(z.calls.filter((c) => c.endsWith('us.bundle_manifest.json'))).toHaveLength(2);
    expect(z.calls.filter((c) => c.endsWith('us.data_release_manifest.json'))).toHaveLength(2);

    const bad = await mirror([], { token: 'wrong', json: false });
    expectOneLineError(bad, 3, /Zenodo deposition creation failed with HTTP 401/);
  });

  it('the loopback API answers 415 to a JSON request without the JSON content type (and our client always sends it)', async () => {
    const res = await fetch(`${z.api}/deposit/depositions`, { method: 'POST', headers: { authorization: `Bearer ${z.token}`, 'content-type': 'text/plain' }, body: '{}' });
    expect(res.status).toBe(415);
    z.log.length = 0;
    await deposit();
    for (const e of z.log.filter((x) => x.path.startsWith('/api/deposit/'))) expect(e.contentType).toBe('application/json');
    for (const e of z.log.filter((x) => x.path.startsWith('/api/files/'))) expect(e.contentType).toBe('application/octet-stream');
    for (const e of z.log) expect(e.authorization).toBe(`Bearer ${z.token}`);
  });
});

describe('zenodo-mirror: hostile answers and sources', () => {
  it('warns when the TRO does not pin the manifests deposited with it (and stays quiet when it does)', async () => {
    const quiet = await mirror([], { drm: false });
    expect(envelope(quiet).warnings).toEqual([]);
    // The synthetic data release manifest is not the one the shipped TRO pins.
    const drmWarn = envelope(await mirror([])).warnings;
    expect(drmWarn).toHaveLength(1);
    expect(drmWarn[0]).toMatch(/us\.trace\.tro\.jsonld pins the data release manifest with sha256 [0-9a-f]{64}, but the one deposited was read from bytes with sha256 [0-9a-f]{64}/);
    // The uk TRO with the us entry of a different manifest: named, still deposited as given (the reference checks nothing).
    const ukTro = join(FIXTURES, 'policyengine-py', 'history-selected', '927cf40-uk.trace.tro.jsonld');
    const r = await runCliAsync(['zenodo-mirror', 'us', '--manifest', MANIFEST, '--tro', ukTro, '--zenodo-url', z.api, '--state', join(dir, 'st.json'), '--dry-run', '--json'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(envelope(r).warnings.join('\n')).toMatch(/927cf40-uk\.trace\.tro\.jsonld pins the bundle manifest with sha256/);
    const notTro = join(dir, 'not-a-tro.jsonld');
    writeFileSync(notTro, '{"hello": 1}');
    const r2 = await runCliAsync(['zenodo-mirror', 'us', '--manifest', MANIFEST, '--tro', notTro, '--dry-run', '--json'], { cwd: dir });
    expect(envelope(r2).warnings[0]).toMatch(/not-a-tro\.jsonld is not a TRO pe-trace can read/);
  });

  it('a bucket acknowledgement with the wrong md5 stops the run and names the draft', async () => {
    z.fail('PUT', /us\.trace\.tro\.jsonld$/, { status: 201, body: '{"key":"us.trace.tro.jsonld","checksum":"md5:00000000000000000000000000000000"}' });
    const r = await mirror([], { json: false });
    expectOneLineError(r, 3, /acknowledged with md5:0{32} but the bytes sent have md5:[0-9a-f]{32}.*deposit_id=4321/);
  });

  it('a state naming a deleted draft starts afresh; one naming a published deposit is refused', async () => {
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ version: 1, base: z.api, country: 'us', deposit_id: '999', bucket: 'x', deposit_url: null, uploaded: {} }));
    const d = await deposit();
    expect(z.calls.slice(0, 2)).toEqual(['GET /api/deposit/depositions/999', 'POST /api/deposit/depositions']);
    expect(d.deposit_id).toBe('4321');
    const published = z.seedPublished({ 'a.json': '{}' });
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ version: 1, base: z.api, country: 'us', deposit_id: String(published), bucket: 'x', deposit_url: null, uploaded: {} }));
    expectOneLineError(await mirror([], { json: false }), 2, new RegExp(`deposit ${published} named in .*state\\.json is already published`));
    // A state for another API base is never overwritten (that would orphan its draft).
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ version: 1, base: 'https://sandbox.zenodo.org/api', country: 'us', deposit_id: '77', bucket: 'x', deposit_url: null, uploaded: {} }));
    z.log.length = 0;
    expectOneLineError(await mirror([], { json: false }), 2, /names draft 77 of 'us' on https:\/\/sandbox\.zenodo\.org\/api/);
    expect(z.log).toEqual([]);
    writeFileSync(join(dir, 'state.json'), '[1, 2]');
    expectOneLineError(await mirror([], { json: false }), 3, /state\.json: not a pe-trace Zenodo deposit state/);
  });

  it('--data-release-manifest hub fetches the URL the country entry names (from --hub-url) and deposits its dump', async () => {
    const doc = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { data_releases: { us: { data_package: { release_manifest_path: string; release_manifest_revision: string } } } };
    const dp = doc.data_releases.us.data_package;
    hub.file(hubPath('dataset', REPO, dp.release_manifest_revision, dp.release_manifest_path), JSON.stringify(usDrm({ unknown_key: 1 })));
    const args = ['zenodo-mirror', 'us', '--manifest', MANIFEST, '--tro', TRO, '--zenodo-url', z.api, '--hub-url', hub.url, '--state', join(dir, 'state.json'), '--data-release-manifest', 'hub', '--json'];
    const r = await runCliAsync(args, { cwd: dir, env: { ZENODO_TOKEN: z.token, HUGGING_FACE_TOKEN: '' } });
    expect(r.status).toBe(0);
    const dump = JSON.parse(z.uploads.find((u) => u.name === 'us.data_release_manifest.json')?.body.toString('utf8') ?? '{}') as Record<string, unknown>;
    expect(dump).not.toHaveProperty('unknown_key');
    expect(dump['build']).toMatchObject({ build_id: 'populace-us-2024-aaaaaaa-20260101', built_with_core_package: null });
    hub.set(hubPath('dataset', REPO, dp.release_manifest_revision, dp.release_manifest_path), { status: 404 });
    const missing = await runCliAsync(args.filter((a) => a !== '--json'), { cwd: dir, env: { ZENODO_TOKEN: z.token } });
    expectOneLineError(missing, 3, /could not fetch the data release manifest: HTTP 404/);
  });
});
