// `pe-trace sync` against a real Virtuoso on loopback, through a logging proxy that sees every write and can fail one:
// first sync, a no-op second run, changes and removals sent alone, an interrupted run continued, the Update fallback,
// and after each step `query --endpoint` answering as `query --dir` does.
//
// Virtuoso (Debian's virtuoso-opensource, installed by .ci/run) is started by scripts/sparql-endpoint.sh on free
// loopback ports and stopped afterwards; without virtuoso-t / isql-vt the tests are skipped, and the skip says why.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer as createHttpServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX_GRAPH, LINKS_GRAPH, loadCorpus, syncDirectory, viewGraphIri } from '../../src/index.js';
import { generateCorpus } from '../../bench/query.js';
import { REPO_ROOT } from '../support/cli.js';
import { freePort } from '../support/free-port.js';

const hasVirtuoso = spawnSync('sh', ['-c', 'command -v virtuoso-t && command -v isql-vt'], { encoding: 'utf8' }).status === 0;
const reason = 'virtuoso-t / isql-vt not installed (Debian virtuoso-opensource; .ci/run installs it)';

let work = '';
let virtuoso = '';
let ports: NodeJS.ProcessEnv = {};
let corpus = '';
let cacheHome = '';

function script(command: 'start' | 'stop'): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('bash', ['scripts/sparql-endpoint.sh', command, join(work, 'virtuoso')], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, ...ports } });
}

interface Logged {
  readonly method: string;
  readonly path: string;
  readonly graph: string | undefined;
  readonly status: number;
}

/**
 * A loopback proxy in front of Virtuoso that logs every request (method, path, graph, status). `failPut` makes
 * the Nth PUT from now answer 500 without reaching the server (once); `deadlockPut` makes it answer Virtuoso's
 * deadlock error instead (once); `failUpdate` does so for the Nth SPARQL Update POST; `noGraphStore` answers 405
 * on the Graph Store; `swallowInsert` answers 200 to every INSERT DATA without passing it on (a server that says
 * yes and writes nothing); `onCount` is called (instead of forwarding) when a count query of sync's multi-graph
 * check arrives. Update POSTs (form-encoded or `application/sparql-update`) are logged with graph `update`.
 */
