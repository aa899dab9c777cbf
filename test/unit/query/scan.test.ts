// One-quad-pattern questions read from the index's lines give oxigraph's rows (order aside), hostile literals, blank nodes and removed documents included, the same bytes every run.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../../bench/query.js';
import { type SparqlBinding, parseUserQuery, queryDirectory } from '../../../src/index.js';
import { answerOverDirectory } from '../../../src/query/answers.js';
import { INDEX_GRAPH, LINKS_GRAPH } from '../../../src/query/namespaces.js';
import { scanPlan, scanSelect } from '../../../src/query/scan.js';

const P = 'PREFIX trov: <https://w3id.org/trace/trov/0.1#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX e: <https://e.org/> ';
const XSD = 'http://www.w3.org/2001/XMLSchema#';

/** Hostile literals, non-canonical typed literals (oxigraph answers them canonically), language tags, blank nodes; one triple in two graphs. */
const HOSTILE_NT = [
  '<https://e.org/h> <https://e.org/p> "quote \\" backslash \\\\ newline \\n cr \\r tab \\t ls \\u2028 astral \\U0001F600 end" .',
  '<https://e.org/h> <https://e.org/p> "007"^^<http://www.w3.org/2001/XMLSchema#int> .',
  '<https://e.org/h> <https://e.org/p> "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> .',
  '<https://e.org/h> <https://e.org/p> "1.5E0"^^<http://www.w3.org/2001/XMLSchema#double> .',
  '<https://e.org/h> <https://e.org/p> "2024-01-01T00:00:00+00:00"^^<http://www.w3.org/2001/XMLSchema#dateTime> .',
  '<https://e.org/h> <https://e.org/p> "chat"@FR-be .',
  '<https://e.org/h> <https://e.org/p> "not a number"^^<http://www.w3.org/2001/XMLSchema#integer> .',
  '<https://e.org/h> <https://e.org/self> <https://e.org/h> .',
  '_:x <https://e.org/p> _:y .',
  '_:y <https://e.org/q> "blank object" .',
  '<https://e.org/shared> <https://e.org/p> "in two graphs" .',
  '<https://e.org/h> <https://e.org/dup> "written twice" .',
  '<https://e.org/h> <https://e.org/dup> "written twice" .',
  '',
].join('\n');

let root: string;
let dir: string;
let cache: string;
let run = 0;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pe-trace-scan-'));
  dir = join(root, 'corpus');
  cache = join(root, 'cache');
  cpSync('fixtures/corpus', dir, { recursive: true });
  generateCorpus(join(dir, 'generated'), 40);
  writeFileSync(join(dir, 'hostile.nt'), HOSTILE_NT);
  // A TRO whose name holds lone and reversed surrogates (JSON escapes them; N-Triples cannot).
  const tro = readFileSync('fixtures/corpus/real/policyengine-py/web-run/simulation.trace.tro.jsonld', 'utf8');
  writeFileSync(join(dir, 'surrogates.trace.tro.jsonld'), tro.replace('"policyengine simulation TRO (run-123)"', '"lone \\ud800 reversed \\udc00\\ud800 pair \\ud83d\\ude00 end"'));
  writeFileSync(join(dir, 'other.nt'), '<https://e.org/shared> <https://e.org/p> "in two graphs" .\n<https://e.org/gone> <https://e.org/p> "removed later" .\n');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The same question made unscannable without changing its answer: oxigraph answers it. */
const viaOxigraph = (text: string): string => `${text.slice(0, text.lastIndexOf('}'))} FILTER(true) }${text.slice(text.lastIndexOf('}') + 1)}`;

/** Rows as comparable lines: blank node labels (which depend on row order) replaced, sorted. */
function rowSet(vars: readonly string[], rows: readonly SparqlBinding[]): string[] {
  return rows.map((b) => JSON.stringify(vars.map((v) => (b[v]?.type === 'bnode' ? '_:' : (b[v] ?? null))))).sort();
}

