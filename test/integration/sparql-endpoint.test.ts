// The endpoint path against a real SPARQL 1.1 server on loopback: load the corpus through the Graph Store
// Protocol, then every named query must answer exactly as in-process.
//
// The server: PE_TRACE_TEST_SPARQL_ENDPOINT (plus PE_TRACE_TEST_SPARQL_GRAPH_STORE when it is not Virtuoso's
// /sparql-graph-crud) when set; else, when Debian's virtuoso-opensource is installed, this file starts a
// throw-away Virtuoso itself with scripts/sparql-endpoint.sh on free loopback ports and stops it afterwards.
// Neither available → the tests are skipped, and the skip says why.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from 'n3';
import { answerOnEndpoint, answerQuery, defaultGraphStoreUrl, formatAnswer, listNamedQueries, loadCorpus, parseUserQuery } from '../../src/index.js';
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
  it('loads the corpus through the Graph Store Protocol with `pe-trace query --load`', () => {
    const r = runCli(['query', '--dir', 'fixtures/corpus', '--endpoint', endpoint, '--graph-store', graphStore, '--load', '--json']);
    const e = envelope<{ loaded: { documents: number; graphs: number; triples: number } }>(r);
    expect(e.status, r.stderr).toBe(0);
    const graphs = new Set(store.getQuads(null, null, null, null).map((q) => q.graph.value)).size;
    expect(e.result?.loaded).toEqual({ documents: 24, graphs, triples: store.size });
    // loading again replaces each graph (PUT): same count, nothing duplicated
    const again = envelope<{ loaded: { triples: number } }>(runCli(['query', '--dir', 'fixtures/corpus', '--endpoint', endpoint, '--graph-store', graphStore, '--load', '--json']));
    expect(again.result?.loaded.triples).toBe(store.size);
  }, 120_000);

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
