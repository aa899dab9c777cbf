// `pe-trace query` guard rails: an in-process --timeout and --max-memory that stop a runaway question with one line, and SERVICE refused.
import { describe, expect, it } from 'vitest';
import { type CliResult, envelope, expectOneLineError, runCli } from '../support/cli.js';

/**
 * A query stopped by a guard rail: the exit status and exactly one `error:` line on stderr (no stack). Rows are
 * streamed, so stdout may already hold some: only whole TSV rows of the five projected variables, never an error.
 */
function expectStoppedAfterRows(r: CliResult, status: number, pattern: RegExp): void {
  expect(r.status).toBe(status);
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  if (r.stdout === '') return;
  expect(r.stdout.endsWith('\n')).toBe(true);
  const [header, ...rows] = r.stdout.slice(0, -1).split('\n');
  expect(header).toBe('?a\t?b\t?c\t?d\t?e');
  for (const row of rows) expect(row.split('\t')).toHaveLength(5);
}

// Every triple against every triple against every triple: over fixtures/corpus this never finishes in practice
// (about 10^10 rows), so the only way it ends is a guard rail. Nothing here depends on how fast the machine is.
const CARTESIAN = 'SELECT ?a ?b ?c ?d ?e WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }';
const CARTESIAN_STAR = 'SELECT * WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }';

describe('query --timeout', () => {
  it('stops a cartesian product (oxigraph, synchronous) at the deadline with one line, exit 3, after whole rows only', () => {
    const r = runCli(['query', '--sparql', CARTESIAN, '--dir', 'fixtures/corpus', '--timeout', '2', '--format', 'tsv']);
    expectStoppedAfterRows(r, 3, /^error: --sparql: the query did not finish within 2 s \(--timeout\) and was stopped; .*--endpoint/);
  });

  it('stops a SELECT * cartesian product too (same engine, columns from the parse), and --json carries QUERY_TIMEOUT', () => {
    const r = runCli(['query', '--sparql', CARTESIAN_STAR, '--dir', 'fixtures/corpus', '--timeout', '2', '--json']);
    expect(r.status).toBe(3);
    const e = envelope(r);
    expect(e.status).toBe(3);
    expect(e.error?.code).toBe('QUERY_TIMEOUT');
  });

  it('has a finite documented default', () => {
    const r = runCli(['query', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--timeout=<value>\s+\[default: 120\]/);
    expect(r.stdout).toMatch(/--max-memory=<value>\s+\[default: 1024\]/);
  });
});

describe('query --max-memory', () => {
  it('ends a question too large for the bound with one line (exit 3), not a V8 crash', () => {
    const r = runCli(['query', '--sparql', CARTESIAN, '--dir', 'fixtures/corpus', '--timeout', '600', '--max-memory', '64', '--format', 'tsv']);
    expectStoppedAfterRows(r, 3, /^error: --sparql: the query needed more than 64 MB and was stopped \(--max-memory raises the bound\); .*pe-trace serve --dir DIR.*pe-trace sync --dir DIR --endpoint URL/);
  });
});

describe('answers through the guarded worker are the ordinary ones', () => {
  it('SELECT, ASK and CONSTRUCT come back whole', () => {
    const select = runCli(['query', '--sparql', 'SELECT ?s WHERE { ?s a <https://w3id.org/trace/trov/0.1#TransparentResearchObject> } ORDER BY ?s', '--dir', 'fixtures/corpus', '--json']);
    expect(select.status).toBe(0);
    const rows = (envelope<{ results: { results: { bindings: unknown[] } } }>(select).result?.results.results.bindings ?? []).length;
    expect(rows).toBeGreaterThan(5);
    const ask = runCli(['query', '--sparql', 'ASK { ?s a <https://w3id.org/trace/trov/0.1#TransparentResearchObject> }', '--dir', 'fixtures/corpus', '--format', 'json']);
    expect(JSON.parse(ask.stdout)).toEqual({ head: {}, boolean: true });
    const construct = runCli(['query', '--sparql', 'CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 3', '--dir', 'fixtures/corpus']);
    expect(construct.status).toBe(0);
    expect(construct.stdout.trim().split('\n')).toHaveLength(3);
  });
});

describe('query --limit', () => {
  const rows = (args: string[]): number => {
    const r = runCli(['query', ...args, '--dir', 'fixtures/corpus', '--json']);
    expect(r.status, r.stderr).toBe(0);
    return (envelope<{ results: { results: { bindings: unknown[] } } }>(r).result?.results.results.bindings ?? []).length;
  };

  it('cuts the answer, and the query\'s own smaller LIMIT wins', () => {
    expect(rows(['--sparql', 'SELECT ?s ?p WHERE { ?s ?p ?o }', '--limit', '4'])).toBe(4);
    expect(rows(['--sparql', 'SELECT ?s ?p WHERE { ?s ?p ?o } LIMIT 2', '--limit', '4'])).toBe(2);
    expect(rows(['--sparql', 'SELECT ?s WHERE { ?s ?p ?o } LIMIT 50', '--limit', '0'])).toBe(0);
  });

  it('lets a question that could never finish whole end early with its first rows', () => {
    expect(rows(['--sparql', CARTESIAN, '--limit', '3', '--timeout', '600'])).toBe(3);
  });
});

describe('SERVICE', () => {
  it('is refused with one clear line naming where it is, no engine internals, and no request', () => {
    const r = runCli(['query', '--sparql', 'SELECT ?s WHERE { OPTIONAL { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } } }', '--dir', 'fixtures/corpus']);
    expectOneLineError(r, 3, /^error: --sparql:1:30: federated queries are not run/);
    expect(r.stderr).not.toMatch(/actor|bus|mediator/i);
  });
});
