// sync's multi-graph INSERT DATA: blank nodes kept apart per document (never text inside a literal), empty graphs left out, the count check's query and answer.
import { Parser } from 'n3';
import { describe, expect, it } from 'vitest';
import { BIG_DATA_PRAGMA, countQuery, distinctTriples, hasBlankNode, insertDataText, parseCounts, relabelBlankNodes } from '../../../src/query/sync-insert.js';

const P = '<https://example.org/p>';

describe('sync-insert', () => {
  it('finds blank nodes as subject or object, not inside a literal or an IRI', () => {
    expect(hasBlankNode(`_:b0 ${P} "x" .\n`)).toBe(true);
    expect(hasBlankNode(`<https://a> ${P} _:b1 .\n`)).toBe(true);
    expect(hasBlankNode(`<https://a> ${P} "text _:b0 with _: inside" .\n`)).toBe(false);
    expect(hasBlankNode(`<https://a/_:x> ${P} <https://b/_:y> .\n`)).toBe(false);
    expect(hasBlankNode('')).toBe(false);
  });

  it('relabels blank nodes only, so the triples parse to the same graph up to blank node names', () => {
    const nt = `_:b0 ${P} _:b1 .\n_:b1 ${P} "a literal naming _:b0 \\"quoted\\" é" .\n<https://a> ${P} _:b0 .\n<https://a> ${P} "plain" .\n`;
    const out = relabelBlankNodes(nt, 'd7x');
    expect(out).toBe(`_:d7xb0 ${P} _:d7xb1 .\n_:d7xb1 ${P} "a literal naming _:b0 \\"quoted\\" é" .\n<https://a> ${P} _:d7xb0 .\n<https://a> ${P} "plain" .\n`);
    const before = new Parser({ format: 'N-Triples' }).parse(nt);
    const after = new Parser({ format: 'N-Triples' }).parse(out);
    expect(after.map((q) => q.object.termType === 'Literal' ? q.object.value : q.object.termType)).toEqual(before.map((q) => q.object.termType === 'Literal' ? q.object.value : q.object.termType));
    // same shape: the node that is b0 before is one node after
    expect(new Set(after.filter((q) => q.subject.termType === 'BlankNode').map((q) => q.subject.value)).size).toBe(2);
    expect(after[2]?.object.value).toBe(after[0]?.subject.value);
  });

  it('writes one INSERT DATA of several documents: labels apart between documents, shared between one document\'s graphs, empty graphs left out', () => {
    const doc1 = [
      { graph: 'https://g/doc/1/', ntriples: `_:b0 ${P} "one" .\n` },
      { graph: 'https://g/view/1/', ntriples: `<https://v> ${P} _:b0 .\n` },
    ];
    const doc2 = [{ graph: 'https://g/doc/2/', ntriples: `_:b0 ${P} "two" .\n` }, { graph: 'https://g/view/2/', ntriples: '' }];
    const text = insertDataText([doc1, doc2], false) ?? '';
    expect(text.startsWith('INSERT DATA {\n')).toBe(true);
    expect(text).toContain(`GRAPH <https://g/doc/1/> {\n_:d0xb0 ${P} "one" .\n}`);
    expect(text).toContain(`GRAPH <https://g/view/1/> {\n<https://v> ${P} _:d0xb0 .\n}`);
    expect(text).toContain(`GRAPH <https://g/doc/2/> {\n_:d1xb0 ${P} "two" .\n}`);
    expect(text).not.toContain('https://g/view/2/');
    expect(insertDataText([doc1], true)?.startsWith(`${BIG_DATA_PRAGMA}\nINSERT DATA {`)).toBe(true);
    expect(insertDataText([[{ graph: 'https://g/empty/', ntriples: '' }]], true)).toBeUndefined();
  });

  it('counts distinct triples, and reads the count answer strictly', () => {
    expect(distinctTriples(`<a> ${P} "x" .\n<a> ${P} "x" .\n<a> ${P} "y" .\n`)).toBe(2);
    expect(distinctTriples('')).toBe(0);
    expect(countQuery(['https://g/1', 'https://g/2'])).toBe('SELECT ?g (COUNT(*) AS ?n) WHERE { VALUES ?g { <https://g/1> <https://g/2> } GRAPH ?g { ?s ?p ?o } } GROUP BY ?g');
    const row = (g: string, n: string): Record<string, { type: 'uri' | 'literal'; value: string }> => ({ g: { type: 'uri', value: g }, n: { type: 'literal', value: n } });
    expect(parseCounts({ head: { vars: ['g', 'n'] }, results: { bindings: [row('https://g/1', '3'), row('https://g/2', '0')] } })).toEqual(new Map([['https://g/1', 3], ['https://g/2', 0]]));
    expect(parseCounts({ head: { vars: ['g', 'n'] }, results: { bindings: [row('https://g/1', 'three')] } })).toBeUndefined();
    expect(parseCounts({ head: { vars: ['g', 'n'] }, results: { bindings: [row('https://g/1', '-1')] } })).toBeUndefined();
    expect(parseCounts({ head: { vars: ['g', 'n'] }, results: { bindings: [{ n: { type: 'literal', value: '1' } }] } })).toBeUndefined();
    // RDF::Endpoint answers an aggregate over no solution with one empty row
    expect(parseCounts({ head: { vars: ['g', 'n'] }, results: { bindings: [{}] } })).toEqual(new Map());
  });
});
