// The on-disk cache as a whole: its size, least-recently-used eviction to a bound, and clearing (`pe-trace cache`).
import { type Dirent, readFileSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { writeCacheEntry } from './cache.js';
import { join } from 'node:path';

/** The default bound of the query cache (`--cache-max-mb`). */
export const DEFAULT_CACHE_MAX_MB = 1024;

export interface CacheUsage {
  readonly entries: number;
  readonly bytes: number;
}

interface Entry {
  readonly path: string;
  readonly bytes: number;
  /** Last use: entries are touched when read (see ContentCache), so mtime orders them by recency. */
  readonly usedMs: number;
}

function entries(dir: string): Entry[] {
  const out: Entry[] = [];
  const walk = (d: string): void => {
    let names: Dirent[];
    try {
      names = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of names) {
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile() && !(d === dir && e.name === LEDGER)) {
        try {
          const s = statSync(path);
          out.push({ path, bytes: s.size, usedMs: s.mtimeMs });
        } catch {
          // Removed meanwhile (another run's eviction): not ours to count.
        }
      }
    }
  };
  walk(dir);
  return out;
}

/** Entries and bytes under the cache directory (0 and 0 when it does not exist). */
export function cacheUsage(dir: string): CacheUsage {
  const all = entries(dir);
  return { entries: all.length, bytes: all.reduce((n, e) => n + e.bytes, 0) };
}

/**
 * Evicts least-recently-used entries until the cache holds at most `maxBytes`. Ties (same mtime) go by path,
 * so the result is deterministic. Returns what was removed.
 */
export function pruneCache(dir: string, maxBytes: number): CacheUsage {
  // Most runs find the cache within its bound: counted cheaply first (see cacheBytes), walked in full only to evict.
  if (cacheBytes(dir) <= maxBytes) return { entries: 0, bytes: 0 };
  const all = entries(dir);
  let total = all.reduce((n, e) => n + e.bytes, 0);
  if (total <= maxBytes) return { entries: 0, bytes: 0 };
  all.sort((a, b) => a.usedMs - b.usedMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let removed = 0;
  let removedBytes = 0;
  for (const e of all) {
    if (total <= maxBytes) break;
    try {
      unlinkSync(e.path);
      removed++;
      removedBytes += e.bytes;
    } catch {
      // Already gone.
    }
    total -= e.bytes;
  }
  return { entries: removed, bytes: removedBytes };
}

/** What a folder of the cache held at the last count: its modification time then, and its own files' bytes. */
interface FolderCount {
  readonly mtimeMs: number;
  readonly bytes: number;
}

const LEDGER = 'usage-v1.json';
/** A folder modified this close to the last count may have changed again within its clock tick: counted again. */
const RACY_MARGIN_MS = 3000;

/**
 * The cache's size in bytes, counted without a stat of every file: every entry is written by creating a file
 * (temp + rename, or a new segment), which updates its folder's modification time, so a folder whose mtime is
 * unchanged since the last count — and was already older than that count by the racy margin — still holds the
 * bytes it held then. The counts are kept in `usage-v1.json` at the cache's root. A damaged or missing ledger
 * simply means every folder is counted. (An in-place append, the sync journal's, is caught at its next rename.)
 */
export function cacheBytes(dir: string): number {
  let previous: { readonly at: number; readonly folders: Record<string, FolderCount> } = { at: 0, folders: {} };
  try {
    const parsed = JSON.parse(readFileSync(join(dir, LEDGER), 'utf8')) as typeof previous;
    if (typeof parsed.at === 'number' && typeof parsed.folders === 'object' && parsed.folders !== null) previous = parsed;
  } catch {
    // No ledger yet: count everything.
  }
  const now = Date.now();
  const folders: Record<string, FolderCount> = {};
  let total = 0;
  let changed = false;
  const walk = (abs: string, rel: string): void => {
    let names: Dirent[];
    let mtimeMs: number;
    try {
      mtimeMs = statSync(abs).mtimeMs;
      names = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    const known = previous.folders[rel];
    const trusted = known !== undefined && known.mtimeMs === mtimeMs && mtimeMs + RACY_MARGIN_MS < previous.at;
    let bytes = trusted ? known.bytes : 0;
    for (const e of names) {
      if (e.isDirectory()) walk(join(abs, e.name), rel === '' ? e.name : `${rel}/${e.name}`);
      else if (!trusted && e.isFile() && !(rel === '' && e.name === LEDGER)) {
        try {
          bytes += statSync(join(abs, e.name)).size;
        } catch {
          // Removed meanwhile.
        }
      }
    }
    if (!trusted) changed = true;
    folders[rel] = { mtimeMs, bytes };
    total += bytes;
  };
  walk(dir, '');
  if (changed || Object.keys(previous.folders).length !== Object.keys(folders).length) writeCacheEntry(join(dir, LEDGER), JSON.stringify({ at: now, folders }));
  return total;
}

/** Removes every entry (the directory itself stays, so a configured location keeps existing). */
export function clearCache(dir: string): CacheUsage {
  const before = cacheUsage(dir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { entries: 0, bytes: 0 };
  }
  for (const name of names) rmSync(join(dir, name), { recursive: true, force: true });
  return before;
}
