// The endpoint path against a real SPARQL 1.1 server on loopback: load the corpus with `query --load` (a sync),
// then every named query must answer exactly as in-process.
//
// The server: PE_TRACE_TEST_SPARQL_ENDPOINT (plus PE_TRACE_TEST_SPARQL_GRAPH_STORE when it is not Virtuoso's
// /sparql-graph-crud) when set; else, when Debian's virtuoso-opensource is installed, this file starts a
// throw-away Virtuoso itself with scripts/sparql-endpoint.sh on free loopback ports and stops it afterwards.
// Neither available → the tests are skipped, and the skip says why.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from 'n3';
import { answerOnEndpoint, answerQuery, defaultGraphStoreUrl, endpointSelect, formatAnswer, listNamedQueries, loadCorpus, parseUserQuery } from '../../src/index.js';
import { REPO_ROOT, envelope, runCli } from '../support/cli.js';
import { freePort } from '../support/free-port.js';
import { datasetStore } from '../support/dataset.js';

const given = process.env['PE_TRACE_TEST_SPARQL_ENDPOINT'];
const hasVirtuoso = spawnSync('sh', ['-c', 'command -v virtuoso-t && command -v isql-vt'], { encoding: 'utf8' }).status === 0;
const available = given !== undefined || hasVirtuoso;
const reason = 'no SPARQL endpoint: set PE_TRACE_TEST_SPARQL_ENDPOINT, or install virtuoso-opensource (Debian) so this test starts one';

let endpoint = given ?? '';
let graphStore = process.env['PE_TRACE_TEST_SPARQL_GRAPH_STORE'] ?? '';
let state: string | undefined;
let store: Store;

