// A user's SPARQL is parsed first: forms, variables, prefixes, and every syntax error located at file:line:column.
import { describe, expect, it } from 'vitest';
import { InputError, parseUserQuery } from '../../../src/index.js';

function located(text: string): { message: string; line?: number; column?: number } {
  try {
    parseUserQuery(text, 'q.rq');
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    expect(e.code).toBe('QUERY_SYNTAX');
    expect(e.exitCode).toBe(3);
    return { message: e.message, ...(e.location?.line === undefined ? {} : { line: e.location.line }), ...(e.location?.column === undefined ? {} : { column: e.location.column }) };
  }
  throw new Error('expected a syntax error');
}

describe('parseUserQuery', () => {
  it('reads the form, projected variables and prefixes', () => {
    const q = parseUserQuery('PREFIX ptq: <https://w3id.org/pe-trace/query#>\nSELECT ?a (COUNT(?b) AS ?n) WHERE { ?a ptq:x ?b } GROUP BY ?a', 'q.rq');
    expect(q.form).toBe('SELECT');
    expect(q.variables).toEqual(['a', 'n']);
    expect(q.prefixes).toEqual({ ptq: 'https://w3id.org/pe-trace/query#' });
    expect(parseUserQuery('ASK { ?s ?p ?o }').form).toBe('ASK');
    expect(parseUserQuery('CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }').form).toBe('CONSTRUCT');
  });

  it('points at the offending token, not at the token before it', () => {
    expect(located('SELECT ?x WHERE {\n  ?x ?y \n  FILTER( }')).toMatchObject({ line: 3, column: 3, message: expect.stringMatching(/^q\.rq:3:3: SPARQL syntax error: unexpected 'FILTER'; expected one of /) });
    expect(located('SELECT ?x WHERE { ?x ?y }')).toMatchObject({ line: 1, column: 25 });
    expect(located('SELEC ?x WHERE { ?x ?y ?z }')).toMatchObject({ line: 1, column: 1 });
    expect(located('# a comment\nSELECT ?x WHERE { ?x ?y ?z }  # c2\n LIMIT x')).toMatchObject({ line: 3, column: 8 });
  });

  it('says "the end of the query" when the query stops early', () => {
    expect(located('SELECT ?x WHERE { ?x ?y ?z ').message).toMatch(/^q\.rq:1:\d+: SPARQL syntax error: unexpected the end of the query/);
  });

  it('locates an unknown prefix at its first use', () => {
    expect(located('SELECT ?x\nWHERE { ?x  nope:y ?z }')).toMatchObject({ line: 2, column: 13, message: 'q.rq:2:13: SPARQL error: Unknown prefix: nope' });
  });

  it('refuses update requests', () => {
    expect(located('INSERT DATA { <a:b> <a:c> <a:d> }').message).toMatch(/SPARQL Update request/);
  });

  it('refuses SERVICE anywhere (OPTIONAL, sub-select, UNION), located at the keyword', () => {
    for (const [text, line, column] of [
      ['SELECT * WHERE { SERVICE <http://e/sparql> { ?s ?p ?o } }', 1, 18],
      ['SELECT ?s WHERE {\n  OPTIONAL { service silent <http://e/sparql> { ?s ?p ?o } }\n}', 2, 14],
      ['SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } UNION { SERVICE ?ep { ?s ?p ?o } } }', 1, 60],
    ] as const) {
      let error: InputError | undefined;
      try {
        parseUserQuery(text, 'q.rq');
      } catch (e) {
        if (e instanceof InputError) error = e;
      }
      expect(error?.code, text).toBe('QUERY_FEDERATED');
      expect(error?.exitCode).toBe(3);
      expect(error?.message, text).toMatch(/^q\.rq:\d+:\d+: federated queries are not run/);
      expect([error?.location?.line, error?.location?.column], text).toEqual([line, column]);
    }
  });

  it('does not mistake the word SERVICE in an IRI, a literal or a comment for a SERVICE clause', () => {
    const q = parseUserQuery('# SERVICE here is a comment\nSELECT ?s WHERE { ?s <http://e/SERVICE> "SERVICE" }', 'q.rq');
    expect(q.form).toBe('SELECT');
  });
});