/** How many distinct blank nodes an answer names. */
const blankCount = (rows: readonly SparqlBinding[]): number => new Set(rows.flatMap((b) => Object.values(b).filter((t) => t.type === 'bnode').map((t) => t.value))).size;

/** The scanned answer (streamed, as the CLI asks for it) with a fresh answer-cache key, and oxigraph's without any cache. */
async function both(text: string): Promise<{ scanned: SparqlBinding[]; reference: SparqlBinding[]; vars: readonly string[]; warnings: [readonly string[], readonly string[]] }> {
  const query = parseUserQuery(`# run ${run++}\n${text}`);
  expect(scanPlan(query), text).toBeDefined();
  const refQuery = parseUserQuery(viaOxigraph(text));
  expect(scanPlan(refQuery)).toBeUndefined();
  const scanned: SparqlBinding[] = [];
  const r = await queryDirectory(dir, query, { cacheDir: cache, onRows: (rows) => void scanned.push(...rows) });
  const ref = await queryDirectory(dir, refQuery, {});
  if (r.answer.form !== 'SELECT' || ref.answer.form !== 'SELECT') throw new Error('not a SELECT answer');
  expect(r.answer.results.head.vars).toEqual(ref.answer.results.head.vars);
  expect(r.documents).toBe(ref.documents);
  return { scanned, reference: [...ref.answer.results.results.bindings], vars: ref.answer.results.head.vars, warnings: [r.warnings, ref.warnings] };
}

async function expectSame(text: string, minRows = 1): Promise<SparqlBinding[]> {
  const { scanned, reference, vars, warnings } = await both(text);
  expect(rowSet(vars, scanned), text).toEqual(rowSet(vars, reference));
  expect(blankCount(scanned), text).toBe(blankCount(reference));
  expect(warnings[0]).toEqual(warnings[1]);
  expect(scanned.length, text).toBeGreaterThanOrEqual(minRows);
  return scanned;
}

describe('scanPlan', () => {
  it('takes one quad pattern and leaves everything else to oxigraph', () => {
    const yes = ['SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }', 'SELECT * { ?s ?p ?o } LIMIT 3 OFFSET 2', `${P}SELECT ?s WHERE { GRAPH <${INDEX_GRAPH}> { ?s a trov:X } }`, 'SELECT ?o WHERE { [] <urn:p> ?o }'];
    const no = [
      'SELECT DISTINCT ?s WHERE { ?s ?p ?o }',
      'SELECT ?s FROM <urn:g> WHERE { ?s ?p ?o }',
      'SELECT ?s WHERE { ?s ?p ?o . ?o ?q ?r }',
      'SELECT ?s WHERE { ?s <urn:a>/<urn:b> ?o }',
      'SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s',
      'SELECT (STR(?s) AS ?x) WHERE { ?s ?p ?o }',
      'SELECT ?s WHERE { ?s ?p ?o FILTER(?p = <urn:p>) }',
      'SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } ?s ?p ?o }',
      'ASK { ?s ?p ?o }',
      'CONSTRUCT WHERE { ?s ?p ?o }',
    ];
    for (const q of yes) expect(scanPlan(parseUserQuery(q)), q).toBeDefined();
    for (const q of no) expect(scanPlan(parseUserQuery(q)), q).toBeUndefined();
  });
});

