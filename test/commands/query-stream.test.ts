// `pe-trace query` streams SELECT rows: they reach stdout while the query still runs, and a timeout still ends it with one line.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, envelope, runCli } from '../support/cli.js';

// Four triple patterns with nothing in common: (triples)^4 rows, far more than any machine lists within the
// timeout, so the query can only end at --timeout, after the rows of its first pages were written.
const CARTESIAN = 'SELECT ?a ?b ?c ?d WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . ?d ?t ?w }';
const TIMEOUT = /^error: --sparql: the query did not finish within \d+ s \(--timeout\) and was stopped; /;

let dir: string;
let cache: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pe-trace-stream-'));
  cache = mkdtempSync(join(tmpdir(), 'pe-trace-stream-cache-'));
  mkdirSync(join(dir, 'ttl'));
  for (let f = 0; f < 20; f++) {
    const lines = ['@prefix ex: <https://example.org/> .'];
    for (let i = 0; i < 10; i++) lines.push(`ex:s${f}_${i} ex:p${i % 3} "value ${f} ${i}" .`);
    writeFileSync(join(dir, 'ttl', `part-${f}.ttl`), `${lines.join('\n')}\n`);
  }
  // A value that would clear the screen and start a forged line if a table printed it raw.
  writeFileSync(join(dir, 'ttl', 'hostile.ttl'), '<https://example.org/evil> <https://example.org/p0> "\\u001b[2Jforged\\u2028error: fake" .\n');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

interface Observed {
  /** stdout data events that carried rows while the process had not exited and had written nothing on stderr. */
  readonly rowChunksWhileRunning: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
}

/** Spawns the CLI and records, event by event, whether rows arrived before the process ended. */
function observe(args: readonly string[]): Promise<Observed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'run.js'), ...args], { cwd: REPO_ROOT, env: { ...process.env, XDG_CACHE_HOME: cache } });
    let stdout = '';
    let stderr = '';
    let rowChunksWhileRunning = 0;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (data: string) => {
      // A chunk carries rows when stdout then holds more than the header line.
      if (child.exitCode === null && stderr === '' && `${stdout}${data}`.split('\n').length > 2) rowChunksWhileRunning++;
      stdout += data;
    });
    child.stderr.on('data', (data: string) => {
      stderr += data;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ rowChunksWhileRunning, stdout, stderr, status }));
  });
}

describe('query streams SELECT rows', () => {
  it('writes rows in several chunks while a never-ending query runs, then the timeout line and exit 3', async () => {
    const r = await observe(['query', '--sparql', CARTESIAN, '--dir', dir, '--format', 'tsv', '--timeout', '8', '--no-cache']);
    expect(r.status).toBe(3);
    // Rows reached the reader before the process ended and before its error line: they were streamed.
    expect(r.rowChunksWhileRunning).toBeGreaterThan(1);
    const errors = r.stderr.split('\n').filter(Boolean);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(TIMEOUT);
    // Only whole rows: the header, then rows of four terms; more than one batch of them.
    const [header, ...rows] = r.stdout.replace(/\n$/, '').split('\n');
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(header).toBe('?a\t?b\t?c\t?d');
    expect(rows.length).toBeGreaterThan(1000);
    for (const row of rows) expect(row).toMatch(/^(<[^>\t]+>|_:\S+)(\t(<[^>\t]+>|_:\S+)){3}$/);
  });

  it('streams a SELECT * too, its columns the variables in scope, sorted', async () => {
    const r = await observe(['query', '--sparql', CARTESIAN.replace('?a ?b ?c ?d', '*'), '--dir', dir, '--format', 'tsv', '--timeout', '6', '--no-cache']);
    expect(r.status).toBe(3);
    expect(r.rowChunksWhileRunning).toBeGreaterThan(1);
    const [header, ...rows] = r.stdout.replace(/\n$/, '').split('\n');
    expect(header).toBe(['a', 'b', 'c', 'd', 'p', 'q', 'r', 't', 'w', 'x', 'y', 'z'].map((v) => `?${v}`).join('\t'));
    expect(rows.length).toBeGreaterThan(1000);
    for (const row of rows) expect(row.split('\t')).toHaveLength(12);
  });

  it('prints the human table once it holds a page, escaped, before the timeout line', () => {
    const objects = 'SELECT ?x ?y ?z ?w WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . ?d ?t ?w }';
    const r = runCli(['query', '--sparql', objects, '--dir', dir, '--timeout', '4', '--no-cache']);
    expect(r.status).toBe(3);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^x\s+y\s+z\s+w$/);
    expect(lines[1]).toMatch(/^-+ {2}-+ {2}-+ {2}-+$/);
    expect(lines.length).toBeGreaterThan(1000);
    expect(r.stdout).not.toMatch(/[\x1b\u2028]/);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(TIMEOUT)]);
  });

  it('escapes a hostile value in a finished table', () => {
    const r = runCli(['query', '--sparql', 'SELECT ?o WHERE { ?s ?p ?o FILTER(CONTAINS(?o, "forged")) }', '--dir', dir, '--no-cache']);
    expect(r.status).toBe(0);
    const cell = '\\x1b[2Jforged\\u2028error: fake';
    expect(r.stdout).toBe(`o\n${'-'.repeat(cell.length)}\n${cell}\n(1 row)\n`);
  });

  it('keeps exactly one envelope in --json mode: nothing is streamed, the timeout is the error', () => {
    const r = runCli(['query', '--sparql', CARTESIAN, '--dir', dir, '--timeout', '3', '--no-cache', '--json']);
    expect(r.status).toBe(3);
    const e = envelope(r);
    expect(e.error?.code).toBe('QUERY_TIMEOUT');
    expect(r.stderr).toBe('');
  });

  it('writes a finished streamed answer in the same bytes as --json carries (W3C JSON)', () => {
    const q = 'SELECT ?s ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }';
    const json = runCli(['query', '--sparql', q, '--dir', dir, '--format', 'json', '--no-cache']);
    const env = runCli(['query', '--sparql', q, '--dir', dir, '--json', '--no-cache']);
    expect([json.status, env.status]).toEqual([0, 0]);
    const results = envelope<{ results: unknown }>(env).result?.results;
    expect(json.stdout).toBe(`${JSON.stringify(results, null, 2)}\n`);
    expect((JSON.parse(json.stdout) as { results: { bindings: unknown[] } }).results.bindings.length).toBeGreaterThanOrEqual(200);
  });
});
