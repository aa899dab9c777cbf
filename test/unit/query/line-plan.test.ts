// Loading only the lines a question can match: every named query and hostile questions (OPTIONAL, UNION, MINUS, EXISTS, paths, typed literals) answer as the full load does.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'sparqljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../../bench/query.js';
import { listNamedQueries, parseUserQuery, queryDirectory } from '../../../src/index.js';
import type { GraphSelection } from '../../../src/query/graph.js';
import { filterLines, linePlan } from '../../../src/query/line-plan.js';

const P = [
  'PREFIX trov: <https://w3id.org/trace/trov/0.1#>',
  'PREFIX ptq: <https://w3id.org/pe-trace/query#>',
  'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>',
  'PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>',
  'PREFIX e: <https://e.org/>',
  '',
].join('\n');

/**
 * Data built to catch an unsound line filter: a triple whose only partner is in an OPTIONAL that comes first (a left
 * join keeps the unextended solution), a nested OPTIONAL whose variable the outer group binds, typed literals equal
 * only by value (`"007"^^xsd:int` is `7`), language tags in two cases, blank nodes joined, a MINUS and NOT EXISTS.
 */
const HOSTILE_NT = [
  '<https://e.org/a> <https://e.org/p> <https://e.org/b> .',
  '<https://e.org/c> <https://e.org/q> <https://e.org/d> .',
  '<https://e.org/c> <https://e.org/q2> <https://e.org/d> .',
  '<https://e.org/s1> <https://e.org/s> <https://e.org/t1> .',
  '<https://e.org/t1> <https://e.org/t> <https://e.org/zz> .',
  '<https://e.org/b> <https://e.org/r> <https://e.org/z> .',
  '<https://e.org/b2> <https://e.org/r> <https://e.org/z2> .',
  '<https://e.org/a2> <https://e.org/p> <https://e.org/b2> .',
  '<https://e.org/a3> <https://e.org/p> <https://e.org/b3> .',
  '<https://e.org/h> <https://e.org/v> "007"^^<http://www.w3.org/2001/XMLSchema#int> .',
  '<https://e.org/h> <https://e.org/v> "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> .',
  '<https://e.org/h> <https://e.org/v> "2024-01-01T00:00:00+00:00"^^<http://www.w3.org/2001/XMLSchema#dateTime> .',
  '<https://e.org/h> <https://e.org/v> "chat"@FR-be .',
  '<https://e.org/h> <https://e.org/v> "plain" .',
  '<https://e.org/h> <https://e.org/v> "typed string"^^<http://www.w3.org/2001/XMLSchema#string> .',
  '<https://e.org/h> <https://e.org/v> "quote \\" backslash \\\\ tab \\t astral \\U0001F600" .',
  '<https://e.org/h> <https://e.org/self> <https://e.org/h> .',
  '<https://e.org/k> <https://e.org/w> "7"^^<http://www.w3.org/2001/XMLSchema#integer> .',
  '<https://e.org/k> <https://e.org/w> "1.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .',
  '<https://e.org/k> <https://e.org/w> "chat"@fr-BE .',
  '<https://e.org/k> <https://e.org/w> "typed string" .',
  '<https://e.org/k> <https://e.org/self> <https://e.org/k> .',
  '_:x <https://e.org/p> _:y .',
  '_:y <https://e.org/q> "blank object" .',
  '',
].join('\n');

