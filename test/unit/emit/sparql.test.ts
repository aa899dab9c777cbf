// The CONSTRUCT wrapper: distinct results, our query assets parse, broken queries are ASSET_BROKEN.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataFactory, Store } from 'n3';
import { describe, expect, it } from 'vitest';
import { constructQuads, distinctQuads } from '../../../src/rdf/sparql.js';
import { troQueryText } from '../../../src/emit/index.js';
import { REPO_ROOT } from '../../support/cli.js';

const { namedNode, literal, quad } = DataFactory;

function store(): Store {
  const s = new Store();
  for (let i = 0; i < 5; i++) s.addQuad(quad(namedNode(`http://x/s${i}`), namedNode('http://x/p'), literal(`v${i}`)));
  return s;
}

describe('constructQuads', () => {
  it('returns each constructed quad once although the template repeats it per solution', async () => {
    const out = await constructQuads(store(), 'CONSTRUCT { <http://x/t> <http://x/seen> "yes" . ?s <http://x/q> ?o } WHERE { ?s <http://x/p> ?o }');
    expect(out).toHaveLength(6);
    expect(out.filter((q) => q.subject.value === 'http://x/t')).toHaveLength(1);
  });

  it('reports a query that does not parse, or is not a CONSTRUCT, as our broken asset', async () => {
    await expect(constructQuads(store(), 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p', 'queries/broken.rq')).rejects.toMatchObject({ code: 'ASSET_BROKEN' });
    await expect(constructQuads(store(), 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p', 'queries/broken.rq')).rejects.toThrow(/^queries\/broken\.rq does not parse/);
    await expect(constructQuads(store(), 'SELECT * WHERE { ?s ?p ?o }')).rejects.toThrow(/is not a CONSTRUCT query/);
  });

  it('dedupes by term value and type', () => {
    const a = quad(namedNode('http://x/a'), namedNode('http://x/p'), literal('1'));
    const b = quad(namedNode('http://x/a'), namedNode('http://x/p'), literal('1', namedNode('http://www.w3.org/2001/XMLSchema#integer')));
    expect(distinctQuads([a, a, b])).toEqual([a, b]);
  });
});

describe('shipped emit queries', () => {
  it('are shipped in queries/, each documented and runnable', async () => {
    expect(readdirSync(join(REPO_ROOT, 'queries'))).toEqual(expect.arrayContaining(['construct-bundle-tro.rq', 'construct-simulation-tro.rq']));
    for (const name of ['construct-bundle-tro.rq', 'construct-simulation-tro.rq'] as const) {
      const text = troQueryText(name);
      expect(text.startsWith(`# ${name} — `)).toBe(true);
      // Over an empty request the query must still evaluate: only the skeleton comes out.
      const out = await constructQuads(new Store(), text, name);
      expect(out.length).toBeGreaterThan(10);
    }
  });
});
