// Pinned variable predicates: the rewritten query gives the same answers as the original on the example corpus, and is left alone wherever a rewrite could change them.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDatasetNQuads, loadCorpus, parseUserQuery } from '../../../src/index.js';
import { answerOnNQuads } from '../../../src/query/ox-engine.js';
import { withPinnedPredicates } from '../../../src/query/pin-predicates.js';

const P = 'PREFIX trov: <https://w3id.org/trace/trov/0.1#> PREFIX ptq: <https://w3id.org/pe-trace/query#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> ';

/** Rewritten, and the answers must not change. */
const REWRITTEN: Record<string, string> = {
  'the issue shape': `${P}SELECT ?s ?o WHERE { ?s ?p ?o FILTER(?p = trov:hasLocation) }`,
  'the variable projected': `${P}SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(?p = trov:sha256) }`,
  'reversed, sameTerm, IN of one': `${P}SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(trov:sha256 = ?p) } `,
  sameTerm: `${P}SELECT ?s ?p WHERE { ?s ?p ?o FILTER(sameTerm(?p, rdf:type)) }`,
  'IN with one IRI, in a conjunction': `${P}SELECT ?s ?o WHERE { ?s ?p ?o FILTER(?p IN (trov:hasArtifact) && isIRI(?o)) }`,
  'two triples share it': `${P}SELECT ?a ?b ?x WHERE { ?a ?p ?x . ?b ?p ?x FILTER(?p = trov:sha256) }`,
  'inside GRAPH ?g, grouped': `${P}SELECT ?g ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o FILTER(?p = trov:hasArtifact) } } GROUP BY ?g ?p`,
  'inside OPTIONAL': `${P}SELECT ?t ?p ?o WHERE { ?t a trov:TransparentResearchObject OPTIONAL { ?t ?p ?o FILTER(?p = trov:wasAssembledBy) } }`,
  'bound outside the group too': `${P}SELECT ?p (COUNT(*) AS ?n) WHERE { ?x ?p ?y . { ?s ?p ?o FILTER(?p = trov:sha256) } } GROUP BY ?p`,
  'in a UNION branch': `${P}SELECT ?s ?o WHERE { { ?s ?p ?o FILTER(?p = trov:sha256) } UNION { ?s trov:mimeType ?o } }`,
  ASK: `${P}ASK { ?s ?p ?o FILTER(?p = trov:hasLocation) }`,
  CONSTRUCT: `${P}CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?p = trov:hasLocation) }`,
};

/** Left exactly as written. */
const UNTOUCHED: Record<string, string> = {
  'SELECT *': `${P}SELECT * WHERE { ?s ?p ?o FILTER(?p = trov:hasLocation) }`,
  'the variable as an object too': `${P}SELECT ?s ?o WHERE { ?s ?p ?o . ?o ?q ?p FILTER(?p = trov:hasLocation) }`,
  'bound by BIND in the group': `${P}SELECT ?s ?o WHERE { ?s ?p ?o FILTER(?p = trov:hasLocation) BIND(?p AS ?q) }`,
  'VALUES in the group': `${P}SELECT ?s ?o WHERE { VALUES ?p { trov:hasLocation } ?s ?p ?o FILTER(?p = trov:hasLocation) }`,
  'a disjunction': `${P}SELECT ?s ?o WHERE { ?s ?p ?o FILTER(?p = trov:hasLocation || ?p = trov:sha256) }`,
  'IN with two IRIs': `${P}SELECT ?s ?o WHERE { ?s ?p ?o FILTER(?p IN (trov:hasLocation, trov:sha256)) }`,
  'under EXISTS': `${P}SELECT ?t WHERE { ?t a trov:TransparentResearchObject FILTER EXISTS { ?t ?p ?o FILTER(?p = trov:hasComposition) } }`,
  'a FILTER of another group': `${P}SELECT ?s ?o WHERE { ?s ?p ?o { FILTER(?p = trov:hasLocation) } }`,
  DESCRIBE: `${P}DESCRIBE ?s WHERE { ?s ?p ?o FILTER(?p = trov:hasLocation) }`,
};

let dataset: readonly string[];

beforeAll(async () => {
  const corpus = await loadCorpus('fixtures/corpus');
  dataset = (await buildDatasetNQuads(corpus, { dir: 'fixtures/corpus', graphs: 'all' })).parts;
});

async function rows(text: string): Promise<string[]> {
  const a = await answerOnNQuads(dataset, parseUserQuery(text));
  // Blank node labels are the store's own, new on every load: compared as blank nodes only.
  const term = (t: { type: string; value: string } | undefined): unknown => (t === undefined ? null : t.type === 'bnode' ? '_:' : t);
  if (a.form === 'SELECT') return a.results.results.bindings.map((b) => JSON.stringify(a.results.head.vars.map((v) => term(b[v])))).sort();
  if (a.form === 'ASK') return [String(a.boolean)];
  return a.nquads.split('\n').filter((l) => l !== '').map((l) => l.replace(/_:\S+/g, '_:')).sort();
}

describe('withPinnedPredicates', () => {
  for (const [name, text] of Object.entries(REWRITTEN)) {
    it(`rewrites ${name}, with the same answer`, async () => {
      const rewritten = withPinnedPredicates(text);
      expect(rewritten).not.toBe(text);
      expect(rewritten).toMatch(/BIND\(/);
      const expected = await rows(text);
      expect(expected.length, 'the fixture must give rows for the comparison to mean something').toBeGreaterThan(0);
      expect(await rows(rewritten)).toEqual(expected);
    });
  }
  for (const [name, text] of Object.entries(UNTOUCHED)) {
    it(`leaves ${name} alone`, () => {
      expect(withPinnedPredicates(text)).toBe(text);
    });
  }
  it('leaves unparseable text alone', () => {
    expect(withPinnedPredicates('SELECT WHERE {')).toBe('SELECT WHERE {');
  });
});