class Proxy {
  log: Logged[] = [];
  failPut: number | undefined;
  deadlockPut: number | undefined;
  failUpdate: number | undefined;
  noGraphStore = false;
  swallowInsert = false;
  /** Swallow INSERT DATA only from this one on (1 = the first). */
  swallowFrom = 1;
  private inserts = 0;
  onCount: (() => void) | undefined;
  private puts = 0;
  private updates = 0;
  private server = createHttpServer((req, res) => this.handle(req, res));
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/sparql`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  resetInserts(): void {
    this.inserts = 0;
  }

  writes(): Logged[] {
    return this.log.filter((l) => l.method !== 'GET' && !(l.method === 'POST' && l.graph === 'query'));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://x');
      const text = body.toString('utf8');
      const isQuery = req.method === 'POST' && text.startsWith('query=');
      const isUpdate = req.method === 'POST' && (text.startsWith('update=') || req.headers['content-type'] === 'application/sparql-update');
      const graph = isQuery ? 'query' : isUpdate ? 'update' : (url.searchParams.get('graph') ?? undefined);
      const answer = (status: number, text: string): void => {
        this.log.push({ method: req.method ?? '', path: url.pathname, graph, status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
      };
      if (this.noGraphStore && url.pathname.startsWith('/sparql-graph-crud')) return answer(405, 'Method Not Allowed');
      if (isUpdate && this.swallowInsert && text.includes('INSERT DATA') && ++this.inserts >= this.swallowFrom) return answer(200, 'done');
      if (isQuery && this.onCount !== undefined && new URLSearchParams(text).get('query')?.includes('(COUNT(*) AS ?n) WHERE { VALUES ?g') === true) {
        const hook = this.onCount;
        this.onCount = undefined;
        hook();
        return answer(503, 'stopped');
      }
      if (req.method === 'PUT' && (this.failPut !== undefined || this.deadlockPut !== undefined)) {
        this.puts++;
        if (this.puts === this.failPut) {
          this.failPut = undefined;
          this.puts = 0;
          return answer(500, 'injected failure');
        }
        if (this.puts === this.deadlockPut) {
          this.deadlockPut = undefined;
          this.puts = 0;
          // Virtuoso's answer to a deadlock victim (its transaction rolled back, nothing written)
          return answer(500, 'Virtuoso 40001 Error SR172: Transaction deadlocked');
        }
      }
      if (isUpdate && this.failUpdate !== undefined && ++this.updates === this.failUpdate) {
        this.failUpdate = undefined;
        this.updates = 0;
        return answer(500, 'injected update failure');
      }
      const upstream = new URL(req.url ?? '/', virtuoso);
      const fwd = httpRequest(upstream, { method: req.method, headers: { ...req.headers, host: upstream.host } }, (up) => {
        const out: Buffer[] = [];
        up.on('data', (c: Buffer) => out.push(c));
        up.on('end', () => {
          this.log.push({ method: req.method ?? '', path: url.pathname, graph, status: up.statusCode ?? 0 });
          res.writeHead(up.statusCode ?? 502, up.headers).end(Buffer.concat(out));
        });
      });
      fwd.on('error', () => answer(502, 'upstream failed'));
      fwd.end(body);
    });
  }
}

let proxy: Proxy;

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI as a child process, awaited without blocking this process (the proxy answers on its event loop). */
function cli(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'run.js'), ...args], { cwd: REPO_ROOT, env: { ...process.env, XDG_CACHE_HOME: cacheHome, PE_TRACE_THREADS: '1' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('close', (code) => resolve({ status: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

interface SyncJson {
  protocol: string;
  documents: number;
  put: number;
  batched: number;
  patched: number;
  retries: number;
  deleted: number;
  unchanged: number;
  requests: number;
  resumed: boolean;
}

async function sync(...extra: string[]): Promise<{ run: Run; result: SyncJson; warnings: string[] }> {
  const run = await cli(['sync', '--dir', corpus, '--endpoint', proxy.url, '--json', ...extra]);
  expect(run.status, run.stderr + run.stdout).toBe(0);
  const e = JSON.parse(run.stdout) as { result: SyncJson; warnings: string[] };
  return { run, result: e.result, warnings: e.warnings };
}

const QUERIES = [
  // every graph of ours with its triple count: the whole dataset, graph by graph
  'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://pe-trace.invalid/")) } GROUP BY ?g',
  'PREFIX trov: <https://w3id.org/trace/trov/0.1#> SELECT ?g (COUNT(?a) AS ?n) WHERE { GRAPH ?g { ?c trov:hasArtifact ?a } } GROUP BY ?g',
  'PREFIX ptq: <https://w3id.org/pe-trace/query#> SELECT ?d ?path ?sha ?kind WHERE { GRAPH <https://pe-trace.invalid/graph/index> { ?d ptq:path ?path ; ptq:sha256 ?sha ; ptq:documentKind ?kind } }',
  `PREFIX trov: <https://w3id.org/trace/trov/0.1#> SELECT ?path (COUNT(DISTINCT ?v) AS ?hashes) WHERE {
     ?doc <https://w3id.org/pe-trace/query#viewGraph> ?view ; <https://w3id.org/pe-trace/query#path> ?path .
     GRAPH ?view { ?a trov:hash ?h . ?h trov:hashValue ?v } } GROUP BY ?path`,
];

function rowsOf(tsv: string): string[] {
  return tsv.split('\n').filter((l) => l !== '').sort();
}

/** Each query's rows from the server (through `query --endpoint`) equal those of `query --dir` over the directory. */
async function expectSameAnswers(dir = corpus): Promise<void> {
  for (const q of QUERIES) {
    const local = await cli(['query', '--sparql', q, '--dir', dir, '--format', 'tsv']);
    const remote = await cli(['query', '--sparql', q, '--endpoint', virtuoso, '--format', 'tsv']);
    expect(local.status, local.stderr).toBe(0);
    expect(remote.status, remote.stderr).toBe(0);
    expect(rowsOf(remote.stdout), q).toEqual(rowsOf(local.stdout));
    expect(rowsOf(local.stdout).length, q).toBeGreaterThan(3);
  }
}

/** The graph IRIs `query --dir` builds for the corpus's documents (own graph, and view for TROs). */
async function documentGraphs(dir = corpus): Promise<Set<string>> {
  const c = await loadCorpus(dir);
  return new Set(c.documents.flatMap((d) => (d.facts.kind === 'tro' ? [d.graph, viewGraphIri(d.sha256)] : [d.graph])));
}

function touchFile(rel: string, tag: string): void {
  const path = join(corpus, rel);
  // trailing white space: the same JSON, other bytes, so another document (another content-derived graph)
  writeFileSync(path, `${readFileSync(path, 'utf8')}\n${' '.repeat(tag.length)}`);
}

/** A generated corpus of 60 documents (bench/query.js), made once. */
function generated(): string {
  const dir = join(work, 'generated');
  if (!existsSync(dir)) generateCorpus(dir, 60);
  return dir;
}

/** Drops every graph of ours from the server (straight to Virtuoso, no state involved). */
async function dropOurGraphs(): Promise<void> {
  const all = new Set<string>([INDEX_GRAPH, LINKS_GRAPH]);
  const listed = await fetch(virtuoso, { method: 'POST', headers: { accept: 'application/sparql-results+json', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query: 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://pe-trace.invalid/")) }' }).toString() });
  for (const b of ((await listed.json()) as { results: { bindings: { g: { value: string } }[] } }).results.bindings) all.add(b.g.value);
  const res = await fetch(virtuoso, { method: 'POST', headers: { 'content-type': 'application/sparql-update' }, body: [...all].map((g) => `DROP SILENT GRAPH <${g}>`).join(' ;\n') });
  expect(res.status).toBe(200);
}

const putGraphs = (log: readonly Logged[]): string[] => log.filter((l) => l.method === 'PUT' && l.status < 300).map((l) => l.graph ?? '').sort();
/** Graphs DELETEd (a deadlock answer, 500, was retried: only the answered attempt counts). */
const deletedGraphs = (log: readonly Logged[]): string[] => log.filter((l) => l.method === 'DELETE' && l.status !== 500).map((l) => l.graph ?? '').sort();

beforeAll(async () => {
  if (!hasVirtuoso) return;
  work = mkdtempSync(join(tmpdir(), 'pe-trace-sync-'));
  cacheHome = join(work, 'cache');
  corpus = join(work, 'corpus');
  cpSync(join(REPO_ROOT, 'fixtures', 'corpus'), corpus, { recursive: true });
  ports = { PE_TRACE_VIRTUOSO_HTTP_PORT: String(await freePort()), PE_TRACE_VIRTUOSO_SQL_PORT: String(await freePort()) };
  const r = script('start');
  if (r.status !== 0) throw new Error(`scripts/sparql-endpoint.sh start failed: ${r.stderr}`);
  virtuoso = r.stdout.trim();
  proxy = new Proxy();
  await proxy.start();
}, 180_000);

afterAll(async () => {
  if (!hasVirtuoso) return;
  await proxy.stop();
  script('stop');
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!hasVirtuoso)(`pe-trace sync into Virtuoso${hasVirtuoso ? '' : ` (skipped: ${reason})`}`, () => {
  it('first sync writes every graph once, those without blank nodes several per INSERT DATA; query --endpoint then answers as query --dir', async () => {
    const graphs = await documentGraphs();
    proxy.log = [];
    const { result } = await sync();
    expect(result).toMatchObject({ protocol: 'graph-store', documents: 24, put: graphs.size + 2, deleted: 0, resumed: false });
    // Virtuoso refuses blank nodes in INSERT DATA: those documents' graphs (and index, links) are PUT, each once
    const puts = putGraphs(proxy.log);
    expect(new Set(puts).size).toBe(puts.length);
    expect(puts).toContain(INDEX_GRAPH);
    expect(result.batched).toBeGreaterThan(5);
    expect(puts.length + result.batched).toBe(graphs.size + 2);
    // far fewer writes than graphs: the batched ones went in one request (plus the one refused for blank nodes)
    expect(proxy.writes().length).toBeLessThan(puts.length + 5);
    await expectSameAnswers();
  }, 300_000);

  it('a second run over the unchanged directory sends no graph writes', async () => {
    proxy.log = [];
    const { result, run } = await sync();
    expect(proxy.writes()).toEqual([]);
    expect(result).toMatchObject({ put: 0, deleted: 0, requests: 0 });
    const human = await cli(['sync', '--dir', corpus, '--endpoint', proxy.url]);
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^synced 24 document\(s\) with Graph Store Protocol: 0 graph\(s\) written .*; 0 write request\(s\)\n$/);
    expect(run.stdout).not.toContain(work);
  }, 120_000);

  it('after 2 files change and 1 is removed, only their graphs are sent and dropped', async () => {
    const before = await documentGraphs();
    touchFile('emitted/build/populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z.build.trace.tro.jsonld', 'a');
    touchFile('real/populace/us/populace_us_2024.trace.tro.jsonld', 'a');
    rmSync(join(corpus, 'real/policyengine-py/web-run/simulation.trace.tro.jsonld'));
    const after = await documentGraphs();
    const added = [...after].filter((g) => !before.has(g));
    const removed = [...before].filter((g) => !after.has(g));
    expect(added).toHaveLength(4);
    expect(removed).toHaveLength(6);
    proxy.log = [];
    proxy.deadlockPut = 2;
    // 4 writes in flight: Virtuoso may answer some with a real deadlock too, each retried
    // one Graph Store PUT per graph (the fallback path, and the one for documents with blank nodes)
    const { result } = await sync('--concurrency', '4', '--no-multi-graph');
    // the index and links graphs changed too: each either patched (Update) or replaced (PUT)
    const shared = putGraphs(proxy.log).filter((g) => g === INDEX_GRAPH || g === LINKS_GRAPH);
    expect(shared.length + result.patched).toBe(2);
    expect(putGraphs(proxy.log).filter((g) => g !== INDEX_GRAPH && g !== LINKS_GRAPH)).toEqual(added.sort());
    expect(deletedGraphs(proxy.log)).toEqual(removed.sort());
    expect(result).toMatchObject({ documents: 23, put: 4 + shared.length, deleted: 6 });
    // the injected deadlock answer was retried, and the retried PUT is what completed
    // (a real deadlock of Virtuoso's under concurrent writes is retried too: every 500 answer is one retry)
    expect(result.retries).toBeGreaterThanOrEqual(1);
    expect(proxy.log.filter((l) => l.graph !== 'query' && l.status === 500)).toHaveLength(result.retries);
    await expectSameAnswers();
  }, 300_000);

  it('a run that fails on a PUT ends with one error line and the next run continues where it stopped', async () => {
    const before = await documentGraphs();
    touchFile('emitted/run-record-uk/run.trace.tro.jsonld', 'b');
    touchFile('emitted/build/populace-us-2024-9f1260b-20260611.build.trace.tro.jsonld', 'b');
    touchFile('real/populace/us/populace_us_2024.trace.tro.jsonld', 'bb');
    const expected = [...(await documentGraphs())].filter((g) => !before.has(g));
    expect(expected).toHaveLength(6);
    proxy.log = [];
    proxy.failPut = 3;
    const failed = await cli(['sync', '--dir', corpus, '--endpoint', proxy.url, '--no-multi-graph']);
    expect(failed.status).toBe(3);
    expect(failed.stdout).toBe('');
    const lines = failed.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: sync: PUT graph <https:\/\/pe-trace\.invalid\/[^>]+> \(http:\/\/127\.0\.0\.1:\d+\/sparql-graph-crud\): HTTP 500: injected failure$/);
    const doneBefore = putGraphs(proxy.log);
    expect(doneBefore.length).toBeGreaterThanOrEqual(2);
    expect(doneBefore.length).toBeLessThan(expected.length);

    proxy.log = [];
    const { result } = await sync('--no-multi-graph');
    expect(result.resumed).toBe(true);
    const doneAfter = putGraphs(proxy.log);
    // nothing completed before is sent again; together the two runs sent each new graph once, then index and links
    expect(doneAfter.filter((g) => doneBefore.includes(g))).toEqual([]);
    expect([...doneBefore, ...doneAfter].filter((g) => g !== INDEX_GRAPH && g !== LINKS_GRAPH).sort()).toEqual(expected.sort());
    expect(doneAfter.filter((g) => g === INDEX_GRAPH).length + result.patched).toBeGreaterThanOrEqual(1);
    expect(deletedGraphs(proxy.log)).toHaveLength(6);
    await expectSameAnswers();

    proxy.log = [];
    const again = await sync();
    expect(again.result).toMatchObject({ requests: 0, resumed: false });
  }, 300_000);

  it('after 10 files change, the index and links graphs are patched and hold what a full sync writes; an interrupted patch is followed by a whole replacement', async () => {
    const state = join(work, 'state-patch.json');
    const gsp = `${proxy.url}-graph-crud`; // Virtuoso's Graph Store, as the CLI derives it
    // patchMaxFraction 1: patch whatever the size of the diff (24 documents are too few for the default's choice)
    // with a cache (the CLI's default): the difference starts from the corpus kept beside the state, whose changed
    // documents' facts the cache holds (without one, the corpus-wide graphs are replaced whole when they change)
    const opts = { endpoint: proxy.url, graphStore: gsp, statePath: state, cacheDir: join(work, 'cache-patch'), patchMaxFraction: Number.POSITIVE_INFINITY, multiGraph: false };
    await syncDirectory(corpus, opts);
    const sharedRows = async (): Promise<string[]> => {
      const out: string[] = [];
      for (const g of [INDEX_GRAPH, LINKS_GRAPH]) {
        const r = await cli(['query', '--sparql', `SELECT ?s ?p ?o WHERE { GRAPH <${g}> { ?s ?p ?o } }`, '--endpoint', virtuoso, '--format', 'tsv']);
        expect(r.status, r.stderr).toBe(0);
        out.push(...rowsOf(r.stdout).map((row) => `${g}\t${row}`));
      }
      return out.sort();
    };
    const tros = [
      'emitted/build/populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z.build.trace.tro.jsonld',
      'emitted/build/populace-us-2024-9f1260b-20260611.build.trace.tro.jsonld',
      'emitted/run-record-uk/bundle.trace.tro.jsonld',
      'emitted/run-record-uk/run.trace.tro.jsonld',
      'real/policyengine-py/data/bundle/uk.trace.tro.jsonld',
      'real/policyengine-py/data/bundle/us.trace.tro.jsonld',
      'real/policyengine-py/run-record-with-url/bundle.trace.tro.jsonld',
      'real/policyengine-py/run-record-with-url/run.trace.tro.jsonld',
      'real/policyengine-py/run-record/bundle.trace.tro.jsonld',
      'real/policyengine-py/run-record/run.trace.tro.jsonld',
    ];
    const before = await documentGraphs();
    // a tag of its own per file: two files of equal bytes stay two documents
    tros.forEach((f, i) => touchFile(f, 'd'.repeat(3 + i)));
    // and a new file whose path (a literal in the index) needs escaping: quote, backslash, non-ASCII, astral
    mkdirSync(join(corpus, 'hostile'), { recursive: true });
    writeFileSync(join(corpus, 'hostile', 'we"ird \\ é 🎉.trace.tro.jsonld'), `${readFileSync(join(corpus, tros[3] ?? ''), 'utf8')}\n\n`);
    const after = await documentGraphs();
    const added = [...after].filter((g) => !before.has(g));
    const removed = [...before].filter((g) => !after.has(g));
    expect(added).toHaveLength(22);

    proxy.log = [];
    const patched = await syncDirectory(corpus, opts);
    expect(patched).toMatchObject({ put: 22, patched: 2, deleted: removed.length });
    expect(patched.patchedTriples).toBeGreaterThan(100);
    // the two graphs were not sent whole: only the changed documents' graphs were PUT
    expect(putGraphs(proxy.log)).toEqual(added.sort());
    expect(proxy.log.filter((l) => l.graph === 'update').length).toBeGreaterThan(1);
    const afterPatch = await sharedRows();
    expect(afterPatch.length).toBeGreaterThan(100);
    await expectSameAnswers();

    // a fresh full sync replaces both graphs whole, in parts of 100 triples (a PUT, then POSTs that merge): the
    // server then holds exactly what the patch left
    proxy.log = [];
    const whole = await syncDirectory(corpus, { ...opts, full: true, sharedPartTriples: 100 });
    expect(whole.patched).toBe(0);
    expect(putGraphs(proxy.log)).toContain(INDEX_GRAPH);
    expect(putGraphs(proxy.log)).toContain(LINKS_GRAPH);
    expect(proxy.log.filter((l) => l.method === 'POST' && l.graph === INDEX_GRAPH && l.status < 300).length).toBeGreaterThan(2);
    expect(await sharedRows()).toEqual(afterPatch);

    // a patch that fails part-way (its second request) ends the run; the next run replaces that graph whole
    tros.forEach((f, i) => touchFile(f, 'e'.repeat(3 + i)));
    proxy.log = [];
    proxy.failUpdate = 2;
    await expect(syncDirectory(corpus, opts)).rejects.toMatchObject({ code: 'ENDPOINT_ERROR', message: expect.stringMatching(/diff of graph <https:\/\/pe-trace\.invalid\/graph\/index>.*HTTP 500: injected update failure/) as unknown });
    proxy.log = [];
    const resumed = await syncDirectory(corpus, opts);
    expect(resumed).toMatchObject({ resumed: true, patched: 1 });
    expect(putGraphs(proxy.log)).toEqual([INDEX_GRAPH]);
    await expectSameAnswers();
    const afterResume = await sharedRows();
    await syncDirectory(corpus, { ...opts, full: true });
    expect(await sharedRows()).toEqual(afterResume);
  }, 300_000);

  it('falls back to SPARQL 1.1 Update when the server answers 405 on the Graph Store', async () => {
    // First empty the server of our documents (a sync of an empty directory drops them), so the Update path
    // must write everything itself.
    const empty = join(work, 'empty');
    mkdirSync(empty);
    cpSync(join(corpus, 'README.md'), join(empty, 'README.md'));
    const state = join(work, 'state.json');
    const base = await cli(['sync', '--dir', corpus, '--endpoint', proxy.url, '--state', state, '--full']);
    expect(base.status, base.stderr).toBe(0);
    // the same state, an empty directory: every document graph is dropped
    const drop = await cli(['sync', '--dir', empty, '--endpoint', proxy.url, '--state', state, '--json']);
    expect(drop.status, drop.stderr).toBe(0);
    const count = await cli(['query', '--sparql', QUERIES[0] ?? '', '--endpoint', virtuoso, '--format', 'tsv']);
    expect(rowsOf(count.stdout).filter((r) => r.includes('/doc/') || r.includes('/view/'))).toEqual([]);

    proxy.log = [];
    proxy.noGraphStore = true;
    const state2 = join(work, 'state-update.json');
    const r = await cli(['sync', '--dir', corpus, '--endpoint', proxy.url, '--state', state2, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout) as { result: SyncJson; warnings: string[] };
    expect(e.result.protocol).toBe('update');
    expect(e.warnings.join('\n')).toMatch(/fell back to SPARQL 1\.1 Update/);
    expect(proxy.log.filter((l) => l.method === 'POST' && l.graph !== 'query').length).toBeGreaterThan(0);
    expect(proxy.log.every((l) => l.method !== 'PUT' || l.status === 405)).toBe(true);
    await expectSameAnswers();

    // a change and a removal over Update: DROP + INSERT, and the answers still agree
    touchFile('emitted/run-record-uk/run.trace.tro.jsonld', 'c');
    rmSync(join(corpus, 'emitted/build/populace-us-2024-9f1260b-20260611.build.trace.tro.jsonld'));
    const u = await cli(['sync', '--dir', corpus, '--endpoint', proxy.url, '--state', state2, '--update-only', '--json']);
    expect(u.status, u.stderr).toBe(0);
    const changed = (JSON.parse(u.stdout) as { result: SyncJson }).result;
    // the changed document's two graphs, and the index and links graphs either patched or replaced
    expect(changed).toMatchObject({ protocol: 'update', deleted: 4 });
    expect(changed.put + changed.patched).toBe(4);
    await expectSameAnswers();
    proxy.noGraphStore = false;
    expect(existsSync(`${state2}.journal`)).toBe(false);

    // Tiny Update requests: graphs split over many requests are each recorded once their last piece is sent.
    const drop2 = await cli(['sync', '--dir', empty, '--endpoint', proxy.url, '--state', state2, '--update-only']);
    expect(drop2.status, drop2.stderr).toBe(0);
    const state3 = join(work, 'state-small.json');
    const small = await syncDirectory(corpus, { endpoint: virtuoso, updateOnly: true, statePath: state3, updateBatchBytes: 3000, multiGraph: false });
    const graphs = await documentGraphs();
    expect(small.put).toBe(graphs.size + 2);
    expect(small.requests).toBeGreaterThan(small.put / 2);
    const saved = JSON.parse(readFileSync(state3, 'utf8')) as { graphs: Record<string, string> };
    expect(Object.keys(saved.graphs).sort()).toEqual([...graphs, INDEX_GRAPH, LINKS_GRAPH].sort());
    await expectSameAnswers();
  }, 300_000);

  it('in batches of 4 documents each graph is sent once, and a PUT failing in a later batch leaves a run the next one finishes', async () => {
    const state = join(work, 'state-batches.json');
    const opts = { endpoint: proxy.url, graphStore: `${proxy.url}-graph-crud`, statePath: state, batchDocuments: 4, multiGraph: false };
    const graphs = await documentGraphs();
    expect(graphs.size).toBeGreaterThan(20);
    const shared = (g: string): boolean => g === INDEX_GRAPH || g === LINKS_GRAPH;
    proxy.log = [];
    // the 11th PUT is in the second or third batch (a TRO has 2 graphs, a manifest 1): earlier batches are done
    proxy.failPut = 11;
    await expect(syncDirectory(corpus, opts)).rejects.toMatchObject({ code: 'ENDPOINT_ERROR', message: expect.stringMatching(/HTTP 500: injected failure$/) as unknown });
    const first = putGraphs(proxy.log);
    expect(first).toHaveLength(10);
    expect(first.filter(shared)).toEqual([]);
    proxy.log = [];
    const rest = await syncDirectory(corpus, opts);
    expect(rest.resumed).toBe(true);
    const second = putGraphs(proxy.log);
    // together the two runs sent every document graph exactly once, then the index and links graphs
    expect([...first, ...second.filter((g) => !shared(g))].sort()).toEqual([...graphs].sort());
    expect(second.filter(shared).sort()).toEqual([INDEX_GRAPH, LINKS_GRAPH].sort());
    await expectSameAnswers();
  }, 300_000);

  it('documents without blank nodes go several per INSERT DATA; a server that answers success and writes nothing is caught by the count, and those graphs are PUT instead', async () => {
    // The generated benchmark corpus: its TROs have no blank nodes (the fixtures' have, and Virtuoso refuses those
    // in INSERT DATA); 6 of its 60 documents (release manifests) do.
    const gen = generated();
    const graphs = await documentGraphs(gen);
    await dropOurGraphs();
    proxy.log = [];
    const happy = await syncDirectory(gen, { endpoint: proxy.url, graphStore: `${proxy.url}-graph-crud`, statePath: join(work, 'state-gen.json') });
    expect(happy).toMatchObject({ put: graphs.size + 2, deleted: 0 });
    expect(happy.batched).toBe(graphs.size - 6);
    // one INSERT DATA for the TROs, one refused (blank nodes), the manifests' 6 graphs and index and links PUT
    expect(proxy.writes().length).toBe(2 + 6 + 2);
    await expectSameAnswers(gen);

    await dropOurGraphs();
    proxy.log = [];
    proxy.swallowInsert = true;
    const run = await cli(['sync', '--dir', gen, '--endpoint', proxy.url, '--state', join(work, 'state-swallow.json'), '--json']);
    proxy.swallowInsert = false;
    proxy.resetInserts();
    expect(run.status, run.stderr).toBe(0);
    const e = JSON.parse(run.stdout) as { result: SyncJson; warnings: string[] };
    expect(e.warnings.join('\n')).toMatch(/answered a multi-graph INSERT DATA with success but holds fewer triples than were sent/);
    expect(e.result).toMatchObject({ batched: 0, put: graphs.size + 2 });
    // every graph PUT exactly once: the swallowed ones after the check, the rest because multi-graph writes were off
    expect(putGraphs(proxy.log)).toEqual([...graphs, INDEX_GRAPH, LINKS_GRAPH].sort());
    expect(proxy.log.filter((l) => l.graph === 'update' && l.status === 200)).toHaveLength(1);
    await expectSameAnswers(gen);

    // Later requests are counted by an even sample of their documents (the first and the last among them): a
    // request swallowed after the first is caught too. Small requests, 2 documents counted in each.
    await dropOurGraphs();
    proxy.log = [];
    proxy.swallowInsert = true;
    proxy.swallowFrom = 3;
    const later = await syncDirectory(gen, { endpoint: proxy.url, graphStore: `${proxy.url}-graph-crud`, statePath: join(work, 'state-swallow-later.json'), insertBatchBytes: 20_000, checkDocuments: 2 });
    proxy.swallowInsert = false;
    proxy.swallowFrom = 1;
    proxy.resetInserts();
    expect(later.warnings.join('\n')).toMatch(/holds fewer triples than were sent/);
    expect(later.batched).toBeGreaterThan(0);
    expect(later.batched).toBeLessThan(later.put - 2);
    expect(proxy.log.filter((l) => l.graph === 'update' && l.status === 200).length).toBeGreaterThanOrEqual(3);
    await expectSameAnswers(gen);
  }, 300_000);

  it('a run killed between a multi-graph INSERT DATA and its check is followed by a run that replaces those graphs, never inserts them again', async () => {
    await dropOurGraphs();
    const gen = generated();
    const graphs = await documentGraphs(gen);
    const state = join(work, 'state-crash.json');
    proxy.log = [];
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'run.js'), 'sync', '--dir', gen, '--endpoint', proxy.url, '--state', state, '--json'], { cwd: REPO_ROOT, env: { ...process.env, XDG_CACHE_HOME: cacheHome, PE_TRACE_THREADS: '1' }, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // the INSERT DATA has landed on the server; the process dies as its check is asked for
    proxy.onCount = () => child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    proxy.onCount = undefined;
    expect(proxy.log.filter((l) => l.graph === 'update' && l.status === 200)).toHaveLength(1);
    // the intent is journaled: those graphs are named with no content digest, so none counts as written
    const journal = readFileSync(`${state}.journal`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { put?: string; digest?: string });
    const intended = journal.filter((j) => j.digest === 'partial').map((j) => j.put ?? '');
    expect(intended.length).toBeGreaterThan(5);
    expect(journal.filter((j) => j.put !== undefined && j.digest !== 'partial')).toEqual([]);

    proxy.log = [];
    const resumed = await cli(['sync', '--dir', gen, '--endpoint', proxy.url, '--state', state, '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const result = (JSON.parse(resumed.stdout) as { result: SyncJson }).result;
    expect(result.resumed).toBe(true);
    // the interrupted batch is replaced graph by graph (PUT), and no INSERT DATA is sent for it
    expect(putGraphs(proxy.log)).toEqual(expect.arrayContaining(intended));
    expect(result.batched).toBe(0);
    expect(putGraphs(proxy.log).length).toBe(graphs.size + 2);
    await expectSameAnswers(gen);
  }, 300_000);

  it('refuses plain http to a non-loopback host, and names the step when the server is unreachable', async () => {
    const remote = await cli(['sync', '--dir', corpus, '--endpoint', 'http://example.org/sparql']);
    expect(remote.status).toBe(2);
    expect(remote.stderr).toMatch(/^error: .*refusing to send to http:\/\/example\.org: only https/);
    const down = await cli(['sync', '--dir', corpus, '--endpoint', `http://127.0.0.1:${await freePort()}/sparql`, '--state', join(work, 'down.json')]);
    expect(down.status).toBe(3);
    expect(down.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(down.stderr).toMatch(/^error: .*ECONNREFUSED/);
  }, 120_000);
});
