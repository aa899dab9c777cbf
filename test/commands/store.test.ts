// `pe-trace store put/get/ls/verify`: a content-addressed, append-only store of verified records, servable by any static web server.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, envelope, expectOneLineError, runCli } from '../support/cli.js';
import { runCliAsync } from '../support/loopback-hub.js';

const BUNDLE_TRO = join(FIXTURES, 'policyengine-py', 'shipped', 'us.trace.tro.jsonld');
/** policyengine.py's own run record (fp 8b68588a…), and the same run with a bundle URL: same fingerprint, different TRO bytes. */
const PY_RECORD = join(FIXTURES, 'policyengine-py', 'generated', 'run-record');
const PY_RECORD_WITH_URL = join(FIXTURES, 'policyengine-py', 'generated', 'run-record-with-url');
const PY_FP = '8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997';

let root: string;
let recA: string;
let recB: string;
let fpA: string;
let fpB: string;

/** A real record written by `pe-trace record`; returns its fingerprint. */
function record(out: string, simulationId: string, results: unknown): string {
  const inputs = join(root, `${simulationId}-inputs`);
  mkdirSync(inputs, { recursive: true });
  writeFileSync(join(inputs, 'input.json'), JSON.stringify({ household: { people: 2 } }));
  writeFileSync(join(inputs, 'results.json'), JSON.stringify(results));
  const r = runCli(['record', '--bundle-tro', BUNDLE_TRO, '--input', join(inputs, 'input.json'), '--results', join(inputs, 'results.json'), '--simulation-id', simulationId, '--created-at', '2026-06-12T00:00:00Z', '--out', out, '--json']);
  expect(r.status).toBe(0);
  return (envelope<{ fingerprint: string }>(r).result as { fingerprint: string }).fingerprint;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pe-trace-store-'));
  recA = join(root, 'recA');
  recB = join(root, 'recB');
  fpA = record(recA, 'run-A', { net_income: 1.5 });
  fpB = record(recB, 'run-B', { net_income: 2.5 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const freshStore = (): string => join(root, `store-${++n}`);
const put = (rec: string, store: string, ...extra: string[]) => runCli(['store', 'put', rec, '--store', store, '--json', ...extra]);

describe('store put / get / verify', () => {
  it('round trip: put stores STORE/<fingerprint>/ and the index; get restores the same bytes; verify is ok', () => {
    const store = freshStore();
    const r = put(recA, store);
    expect(r.status).toBe(0);
    expect(envelope(r).result).toMatchObject({ fingerprint: fpA, status: 'added', record: { tro: 'run.trace.tro.jsonld' } });
    expect(readdirSync(join(store, fpA)).sort()).toEqual(readdirSync(recA).sort());
    expect(readdirSync(store).sort()).toEqual([fpA, 'index.json']);

    const out = join(root, 'restored-A');
    expect(runCli(['store', 'get', fpA.slice(0, 10), '--store', store, '--out', out]).status).toBe(0);
    for (const f of readdirSync(recA)) expect(readFileSync(join(out, f)).equals(readFileSync(join(recA, f)))).toBe(true);
    const tro = runCli(['store', 'get', fpA, '--store', store]);
    expect(tro.stdoutBytes.equals(readFileSync(join(recA, 'run.trace.tro.jsonld')))).toBe(true);
    expect(runCli(['verify', join(out, 'run.trace.tro.jsonld')]).status).toBe(0);

    const v = runCli(['store', 'verify', '--store', store, '--json']);
    expect(v.status).toBe(0);
    expect(envelope(v).result).toEqual({ verified: true, records: 1, findings: [] });
    const ls = envelope<{ records: { fingerprint: string }[] }>(runCli(['store', 'ls', '--store', store, '--json'])).result;
    expect(ls?.records.map((x) => x.fingerprint)).toEqual([fpA]);
  });

  it('putting the same record twice is a no-op (nothing rewritten)', () => {
    const store = freshStore();
    expect(put(recA, store).status).toBe(0);
    const before = statSync(join(store, 'index.json'));
    const indexBytes = readFileSync(join(store, 'index.json'));
    const again = put(recA, store);
    expect(again.status).toBe(0);
    expect(envelope(again).result).toMatchObject({ status: 'unchanged', fingerprint: fpA });
    const after = statSync(join(store, 'index.json'));
    expect(after.ino).toBe(before.ino);
    expect(readFileSync(join(store, 'index.json')).equals(indexBytes)).toBe(true);
  });

  it('a stored record gains its signature later (attached, nothing rewritten); a changed signature is a conflict', () => {
    const store = freshStore();
    expect(put(recA, store).status).toBe(0);
    const tro = readFileSync(join(store, fpA, 'run.trace.tro.jsonld'));
    const signed = join(root, 'signed-a');
    cpSync(recA, signed, { recursive: true });
    writeFileSync(join(signed, 'run.trace.tro.jsonld.sigstore.json'), '{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json"}\n');
    const r = put(signed, store);
    expect(r.status).toBe(0);
    expect(envelope<{ status: string; record: { files: { path: string }[] } }>(r).result).toMatchObject({ status: 'attached' });
    expect(readFileSync(join(store, fpA, 'run.trace.tro.jsonld')).equals(tro)).toBe(true);
    expect(existsSync(join(store, fpA, 'run.trace.tro.jsonld.sigstore.json'))).toBe(true);
    expect(runCli(['store', 'verify', '--store', store]).status).toBe(0);
    // The unsigned copy again is a no-op; a different signature under the same name is refused and the stored one kept.
    expect(envelope(put(recA, store)).result).toMatchObject({ status: 'unchanged' });
    writeFileSync(join(signed, 'run.trace.tro.jsonld.sigstore.json'), '{"forged": true}\n');
    expectOneLineError(runCli(['store', 'put', signed, '--store', store]), 4, /run\.trace\.tro\.jsonld\.sigstore\.json differs/);
    expect(readFileSync(join(store, fpA, 'run.trace.tro.jsonld.sigstore.json'), 'utf8')).toContain('sigstore.bundle');
  });

  it('a different record with the same fingerprint is reported (exit 4) and the stored one is kept', () => {
    const store = freshStore();
    expect(put(PY_RECORD, store).status).toBe(0);
    const stored = readFileSync(join(store, PY_FP, 'run.trace.tro.jsonld'));
    const index = readFileSync(join(store, 'index.json'));
    const r = runCli(['store', 'put', PY_RECORD_WITH_URL, '--store', store]);
    expectOneLineError(r, 4, new RegExp(`different record with fingerprint ${PY_FP} \\(run\\.trace\\.tro\\.jsonld differs`));
    expect(readFileSync(join(store, PY_FP, 'run.trace.tro.jsonld')).equals(stored)).toBe(true);
    expect(readFileSync(join(store, 'index.json')).equals(index)).toBe(true);
  });

  it('a record that does not verify is refused (exit 5) and nothing is written', () => {
    const bad = join(root, 'bad-record');
    cpSync(recA, bad, { recursive: true });
    appendFileSync(join(bad, 'results.json'), ' ');
    const store = freshStore();
    const r = runCli(['store', 'put', bad, '--store', store]);
    expectOneLineError(r, 5, /does not verify, so it is not stored \(mismatch: results/);
    expect(existsSync(store)).toBe(false);
  });

  it('store verify finds a tampered stored record, an added file and an unindexed directory (exit 5)', () => {
    const store = freshStore();
    expect(put(recA, store).status).toBe(0);
    expect(put(recB, store).status).toBe(0);
    expect(runCli(['store', 'verify', '--store', store]).status).toBe(0);
    writeFileSync(join(store, fpA, 'results.json'), '{"net_income": 1000000}');
    writeFileSync(join(store, fpB, 'extra.txt'), 'smuggled');
    mkdirSync(join(store, 'f'.repeat(64)));
    const v = runCli(['store', 'verify', '--store', store, '--json']);
    expect(v.status).toBe(5);
    const report = envelope<{ verified: boolean; findings: { fingerprint: string; problem: string }[] }>(v).result;
    expect(report?.verified).toBe(false);
    const problems = report?.findings.map((f) => `${f.fingerprint.slice(0, 8)} ${f.problem}`) ?? [];
    expect(problems.some((p) => p.startsWith(`${fpA.slice(0, 8)} the stored files differ from the index: results.json changed`))).toBe(true);
    expect(problems.some((p) => p.startsWith(`${fpA.slice(0, 8)} run.trace.tro.jsonld does not verify: mismatch: results`))).toBe(true);
    expect(problems.some((p) => p.startsWith(`${fpB.slice(0, 8)} the stored files differ from the index: extra.txt was added`))).toBe(true);
    expect(problems).toContain('ffffffff a record directory that the index does not list');
    // get refuses the changed bytes instead of handing them out.
    expectOneLineError(runCli(['store', 'get', fpA, '--store', store]), 5, /results\.json: stored file changed since it was stored/);
    // Human mode: one line per finding on stdout, one error line on stderr.
    const human = runCli(['store', 'verify', '--store', store]);
    expect(human.stderr.trim().split('\n')).toHaveLength(1);
    expect(human.stdout.trim().split('\n')).toHaveLength(4);
  });

  it('a lost index never drops records: unindexed directories are verified and listed again, a bad one stops the put', () => {
    const store = freshStore();
    expect(put(recA, store).status).toBe(0);
    const withA = readFileSync(join(store, 'index.json'));
    rmSync(join(store, 'index.json'));
    const r = put(recB, store);
    expect(r.status).toBe(0);
    expect(envelope(r).result).toMatchObject({ status: 'added', recovered: [fpA] });
    expect(envelope(r).warnings).toEqual([`${fpA}/ was on disk but not in the index; it verified and is indexed again`]);
    const both = JSON.parse(readFileSync(join(store, 'index.json'), 'utf8')) as { records: { fingerprint: string }[] };
    expect(both.records.map((x) => x.fingerprint)).toEqual([fpA, fpB].sort());
    // Re-putting A over the lost index restores exactly the old index.
    const only = freshStore();
    expect(put(recA, only).status).toBe(0);
    rmSync(join(only, 'index.json'));
    expect(envelope(put(recA, only)).result).toMatchObject({ status: 'unchanged', recovered: [fpA] });
    expect(readFileSync(join(only, 'index.json')).equals(withA)).toBe(true);
    // A tampered unindexed directory is not indexed and the put changes nothing.
    rmSync(join(store, 'index.json'));
    writeFileSync(join(store, fpA, 'results.json'), '{}');
    expectOneLineError(runCli(['store', 'put', PY_RECORD, '--store', store]), 5, new RegExp(`${fpA}: a record directory the index does not list cannot be indexed again`));
    expect(existsSync(join(store, 'index.json'))).toBe(false);
    expect(existsSync(join(store, PY_FP))).toBe(false);
  });

  it('the index is deterministic: the same records in any order give the same bytes', () => {
    const s1 = freshStore();
    const s2 = freshStore();
    for (const r of [recA, recB, PY_RECORD]) expect(put(r, s1).status).toBe(0);
    for (const r of [PY_RECORD, recB, recA]) expect(put(r, s2).status).toBe(0);
    const i1 = readFileSync(join(s1, 'index.json'));
    expect(i1.equals(readFileSync(join(s2, 'index.json')))).toBe(true);
    const doc = JSON.parse(i1.toString('utf8')) as { format: string; records: { fingerprint: string }[] };
    expect(doc.format).toBe('pe-trace-store/1');
    expect(doc.records.map((r) => r.fingerprint)).toEqual([fpA, fpB, PY_FP].sort());
    expect(i1.toString('utf8')).not.toContain(root);
  });

  it('refuses hostile records: a symlink, a subdirectory, an ambiguous TRO; a held lock is reported', () => {
    const store = freshStore();
    const withLink = join(root, 'with-link');
    cpSync(recA, withLink, { recursive: true });
    symlinkSync('/etc/passwd', join(withLink, 'passwd'));
    expectOneLineError(runCli(['store', 'put', withLink, '--store', store]), 3, /passwd is a symbolic link/);
    const withDir = join(root, 'with-dir');
    cpSync(recA, withDir, { recursive: true });
    mkdirSync(join(withDir, 'sub'));
    expectOneLineError(runCli(['store', 'put', withDir, '--store', store]), 3, /sub is a subdirectory/);
    const twoTros = join(root, 'two-tros');
    mkdirSync(twoTros);
    cpSync(join(recA, 'bundle.trace.tro.jsonld'), join(twoTros, 'a.trace.tro.jsonld'));
    cpSync(join(recA, 'bundle.trace.tro.jsonld'), join(twoTros, 'b.trace.tro.jsonld'));
    expectOneLineError(runCli(['store', 'put', twoTros, '--store', store]), 2, /name it with --tro/);
    mkdirSync(store, { recursive: true });
    writeFileSync(join(store, '.pe-trace-store.lock'), '');
    expectOneLineError(runCli(['store', 'put', recA, '--store', store]), 3, /locked by another writer/);
    expect(existsSync(join(store, fpA))).toBe(false);
    expectOneLineError(runCli(['store', 'get', 'zz', '--store', store]), 2, /not a fingerprint/);
  });
});

describe('store served by a static web server', () => {
  let server: Server;
  let base: string;
  let store: string;
  beforeAll(async () => {
    store = freshStore();
    expect(put(recA, store).status).toBe(0);
    expect(put(PY_RECORD, store).status).toBe(0);
    // The plainest static server: URL path = file path under the store, nothing else.
    server = createServer((req, res) => {
      const path = join(store, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      if (!path.startsWith(store) || !existsSync(path) || !statSync(path).isFile()) return void res.writeHead(404).end();
      res.writeHead(200).end(readFileSync(path));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('https://HOST/<fingerprint>/<file> is the record: a reader fetches index.json, then the files, and the copy verifies', async () => {
    const index = (await (await fetch(`${base}/index.json`)).json()) as { records: { fingerprint: string; tro: string; files: { path: string }[] }[] };
    for (const entry of index.records) {
      const copy = join(root, `fetched-${entry.fingerprint.slice(0, 8)}`);
      mkdirSync(copy);
      for (const f of entry.files) writeFileSync(join(copy, f.path), Buffer.from(await (await fetch(`${base}/${entry.fingerprint}/${f.path}`)).arrayBuffer()));
      const v = await runCliAsync(['verify', join(copy, entry.tro), '--json']);
      expect(v.status).toBe(0);
      expect(envelope<{ fingerprint: { computed: string } }>(v).result?.fingerprint.computed).toBe(entry.fingerprint);
    }
    expect(index.records).toHaveLength(2);
  });
});
