// `pe-trace query` answers the export question (every quad) from the directory index: the same bytes on every run, cold or warm, and the same rows as oxigraph.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, envelope, runCli } from '../support/cli.js';

const EXPORT = 'SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }';
let cacheHome: string;

beforeAll(() => {
  cacheHome = mkdtempSync(join(tmpdir(), 'pe-trace-scan-cli-'));
});
afterAll(() => rmSync(cacheHome, { recursive: true, force: true }));

const query = (text: string, ...flags: string[]): ReturnType<typeof runCli> =>
  runCli(['query', '--sparql', text, '--dir', join(FIXTURES, 'corpus'), ...flags], { env: { XDG_CACHE_HOME: cacheHome } });

/** CSV data lines, sorted (row order is the engine's), blank node labels replaced (they follow row order). */
const rowLines = (csv: string): string[] =>
  csv
    .split('\r\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => l.replace(/_:b\d+/g, '_:'))
    .sort();

describe('query: the export question', () => {
  it('writes the same bytes cold, warm and again (a new question text each time, so no stored answer)', () => {
    const cold = query(EXPORT, '--format', 'csv');
    expect(cold.status, cold.stderr).toBe(0);
    const warm = query(`# again\n${EXPORT}`, '--format', 'csv');
    const third = query(`# and again\n${EXPORT}`, '--format', 'csv');
    expect(warm.stdoutBytes.equals(cold.stdoutBytes)).toBe(true);
    expect(third.stdoutBytes.equals(cold.stdoutBytes)).toBe(true);
    expect(rowLines(cold.stdout).length).toBeGreaterThan(3000);
    // oxigraph's answer to the same question (FILTER(true) keeps it off the scan), and the no-cache path.
    const reference = query('SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(true) }', '--format', 'csv', '--no-cache');
    expect(rowLines(cold.stdout)).toEqual(rowLines(reference.stdout));
    const noCache = query(EXPORT, '--format', 'csv', '--no-cache');
    expect(rowLines(noCache.stdout)).toEqual(rowLines(cold.stdout));
  }, 300_000);

  it('--json still returns the whole answer in one envelope', () => {
    const r = query(`${EXPORT} LIMIT 20`, '--json');
    expect(r.status, r.stderr).toBe(0);
    const e = envelope(r) as { result: { results: { results: { bindings: unknown[] } } } };
    expect(e.result.results.results.bindings).toHaveLength(20);
  }, 120_000);
});
