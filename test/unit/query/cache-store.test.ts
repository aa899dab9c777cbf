// The cache as a whole: usage, least-recently-used eviction to a byte bound (deterministic by mtime, then path), clearing.
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheUsage, clearCache, pruneCache } from '../../../src/index.js';
import { cacheBytes } from '../../../src/query/cache-store.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An entry of `bytes` bytes last used at second `t`. */
function entry(rel: string, bytes: number, t: number): string {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'x'.repeat(bytes));
  utimesSync(path, t, t);
  return path;
}

describe('cache store', () => {
  it('counts entries and bytes, evicts the least recently used first, down to the bound', () => {
    dir = mkdtempSync(join(tmpdir(), 'pe-trace-cache-store-'));
    const old = entry('graph-v1/aa/a.nq', 400, 1000);
    const mid = entry('graph-v1/bb/b.nq', 400, 2000);
    const recent = entry('facts-v1/cc/c.json', 400, 3000);
    expect(cacheUsage(dir)).toEqual({ entries: 3, bytes: 1200 });
    expect(pruneCache(dir, 1200)).toEqual({ entries: 0, bytes: 0 });
    expect(pruneCache(dir, 500)).toEqual({ entries: 2, bytes: 800 });
    expect([existsSync(old), existsSync(mid), existsSync(recent)]).toEqual([false, false, true]);
    expect(cacheUsage(dir)).toEqual({ entries: 1, bytes: 400 });
  });

  it('breaks mtime ties by path, and clear removes everything but the directory', () => {
    dir = mkdtempSync(join(tmpdir(), 'pe-trace-cache-store-'));
    const b = entry('b.nq', 10, 5000);
    const a = entry('a.nq', 10, 5000);
    pruneCache(dir, 10);
    expect([existsSync(a), existsSync(b)]).toEqual([false, true]);
    expect(clearCache(dir)).toEqual({ entries: 1, bytes: 10 });
    expect(existsSync(dir)).toBe(true);
    expect(cacheUsage(dir)).toEqual({ entries: 0, bytes: 0 });
    expect(cacheUsage(join(dir, 'absent'))).toEqual({ entries: 0, bytes: 0 });
  });

  it('counts bytes without a stat per file where a folder is unchanged since the last count, and still evicts past the bound', () => {
    dir = mkdtempSync(join(tmpdir(), 'pe-trace-cache-store-'));
    const a = entry('facts-v1/aa/a.json', 100, 1000);
    entry('facts-v1/bb/b.json', 200, 1000);
    // Folders old enough to be trusted at the next count (their mtime well before it).
    for (const f of ['facts-v1/aa', 'facts-v1/bb', 'facts-v1']) utimesSync(join(dir, f), 1000, 1000);
    expect(cacheBytes(dir)).toBe(300);
    expect(cacheBytes(dir)).toBe(300);
    // An in-place append changes no folder: the ledger's count stands (the reason entries are written by rename).
    appendFileSync(a, 'x'.repeat(50));
    expect(cacheBytes(dir)).toBe(300);
    // A new entry changes its folder's mtime: that folder is counted again (a.json's appended bytes with it), the others are not.
    entry('facts-v1/aa/c.json', 25, 1000);
    expect(cacheBytes(dir)).toBe(375);
    expect(cacheUsage(dir).bytes).toBe(375);
    // A damaged ledger means a full count.
    writeFileSync(join(dir, 'usage-v1.json'), '{');
    expect(cacheBytes(dir)).toBe(375);
    expect(pruneCache(dir, 200).entries).toBeGreaterThan(0);
    expect(cacheUsage(dir).bytes).toBeLessThanOrEqual(200);
  });
});