function script(command: 'start' | 'stop', env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('bash', ['scripts/sparql-endpoint.sh', command, state ?? ''], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

let ports: NodeJS.ProcessEnv = {};

/**
 * TSV with the rows sorted: the same answer as a multiset. Virtuoso 7.2 does not order long strings by code
 * point under ORDER BY (it puts shorter strings first), so row order is compared separately where it matters.
 */
function rowsOf(tsv: string): { header: string; rows: string[] } {
  const [header = '', ...rows] = tsv.split('\n').filter((l) => l !== '');
  return { header, rows: rows.sort() };
}

beforeAll(async () => {
  if (!available) return;
  if (given === undefined) {
    state = mkdtempSync(join(tmpdir(), 'pe-trace-virtuoso-'));
    ports = { PE_TRACE_VIRTUOSO_HTTP_PORT: String(await freePort()), PE_TRACE_VIRTUOSO_SQL_PORT: String(await freePort()) };
    const r = script('start', ports);
    if (r.status !== 0) throw new Error(`scripts/sparql-endpoint.sh start failed: ${r.stderr}`);
    endpoint = r.stdout.trim();
  }
  if (graphStore === '') graphStore = defaultGraphStoreUrl(endpoint) ?? '';
  const corpus = await loadCorpus('fixtures/corpus');
  store = (await datasetStore(corpus, { dir: 'fixtures/corpus', graphs: 'all' })).store;
}, 180_000);

afterAll(() => {
  if (state === undefined) return;
  script('stop', ports);
  rmSync(state, { recursive: true, force: true });
});

describe.skipIf(!available)(`SPARQL endpoint on loopback${available ? '' : ` (skipped: ${reason})`}`, () => {
  it('loads the corpus with `pe-trace query --load`, which is a sync: a second load sends nothing, a removed file\'s graphs go', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'pe-trace-load-cache-'));
    const dir = mkdtempSync(join(tmpdir(), 'pe-trace-load-dir-'));
    try {
      cpSync(join(REPO_ROOT, 'fixtures/corpus'), dir, { recursive: true });
      const load = (): { status: number | null; stderr: string; loaded: { documents: number; put: number; unchanged: number; deleted: number; triples: number; requests: number } | undefined } => {
        const r = runCli(['query', '--dir', dir, '--endpoint', endpoint, '--graph-store', graphStore, '--load', '--cache', cache, '--json']);
        const e = envelope<{ loaded: { documents: number; put: number; unchanged: number; deleted: number; triples: number; requests: number } }>(r);
        return { status: r.status, stderr: r.stderr, loaded: e.result?.loaded };
      };
      const countOnServer = async (): Promise<{ quads: number; graphs: number }> => {
        const rows = await endpointSelect(endpoint, 'SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?g) AS ?k) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://pe-trace.invalid/")) }');
        return { quads: Number(rows.results.bindings[0]?.['n']?.value), graphs: Number(rows.results.bindings[0]?.['k']?.value) };
      };
      const graphs = new Set(store.getQuads(null, null, null, null).map((q) => q.graph.value)).size;
      const first = load();
      expect(first.status, first.stderr).toBe(0);
      expect(first.loaded).toMatchObject({ documents: 24, deleted: 0 });
      expect(await countOnServer()).toEqual({ quads: store.size, graphs });
      // loading again over the unchanged directory writes nothing and leaves the same data
      const again = load();
      expect(again.status, again.stderr).toBe(0);
      expect(again.loaded).toMatchObject({ put: 0, deleted: 0, requests: 0 });
      expect(await countOnServer()).toEqual({ quads: store.size, graphs });
      // a file removed from the directory: its graphs are dropped on the next load (the old --load left them behind)
      const gone = 'real/populace/us/populace_us_2024.trace.tro.jsonld';
      rmSync(join(dir, gone));
      const third = load();
      expect(third.status, third.stderr).toBe(0);
      expect(third.loaded?.deleted).toBeGreaterThan(0);
      const fresh = (await datasetStore(await loadCorpus(dir), { dir, graphs: 'all' })).store;
      expect((await countOnServer()).quads).toBe(fresh.size);
      // and put back: the server holds the whole corpus again (the named-query tests below read it)
      cpSync(join(REPO_ROOT, 'fixtures/corpus', gone), join(dir, gone));
      const fourth = load();
      expect(fourth.status, fourth.stderr).toBe(0);
      expect(fourth.loaded?.put).toBeGreaterThan(0);
      expect(await countOnServer()).toEqual({ quads: store.size, graphs });
    } finally {
      rmSync(cache, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('refuses --load with --no-cache in one line naming `pe-trace sync --state` (the sync state lives in the cache)', () => {
    const r = runCli(['query', 'builds', '--dir', 'fixtures/corpus', '--endpoint', endpoint, '--load', '--no-cache']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('pe-trace sync --no-cache --state FILE');
  });

  it.each(listNamedQueries().map((q) => [q.name, q] as const))('named query %s answers as in-process', async (_name, q) => {
    const parsed = parseUserQuery(q.text, q.file);
    const local = formatAnswer(await answerQuery(store, parsed), 'tsv');
    const remote = formatAnswer(await answerOnEndpoint(endpoint, parsed), 'tsv');
    expect(rowsOf(remote)).toEqual(rowsOf(local));
    expect(q.text.includes('ASK') ? local : rowsOf(local).rows.length).toEqual(q.text.includes('ASK') ? 'true\n' : expect.any(Number));
    if (!q.text.includes('ASK')) expect(rowsOf(local).rows.length).toBeGreaterThan(3);
  }, 60_000);

  it('answers over the documents\' own graphs and views as in-process', async () => {
    const text = `PREFIX trov: <https://w3id.org/trace/trov/0.1#>
      SELECT ?path (COUNT(DISTINCT ?v) AS ?hashes) WHERE {
        ?doc <https://w3id.org/pe-trace/query#viewGraph> ?view ; <https://w3id.org/pe-trace/query#path> ?path .
        GRAPH ?view { ?a trov:hash ?h . ?h trov:hashValue ?v }
      } GROUP BY ?path ORDER BY ?path`;
    const parsed = parseUserQuery(text, 'views.rq');
    const local = formatAnswer(await answerQuery(store, parsed), 'tsv');
    expect(rowsOf(formatAnswer(await answerOnEndpoint(endpoint, parsed), 'tsv'))).toEqual(rowsOf(local));
    // one row per path of each of the 10 TRO documents (12 paths: identical copies share a document)
    expect(rowsOf(local).rows).toHaveLength(12);
  }, 60_000);

  it('runs a named query on the endpoint from the command line', () => {
    const r = runCli(['query', 'builds', '--endpoint', endpoint, '--format', 'csv']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\r\n')[1]).toBe('populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z,emitted/build/populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z.build.trace.tro.jsonld,tro,3');
  }, 60_000);
});
