// The index and links graphs of a directory's corpus, kept per corpus digest as N-Quads partitioned by predicate, so a new question over an unchanged directory loads no facts.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { touchCacheEntry, writeCacheEntry } from './cache.js';
import type { LoadProblem } from './corpus.js';
import { type DatasetNeeds, keepFilter, keepsPartition } from './needs.js';

/**
 * Layout version, with the rule versions the graphs are computed under (facts, link derivation, graph
 * lifting): a pack written under other rules is not read. Bump with any change to indexQuads/linkQuads.
 */
const DERIVED_VERSION = 1;

/** What a question needs of a corpus besides its graphs: the distinct documents (key, sha256) in order, and the problems. */
export interface CorpusSummary {
  /** `[<sha256>.<format>, sha256]` of every distinct document, in corpus order. */
  readonly documents: readonly (readonly [string, string])[];
  readonly problems: readonly LoadProblem[];
}

interface Manifest {
  readonly version: number;
  /** The facts and graph rule versions the pack was computed under. */
  readonly rules: string;
  readonly digest: string;
  readonly summary: CorpusSummary;
  /** Partition key (a predicate, or `<rdf:type> <class>`) and its file. */
  readonly partitions: readonly (readonly [string, string])[];
}

/**
 * Under `<cache>/derived-v1/<sha256 of the directory's real path>/`: `manifest.json` naming the corpus digest it
 * was computed for, and one N-Quads file per partition. One pack per directory: a new digest replaces it (files
 * first, then the manifest; the old files are removed after). Anything missing or unreadable is a miss, never an
 * error: the caller then loads the corpus and computes the graphs.
 */
export class DerivedGraphs {
  private constructor(
    private readonly root: string,
    private readonly manifest: Manifest,
  ) {}

  /** The pack of `resolvedDir` when it was computed for exactly this corpus digest and these rules. */
  static open(cacheDir: string, resolvedDir: string, digest: string, rules: string): DerivedGraphs | undefined {
    const root = packRoot(cacheDir, resolvedDir);
    try {
      const parsed: unknown = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
      if (!isManifest(parsed) || parsed.digest !== digest || parsed.rules !== rules) return undefined;
      touchCacheEntry(join(root, 'manifest.json'));
      return new DerivedGraphs(root, parsed);
    } catch {
      return undefined;
    }
  }

  /**
   * Writes the pack of `resolvedDir` for `digest`: the index and links graphs as N-Quads lines grouped by partition
   * key. Best effort: a pack that cannot be written only costs the next question time.
   */
  static write(cacheDir: string, resolvedDir: string, digest: string, rules: string, summary: CorpusSummary, groups: ReadonlyMap<string, readonly string[]>): void {
    const root = packRoot(cacheDir, resolvedDir);
    const run = randomUUID();
    const partitions: [string, string][] = [];
    try {
      mkdirSync(root, { recursive: true });
      let i = 0;
      for (const [key, lines] of groups) {
        const file = `${run}-${i++}.nq`;
        const tmp = join(root, `${file}.tmp`);
        writeFileSync(tmp, `${lines.join('\n')}\n`);
        renameSync(tmp, join(root, file));
        partitions.push([key, file]);
      }
    } catch {
      removeExcept(root, new Set(), run);
      return;
    }
    const manifest: Manifest = { version: DERIVED_VERSION, rules, digest, summary, partitions };
    writeCacheEntry(join(root, 'manifest.json'), JSON.stringify(manifest));
    // The previous pack's files go once the manifest no longer names them (a reader holding it then misses).
    removeExcept(root, new Set(partitions.map(([, f]) => f)), undefined);
  }

  /** The paths of the partitions a query with these needs can match (read one at a time); `undefined` when one is missing. */
  files(needs: DatasetNeeds | undefined): string[] | undefined {
    const keep = keepFilter(needs);
    const out: string[] = [];
    for (const [key, file] of this.manifest.partitions) {
      if (!keepsPartition(keep, key)) continue;
      const path = join(this.root, file);
      if (!existsSync(path)) return undefined;
      touchCacheEntry(path);
      out.push(path);
    }
    return out;
  }

  get summary(): CorpusSummary {
    return this.manifest.summary;
  }

  /** The N-Quads of the partitions a query with these needs can match; `undefined` when a file could not be read. */
  read(needs: DatasetNeeds | undefined): string[] | undefined {
    const keep = keepFilter(needs);
    const parts: string[] = [];
    try {
      for (const [key, file] of this.manifest.partitions) {
        if (!keepsPartition(keep, key)) continue;
        parts.push(readFileSync(join(this.root, file), 'utf8'));
        touchCacheEntry(join(this.root, file));
      }
    } catch {
      return undefined;
    }
    return parts;
  }
}

function packRoot(cacheDir: string, resolvedDir: string): string {
  return join(cacheDir, `derived-v${DERIVED_VERSION}`, createHash('sha256').update(resolvedDir).digest('hex'));
}

/** Removes the pack's files not in `keep` (and not this run's, when `run` is given); best effort. */
function removeExcept(root: string, keep: ReadonlySet<string>, run: string | undefined): void {
  try {
    for (const f of readdirSync(root)) {
      if (f === 'manifest.json' || keep.has(f)) continue;
      if (run !== undefined && !f.startsWith(run)) continue;
      rmSync(join(root, f), { force: true });
    }
  } catch {
    // Stale files only cost space until LRU eviction takes them.
  }
}

function isManifest(v: unknown): v is Manifest {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  const s = o['summary'] as Record<string, unknown> | null | undefined;
  if (o['version'] !== DERIVED_VERSION || typeof o['rules'] !== 'string' || typeof o['digest'] !== 'string' || typeof s !== 'object' || s === null) return false;
  if (!Array.isArray(s['documents']) || !Array.isArray(s['problems']) || !Array.isArray(o['partitions'])) return false;
  const pair = (x: unknown): boolean => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string';
  return (s['documents'] as unknown[]).every(pair) && (o['partitions'] as unknown[]).every(pair);
}