describe('scanned rows = oxigraph rows', () => {
  it('every quad with GRAPH ?g, hostile literals and blank nodes included; the default graph gives one row per quad, as oxigraph does', async () => {
    const all = await expectSame('SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }', 5000);
    const hostile = all.find((b) => b['o']?.value.startsWith('quote "'));
    expect(hostile?.['o']?.value).toBe('quote " backslash \\ newline \n cr \r tab \t ls \u2028 astral 😀 end');
    expect(all.filter((b) => b['o']?.value === 'lone \uFFFD reversed \uFFFD\uFFFD pair 😀 end').length).toBeGreaterThan(0);
    // oxigraph's forms: XSD values canonical, language tags lower-cased.
    const objects = all.filter((b) => b['s']?.value === 'https://e.org/h').map((b) => b['o']);
    expect(objects).toContainEqual({ type: 'literal', value: '7', datatype: `${XSD}integer` });
    expect(objects).toContainEqual({ type: 'literal', value: '1.5', datatype: `${XSD}decimal` });
    expect(objects).toContainEqual({ type: 'literal', value: 'chat', 'xml:lang': 'fr-be' });
    const union = await expectSame('SELECT ?s ?p ?o WHERE { ?s ?p ?o }', 5000);
    expect(union.filter((b) => b['s']?.value === 'https://e.org/shared')).toHaveLength(2);
    await expectSame('SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }', 5000);
    // Without a cache the lines are read from the dataset built in memory: the same rows.
    const inMemory: SparqlBinding[] = [];
    await queryDirectory(dir, parseUserQuery('SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }'), { onRows: (rows) => void inMemory.push(...rows) });
    const vars = ['s', 'p', 'o', 'g'];
    expect(rowSet(vars, inMemory)).toEqual(rowSet(vars, all));
  }, 300_000);

  it('a constant graph, predicate, subject or object (typed, language-tagged, blank), repeated variables', async () => {
    const all = await expectSame('SELECT ?g WHERE { GRAPH ?g { <https://e.org/h> <https://e.org/self> ?o } }');
    const hostileGraph = all[0]?.['g']?.value ?? '';
    await expectSame(`SELECT ?s ?p ?o WHERE { GRAPH <${hostileGraph}> { ?s ?p ?o } }`, 10);
    await expectSame(`SELECT ?s ?p ?o WHERE { GRAPH <${INDEX_GRAPH}> { ?s ?p ?o } }`, 10);
    await expectSame(`SELECT ?s ?o ?g WHERE { GRAPH ?g { ?s <https://pe-trace.invalid/none> ?o } }`, 0);
    await expectSame(`${P}SELECT ?a ?h WHERE { ?a trov:sha256 ?h }`, 10);
    await expectSame(`${P}SELECT ?a ?h ?g WHERE { GRAPH ?g { ?a trov:sha256 ?h } }`, 10);
    await expectSame(`${P}SELECT ?c WHERE { ?c a trov:TransparentResearchObject }`, 1);
    await expectSame(`SELECT ?s ?o WHERE { GRAPH <${LINKS_GRAPH}> { ?s ?p ?o } }`, 1);
    await expectSame('SELECT ?p ?o WHERE { <https://e.org/h> ?p ?o }', 9);
    await expectSame('SELECT ?s ?p WHERE { ?s ?p 7 }', 1);
    await expectSame(`${P}SELECT ?s ?p WHERE { ?s ?p "1.5"^^xsd:decimal }`, 1);
    await expectSame(`${P}SELECT ?s ?p WHERE { ?s ?p "2024-01-01T00:00:00Z"^^xsd:dateTime }`, 1);
    await expectSame('SELECT ?s ?p WHERE { ?s ?p "chat"@fr-BE }', 1);
    await expectSame('SELECT ?s ?p WHERE { ?s ?p "in two graphs" }', 2);
    await expectSame('SELECT ?s ?o WHERE { ?s <https://e.org/p> ?o }', 9);
    await expectSame('SELECT ?o WHERE { [] <https://e.org/q> ?o }', 1);
    await expectSame('SELECT ?s WHERE { ?s ?p ?s }', 1);
    await expectSame('SELECT ?s ?x WHERE { GRAPH ?g { ?s ?p ?o } }', 5000);
    // A line written twice is one quad (oxigraph's set); the links graph has such lines too.
    expect(await expectSame('SELECT ?o WHERE { ?s <https://e.org/dup> ?o }')).toHaveLength(1);
  }, 300_000);

  it('LIMIT/OFFSET cut the scan order, and their rows belong to the answer', async () => {
    const text = 'SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }';
    const full: SparqlBinding[] = [];
    await queryDirectory(dir, parseUserQuery(`# full ${run++}\n${text}`), { cacheDir: cache, onRows: (rows) => void full.push(...rows) });
    const page: SparqlBinding[] = [];
    const r = await queryDirectory(dir, parseUserQuery(`# page ${run++}\n${text} LIMIT 1500 OFFSET 700`), { cacheDir: cache, onRows: (rows) => void page.push(...rows) });
    expect(page).toHaveLength(1500);
    const withoutBlanks = (rows: readonly SparqlBinding[]): string[] => rows.map((b) => JSON.stringify(b, (k, v: unknown) => (k === 'value' && typeof v === 'string' && /^b\d+$/.test(v) ? '_' : v)));
    expect(withoutBlanks(page)).toEqual(withoutBlanks(full.slice(700, 2200)));
    // Without onRows (the library, --json) the whole answer is returned.
    expect(r.answer.form === 'SELECT' && r.answer.results.results.bindings.length).toBe(1500);
    const { reference } = await both(`${text} LIMIT 3`);
    expect(reference).toHaveLength(3);
  }, 300_000);

  it('gives the same bytes run after run over the same directory and cache', async () => {
    const text = 'SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }';
    const runs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const rows: SparqlBinding[] = [];
      await queryDirectory(dir, parseUserQuery(`# again ${run++}\n${text}`), { cacheDir: cache, onRows: (r) => void rows.push(...r) });
      runs.push(JSON.stringify(rows));
    }
    expect(runs[1]).toBe(runs[0]);
    expect(runs[2]).toBe(runs[0]);
  }, 300_000);

  it("a removed document's lines do not appear, read from the index in memory and from its files", async () => {
    const gone = 'SELECT ?s ?g WHERE { GRAPH ?g { ?s <https://e.org/p> "removed later" } }';
    expect((await expectSame(gone)).length).toBe(1);
    rmSync(join(dir, 'other.nt'));
    // First question after the change: the corpus is loaded, the index marks the document dead (cold path).
    expect((await both(gone)).scanned).toHaveLength(0);
    // Next question over the unchanged directory: read file by file from the index, dead lines skipped.
    expect((await both(gone)).scanned).toHaveLength(0);
    await expectSame('SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }', 5000);
    const shared = await expectSame('SELECT ?s ?g WHERE { GRAPH ?g { <https://e.org/shared> ?p ?o } }');
    expect(shared).toHaveLength(1);
  }, 300_000);
});