/** Hostile questions: each is answered with the line filter and compared with the full load. */
const HOSTILE: Record<string, string> = {
  'OPTIONAL on a filtered predicate': `${P}SELECT ?l ?r ?lab WHERE { ?l ptq:relation ptq:fileContent ; ptq:source ?r . OPTIONAL { ?r rdfs:label ?lab } }`,
  // e:q2's only line joins with no e:p line: the answer is empty; dropping that line would make it every e:p row.
  'OPTIONAL before its partner (left join keeps the unextended row)': `${P}SELECT * WHERE { OPTIONAL { ?y e:q2 ?z } ?x e:p ?y }`,
  'OPTIONAL first, partner matches': `${P}SELECT * WHERE { OPTIONAL { ?y e:r ?z } ?x e:p ?y }`,
  'nested OPTIONAL on a variable its group does not bind': `${P}SELECT * WHERE { ?x e:p ?y OPTIONAL { ?a e:s ?b OPTIONAL { ?b e:t ?y } } }`,
  'OPTIONAL with a FILTER on the outer variable': `${P}SELECT * WHERE { ?x e:p ?y OPTIONAL { ?y e:r ?z FILTER(?x != e:a) } }`,
  'UNION joined with a mandatory pattern': `${P}SELECT ?c ?x WHERE { { ?c trov:hasArtifact ?x } UNION { ?c trov:hasFingerprint ?x } ?c a trov:ArtifactComposition }`,
  'UNION inside OPTIONAL': `${P}SELECT * WHERE { ?x e:p ?y OPTIONAL { { ?y e:r ?z } UNION { ?y e:q ?z } } }`,
  'nested groups': `${P}SELECT ?c ?a ?n WHERE { ?c trov:hasArtifact ?a { ?a a trov:ResearchArtifact { ?a <https://schema.org/name> ?n } } }`,
  'FILTER(?o != constant)': `${P}SELECT ?a ?n WHERE { ?a trov:sha256 ?h ; <https://schema.org/name> ?n FILTER(?n != "input") }`,
  'path p/q': `${P}SELECT ?a ?lab WHERE { ?a ptq:listedBy/rdfs:label ?lab }`,
  'path ^p/^q': `${P}SELECT ?a ?tro WHERE { ?a ^trov:hasArtifact/^trov:hasComposition ?tro }`,
  'path ^(p/q)': `${P}SELECT ?tro ?t2 WHERE { ?tro trov:hasComposition/trov:hasFingerprint ?f . ?f ^(trov:hasComposition/trov:hasFingerprint) ?t2 }`,
  'path p*': `${P}SELECT ?tro ?x WHERE { ?tro trov:hasComposition/trov:hasArtifact* ?x }`,
  'path p+': `${P}SELECT ?x ?y WHERE { ?x e:p+ ?y . ?y e:r ?z }`,
  'path alternatives': `${P}SELECT ?c ?x WHERE { ?c (trov:hasArtifact|trov:hasFingerprint) ?x . ?c a trov:ArtifactComposition }`,
  'variable predicate': `${P}SELECT ?p ?o WHERE { e:h ?p ?o . e:h e:self ?s }`,
  'variable predicate pinned by FILTER': `${P}SELECT ?s ?o WHERE { ?s ?p ?o FILTER(?p = e:v) ?s e:self ?t }`,
  'sub-SELECT with an aggregate': `${P}SELECT ?c ?n WHERE { ?c a trov:ArtifactComposition { SELECT ?c (COUNT(?a) AS ?n) WHERE { ?c trov:hasArtifact ?a } GROUP BY ?c } }`,
  'sub-SELECT with LIMIT joined outside': `${P}SELECT ?c ?a WHERE { ?c trov:hasArtifact ?a { SELECT ?a WHERE { ?a trov:sha256 ?h } ORDER BY ?a LIMIT 5 } }`,
  'GRAPH ?g with a constant object': `${P}SELECT ?g ?s ?n WHERE { GRAPH ?g { ?s a trov:TransparentResearchObject ; <https://schema.org/name> ?n } }`,
  'GRAPH ?g with a constant literal object': `${P}SELECT ?g ?a ?r WHERE { GRAPH ?g { ?a ptq:role "bundle-tro" ; ptq:listedBy ?r } }`,
  'constant integer object (007 is 7)': `${P}SELECT ?s WHERE { ?s e:v 7 ; e:self ?t }`,
  'constant typed object written differently': `${P}SELECT ?s WHERE { ?s e:v "0007"^^xsd:int ; e:self ?t }`,
  'constant decimal object': `${P}SELECT ?s WHERE { ?s e:v 1.5 ; e:self ?t }`,
  'constant dateTime object': `${P}SELECT ?s WHERE { ?s e:v "2024-01-01T00:00:00Z"^^xsd:dateTime ; e:self ?t }`,
  'constant language literal, other case': `${P}SELECT ?s WHERE { ?s e:v "chat"@fr-BE ; e:self ?t }`,
  'constant xsd:string literal written both ways': `${P}SELECT ?s WHERE { ?s e:v "typed string"^^xsd:string ; e:self ?t }`,
  'constant literal with escapes': `${P}SELECT ?s WHERE { ?s e:v "quote \\" backslash \\\\ tab \\t astral \\U0001F600" ; e:self ?t }`,
  'join on typed values equal by value': `${P}SELECT ?a ?b ?n WHERE { ?a e:v ?n . ?b e:w ?n }`,
  'MINUS': `${P}SELECT * WHERE { ?x e:p ?y MINUS { ?y e:r ?w } }`,
  'NOT EXISTS with a constant': `${P}SELECT ?l WHERE { ?l ptq:relation ?rel FILTER NOT EXISTS { ?l a ptq:HashMatch } }`,
  'EXISTS in a projection': `${P}SELECT ?x (EXISTS { ?y e:r ?z } AS ?has) WHERE { ?x e:p ?y }`,
  'VALUES joined': `${P}SELECT ?x ?y WHERE { VALUES ?y { e:b e:b3 } ?x e:p ?y . ?y e:r ?z }`,
  'BIND then join': `${P}SELECT ?x ?z WHERE { ?x e:p ?y BIND(?y AS ?w) ?w e:r ?z }`,
  'blank nodes joined': `${P}SELECT ?s ?o WHERE { ?s e:p ?b . ?b e:q ?o }`,
  'query blank node as a variable': `${P}SELECT ?lab WHERE { [] ptq:listedBy [ rdfs:label ?lab ; a ptq:Run ] }`,
  'FROM the index graph': `${P}SELECT ?a ?r FROM <https://pe-trace.invalid/graph/index> WHERE { ?a ptq:role "bundle-tro" ; ptq:listedBy ?r }`,
  'BASE with relative IRIs': `BASE <https://e.org/>\nSELECT ?x ?z WHERE { ?x <p> ?y . ?y <r> <z> }`,
  'ASK through a join': `${P}ASK { ?x e:p ?y . ?y e:r e:z2 }`,
  'CONSTRUCT through a join': `${P}CONSTRUCT { ?x e:via ?z } WHERE { ?x e:p ?y . ?y e:r ?z }`,
  'DESCRIBE': `${P}DESCRIBE e:b`,
  'aggregate over a join': `${P}SELECT ?run (COUNT(?l) AS ?n) WHERE { ?l ptq:relation ptq:bindsBundle ; ptq:source ?run } GROUP BY ?run`,
};

