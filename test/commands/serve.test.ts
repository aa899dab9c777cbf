// `pe-trace serve`: a real child process on an ephemeral loopback port, queried with the SPARQL 1.1 Protocol and by `query --endpoint`.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../support/cli.js';

let child: ChildProcess;
let url: string;

beforeAll(async () => {
  child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'run.js'), 'serve', '--dir', 'fixtures/corpus', '--port', '0', '--no-cache'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  // The first line printed is the endpoint URL, written once the store is loaded and the port is listening.
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) before printing its URL`)));
  });
}, 120_000);

afterAll(() => {
  child.kill('SIGTERM');
});

const TROS = 'SELECT DISTINCT ?s WHERE { ?s a <https://w3id.org/trace/trov/0.1#TransparentResearchObject> } ORDER BY ?s';

describe('pe-trace serve', () => {
  it('listens on loopback and prints its URL first', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sparql$/);
  });

  it('answers GET and POST (form and direct) with the same rows as query --dir, in JSON by default', async () => {
    const get = await fetch(`${url}?query=${encodeURIComponent(TROS)}`);
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toMatch(/^application\/sparql-results\+json/);
    const rows = ((await get.json()) as { results: { bindings: { s: { value: string } }[] } }).results.bindings.map((b) => b.s.value);
    const form = await fetch(url, { method: 'POST', body: new URLSearchParams({ query: TROS }) });
    const direct = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/sparql-query' }, body: TROS });
    for (const r of [form, direct]) expect(((await r.json()) as { results: { bindings: { s: { value: string } }[] } }).results.bindings.map((b) => b.s.value)).toEqual(rows);
    const local = runCli(['query', '--sparql', TROS, '--dir', 'fixtures/corpus', '--format', 'csv', '--no-cache']);
    expect(local.status).toBe(0);
    expect(local.stdout.trim().split(/\r?\n/).slice(1)).toEqual(rows);
    expect(rows.length).toBeGreaterThan(5);
  });

  it('negotiates SPARQL XML, CSV, TSV and N-Triples, Turtle, N-Quads', async () => {
    const ask = async (query: string, accept: string): Promise<{ type: string | null; body: string }> => {
      const r = await fetch(url, { method: 'POST', headers: { accept, 'content-type': 'application/sparql-query' }, body: query });
      expect(r.status).toBe(200);
      return { type: r.headers.get('content-type'), body: await r.text() };
    };
    expect((await ask(TROS, 'application/sparql-results+xml')).body).toMatch(/<sparql xmlns="http:\/\/www.w3.org\/2005\/sparql-results#"/);
    expect((await ask(TROS, 'text/csv')).body.split('\r\n')[0]).toBe('s');
    expect((await ask(TROS, 'text/tab-separated-values')).body.split('\n')[0]).toBe('?s');
    const construct = 'CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 3';
    const nt = await ask(construct, 'application/n-triples');
    expect(nt.type).toMatch(/^application\/n-triples/);
    expect(nt.body.trim().split('\n')).toHaveLength(3);
    expect((await ask(construct, 'text/turtle')).type).toMatch(/^text\/turtle/);
    expect((await ask(construct, 'application/n-quads')).type).toMatch(/^application\/n-quads/);
    const refused = await fetch(url, { method: 'POST', headers: { accept: 'image/png', 'content-type': 'application/sparql-query' }, body: TROS });
    expect(refused.status).toBe(406);
  });

  it('refuses SPARQL Update (403), SERVICE and bad syntax (400), and answers query --endpoint', async () => {
    for (const init of [
      { method: 'POST', headers: { 'content-type': 'application/sparql-update' }, body: 'INSERT DATA { <a:b> <a:c> <a:d> }' },
      { method: 'POST', body: new URLSearchParams({ update: 'INSERT DATA { <a:b> <a:c> <a:d> }' }) },
      { method: 'POST', body: new URLSearchParams({ query: 'INSERT DATA { <a:b> <a:c> <a:d> }' }) },
    ]) expect((await fetch(url, init)).status).toBe(403);
    const service = await fetch(`${url}?query=${encodeURIComponent('SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }')}`);
    expect(service.status).toBe(400);
    expect(await service.text()).toMatch(/federated queries are not run/);
    expect((await fetch(`${url}?query=${encodeURIComponent('SELECT WHERE {')}`)).status).toBe(400);
    const count = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }';
    const remote = runCli(['query', '--endpoint', url, '--sparql', count, '--format', 'csv']);
    const local = runCli(['query', '--dir', 'fixtures/corpus', '--sparql', count, '--format', 'csv', '--no-cache']);
    expect(remote.status, remote.stderr).toBe(0);
    expect(remote.stdout).toBe(local.stdout);
  });
});
