// The index and links graphs of a directory's corpus, kept as N-Quads partitioned by predicate and brought from one corpus digest to the next by their line difference, so a question loads no facts and a change costs its documents.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { touchCacheEntry, writeCacheEntry } from './cache.js';
import { documentEntry } from './derived-delta.js';
import type { LoadProblem, LoadedDocument } from './corpus.js';
import { RDF_TYPE } from './namespaces.js';
import { type DatasetNeeds, keepFilter, keepsPartition } from './needs.js';
import { lineTerms, withoutDead } from './partitions.js';

/**
 * Layout version, with the rule versions the graphs are computed under (facts, link derivation, graph
 * lifting): a pack written under other rules is not read. Bump with any change to indexQuads/linkQuads.
 * 2: partitions in segments with dead lines, and the documents' sizes and paths (what a difference starts from).
 */
const DERIVED_VERSION = 2;

/** What a question needs of a corpus besides its graphs: the distinct documents (key, sha256) in order, and the problems. */
export interface CorpusSummary {
  /** `[<sha256>.<format>, sha256]` of every distinct document, in corpus order. */
  readonly documents: readonly (readonly [string, string])[];
  readonly problems: readonly LoadProblem[];
}

/** Per document of the summary (same order): its size and every path it is found under (its index lines depend on them). */
export type CorpusBasis = readonly (readonly [number, readonly string[]])[];

interface Partition {
  /** The predicate IRI, or `<rdf:type IRI> <class IRI>`. */
  readonly key: string;
  /** Files whose lines together are the partition (a base and the segments appended since). */
  readonly files: readonly string[];
  /** A file of lines (one per line) removed since: skipped when read, dropped when the partition is compacted. */
  readonly dead?: string;
}

interface Manifest {
  readonly version: number;
  /** The facts and graph rule versions the pack was computed under. */
  readonly rules: string;
  readonly digest: string;
  readonly summary: CorpusSummary;
  readonly basis: CorpusBasis;
  readonly partitions: readonly Partition[];
}

/** A partition is rewritten as one file when it has more files than this, or more dead lines. */
const MAX_FILES = 8;
const MAX_DEAD = 8192;
/** Unnamed pack files older than this are orphans of a run that lost the race to write the manifest (or crashed). */
const ORPHAN_AGE_MS = 10 * 60 * 1000;

/**
 * Under `<cache>/derived-v2/<sha256 of the directory's real path>/`: `manifest.json` naming the corpus digest the
 * pack holds the graphs of, the partitions' files and dead-line files. One pack per directory: a new digest either
 * advances it by a line difference (segments appended, lines removed listed as dead) or replaces it; files are
 * written first, then the manifest atomically, then the files it no longer names removed. Anything missing or
 * unreadable is a miss, never an error: the caller then loads the corpus and computes the graphs.
 */
export class DerivedGraphs {
  private constructor(
    private readonly root: string,
    private readonly manifest: Manifest,
  ) {}

  /** The pack of `resolvedDir` when it was computed for exactly this corpus digest and these rules. */
  static open(cacheDir: string, resolvedDir: string, digest: string, rules: string): DerivedGraphs | undefined {
    const pack = DerivedGraphs.latest(cacheDir, resolvedDir, rules);
    return pack?.digest === digest ? pack : undefined;
  }

  /** The pack of `resolvedDir` under these rules, whatever corpus it holds (a difference can start from it). */
  static latest(cacheDir: string, resolvedDir: string, rules: string): DerivedGraphs | undefined {
    const root = packRoot(cacheDir, resolvedDir);
    try {
      const parsed: unknown = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
      if (!isManifest(parsed) || parsed.rules !== rules) return undefined;
      touchCacheEntry(join(root, 'manifest.json'));
      return new DerivedGraphs(root, parsed);
    } catch {
      return undefined;
    }
  }

  /**
   * Writes the pack of `resolvedDir` for `digest` whole: the index and links graphs as N-Quads lines grouped by
   * partition key. Best effort: a pack that cannot be written only costs the next question time.
   */
  static write(cacheDir: string, resolvedDir: string, digest: string, rules: string, summary: CorpusSummary, basis: CorpusBasis, groups: ReadonlyMap<string, readonly string[]>): void {
    const root = packRoot(cacheDir, resolvedDir);
    const written: string[] = [];
    const partitions: Partition[] = [];
    try {
      mkdirSync(root, { recursive: true });
      for (const [key, lines] of groups) partitions.push({ key, files: [writeLines(root, lines, written)] });
    } catch {
      for (const f of written) rmSync(join(root, f), { force: true });
      return;
    }
    writeCacheEntry(join(root, 'manifest.json'), JSON.stringify({ version: DERIVED_VERSION, rules, digest, summary, basis, partitions } satisfies Manifest));
    // Every file the new manifest does not name goes (the earlier pack's; a concurrent writer's then misses).
    sweep(root, new Set(partitions.flatMap(named)), 0);
  }

