// `pe-trace emit bundle` / `emit results` end to end: byte-exact vectors, drm from file and loopback hub, PyPI, CI env, round trip.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJsonText } from '../../src/json/canonical.js';
import { parseJson } from '../../src/json/parse.js';
import { FIXTURES, REPO_ROOT, envelope, runCli } from '../support/cli.js';

const PE = join(FIXTURES, 'policyengine-py');
const MANIFEST = 'fixtures/policyengine-py/shipped/manifest.json';
const scratch = mkdtempSync(join(tmpdir(), 'pe-trace-emit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const NO_CI = { GITHUB_ACTIONS: 'false' };
const CI = {
  GITHUB_ACTIONS: 'true',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'PolicyEngine/policyengine.py',
  GITHUB_RUN_ID: '12345',
  GITHUB_SHA: 'abc123',
  GITHUB_REF: 'refs/heads/main',
};

/** The §10 synthetic drm (populace-data 0.1.0), which lists the certified US dataset. */
const DRM = JSON.stringify({
  schema_version: 1,
  data_package: { name: 'populace-data', version: '0.1.0' },
  default_datasets: { national: 'populace_us_2024' },
  build: { build_id: 'populace-us-2024-aaaaaaa-20260101', built_at: '2026-04-10T12:00:00Z' },
  artifacts: {
    populace_us_2024: { kind: 'microdata', path: 'populace_us_2024.h5', repo_id: 'policyengine/populace-us', revision: 'populace-us-2024-aaaaaaa-20260101', sha256: 'c'.repeat(64), size_bytes: 123 },
  },
  preservation_dois: ['10.5281/zenodo.20678518'],
});

type Doc = { '@graph': Record<string, unknown>[] };
const node = (doc: Doc): Record<string, unknown> => doc['@graph'][0] ?? {};
const perf = (doc: Doc): Record<string, unknown> => node(doc)['trov:hasPerformance'] as Record<string, unknown>;
const artifacts = (doc: Doc): { '@id': string; 'trov:sha256': string }[] =>
  (node(doc)['trov:hasComposition'] as { 'trov:hasArtifact': { '@id': string; 'trov:sha256': string }[] })['trov:hasArtifact'];
const locations = (doc: Doc): string[] =>
  (node(doc)['trov:hasArrangement'] as { 'trov:hasArtifactLocation': { 'trov:hasLocation': string }[] }[])[0]?.['trov:hasArtifactLocation'].map((l) => l['trov:hasLocation']) ?? [];
const ids = (doc: Doc): string[] => artifacts(doc).map((a) => a['@id'].split('/').pop() ?? '');
const fingerprintOf = (hashes: string[]): string => sha256([...hashes].sort().join('\n'));

/** runCli is synchronous (spawnSync), which would block a loopback server in this process: spawn asynchronously here. */
function runCliAsync(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'run.js'), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...NO_CI, ...env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('close', (code) => resolve({ status: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** A loopback "hub" and "PyPI": release manifests under /datasets/…/resolve/…, wheel JSON under /pypi/…; every path requested is logged. */
let server: Server;
let base = '';
const requested: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '';
    requested.push(`${req.method ?? ''} ${url} ${req.headers.authorization ?? ''}`);
    if (url.startsWith('/datasets/policyengine/populace-us/resolve/') && url.endsWith('/release_manifest.json')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(DRM);
    } else if (url === '/pypi/policyengine-us/1.764.6/json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ urls: [{ packagetype: 'bdist_wheel', url: 'https://files.pythonhosted.org/x/policyengine_us-1.764.6-py3-none-any.whl', digests: { sha256: 'a'.repeat(64) } }] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('pe-trace emit bundle', () => {
  for (const cc of ['us', 'uk']) {
    it(`--offline --emitted-in local reproduces generated/${cc}.limited.bundle.trace.tro.jsonld byte for byte`, () => {
      const r = runCli(['emit', 'bundle', '--manifest', MANIFEST, '--country', cc, '--offline', '--emitted-in', 'local']);
      expect(r.status).toBe(0);
      expect(r.stdoutBytes.equals(readFileSync(join(PE, 'generated', `${cc}.limited.bundle.trace.tro.jsonld`)))).toBe(true);
    });
  }

  it('writes canonical JSON with the creator and pe:emittedIn local when no CI variables are set', () => {
    const r = runCli(['emit', 'bundle', '--manifest', MANIFEST, '--country', 'us', '--offline'], { env: NO_CI });
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(node(doc)['schema:creator']).toMatchObject({ 'schema:name': 'PolicyEngine' });
    expect(perf(doc)['pe:emittedIn']).toBe('local');
    expect(perf(doc)).not.toHaveProperty('pe:ciRunUrl');
    expect(canonicalJsonText(parseJson(r.stdout))).toBe(r.stdout);
  });

  it('maps GITHUB_ACTIONS and friends to github-actions, the run URL, sha and ref, identically across runs', () => {
    const a = runCli(['emit', 'bundle', '--manifest', MANIFEST, '--country', 'us', '--offline'], { env: CI });
    const b = runCli(['emit', 'bundle', '--manifest', MANIFEST, '--country', 'us', '--offline'], { env: CI });
    expect(a.status).toBe(0);
    const p = perf(JSON.parse(a.stdout) as Doc);
    expect(p['pe:emittedIn']).toBe('github-actions');
    expect(p['pe:ciRunUrl']).toBe('https://github.com/PolicyEngine/policyengine.py/actions/runs/12345');
    expect(p['pe:ciGitSha']).toBe('abc123');
    expect(p['pe:ciGitRef']).toBe('refs/heads/main');
    expect(b.stdoutBytes.equals(a.stdoutBytes)).toBe(true);
  });

  it('--emitted-in wins over the CI variables', () => {
    const r = runCli(['emit', 'bundle', '--manifest', MANIFEST, '--country', 'us', '--offline', '--emitted-in', 'repository-bundle'], { env: CI });
    expect(perf(JSON.parse(r.stdout) as Doc)['pe:emittedIn']).toBe('repository-bundle');
    expect(perf(JSON.parse(r.stdout) as Doc)).not.toHaveProperty('pe:ciRunUrl');
  });

  it('binds a data release manifest FILE by the sha256 of its bytes, with its build time and DOIs', () => {
    const file = join(scratch, 'release_manifest.json');
    writeFileSync(file, DRM);
    const r = runCli(['emit', 'bundle', '--manifest', MANIFEST, '--country', 'us', '--data-release-manifest', file, '--emitted-in', 'local']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(ids(doc)).toEqual(['bundle_manifest', 'data_release_manifest', 'dataset', 'model_wheel']);
    expect(artifacts(doc)[1]?.['trov:sha256']).toBe(sha256(DRM));
    expect(artifacts(doc)[0]?.['trov:sha256']).toBe(sha256(readFileSync(join(REPO_ROOT, MANIFEST))));
    expect(locations(doc)[1]).toBe(
      'https://huggingface.co/datasets/policyengine/populace-us/resolve/populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z/releases/populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z/release_manifest.json',
    );
    const fp = (node(doc)['trov:hasComposition'] as { 'trov:hasFingerprint': { 'trov:sha256': string } })['trov:hasFingerprint']['trov:sha256'];
    expect(fp).toBe(fingerprintOf(artifacts(doc).map((a) => a['trov:sha256'])));
    expect(node(doc)['schema:dateCreated']).toBe('2026-04-10T12:00:00Z');
    expect(perf(doc)['pe:preservationDoi']).toEqual(['10.5281/zenodo.20678518']);
    expect(perf(doc)).not.toHaveProperty('pe:dataReleaseManifestStatus');
  });

  it('warns when the supplied drm lacks the certified dataset and emits the limited TRO', () => {
    const file = join(scratch, 'other_manifest.json');
    writeFileSync(file, DRM.replace(/populace_us_2024"/g, 'other"'));
    const r = runCli(['emit', 'bundle', '--manifest', MANIFEST, '--country', 'us', '--data-release-manifest', file, '--emitted-in', 'local']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: the data release manifest does not list the certified dataset 'populace_us_2024'/);
    expect(ids(JSON.parse(r.stdout) as Doc)).toEqual(['bundle_manifest', 'dataset', 'model_wheel']);
  });

  it('fetches the drm named by the country entry from a loopback hub (`hub` + --hub-url); the location stays huggingface.co', async () => {
    requested.length = 0;
    const r = await runCliAsync(['emit', 'bundle', '--manifest', MANIFEST, '--country', 'us', '--data-release-manifest', 'hub', '--hub-url', base, '--emitted-in', 'local'], {
      HUGGING_FACE_TOKEN: 'hf_test',
    });
    expect(r.status, r.stderr).toBe(0);
    const rev = 'populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z';
    expect(requested).toEqual([`GET /datasets/policyengine/populace-us/resolve/${rev}/releases/${rev}/release_manifest.json Bearer hf_test`]);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(artifacts(doc)[1]?.['trov:sha256']).toBe(sha256(DRM));
    expect(locations(doc)[1]?.startsWith('https://huggingface.co/datasets/policyengine/populace-us/')).toBe(true);
  });

  it('rebases an explicit huggingface.co URL onto --hub-url; a missing manifest is an error, not a silent limited TRO', async () => {
    requested.length = 0;
    const r = await runCliAsync(['emit', 'bundle', '--manifest', MANIFEST, '--country', 'us', '--data-release-manifest', 'https://huggingface.co/datasets/x/y/resolve/1/nope.json', '--hub-url', base]);
    expect(requested).toEqual(['GET /datasets/x/y/resolve/1/nope.json ']);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: http:\/\/127\.0\.0\.1:\d+\/datasets\/x\/y\/resolve\/1\/nope\.json: could not fetch the data release manifest: HTTP 404\n$/);
  });

  it('asks a PyPI JSON endpoint (loopback) only with --fetch-pypi, when the manifest lacks the wheel pins', async () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, MANIFEST), 'utf8')) as { data_releases: { us: { model_package: Record<string, string> } } };
    const pkg = manifest.data_releases.us.model_package;
    manifest.data_releases.us.model_package = { name: pkg['name'] ?? '', version: pkg['version'] ?? '' };
    const file = join(scratch, 'manifest-no-wheel.json');
    writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
    requested.length = 0;
    const without = await runCliAsync(['emit', 'bundle', '--manifest', file, '--country', 'us', '--offline', '--pypi-url', base]);
    expect(requested).toEqual([]);
    expect(ids(JSON.parse(without.stdout) as Doc)).toEqual(['bundle_manifest', 'dataset']);
    expect(without.stderr).toMatch(/warning: no sha256 is known for the policyengine-us==1\.764\.6 wheel/);
    const withPypi = await runCliAsync(['emit', 'bundle', '--manifest', file, '--country', 'us', '--offline', '--fetch-pypi', '--pypi-url', base]);
    expect(requested).toEqual(['GET /pypi/policyengine-us/1.764.6/json ']);
    const doc = JSON.parse(withPypi.stdout) as Doc;
    expect(artifacts(doc)[2]?.['trov:sha256']).toBe('a'.repeat(64));
    expect(locations(doc)[2]).toBe('https://files.pythonhosted.org/x/policyengine_us-1.764.6-py3-none-any.whl');
  });

  it('--out creates parent folders and writes the same bytes; --json reports the fingerprint and artifacts', () => {
    const out = join(scratch, 'nested', 'deeper', 'us.trace.tro.jsonld');
    const r = runCli(['emit', 'bundle', '--manifest', MANIFEST, '--country', 'us', '--offline', '--emitted-in', 'local', '--out', out, '--json']);
    expect(r.status).toBe(0);
    expect(readFileSync(out).equals(readFileSync(join(PE, 'generated', 'us.limited.bundle.trace.tro.jsonld')))).toBe(true);
    const env = envelope<{ fingerprint: string; artifacts: { id: string }[]; dataReleaseManifest: string; out: string }>(r);
    expect(env.result?.fingerprint).toBe('22fd9f1e888c8d79f6eaf8555d9e9c43c16993d8b44d3090ac849d0faa2036af');
    expect(env.result?.artifacts.map((a) => a.id)).toEqual(['bundle_manifest', 'dataset', 'model_wheel']);
    expect(env.result?.dataReleaseManifest).toBe('unavailable');
    expect(env.result?.out).toBe(out);
  });

  it('emits a TRO that validate accepts and verify passes against the package-root layout', () => {
    const file = join(scratch, 'drm-for-verify.json');
    writeFileSync(file, DRM);
    const out = join(scratch, 'us.trace.tro.jsonld');
    expect(runCli(['emit', 'bundle', '--manifest', MANIFEST, '--country', 'us', '--data-release-manifest', file, '--emitted-in', 'local', '--out', out]).status).toBe(0);
    const validated = runCli(['validate', out]);
    expect(validated.status, validated.stdout).toBe(0);
    const skip = ['data_release_manifest', 'dataset', 'model_wheel'].flatMap((s) => ['--skip', s]);
    const verified = runCli(['verify', out, '--base-dir', join(PE, 'generated', 'package-root'), '--no-fetch', ...skip]);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('ok: bundle_manifest (data/bundle/manifest.json)');
    expect(verified.stdout).toContain('fingerprint: ok');
  });

  it('requires an explicit drm choice, and refuses both at once (exit 2)', () => {
    const none = runCli(['emit', 'bundle', '--manifest', MANIFEST, '--country', 'us']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/--data-release-manifest FILE\|URL\|hub, or --offline/);
    expect(runCli(['emit', 'bundle', '--manifest', MANIFEST, '--country', 'us', '--offline', '--data-release-manifest', 'hub']).status).toBe(2);
  });

  it('names an unknown country and a missing manifest (exit 3), writing nothing', () => {
    const out = join(scratch, 'never.jsonld');
    const unknown = runCli(['emit', 'bundle', '--manifest', MANIFEST, '--country', 'xx', '--offline', '--out', out, '--json']);
    expect(unknown.status).toBe(3);
    expect(envelope(unknown).error?.message).toMatch(/No bundled data release for country 'xx'/);
    expect(existsSync(out)).toBe(false);
    const missing = runCli(['emit', 'bundle', '--manifest', 'nope.json', '--country', 'us', '--offline']);
    expect(missing.status).toBe(3);
    expect(missing.stderr).toBe('error: nope.json: no such file\n');
  });
});

describe('pe-trace emit results', () => {
  let inputSets = 0;
  /** The §2.2 web-run payloads as files (3000 written as an int). */
  function webRunFiles(): string {
    const dir = join(scratch, `web-run-inputs-${++inputSets}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'reform.json'), '{"gov.irs.credits.ctc.amount.base[0].amount": 3000}');
    writeFileSync(join(dir, 'input.json'), '{"country": "us", "region": "state/CA"}');
    writeFileSync(join(dir, 'request.json'), '{"path": "/us/economy/2/over/1"}');
    writeFileSync(join(dir, 'runtime.json'), '{"container_image_sha": "sha256:abc", "cloud_region": "us-central1"}');
    writeFileSync(join(dir, 'env.json'), '{"runId": "run-123", "executionId": "job-456", "containerImageSha": "sha256:abc", "cloudRegion": "us-central1", "absent": null}');
    writeFileSync(join(dir, 'results.json'), '{"budgetary_impact": 1}');
    return dir;
  }
  const webRunArgs = (inputs: string, out: string): string[] => [
    'emit',
    'results',
    '--bundle-tro',
    join(PE, 'shipped', 'us.trace.tro.jsonld'),
    ...['reform', 'input', 'request', 'runtime', 'results'].flatMap((k) => [`--${k}`, join(inputs, `${k}.json`)]),
    '--runtime-env',
    join(inputs, 'env.json'),
    '--simulation-id',
    'run-123',
    '--created-at',
    '2026-04-18T12:05:00Z',
    '--started-at',
    '2026-04-18T12:00:00Z',
    '--emitted-in',
    'policyengine-api',
    '--out',
    out,
  ];

  it('reproduces the web-run vector byte for byte, with every payload beside it, and the directory verifies', () => {
    const out = join(scratch, 'web-run');
    const r = runCli(webRunArgs(webRunFiles(), out));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('fingerprint: 3d7e97d6ff1ed8692def8f7d5c0e7e4a395e1a5fe74fa4f74dcd7e49e2907988');
    expect(readFileSync(join(out, 'results.trace.tro.jsonld')).equals(readFileSync(join(PE, 'generated', 'web-run.simulation.trace.tro.jsonld')))).toBe(true);
    const verified = runCli(['verify', join(out, 'results.trace.tro.jsonld'), '--no-fetch']);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('ok: bundle_tro (bundle.trace.tro.jsonld#66ceaf4c12243f1f6ccb5b01e10fd1cd0a6e1e2fc6a9915ae5bde114353a4377)');
    expect(runCli(['validate', join(out, 'results.trace.tro.jsonld')]).status).toBe(0);
  });

  it('refuses an existing non-empty --out unless --force', () => {
    const inputs = webRunFiles();
    const out = join(scratch, 'occupied');
    mkdirSync(out);
    writeFileSync(join(out, 'x'), 'x');
    const r = runCli(webRunArgs(inputs, out));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/exists and is not empty \(use --force/);
    expect(runCli([...webRunArgs(inputs, out), '--force']).status).toBe(0);
    expect(existsSync(join(out, 'x'))).toBe(false);
  });

  it('refuses a runtime environment that is not an object of scalars', () => {
    const inputs = webRunFiles();
    writeFileSync(join(inputs, 'env.json'), '{"nested": {"a": 1}}');
    const r = runCli(webRunArgs(inputs, join(scratch, 'bad-env')));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/env\.json#\/nested: value of nested must be a string, number, boolean or null/);
  });
});
