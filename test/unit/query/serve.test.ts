// startSparqlServer in-process: re-indexing on reload and with watch, content negotiation rules.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { negotiate, startSparqlServer, type SparqlServer } from '../../../src/index.js';
import { FIXTURES } from '../../support/cli.js';

const NEW_TRO = JSON.stringify({
  '@context': [{ trov: 'https://w3id.org/trace/trov/0.1#', schema: 'https://schema.org/' }],
  '@graph': [{ '@id': 'tro', '@type': 'trov:TransparentResearchObject', 'schema:name': 'added while serving' }],
});
const NAMED = 'SELECT ?n WHERE { ?t <https://schema.org/name> ?n FILTER(?n = "added while serving") }';

let server: SparqlServer | undefined;
let dir: string;
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function rows(url: string, query: string): Promise<number> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/sparql-query' }, body: query });
  return ((await r.json()) as { results: { bindings: unknown[] } }).results.bindings.length;
}

describe('startSparqlServer', () => {
  it('sees an added file after reload(), and by itself with watch', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pe-trace-serve-'));
    cpSync(join(FIXTURES, 'corpus', 'emitted'), join(dir, 'emitted'), { recursive: true });
    server = await startSparqlServer({ dir, host: '127.0.0.1', port: 0, watch: true });
    const before = server.documents();
    expect(await rows(server.url, NAMED)).toBe(0);
    writeFileSync(join(dir, 'new.trace.tro.jsonld'), NEW_TRO);
    // Watch re-indexes on its own; wait for that event's effect (bounded by the test timeout), then check reload().
    while (server.documents() === before) await new Promise((r) => setTimeout(r, 50));
    expect(await rows(server.url, NAMED)).toBe(1);
    rmSync(join(dir, 'new.trace.tro.jsonld'));
    await server.reload();
    expect(server.documents()).toBe(before);
    expect(await rows(server.url, NAMED)).toBe(0);
  });

  it('starts from the kept graphs of the cache when the directory is unchanged, with the answers of a fresh load', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pe-trace-serve-'));
    const corpus = join(dir, 'corpus');
    const cacheDir = join(dir, 'cache');
    cpSync(join(FIXTURES, 'corpus', 'emitted'), corpus, { recursive: true });
    const COUNT = 'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g';
    const answer = async (url: string): Promise<unknown> => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/sparql-query' }, body: COUNT })).json();
    server = await startSparqlServer({ dir: corpus, host: '127.0.0.1', port: 0, watch: false });
    const reference = await answer(server.url);
    await server.close();
    server = await startSparqlServer({ dir: corpus, host: '127.0.0.1', port: 0, watch: false, cacheDir });
    expect(await answer(server.url)).toEqual(reference);
    await server.close();
    // Without the per-file facts, only the kept index/links pack and the directory index can serve the same answer.
    rmSync(join(cacheDir, 'facts-v1'), { recursive: true, force: true });
    server = await startSparqlServer({ dir: corpus, host: '127.0.0.1', port: 0, watch: false, cacheDir });
    expect(await answer(server.url)).toEqual(reference);
    expect(existsSync(join(cacheDir, 'facts-v1'))).toBe(false);
  });

  it('patches the resident store in place for a few changed files, holding exactly what a fresh load holds', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pe-trace-serve-'));
    const corpus = join(dir, 'corpus');
    const cacheDir = join(dir, 'cache');
    cpSync(join(FIXTURES, 'corpus'), corpus, { recursive: true });
    // Every quad with its graph, blank nodes written as one placeholder (their labels differ from load to load).
    const EVERY = 'SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }';
    const dump = async (url: string): Promise<string[]> => {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' }, body: EVERY });
      const body = (await r.json()) as { results: { bindings: Record<string, { type: string; value: string }>[] } };
      const term = (t: { type: string; value: string } | undefined): string => (t === undefined ? '-' : t.type === 'bnode' ? '_:' : `${t.type}:${t.value}`);
      return body.results.bindings.map((b) => ['s', 'p', 'o', 'g'].map((v) => term(b[v])).join(' ')).sort();
    };
    const patched: boolean[] = [];
    server = await startSparqlServer({ dir: corpus, host: '127.0.0.1', port: 0, watch: false, cacheDir, onReload: (p) => patched.push(p) });
    const fresh = async (): Promise<string[]> => {
      const other = await startSparqlServer({ dir: corpus, host: '127.0.0.1', port: 0, watch: false });
      try {
        return await dump(other.url);
      } finally {
        await other.close();
      }
    };
    const run = join(corpus, 'emitted', 'run-record-uk', 'run.trace.tro.jsonld');
    const bundle = join(corpus, 'emitted', 'run-record-uk', 'bundle.trace.tro.jsonld');
    // Each step: what changes, whether the dataset changes with it (a file that does not parse adds nothing), and
    // whether the store can be patched in place (dropping a document by its graphs must not take another's triples).
    const original = readFileSync(run, 'utf8');
    const newTro = join(corpus, 'new.trace.tro.jsonld');
    const claiming = JSON.stringify({
      '@context': [{ trov: 'https://w3id.org/trace/trov/0.1#', schema: 'https://schema.org/' }],
      '@id': `https://pe-trace.invalid/doc/${createHash('sha256').update(NEW_TRO).digest('hex')}/`,
      '@graph': [{ '@id': 'claimed', '@type': 'trov:TransparentResearchObject', 'schema:name': 'written into another graph' }],
    });
    const steps: [string, () => void, { changes?: boolean; patched?: boolean }?][] = [
      ['a TRO changed', () => writeFileSync(run, original.replace('(uk-example-1)"', '(uk-example-1, changed while serving)"'))],
      ['a TRO added', () => writeFileSync(newTro, NEW_TRO)],
      ['a copy of a file under a second path', () => cpSync(bundle, join(corpus, 'bundle-copy.trace.tro.jsonld'))],
      ['one of the two copies removed', () => rmSync(bundle)],
      ['a file that does not parse added', () => writeFileSync(join(corpus, 'broken.trace.tro.jsonld'), '{"@context": '), { changes: false }],
      ['a manifest removed, with the links it made', () => rmSync(join(corpus, 'real', 'policyengine-py', 'data', 'bundle', 'manifest.json'))],
      ['the changed TRO put back', () => writeFileSync(run, original)],
      // A node with @graph at the top level: its triples go to a graph the document names (here a blank node), not its own.
      ['a TRO whose triples sit in a graph of its own naming', () => writeFileSync(run, original.replace('"@graph"', '"schema:description": "named graph", "@graph"'))],
      ['that TRO put back', () => writeFileSync(run, original), { patched: false }],
      ['a document that writes into the graph of another', () => writeFileSync(join(corpus, 'claims.trace.tro.jsonld'), claiming)],
      ['the other document removed', () => rmSync(newTro), { patched: false }],
      ['a document removed after that', () => rmSync(join(corpus, 'bundle-copy.trace.tro.jsonld'))],
    ];
    let before = await dump(server.url);
    for (const [what, change, expected = {}] of steps) {
      change();
      await server.reload();
      const now = await dump(server.url);
      if (expected.changes !== false) expect(now, what).not.toEqual(before);
      expect(now, what).toEqual(await fresh());
      expect(patched.pop(), what).toBe(expected.patched ?? true);
      before = now;
    }
  }, 120_000);

  it('reads only the graphs a query names with FROM (the union default graph otherwise)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pe-trace-serve-'));
    cpSync(join(FIXTURES, 'corpus', 'emitted'), join(dir, 'emitted'), { recursive: true });
    server = await startSparqlServer({ dir, host: '127.0.0.1', port: 0, watch: false });
    const count = async (query: string): Promise<number> => {
      const r = await fetch(server?.url ?? '', { method: 'POST', headers: { 'content-type': 'application/sparql-query' }, body: query });
      return Number(((await r.json()) as { results: { bindings: { n: { value: string } }[] } }).results.bindings[0]?.n.value);
    };
    const g = 'https://pe-trace.invalid/graph/index';
    const all = await count('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }');
    const inIndex = await count(`SELECT (COUNT(*) AS ?n) WHERE { GRAPH <${g}> { ?s ?p ?o } }`);
    expect(inIndex).toBeGreaterThan(0);
    expect(inIndex).toBeLessThan(all);
    expect(await count(`SELECT (COUNT(*) AS ?n) FROM <${g}> WHERE { ?s ?p ?o }`)).toBe(inIndex);
  });

  it('negotiates by q value and order, with wildcards and aliases', () => {
    const offered = ['application/sparql-results+json', 'text/csv'];
    expect(negotiate(undefined, offered)).toBe('application/sparql-results+json');
    expect(negotiate('text/csv;q=0.9, application/json;q=0.5', offered)).toBe('text/csv');
    expect(negotiate('text/*', offered)).toBe('text/csv');
    expect(negotiate('image/png, */*;q=0.1', offered)).toBe('application/sparql-results+json');
    expect(negotiate('image/png', offered)).toBeUndefined();
    expect(negotiate('text/csv;q=0', offered)).toBeUndefined();
  });
});
