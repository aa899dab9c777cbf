// Predicate pushdown: which triples a query can read, when pruning is refused, and that pruned answers equal whole ones.
import { describe, expect, it } from 'vitest';
import { type ParsedQuery, formatAnswer, listNamedQueries, parseUserQuery, queryDirectory } from '../../../src/index.js';

const P = 'PREFIX ptq: <https://w3id.org/pe-trace/query#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>';
const needsOf = (body: string): ParsedQuery['needs'] => parseUserQuery(`${P} ${body}`).needs;
const preds = (body: string): string[] => [...(needsOf(body)?.predicates ?? ['<none>'])].map((p) => p.replace(/.*[#/]/, '')).sort();
const CORPUS = 'fixtures/corpus';

describe('datasetNeeds', () => {
  it('collects constant predicates from every part of the query (OPTIONAL, UNION, MINUS, sub-select, EXISTS, paths)', () => {
    expect(preds('SELECT ?x WHERE { ?x ptq:path ?p OPTIONAL { ?x ptq:sha256 ?h } }')).toEqual(['path', 'sha256']);
    expect(preds('SELECT ?x WHERE { { ?x ptq:role ?r } UNION { ?x ptq:key ?k } MINUS { ?x ptq:location ?l } }')).toEqual(['key', 'location', 'role']);
    expect(preds('SELECT ?x WHERE { ?x ptq:path ?p { SELECT ?x WHERE { ?x ptq:documentKind "tro" } } FILTER NOT EXISTS { ?x ptq:warning ?w } }')).toEqual(['documentKind', 'path', 'warning']);
    expect(preds('SELECT ?x WHERE { ?x ptq:listedBy/ptq:inDocument|^ptq:source ?d . ?d ptq:feeds+ ?e }')).toEqual(['feeds', 'inDocument', 'listedBy', 'source']);
    expect(preds('SELECT (EXISTS { ?x ptq:note ?n } AS ?e) WHERE { ?x ptq:path ?p }')).toEqual(['note', 'path']);
  });

  it('narrows rdf:type to the classes named as constants, and keeps every class otherwise', () => {
    expect([...(needsOf('SELECT ?r WHERE { ?r a ptq:Run ; rdfs:label ?l }')?.typeClasses ?? [])]).toEqual(['https://w3id.org/pe-trace/query#Run']);
    expect(needsOf('SELECT ?r WHERE { ?r a ?c }')?.typeClasses).toBeUndefined();
    expect(needsOf('SELECT ?r WHERE { ?r ptq:listedBy/a ptq:Run }')?.typeClasses).toBeUndefined();
  });

  it('does not read the CONSTRUCT template (it matches nothing)', () => {
    expect(preds('CONSTRUCT { ?x ?anything ?y } WHERE { ?x ptq:path ?y }')).toEqual(['path']);
  });

  it('reads a FILTER that pins a variable predicate to constants in the same group', () => {
    expect(preds('SELECT ?s ?o WHERE { ?s ?p ?o FILTER(?p = ptq:path) }')).toEqual(['path']);
    expect(preds('SELECT ?s ?o WHERE { ?s ?p ?o FILTER(sameTerm(?p, ptq:path) && ?o != "x") }')).toEqual(['path']);
    expect(preds('SELECT ?s ?o WHERE { ?s ?p ?o ; ptq:role ?r FILTER(?p IN (ptq:path, ptq:sha256)) }')).toEqual(['path', 'role', 'sha256']);
    expect(preds('SELECT ?s ?o WHERE { GRAPH ?g { ?s ?p ?o FILTER(ptq:key = ?p) } }')).toEqual(['key']);
  });

  it('reads a VALUES block that pins a variable predicate or class to IRIs in the same group', () => {
    const classes = (body: string): string[] | undefined => {
      const c = needsOf(body)?.typeClasses;
      return c === undefined ? undefined : [...c].map((x) => x.replace(/.*[#/]/, '')).sort();
    };
    expect(classes('SELECT ?l WHERE { VALUES ?c { ptq:UriMatch ptq:FingerprintMatch } ?l a ?c }')).toEqual(['FingerprintMatch', 'UriMatch']);
    expect(classes('SELECT ?l WHERE { VALUES (?c ?m) { (ptq:UriMatch "u") (ptq:HashMatch "h") } ?l a ?c ; ptq:relation ?r }')).toEqual(['HashMatch', 'UriMatch']);
    expect(classes('SELECT ?l WHERE { ?l a ?c FILTER(?c = ptq:Run) }')).toEqual(['Run']);
    expect(preds('SELECT ?s ?o WHERE { VALUES ?p { ptq:path ptq:sha256 } ?s ?p ?o }')).toEqual(['path', 'sha256']);
    // A FILTER and a VALUES on the same variable: only what both allow.
    expect(preds('SELECT ?s ?o WHERE { VALUES ?p { ptq:path ptq:sha256 } ?s ?p ?o FILTER(?p = ptq:sha256) }')).toEqual(['sha256']);
    // Pins nothing: an UNDEF row, a literal, a VALUES block of another group, or one after the WHERE clause.
    expect(classes('SELECT ?l WHERE { VALUES ?c { ptq:Run UNDEF } ?l a ?c }')).toBeUndefined();
    expect(classes('SELECT ?l WHERE { VALUES ?c { ptq:Run "Run" } ?l a ?c }')).toBeUndefined();
    expect(classes('SELECT ?l WHERE { { VALUES ?c { ptq:Run } } ?l a ?c }')).toBeUndefined();
    expect(classes('SELECT ?l WHERE { ?l a ?c } VALUES ?c { ptq:Run }')).toBeUndefined();
    expect(needsOf('SELECT * WHERE { OPTIONAL { ?s ?p ?o } VALUES ?p { ptq:path } }')).toBeUndefined();
  });

  it('refuses to prune what could change an answer', () => {
    for (const q of [
      'SELECT * WHERE { ?s ?p ?o }', // a variable predicate reads every triple
      'SELECT * WHERE { ?s ?p ?o FILTER(?p = ptq:path || ?o = 1) }', // a disjunction pins nothing
      'SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s ?q ?x FILTER(?p = ptq:path) } }', // a filter of another group
      'SELECT * WHERE { OPTIONAL { ?s ?p ?o } FILTER(?p = ptq:path) }', // the pattern sits in a nested group
      'SELECT * WHERE { ?s ?p ?o FILTER(str(?p) = "x") }',
      'SELECT ?x WHERE { ?x !ptq:path ?o }', // a negated property set reads every other predicate
      'SELECT ?x ?y WHERE { ?x ptq:feeds* ?y }', // zero-length paths bind every node of the graph
      'SELECT ?x ?y WHERE { ?x ptq:feeds? ?y }',
      'SELECT ?g WHERE { GRAPH ?g { } }', // binds every graph, whatever its triples
      'DESCRIBE <https://example.org/x>',
    ]) {
      expect(needsOf(q), q).toBeUndefined();
    }
  });
});

describe('pruned loading gives the same answers as loading everything', () => {
  const whole = (q: ParsedQuery): ParsedQuery => {
    const { needs: _needs, ...rest } = q;
    return rest;
  };
  const render = async (q: ParsedQuery, graphs: 'all' | 'index'): Promise<string> => {
    const r = await queryDirectory(CORPUS, q, { graphs });
    return formatAnswer(r.answer, r.answer.form === 'SELECT' ? 'json' : undefined);
  };

  it('for every shipped named query over the example corpus', async () => {
    for (const named of listNamedQueries()) {
      const q = parseUserQuery(named.text, named.file);
      const pruned = await render(q, named.graphs);
      expect(pruned, named.name).toBe(await render(whole(q), named.graphs));
      expect(pruned.length, named.name).toBeGreaterThan(0);
    }
  }, 120_000);

  it('for queries over the lifted documents and their TROv views, paths included', async () => {
    for (const body of [
      'PREFIX trov: <https://w3id.org/trace/trov/0.1#> SELECT ?a ?v WHERE { ?a trov:hash/trov:hashValue ?v } ORDER BY ?a ?v',
      'PREFIX trov: <https://w3id.org/trace/trov/0.1#> SELECT ?t (COUNT(?a) AS ?n) WHERE { ?t a trov:TransparentResearchObject ; trov:hasComposition/trov:hasArtifact+ ?a } GROUP BY ?t ORDER BY ?t',
      'PREFIX trov: <https://w3id.org/trace/trov/0.1#> CONSTRUCT { ?l trov:hasLocation ?p } WHERE { ?l trov:hasLocation ?p }',
      'ASK { ?d <https://w3id.org/pe-trace/query#documentKind> "release-manifest" }',
      'PREFIX trov: <https://w3id.org/trace/trov/0.1#> SELECT ?s ?o WHERE { ?s ?p ?o FILTER(?p = trov:hasLocation) } ORDER BY ?s ?o',
      'PREFIX trov: <https://w3id.org/trace/trov/0.1#> SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o FILTER(?p IN (trov:sha256, trov:hashValue)) } } GROUP BY ?g ORDER BY ?g',
      'PREFIX trov: <https://w3id.org/trace/trov/0.1#> SELECT ?s ?p ?o WHERE { VALUES ?p { trov:hasLocation trov:sha256 } ?s ?p ?o } ORDER BY ?s ?p ?o',
      'PREFIX trov: <https://w3id.org/trace/trov/0.1#> SELECT ?s ?c WHERE { VALUES ?c { trov:ArtifactComposition trov:TransparentResearchObject } ?s a ?c } ORDER BY ?s ?c',
      'PREFIX ptq: <https://w3id.org/pe-trace/query#> SELECT ?l ?c WHERE { VALUES ?c { ptq:HashMatch ptq:FingerprintMatch } GRAPH ?g { ?l a ?c ; ptq:relation ?r } } ORDER BY ?l ?c',
    ]) {
      const q = parseUserQuery(body);
      expect(q.needs, body).toBeDefined();
      expect(await render(q, 'all'), body).toBe(await render(whole(q), 'all'));
    }
  }, 120_000);
});
