// `pe-trace sync` against a second, unrelated SPARQL server: RDF::Endpoint (Debian librdf-endpoint-perl, run by plackup
// on loopback by this test). It has SPARQL 1.1 Update but no Graph Store Protocol (404), so sync falls back to Update;
// afterwards every graph holds what `query --dir` builds, and changes and removals are sent alone.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncDirectory } from '../../src/index.js';
import { REPO_ROOT, envelope, runCli } from '../support/cli.js';
import { freePort } from '../support/free-port.js';

const PSGI = '/usr/share/librdf-endpoint-perl/endpoint.psgi';
const available = existsSync(PSGI) && spawnSync('sh', ['-c', 'command -v plackup'], { encoding: 'utf8' }).status === 0;
const reason = 'RDF::Endpoint not installed (Debian librdf-endpoint-perl and plackup; .ci/run installs them)';

let work = '';
let corpus = '';
let endpoint = '';
let server: ChildProcess | undefined;

/**
 * A SELECT on the server. RDF::Endpoint answers JSON only for `Accept: application/json` (it answers XML to the
 * SPARQL JSON media type) and drops datatypes there, so rows are compared by their values.
 */
async function remoteRows(query: string): Promise<string[]> {
  const res = await fetch(endpoint, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query }).toString() });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { head: { vars: string[] }; results: { bindings: Record<string, { value: string }>[] } };
  return body.results.bindings.map((b) => body.head.vars.map((v) => b[v]?.value ?? '').join('\t')).sort();
}