  /**
   * Brings the pack to `digest` by a line difference (derived-delta.ts): each removed line joins its partition's
   * dead lines (a line re-added leaves them: its earlier copy is still in the files), each added one goes to a new
   * segment of its partition. A partition past MAX_FILES files or MAX_DEAD dead lines is rewritten whole. False,
   * having changed nothing the manifest names, when a file could not be written or read.
   */
  advance(digest: string, summary: CorpusSummary, basis: CorpusBasis, removed: readonly string[], added: readonly string[]): boolean {
    const byKey = new Map(this.manifest.partitions.map((p) => [p.key, p]));
    const gone = groupByPartition(removed);
    const come = groupByPartition(added);
    const written: string[] = [];
    const obsolete: string[] = [];
    const partitions: Partition[] = [];
    try {
      for (const key of new Set([...byKey.keys(), ...come.keys()])) {
        const p = byKey.get(key) ?? { key, files: [] };
        const out = gone.get(key);
        const inn = come.get(key);
        if (out === undefined && inn === undefined) {
          partitions.push(p);
          continue;
        }
        const dead = this.deadOf(p);
        for (const l of out ?? []) dead.add(l);
        const append: string[] = [];
        for (const l of inn ?? []) if (!dead.delete(l)) append.push(l);
        let files = append.length === 0 ? [...p.files] : [...p.files, writeLines(this.root, append, written)];
        let deadFile: string | undefined;
        if (files.length > MAX_FILES || dead.size > MAX_DEAD) {
          const text = withoutDead(files.map((f) => readFileSync(join(this.root, f), 'utf8')).join(''), dead);
          obsolete.push(...files);
          files = text === '' ? [] : [writeText(this.root, text, written)];
        } else if (dead.size > 0) deadFile = writeLines(this.root, [...dead], written);
        if (p.dead !== undefined) obsolete.push(p.dead);
        if (files.length > 0) partitions.push({ key, files, ...(deadFile === undefined ? {} : { dead: deadFile }) });
      }
    } catch {
      for (const f of written) rmSync(join(this.root, f), { force: true });
      return false;
    }
    writeCacheEntry(join(this.root, 'manifest.json'), JSON.stringify({ version: DERIVED_VERSION, rules: this.manifest.rules, digest, summary, basis, partitions } satisfies Manifest));
    // Replaced files go once the manifest no longer names them (a reader holding the old manifest then misses).
    for (const f of obsolete) rmSync(join(this.root, f), { force: true });
    sweep(this.root, new Set(partitions.flatMap(named)), ORPHAN_AGE_MS);
    return true;
  }

  get digest(): string {
    return this.manifest.digest;
  }

  get summary(): CorpusSummary {
    return this.manifest.summary;
  }

  /**
   * The pack's corpus as documents in its order, for a difference to `current`: a document `current` has with the same
   * content, size and paths is taken from it, any other rebuilt from the facts cache (`facts`); undefined when a fact
   * is missing or more than `maxChanged` documents differ (computing the graphs whole is then cheaper).
   */
  documents(current: readonly LoadedDocument[], facts: FactsOf, maxChanged: number): LoadedDocument[] | undefined {
    return basisDocuments(this.manifest.summary, this.manifest.basis, current, facts, maxChanged);
  }

  get basis(): CorpusBasis {
    return this.manifest.basis;
  }

  /** The live lines of the partitions `keys`; undefined when a file could not be read. */
  lines(keys: readonly string[]): Set<string> | undefined {
    const out = new Set<string>();
    try {
      for (const p of this.manifest.partitions) {
        if (!keys.includes(p.key)) continue;
        for (const l of withoutDead(p.files.map((f) => readFileSync(join(this.root, f), 'utf8')).join(''), this.deadOf(p)).split('\n')) if (l !== '') out.add(l);
      }
    } catch {
      return undefined;
    }
    return out;
  }

  /** The files of the partitions a query with these needs can match, each with its dead lines; `undefined` when one is missing. */
  files(needs: DatasetNeeds | undefined): { readonly path: string; readonly dead: ReadonlySet<string> }[] | undefined {
    const keep = keepFilter(needs);
    const out: { readonly path: string; readonly dead: ReadonlySet<string> }[] = [];
    try {
      for (const p of this.manifest.partitions) {
        if (!keepsPartition(keep, p.key)) continue;
        const dead = this.deadOf(p);
        for (const f of p.files) {
          const path = join(this.root, f);
          if (!existsSync(path)) return undefined;
          touchCacheEntry(path);
          out.push({ path, dead });
        }
      }
    } catch {
      return undefined;
    }
    return out;
  }

  /** The N-Quads of the partitions a query with these needs can match; `undefined` when a file could not be read. */
  read(needs: DatasetNeeds | undefined): string[] | undefined {
    const keep = keepFilter(needs);
    const parts: string[] = [];
    try {
      for (const p of this.manifest.partitions) {
        if (!keepsPartition(keep, p.key)) continue;
        parts.push(withoutDead(p.files.map((f) => readFileSync(join(this.root, f), 'utf8')).join(''), this.deadOf(p)));
        for (const f of p.files) touchCacheEntry(join(this.root, f));
      }
    } catch {
      return undefined;
    }
    return parts;
  }

