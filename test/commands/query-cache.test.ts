// `pe-trace query` caches by default (XDG location, --cache DIR, --no-cache), reuses unchanged files' lifted graphs, and `cache info|clear`.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelope, expectOneLineError, runCli } from '../support/cli.js';

const scratch: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pe-trace-query-cache-'));
  scratch.push(d);
  return d;
}
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  try {
    walk(dir);
  } catch {
    // absent: no files
  }
  return out;
}

const TROS = 'SELECT ?s WHERE { ?s a <https://w3id.org/trace/trov/0.1#TransparentResearchObject> } ORDER BY ?s';

describe('query cache', () => {
  it('is on by default, under $XDG_CACHE_HOME/pe-trace; --no-cache writes nothing', () => {
    const home = tempDir();
    const off = runCli(['query', '--sparql', TROS, '--dir', 'fixtures/corpus', '--no-cache'], { env: { XDG_CACHE_HOME: home } });
    expect(off.status, off.stderr).toBe(0);
    expect(files(home)).toEqual([]);
    const on = runCli(['query', '--sparql', TROS, '--dir', 'fixtures/corpus'], { env: { XDG_CACHE_HOME: home } });
    expect(on.status, on.stderr).toBe(0);
    expect(on.stdout).toBe(off.stdout);
    expect(files(join(home, 'pe-trace')).some((f) => f.endsWith('.nq'))).toBe(true);
    const info = runCli(['cache', 'info', '--json'], { env: { XDG_CACHE_HOME: home } });
    const usage = envelope<{ entries: number; bytes: number }>(info).result;
    expect(usage?.entries).toBeGreaterThan(0);
    expect(info.stdout).not.toContain(home);
  });

  it('answers from the directory index of an unchanged directory (nothing is lifted again); --no-cache lifts afresh', () => {
    const cache = tempDir();
    expect(runCli(['query', '--sparql', TROS, '--dir', 'fixtures/corpus', '--cache', cache]).status).toBe(0);
    // Plant a triple in one partition of the index: only a run that reads the index instead of re-lifting can see it
    // (a variable predicate reads every partition).
    const entry = files(cache).find((f) => f.endsWith('.nq') && f.includes(`${join('index-v1')}`));
    expect(entry).toBeDefined();
    writeFileSync(entry as string, '<urn:planted> <urn:p> "from the cache" <urn:g> .\n');
    const ask = ['query', '--sparql', 'SELECT ?o WHERE { <urn:planted> ?p ?o }', '--dir', 'fixtures/corpus', '--format', 'csv'];
    const cached = runCli([...ask, '--cache', cache]);
    expect(cached.status, cached.stderr).toBe(0);
    expect(cached.stdout).toContain('from the cache');
    const fresh = runCli([...ask, '--no-cache']);
    expect(fresh.status, fresh.stderr).toBe(0);
    expect(fresh.stdout).not.toContain('from the cache');
  });

  it('cache clear empties it; info then reports nothing', () => {
    const cache = tempDir();
    expect(runCli(['query', '--sparql', TROS, '--dir', 'fixtures/corpus', '--cache', cache]).status).toBe(0);
    const cleared = runCli(['cache', 'clear', '--cache', cache, '--json']);
    expect(envelope<{ entries: number }>(cleared).result?.entries).toBeGreaterThan(0);
    expect(files(cache)).toEqual([]);
    const info = runCli(['cache', 'info', '--cache', cache]);
    expect(info.stdout).toMatch(/: 0 entries, 0\.0 MB/);
  });

  it('refuses --cache with --no-cache (usage, exit 2)', () => {
    expectOneLineError(runCli(['query', '--sparql', TROS, '--dir', 'fixtures/corpus', '--cache', tempDir(), '--no-cache']), 2, /either --cache DIR or --no-cache/);
  });
});