let root: string;
let dir: string;
let cache: string;
let asked = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pe-trace-line-plan-'));
  dir = join(root, 'corpus');
  cache = join(root, 'cache');
  cpSync('fixtures/corpus', dir, { recursive: true });
  generateCorpus(join(dir, 'generated'), 30);
  writeFileSync(join(dir, 'hostile.nt'), HOSTILE_NT);
  // Index and pack built once: every question below is then a new question over an unchanged directory.
  await queryDirectory(dir, parseUserQuery('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'), { cacheDir: cache });
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An answer as sorted lines, blank node labels masked (they follow row order, which is the engine's). */
async function rows(text: string, graphs: GraphSelection, options: { readonly cacheDir?: string; readonly lineFilter?: boolean }): Promise<string[]> {
  // A comment makes each call a new question for the answer cache.
  const r = await queryDirectory(dir, parseUserQuery(`# ${asked++}\n${text}`), { graphs, ...options });
  const a = r.answer;
  const mask = (s: string): string => s.replace(/_:[A-Za-z0-9_]+/g, '_:');
  if (a.form === 'ASK') return [String(a.boolean)];
  if (a.form !== 'SELECT') return a.nquads.split('\n').filter((l) => l !== '').map(mask).sort();
  return a.results.results.bindings.map((b) => JSON.stringify(a.results.head.vars.map((v) => (b[v]?.type === 'bnode' ? '_:' : (b[v] ?? null))))).sort();
}

/** The full load without a cache (the reference), then the filtered load over the kept index and without a cache. */
async function expectSame(name: string, text: string, graphs: GraphSelection = 'all'): Promise<string[]> {
  const reference = await rows(text, graphs, { lineFilter: false });
  expect(await rows(text, graphs, { cacheDir: cache }), `${name} (kept index, filtered)`).toEqual(reference);
  expect(await rows(text, graphs, {}), `${name} (no cache, filtered)`).toEqual(reference);
  return reference;
}

const planOf = (text: string): ReturnType<typeof linePlan> => linePlan(new Parser().parse(text));

describe('line filter: answers equal the full load', () => {
  it('for every named query', async () => {
    const named = listNamedQueries();
    expect(named.length).toBeGreaterThan(5);
    let answered = 0;
    for (const q of named) if ((await expectSame(q.name, q.text, q.graphs)).length > 0) answered++;
    // The corpus is built so that most named queries have rows (an empty answer proves little).
    expect(answered).toBeGreaterThan(named.length / 2);
  }, 300_000);

  it('for hostile questions', async () => {
    const empty: string[] = [];
    for (const [name, text] of Object.entries(HOSTILE)) if ((await expectSame(name, text)).length === 0) empty.push(name);
    // Those are meant to have rows (or `true`): a typo in a question must not pass as agreement on nothing.
    expect(empty).toEqual(['OPTIONAL before its partner (left join keeps the unextended row)']);
  }, 600_000);
});

describe('line plan', () => {
  it('keeps only joinable lines of a chain and the constant object', () => {
    const plan = planOf('PREFIX e: <https://e.org/> SELECT * { ?l e:rel e:C ; e:src ?a . ?a e:name ?n }');
    expect(plan).toBeDefined();
    const nq = [
      '<https://e.org/l1> <https://e.org/rel> <https://e.org/C> .',
      '<https://e.org/l2> <https://e.org/rel> <https://e.org/D> .',
      '<https://e.org/l1> <https://e.org/src> <https://e.org/a1> .',
      '<https://e.org/l2> <https://e.org/src> <https://e.org/a2> .',
      '<https://e.org/a1> <https://e.org/name> "one" .',
      '<https://e.org/a2> <https://e.org/name> "two" .',
      '<https://e.org/x> <https://e.org/other> "kept: no pattern reads it" .',
      '',
    ].join('\n');
    const r = filterLines([nq], plan ?? { patterns: [], scopes: [] });
    expect(r.lines).toBe(7);
    expect(r.parts.join('').split('\n').filter((l) => l !== '')).toEqual([nq.split('\n')[0], nq.split('\n')[2], nq.split('\n')[4], nq.split('\n')[6]]);
  });

  it('lets no value set flow into an OPTIONAL from patterns after it, or into a nested OPTIONAL for a variable its group leaves unbound', () => {
    // Nothing narrows ?y here (the e:p pattern comes after the OPTIONAL): no plan at all.
    expect(planOf('PREFIX e: <https://e.org/> SELECT * { OPTIONAL { ?y e:q ?z } ?x e:p ?y }')).toBeUndefined();
    const first = planOf('PREFIX e: <https://e.org/> SELECT * { OPTIONAL { ?y e:q ?z . ?z e:r ?w } ?x e:p ?y }');
    expect(first?.scopes).toEqual([
      { parent: -1, inherit: [] },
      { parent: 0, inherit: [] },
    ]);
    const nested = planOf('PREFIX e: <https://e.org/> SELECT * { ?x e:p ?y OPTIONAL { ?a e:s ?b OPTIONAL { ?b e:t ?y } } }');
    expect(nested?.scopes[1]).toEqual({ parent: 0, inherit: ['x', 'y'] });
    expect(nested?.scopes[2]).toEqual({ parent: 1, inherit: ['a', 'b'] });
    // MINUS and EXISTS groups are roots: nothing outside narrows them.
    const minus = planOf('PREFIX e: <https://e.org/> SELECT * { ?x e:p ?y ; e:s ?t MINUS { ?y e:r ?w } FILTER NOT EXISTS { ?y e:q ?v } }');
    expect(minus?.scopes.slice(1)).toEqual([
      { parent: -1, inherit: [] },
      { parent: -1, inherit: [] },
    ]);
  });

  it('gives no plan where any line may match, or where none could be dropped', () => {
    const none = ['SELECT * { ?s ?p ?o . ?s <urn:x> ?y }', 'SELECT * { ?s <urn:x>* ?o }', 'SELECT * { ?s !<urn:x> ?o }', 'DESCRIBE <urn:x>', 'SELECT * { ?s <urn:x>? ?o }'];
    const nothingToDrop = ['SELECT ?g (COUNT(?a) AS ?n) WHERE { GRAPH ?g { ?c <urn:x> ?a } } GROUP BY ?g', 'SELECT * { ?a <urn:x> ?b OPTIONAL { ?c <urn:y> ?d } }', 'SELECT * { ?a (<urn:x>|<urn:y>) ?b }'];
    for (const text of [...none, ...nothingToDrop]) {
      expect(planOf(text), text).toBeUndefined();
    }
  });

  it('keeps every typed literal line for a typed constant, and compares language tags in lower case', () => {
    const nq = ['<urn:a> <urn:v> "007"^^<http://www.w3.org/2001/XMLSchema#int> .', '<urn:b> <urn:v> "8"^^<http://www.w3.org/2001/XMLSchema#integer> .', '<urn:c> <urn:v> "7" .', '<urn:d> <urn:v> "chat"@FR-be .', ''].join('\n');
    const kept = (text: string): string[] => {
      const plan = planOf(text);
      expect(plan, text).toBeDefined();
      return filterLines([nq], plan ?? { patterns: [], scopes: [] })
        .parts.join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split(' ')[0] ?? '');
    };
    expect(kept('SELECT * { ?s <urn:v> 7 }')).toEqual(['<urn:a>', '<urn:b>']);
    expect(kept('SELECT * { ?s <urn:v> "7" }')).toEqual(['<urn:c>']);
    expect(kept('SELECT * { ?s <urn:v> "chat"@fr-BE }')).toEqual(['<urn:d>']);
  });
});
