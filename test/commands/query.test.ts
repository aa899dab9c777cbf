// `pe-trace query` as a user runs it: named queries, the W3C formats, located syntax errors, empty directories.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelope, runCli } from '../support/cli.js';

const empty = mkdtempSync(join(tmpdir(), 'pe-trace-query-empty-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('pe-trace query', () => {
  it('--list names every shipped query with its description', () => {
    const r = runCli(['query', '--list']);
    expect(r.status).toBe(0);
    const names = r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    expect(names).toEqual(['artifacts-by-hash', 'builds', 'bundles', 'dialects', 'gaps', 'restricted-inputs', 'restricted-reaches-run', 'runs-of-bundle']);
    expect(r.stdout).toContain('runs-of-bundle          Runs and the bundle TRO each binds');
  });

  it('runs a named query as TSV and as W3C JSON', () => {
    const tsv = runCli(['query', 'builds', '--dir', 'fixtures/corpus', '--format', 'tsv']);
    expect(tsv.status).toBe(0);
    expect(tsv.stdout.split('\n').slice(0, 3)).toEqual([
      '?buildId\t?path\t?kind\t?inputs',
      '"populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z"\t"emitted/build/populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z.build.trace.tro.jsonld"\t"tro"\t"3"^^<http://www.w3.org/2001/XMLSchema#integer>',
      '"populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z"\t"real/populace/uk-june-2023/build_manifest.json"\t"build-manifest"\t"0"^^<http://www.w3.org/2001/XMLSchema#integer>',
    ]);
    const json = runCli(['query', 'queries/select-builds.rq', '--dir', 'fixtures/corpus', '--format', 'json']);
    const parsed = JSON.parse(json.stdout) as { head: { vars: string[] }; results: { bindings: unknown[] } };
    expect(parsed.head.vars).toEqual(['buildId', 'path', 'kind', 'inputs']);
    expect(parsed.results.bindings).toHaveLength(6);
  });

  it('answers --sparql ASK and CONSTRUCT (N-Quads), and refuses a table for a graph (exit 2)', () => {
    const ask = runCli(['query', '--sparql', 'ASK { ?s <https://w3id.org/pe-trace/query#role> "input" }', '--dir', 'fixtures/corpus', '--graphs', 'index']);
    expect([ask.status, ask.stdout]).toEqual([0, 'true\n']);
    const construct = 'CONSTRUCT { ?d <urn:path> ?p } WHERE { ?d <https://w3id.org/pe-trace/query#path> ?p FILTER(STRENDS(?p, "input.json")) }';
    const nq = runCli(['query', '--sparql', construct, '--dir', 'fixtures/corpus', '--graphs', 'index']);
    expect(nq.status).toBe(0);
    expect(nq.stdout.trim().split('\n')).toHaveLength(3);
    expect(nq.stdout).toMatch(/^<https:\/\/pe-trace\.invalid\/doc\/[0-9a-f]{64}\/> <urn:path> "[^"]+input\.json" \.$/m);
    const bad = runCli(['query', '--sparql', construct, '--dir', 'fixtures/corpus', '--format', 'table']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('error: --format table does not apply to a CONSTRUCT query (use nquads)\n');
  });

  it('reports a malformed query at file:line:column, exit 3, before loading anything', () => {
    const file = join(empty, 'bad.rq');
    writeFileSync(file, 'SELECT ?x WHERE {\n  ?x ?y \n  FILTER( }\n');
    const r = runCli(['query', file, '--dir', 'no/such/dir']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:3: SPARQL syntax error: unexpected 'FILTER'; expected one of `));
    const inline = runCli(['query', '--sparql', 'SELECT ?x WHERE { ?x ?y }', '--dir', 'fixtures/corpus', '--json']);
    expect(inline.status).toBe(3);
    expect(envelope(inline).error).toMatchObject({ code: 'QUERY_SYNTAX', message: expect.stringMatching(/^--sparql:1:25: SPARQL syntax error: unexpected '\}'/) as unknown as string });
    rmSync(file);
  });

  it('answers a query over an empty directory with empty results, exit 0', () => {
    const csv = runCli(['query', 'bundles', '--dir', empty, '--format', 'csv']);
    expect([csv.status, csv.stdout, csv.stderr]).toEqual([0, 'path,label,dataBuildId,dataset,sha256\r\n', '']);
    const table = runCli(['query', '--sparql', 'SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }', '--dir', empty]);
    expect([table.status, table.stdout]).toEqual([0, 's\n-\n(0 rows)\n']);
  });

  it('wraps the answer in the --json envelope; usage and input errors have their exit codes', () => {
    const r = runCli(['query', 'restricted-reaches-run', '--dir', 'fixtures/corpus', '--json']);
    expect(envelope(r)).toMatchObject({ status: 0, result: { query: 'restricted-reaches-run', form: 'ASK', boolean: true, documents: 24 } });
    expect(runCli(['query', 'bundles']).status).toBe(2);
    expect(runCli(['query', 'no-such-query', '--dir', 'fixtures/corpus']).status).toBe(2);
    const missing = runCli(['query', 'bundles', '--dir', 'no/such/dir']);
    expect([missing.status, missing.stderr]).toEqual([3, 'error: no/such/dir: no such directory\n']);
  });
});
