// Paged SELECT evaluation on oxigraph: which queries are paged, and the rows (and their order) equal the unpaged answer.
import { describe, expect, it } from 'vitest';
import { FIRST_PAGE_ROWS, PAGE_GROWTH, type SparqlBinding, parseUserQuery, queryPages } from '../../../src/index.js';
import { ROW_BATCH, answerOnNQuads } from '../../../src/query/ox-engine.js';

const EX = 'https://example.org/';

/** `n` subjects with two properties each, in two named graphs: 2n triples. */
function nquads(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(`<${EX}s${i}> <${EX}p> "v${i % 17}" <${EX}g${i % 2}> .`);
    lines.push(`<${EX}s${i}> <${EX}q> <${EX}s${(i * 7) % n}> <${EX}g${i % 3 === 0 ? 0 : 1}> .`);
  }
  return `${lines.join('\n')}\n`;
}

async function both(text: string, data: string): Promise<{ whole: readonly SparqlBinding[]; streamed: SparqlBinding[]; batches: number[]; returned: readonly SparqlBinding[] }> {
  const q = parseUserQuery(text, 'q.rq');
  const plain = await answerOnNQuads(data, q);
  const streamed: SparqlBinding[] = [];
  const batches: number[] = [];
  const paged = await answerOnNQuads(data, q, {
    onRows: (rows) => {
      batches.push(rows.length);
      streamed.push(...rows);
    },
  });
  if (plain.form !== 'SELECT' || paged.form !== 'SELECT') throw new Error('not a SELECT');
  return { whole: plain.results.results.bindings, streamed, batches, returned: paged.results.results.bindings };
}

describe('queryPages', () => {
  it('pages a plain SELECT in growing pages, within its own LIMIT and OFFSET', () => {
    const q = parseUserQuery('SELECT ?s WHERE { ?s ?p ?o } LIMIT 2500 OFFSET 10', 'q.rq');
    const pages = [...(queryPages(q) ?? [])];
    expect(pages.map((p) => p.limit)).toEqual([FIRST_PAGE_ROWS, 1500]);
    expect(pages[0]?.text).toMatch(/OFFSET 10\b/);
    expect(pages[1]?.text).toMatch(/OFFSET 1010\b/);
    const open = queryPages(parseUserQuery('SELECT ?s WHERE { ?s ?p ?o }', 'q.rq'));
    const it3 = open?.[Symbol.iterator]();
    expect([it3?.next().value?.limit, it3?.next().value?.limit, it3?.next().value?.limit]).toEqual([FIRST_PAGE_ROWS, FIRST_PAGE_ROWS * PAGE_GROWTH, FIRST_PAGE_ROWS * PAGE_GROWTH * PAGE_GROWTH]);
  });

  it('does not page what the engine orders by a sort or a hash table', () => {
    for (const text of [
      'SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s',
      'SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s',
      'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }',
      'SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 3 } }',
      'SELECT ?s ?o WHERE { ?s <https://example.org/q>* ?o }',
      'SELECT ?s ?o WHERE { ?s <https://example.org/q>+ ?o }',
      'ASK { ?s ?p ?o }',
    ]) {
      expect(queryPages(parseUserQuery(text, 'q.rq')), text).toBeUndefined();
    }
  });
});

describe('answerOnNQuads with onRows', () => {
  const data = nquads(2600);

  it('hands over every row of a paged SELECT in batches, in the unpaged order', async () => {
    const r = await both('SELECT ?s ?o WHERE { ?s ?p ?o }', data);
    expect(r.whole).toHaveLength(5200);
    expect(r.streamed).toEqual(r.whole);
    expect(r.returned).toEqual(r.whole);
    expect(r.batches.length).toBeGreaterThan(1);
    expect(Math.max(...r.batches)).toBeLessThanOrEqual(ROW_BATCH);
  });

  it('keeps the query\'s own LIMIT/OFFSET, DISTINCT, OPTIONAL, FILTER and GRAPH', async () => {
    for (const text of [
      'SELECT ?s ?o WHERE { ?s ?p ?o } LIMIT 3100 OFFSET 7',
      'SELECT DISTINCT ?o WHERE { ?s <https://example.org/p> ?o }',
      'SELECT ?s ?v ?t WHERE { ?s <https://example.org/q> ?t OPTIONAL { ?t <https://example.org/p> ?v FILTER(?v != "v3") } }',
      'SELECT ?g ?s WHERE { GRAPH ?g { ?s <https://example.org/p> ?o } }',
      'SELECT ?a ?b WHERE { ?a <https://example.org/p> "v1" . ?b <https://example.org/p> "v2" }',
    ]) {
      const r = await both(text, data);
      expect(r.streamed, text).toEqual(r.whole);
      expect(r.returned, text).toEqual(r.whole);
    }
  });

  it('hands over the rows of a query it does not page (ORDER BY) too, once they are known', async () => {
    const r = await both('SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY DESC(?s)', data);
    expect(r.streamed).toEqual(r.whole);
    expect(r.batches.length).toBeGreaterThan(1);
  });
});
