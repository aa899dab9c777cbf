// The W3C result formats written exactly: JSON, CSV (CRLF, quoting), TSV (SPARQL term syntax), and the text table.
import { describe, expect, it } from 'vitest';
import { DataFactory } from 'n3';
import { type SparqlJsonResults, askToJson, quadsToNQuads, selectToCsv, selectToJson, selectToTable, selectToTsv, termToJson } from '../../../src/index.js';

const results: SparqlJsonResults = {
  head: { vars: ['s', 'label', 'n'] },
  results: {
    bindings: [
      { s: { type: 'uri', value: 'https://w3id.org/pe-trace/query#Build' }, label: { type: 'literal', value: 'a "quoted", comma' }, n: { type: 'literal', value: '3', datatype: 'http://www.w3.org/2001/XMLSchema#integer' } },
      { s: { type: 'bnode', value: 'b0' }, label: { type: 'literal', value: 'line\nbreak\ttab', 'xml:lang': 'en' } },
    ],
  },
};

describe('result formats', () => {
  it('writes SPARQL 1.1 Query Results JSON', () => {
    expect(JSON.parse(selectToJson(results))).toEqual(results);
    expect(askToJson(true)).toBe('{\n  "head": {},\n  "boolean": true\n}\n');
  });

  it('writes CSV: bare IRIs and lexical forms, quoted fields, CRLF', () => {
    expect(selectToCsv(results)).toBe('s,label,n\r\nhttps://w3id.org/pe-trace/query#Build,"a ""quoted"", comma",3\r\n_:b0,"line\nbreak\ttab",\r\n');
  });

  it('writes TSV: ?vars header and terms in SPARQL syntax', () => {
    expect(selectToTsv(results)).toBe(
      '?s\t?label\t?n\n<https://w3id.org/pe-trace/query#Build>\t"a \\"quoted\\", comma"\t"3"^^<http://www.w3.org/2001/XMLSchema#integer>\n_:b0\t"line\\nbreak\\ttab"@en\t\n',
    );
  });

  it('writes an aligned table compacting IRIs with the query prefixes', () => {
    expect(selectToTable(results, { ptq: 'https://w3id.org/pe-trace/query#' })).toBe(
      ['s          label              n', '---------  -----------------  -', 'ptq:Build  a "quoted", comma  3', '_:b0       line break tab', '(2 rows)', ''].join('\n'),
    );
  });

  it('maps RDF/JS terms to results JSON (no datatype on simple literals)', () => {
    expect(termToJson(DataFactory.literal('x'))).toEqual({ type: 'literal', value: 'x' });
    expect(termToJson(DataFactory.literal('x', 'en'))).toEqual({ type: 'literal', value: 'x', 'xml:lang': 'en' });
    expect(termToJson(DataFactory.literal('1', DataFactory.namedNode('http://www.w3.org/2001/XMLSchema#integer')))).toEqual({ type: 'literal', value: '1', datatype: 'http://www.w3.org/2001/XMLSchema#integer' });
  });

  it('writes CONSTRUCT results as N-Quads lines', () => {
    const q = DataFactory.quad(DataFactory.namedNode('urn:a'), DataFactory.namedNode('urn:b'), DataFactory.literal('c'));
    expect(quadsToNQuads([q])).toBe('<urn:a> <urn:b> "c" .\n');
  });
});
