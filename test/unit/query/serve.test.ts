// startSparqlServer in-process: re-indexing on reload and with watch, content negotiation rules.
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
