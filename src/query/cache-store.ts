// The on-disk cache as a whole: its size, least-recently-used eviction to a bound, and clearing (`pe-trace cache`).
import { type Dirent, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
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
      else if (e.isFile()) {
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