describe('bounded memory', () => {
  it('keeps no rows past keepRows when they are streamed, and then the answer is not complete', async () => {
    const lines = Array.from({ length: 2500 }, (_, i) => `<urn:s${i}> <urn:p> "v${i}" <urn:g> .\n`);
    const query = parseUserQuery('SELECT ?s ?o WHERE { GRAPH ?g { ?s <urn:p> ?o } }');
    const plan = scanPlan(query);
    if (plan === undefined) throw new Error('not scannable');
    let streamed = 0;
    const big = await scanSelect(lines, plan, query, { onRows: (rows) => void (streamed += rows.length), keepRows: 1000 });
    expect(streamed).toBe(2500);
    expect(big.complete).toBe(false);
    expect(big.answer.form === 'SELECT' && big.answer.results.results.bindings.length).toBe(0);
    const small = await scanSelect(lines, plan, query, { onRows: () => undefined, keepRows: 5000 });
    expect(small.complete).toBe(true);
    expect(small.answer.form === 'SELECT' && small.answer.results.results.bindings.length).toBe(2500);
  });

  it('the answer cache stores nothing for an answer its question declines to store', async () => {
    const calls: string[] = [];
    const question = { kind: 'test', params: ['big'], toStored: (): undefined => undefined, fromStored: (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined) };
    const answer = (): string => {
      calls.push('computed');
      return 'answer';
    };
    const fresh = join(root, 'cache-declined');
    expect(await answerOverDirectory(join(dir, 'generated'), { cacheDir: fresh }, question, answer)).toBe('answer');
    expect(await answerOverDirectory(join(dir, 'generated'), { cacheDir: fresh }, question, answer)).toBe('answer');
    expect(calls).toEqual(['computed', 'computed']);
  }, 120_000);
});
