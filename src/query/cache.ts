// A content-addressed on-disk cache: each file's facts keyed by the sha256 of its bytes (on by default for query).
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DocumentFacts } from './facts.js';

/**
 * Entries live under `<dir>/facts-v<version>/<aa>/<sha256>.<format>.json`; a version bump (new extraction
 * rules) simply stops reading the old tree. Writes are atomic (temp file + rename), so a
 * crashed run never leaves a half entry; a corrupt or unreadable entry is treated as a miss, never an error.
 */
export class ContentCache {
  constructor(
    private readonly dir: string,
    private readonly factsVersion: number,
  ) {}

  private path(sha256: string, format: string): string {
    return join(this.dir, `facts-v${this.factsVersion}`, sha256.slice(0, 2), `${sha256}.${format}.json`);
  }

  getFacts(sha256: string, format: string): DocumentFacts | undefined {
    const path = this.path(sha256, format);
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (!isFacts(parsed)) return undefined;
      touchCacheEntry(path);
      return parsed;
    } catch {
      return undefined;
    }
  }

  putFacts(sha256: string, format: string, facts: DocumentFacts): void {
    writeCacheEntry(this.path(sha256, format), JSON.stringify(facts));
  }
}

/**
 * Writes one cache entry atomically (temp file + rename: a crashed run never leaves half an entry), creating its
 * folder; a failure is swallowed, since a cache that cannot be written only costs time. Synchronous like the
 * reads: thousands of small entries cost less without thread-pool round trips.
 */
export function writeCacheEntry(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${randomUUID()}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch {
    // The result is the same without the entry.
  }
}

/** Marks an entry as used now: LRU eviction (cache-store.ts) orders entries by mtime. Best effort. */
export function touchCacheEntry(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // A read-only cache still answers; it only evicts less precisely.
  }
}

function isFacts(v: unknown): v is DocumentFacts {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o['kind'] === 'string' && typeof o['graph'] === 'string' && Array.isArray(o['entities']) && Array.isArray(o['artifacts']) && Array.isArray(o['signals']);
}

/**
 * The cache directory a `--cache` flag names: `auto` → `$XDG_CACHE_HOME/pe-trace`, else `<home>/.cache/pe-trace`
 * (the XDG base-directory default); any other value is the directory itself. The caller passes the environment.
 */
export function resolveCacheDirectory(flag: string | undefined, env: { readonly xdgCacheHome?: string | undefined; readonly home: string }): string | undefined {
  if (flag === undefined) return undefined;
  if (flag !== 'auto') return flag;
  const base = env.xdgCacheHome !== undefined && env.xdgCacheHome !== '' ? env.xdgCacheHome : join(env.home, '.cache');
  return join(base, 'pe-trace');
}
