// `pe-trace sync` against a second, unrelated SPARQL server: RDF::Endpoint (Debian librdf-endpoint-perl, run by plackup
// on loopback by this test). It has SPARQL 1.1 Update but no Graph Store Protocol (404), so sync falls back to Update;
// afterwards every graph holds what `query --dir` builds, and changes and removals are sent alone.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

function sync(): { protocol: string; put: number; deleted: number; requests: number; warnings: string[] } {
  const r = runCli(['sync', '--dir', corpus, '--endpoint', endpoint, '--state', join(work, 'state.json'), '--json']);
  const e = envelope<{ protocol: string; put: number; deleted: number; requests: number }>(r);
  expect(e.status, r.stderr + r.stdout).toBe(0);
  return { ...(e.result ?? { protocol: '', put: -1, deleted: -1, requests: -1 }), warnings: e.warnings };
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
    await expectSameAnswers();
  }, 300_000);

  it('sends nothing the second time, then only a change and a removal', async () => {
    const again = sync();
    expect(again).toMatchObject({ put: 0, deleted: 0, requests: 0 });
    const changed = join(corpus, 'emitted/run-record-uk/run.trace.tro.jsonld');
    writeFileSync(changed, `${readFileSync(changed, 'utf8')}\n `);
    rmSync(join(corpus, 'real/policyengine-py/web-run/simulation.trace.tro.jsonld'));
    const third = sync();
    // the changed TRO's own graph and view, then the index and links graphs; the old graphs of both files dropped
    expect(third).toMatchObject({ protocol: 'update', put: 4, deleted: 4 });
    await expectSameAnswers();
  }, 300_000);
});
