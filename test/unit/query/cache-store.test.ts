// The cache as a whole: usage, least-recently-used eviction to a byte bound (deterministic by mtime, then path), clearing.
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheUsage, clearCache, pruneCache } from '../../../src/index.js';

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
});