/** The same SELECT through `pe-trace query --dir`, as values. */
function localRows(query: string): string[] {
  const r = runCli(['query', '--sparql', query, '--dir', corpus, '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  const body = JSON.parse(r.stdout) as { head: { vars: string[] }; results: { bindings: Record<string, { value: string }>[] } };
  return body.results.bindings.map((b) => body.head.vars.map((v) => b[v]?.value ?? '').join('\t')).sort();
}

const QUERIES = [
  'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g',
  'PREFIX ptq: <https://w3id.org/pe-trace/query#> SELECT ?d ?path ?sha WHERE { GRAPH <https://pe-trace.invalid/graph/index> { ?d ptq:path ?path ; ptq:sha256 ?sha } }',
  'PREFIX trov: <https://w3id.org/trace/trov/0.1#> SELECT ?g (COUNT(?a) AS ?n) WHERE { GRAPH ?g { ?c trov:hasArtifact ?a } } GROUP BY ?g',
];

async function expectSameAnswers(): Promise<void> {
  for (const q of QUERIES) {
    const local = localRows(q);
    expect(local.length, q).toBeGreaterThan(3);
    expect(await remoteRows(q), q).toEqual(local);
  }
}

interface SyncResult {
  protocol: string;
  put: number;
  batched: number;
  patched: number;
  patchedTriples: number;
  deleted: number;
  requests: number;
}

function sync(...extra: string[]): SyncResult & { warnings: string[] } {
  const state = extra.includes('--state') ? [] : ['--state', join(work, 'state.json')];
  const r = runCli(['sync', '--dir', corpus, '--endpoint', endpoint, ...state, '--cache', join(work, 'sync-cache'), '--json', ...extra]);
  const e = envelope<SyncResult>(r);
  expect(e.status, r.stderr + r.stdout).toBe(0);
  return { ...(e.result ?? { protocol: '', put: -1, batched: -1, patched: -1, patchedTriples: -1, deleted: -1, requests: -1 }), warnings: e.warnings };
}

/** The index and links graphs as the server holds them (values only: RDF::Endpoint's JSON drops datatypes). */
async function sharedRows(): Promise<string[]> {
  const out: string[] = [];
  for (const g of ['https://pe-trace.invalid/graph/index', 'https://pe-trace.invalid/graph/links']) {
    out.push(...(await remoteRows(`SELECT ?s ?p ?o WHERE { GRAPH <${g}> { ?s ?p ?o } }`)).map((row) => `${g}\t${row}`));
  }
  return out.sort();
}

beforeAll(async () => {
  if (!available) return;
  work = mkdtempSync(join(tmpdir(), 'pe-trace-rdf-endpoint-'));
  corpus = join(work, 'corpus');
  cpSync(join(REPO_ROOT, 'fixtures', 'corpus'), corpus, { recursive: true });
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}/sparql`;
  // cwd: an empty folder, so RDF::Endpoint finds no config file and serves an in-memory store with Update on.
  server = spawn('plackup', ['--host', '127.0.0.1', '--port', String(port), PSGI], { cwd: work, stdio: 'ignore' });
  // Ready when it answers a query (each attempt is a real request; the loop ends on the first answer).
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${endpoint}?query=${encodeURIComponent('ASK {}')}`, { headers: { accept: 'application/json' } });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (attempt > 600) throw new Error('RDF::Endpoint did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 120_000);

afterAll(() => {
  server?.kill();
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!available)(`pe-trace sync into RDF::Endpoint${available ? '' : ` (skipped: ${reason})`}`, () => {
  it('falls back to SPARQL 1.1 Update (no Graph Store there) and the server then holds the graphs query --dir builds', async () => {
    const first = sync();
    expect(first.protocol).toBe('update');
    expect(first.warnings.join('\n')).toMatch(/no SPARQL 1\.1 Graph Store Protocol .* fell back to SPARQL 1\.1 Update/);
    expect(first.put).toBeGreaterThan(24);
    // every document in multi-graph INSERT DATA requests (standard SPARQL 1.1; this server takes blank nodes there
    // and refuses Virtuoso's pragma), each checked by a count: far fewer requests than graphs
    expect(first.batched).toBe(first.put - 2);
    expect(first.requests).toBeLessThan(10);
    await expectSameAnswers();
  }, 300_000);

  it('with the state lost, graphs the server already holds are found by the count and replaced: blank nodes are not doubled', async () => {
    const lost = sync('--state', join(work, 'state-lost.json'));
    expect(lost.put).toBeGreaterThan(24);
    // the documents with blank nodes held twice their triples after the INSERT DATA: those were replaced whole
    expect(lost.batched).toBeLessThan(lost.put - 2);
    expect(lost.batched).toBeGreaterThan(0);
    await expectSameAnswers();
  }, 300_000);

  it("leaves the directory's query index whole (sync lifts its batches without touching it)", async () => {
    const cache = join(work, 'query-cache');
    const count = (): number => Number(/\d+/.exec(runCli(['query', '--dir', corpus, '--cache', cache, '--format', 'csv', '--sparql', 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }']).stdout.split('\n')[1] ?? '')?.[0]);
    const before = count();
    const covered = (): number => {
      const [key] = readdirSync(join(cache, 'index-v1'));
      return Object.keys((JSON.parse(readFileSync(join(cache, 'index-v1', key ?? '', 'manifest.json'), 'utf8')) as { docs: object }).docs).length;
    };
    const documents = covered();
    expect(documents).toBeGreaterThan(10);
    // Batches of 5 documents: each batch is lifted on its own.
    await syncDirectory(corpus, { endpoint, statePath: join(work, 'state-2.json'), cacheDir: cache, full: true, batchDocuments: 5 });
    expect(covered()).toBe(documents);
    expect(count()).toBe(before);
  }, 300_000);

  it('sends nothing the second time, then only a change and a removal', async () => {
    const again = sync();
    expect(again).toMatchObject({ put: 0, deleted: 0, requests: 0 });
    const changed = join(corpus, 'emitted/run-record-uk/run.trace.tro.jsonld');
    writeFileSync(changed, `${readFileSync(changed, 'utf8')}\n `);
    rmSync(join(corpus, 'real/policyengine-py/web-run/simulation.trace.tro.jsonld'));
    const third = sync();
    // the changed TRO's own graph and view replaced; the index and links graphs patched (a diff of a few dozen
    // triples of several hundred); the old graphs of both files dropped
    expect(third).toMatchObject({ protocol: 'update', put: 2, patched: 2, deleted: 4 });
    expect(third.patchedTriples).toBeGreaterThan(0);
    await expectSameAnswers();
  }, 300_000);

  it('after 10 files change the patched index and links graphs equal a fresh full sync', async () => {
    const files = [
      'emitted/build/populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z.build.trace.tro.jsonld',
      'emitted/build/populace-us-2024-9f1260b-20260611.build.trace.tro.jsonld',
      'emitted/run-record-uk/bundle.trace.tro.jsonld',
      'emitted/run-record-uk/run.trace.tro.jsonld',
      'real/policyengine-py/data/bundle/uk.trace.tro.jsonld',
      'real/policyengine-py/data/bundle/us.trace.tro.jsonld',
      'real/policyengine-py/run-record-with-url/run.trace.tro.jsonld',
      'real/policyengine-py/run-record/run.trace.tro.jsonld',
      'real/populace/us/populace_us_2024.trace.tro.jsonld',
      'real/populace/us/release_manifest.json',
    ];
    // a tag of its own per file: two files of equal bytes stay two documents
    files.forEach((f, i) => {
      const path = join(corpus, f);
      writeFileSync(path, `${readFileSync(path, 'utf8')}\n${' '.repeat(i + 2)}`);
    });
    // Through the library with the same state as the CLI's, patching whatever the size of the diff (24 documents
    // are too few for the default's choice, which would replace both graphs whole).
    // (and the same cache: the difference starts from the corpus kept beside the state, the changed documents' old facts
    // read from the cache)
    const changed = await syncDirectory(corpus, { endpoint, graphStore: `${endpoint}-graph-crud`, statePath: join(work, 'state.json'), cacheDir: join(work, 'sync-cache'), patchMaxFraction: Number.POSITIVE_INFINITY });
    expect(changed).toMatchObject({ protocol: 'update', patched: 2 });
    expect(changed.put).toBeGreaterThanOrEqual(10);
    const patchedRows = await sharedRows();
    expect(patchedRows.length).toBeGreaterThan(100);
    await expectSameAnswers();
    // --full sends every graph whole (the index and links graphs replaced): the server then holds the same
    const full = sync('--full');
    expect(full.patched).toBe(0);
    expect(await sharedRows()).toEqual(patchedRows);
  }, 300_000);
});
