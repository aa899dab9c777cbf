import { it } from 'vitest';
import { Store } from 'n3';
import { createRequire } from 'node:module';
it('x', async () => {
  const sparqljs = createRequire(import.meta.url)('sparqljs');
  const { QueryEngine } = await import('@comunica/query-sparql-rdfjs');
  const r = await new QueryEngine().query('SELECT * { ?s ?p ?o }', { sources: [new Store()], unionDefaultGraph: true });
  await r.metadata();
  try { new sparqljs.Parser().parse('ASK { ?s ?p ?o }'); console.log('ok'); } catch (e) { console.log((e as Error).stack); }
});