  /** The dead lines of a partition (throws when its file cannot be read). */
  private deadOf(p: Partition): Set<string> {
    if (p.dead === undefined) return new Set();
    touchCacheEntry(join(this.root, p.dead));
    return new Set(readFileSync(join(this.root, p.dead), 'utf8').split('\n').filter((l) => l !== ''));
  }

}

/** The facts of a document's content (the facts cache), or undefined. */
export type FactsOf = (sha256: string, format: string) => LoadedDocument['facts'] | undefined;

/**
 * The documents of a corpus known by its summary and basis, in its order: a document of `current` with the same
 * content, size and paths is taken from it, any other rebuilt from its facts; undefined when a fact is missing or
 * more than `maxChanged` documents differ.
 */
export function basisDocuments(summary: CorpusSummary, basis: CorpusBasis, current: readonly LoadedDocument[], facts: FactsOf, maxChanged: number): LoadedDocument[] | undefined {
  const byEntry = new Map(current.map((d) => [documentEntry(d), d]));
  // Documents of `current` the basis does not hold count as changes too.
  let changed = Math.max(0, current.length - summary.documents.length);
  const out: LoadedDocument[] = [];
  for (const [i, [key, sha256]] of summary.documents.entries()) {
    const [bytes, paths] = basis[i] ?? [0, []];
    const same = byEntry.get(`${key}\n${bytes}\n${paths.join('\n')}`);
    if (same !== undefined) {
      out.push(same);
      continue;
    }
    if (++changed > maxChanged) return undefined;
    const format = key.slice(key.indexOf('.') + 1) as LoadedDocument['format'];
    const f = facts(sha256, format);
    if (f === undefined || paths.length === 0) return undefined;
    out.push({ path: paths[0] ?? '', paths, bytes, format, facts: f, graph: f.graph, sha256, entities: f.entities, artifacts: f.artifacts });
  }
  return out;
}

function named(p: Partition): string[] {
  return p.dead === undefined ? [...p.files] : [...p.files, p.dead];
}

/** Lines grouped by partition key (the predicate, or `<rdf:type> <class>`, as partitions.ts keys them). */
function groupByPartition(lines: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of lines) {
    const terms = lineTerms(line);
    if (terms === undefined) continue;
    const key = terms.predicate === RDF_TYPE ? `${RDF_TYPE} ${terms.object}` : terms.predicate;
    const list = out.get(key);
    if (list === undefined) out.set(key, [line]);
    else list.push(line);
  }
  return out;
}

/** Writes lines as a new file of the pack (renamed into place); its name is added to `written`. */
function writeLines(root: string, lines: readonly string[], written: string[]): string {
  return writeText(root, `${lines.join('\n')}\n`, written);
}

function writeText(root: string, text: string, written: string[]): string {
  const file = `${randomUUID()}.nq`;
  const tmp = join(root, `${file}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, join(root, file));
  written.push(file);
  return file;
}

function packRoot(cacheDir: string, resolvedDir: string): string {
  return join(cacheDir, `derived-v${DERIVED_VERSION}`, createHash('sha256').update(resolvedDir).digest('hex'));
}

/** Removes files the manifest does not name that are older than `minAgeMs` (younger ones may be a concurrent run's); best effort. */
function sweep(root: string, keep: ReadonlySet<string>, minAgeMs: number): void {
  const now = Date.now();
  try {
    for (const f of readdirSync(root)) {
      if (f === 'manifest.json' || keep.has(f)) continue;
      const path = join(root, f);
      if (minAgeMs === 0 || now - statSync(path).mtimeMs > minAgeMs) rmSync(path, { force: true });
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
  if (!Array.isArray(s['documents']) || !Array.isArray(s['problems']) || !Array.isArray(o['partitions']) || !Array.isArray(o['basis'])) return false;
  const pair = (x: unknown): boolean => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string';
  const entry = (x: unknown): boolean => Array.isArray(x) && x.length === 2 && typeof x[0] === 'number' && Array.isArray(x[1]) && (x[1] as unknown[]).every((p) => typeof p === 'string');
  const partition = (x: unknown): boolean => {
    const p = x as Record<string, unknown> | null;
    return p !== null && typeof p === 'object' && typeof p['key'] === 'string' && Array.isArray(p['files']) && (p['files'] as unknown[]).every((f) => typeof f === 'string') && (p['dead'] === undefined || typeof p['dead'] === 'string');
  };
  return (s['documents'] as unknown[]).every(pair) && (o['partitions'] as unknown[]).every(partition) && (o['basis'] as unknown[]).every(entry) && (o['basis'] as unknown[]).length === (s['documents'] as unknown[]).length;
}
