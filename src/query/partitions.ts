// The persistent, incremental document-graph index of a directory: N-Quads partitioned by predicate (rdf:type by class), so a question reads only what it can match.
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { join } from 'node:path';
import { touchCacheEntry, writeCacheEntry } from './cache.js';
import { RDF_TYPE } from './namespaces.js';
import { type DatasetNeeds, keepFilter, keepsPartition } from './needs.js';

/** Index layout version: bump when the manifest or the partition files change shape (old trees are then ignored). */
const INDEX_VERSION = 1;

/** One document's lifted graphs (its own graph and its TROv view) as N-Quads lines, and its lift warnings. */
export interface DocumentGraphs {
  /** `<sha256>.<format>`: the corpus's identity of a distinct document. */
  readonly key: string;
  readonly sha256: string;
  readonly nquads: string;
  readonly warnings: readonly string[];
  /** Its graph could not be built (e.g. unreadable now): not recorded, so the next run tries again. */
  readonly failed?: boolean;
}

interface DocEntry {
  readonly sha: string;
  readonly w: readonly string[];
  /** Partitions holding lines of this document (indexes into `partitions`). */
  readonly p: readonly number[];
  /** Every line's graph names this document's sha256, so its lines can be dropped by graph on removal. */
  readonly own: boolean;
  /**
   * sha256s of other documents whose graphs this one's lines name (a JSON-LD node with `@graph` and the IRI of
   * another document's graph): dropping those documents by graph would take these lines too. Absent when none; an
   * entry that is not `own` and has no list (written before the list existed) may name any.
   */
  readonly c?: readonly string[];
}

interface Partition {
  /** The predicate IRI, or `<rdf:type IRI> <class IRI>` (IRIs hold no spaces). */
  readonly key: string;
  /** Files whose lines together are the partition (a base and the segments appended since). */
  files: string[];
  /** sha256s of removed documents whose lines the files still hold: skipped when read, dropped on compaction. */
  dead: string[];
}

interface Manifest {
  readonly version: number;
  readonly graph: string;
  readonly docs: Record<string, DocEntry>;
  readonly partitions: Partition[];
}

/** Bytes of new lines held in memory during an update before they are appended to their segment files. */
const FLUSH_BYTES = 32 << 20;
/** A partition is rewritten as one file when it has this many files, or this many removed documents. */
const MAX_FILES = 8;
const MAX_DEAD = 64;
/** Unnamed partition files older than this are orphans (see `sweep`). */
const ORPHAN_AGE_MS = 10 * 60 * 1000;

/**
 * Per directory (keyed by its resolved path) under `<cache>/index-v1/<key>/`: `manifest.json` (the documents
 * covered, their warnings and partitions) and the partition files. An update touches only what changed: a
 * removed document's sha256 is added to the `dead` list of the partitions it had lines in, an added document's
 * lines are appended as a new segment; a partition is compacted (rewritten without dead lines, as one file)
 * when its files or dead list grow past a bound. Writes are atomic (segments are renamed into place, then the
 * manifest); anything unreadable makes the caller rebuild from the per-file graphs.
 */
export class PartitionIndex {
  private constructor(
    private readonly root: string,
    private manifest: Manifest,
    private readonly graphVersion: string,
  ) {}

  static open(cacheDir: string, resolvedDir: string, graphVersion: string): PartitionIndex {
    const root = join(cacheDir, `index-v${INDEX_VERSION}`, createHash('sha256').update(resolvedDir).digest('hex'));
    let manifest = emptyManifest(graphVersion);
    try {
      const parsed: unknown = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
      if (isManifest(parsed) && parsed.graph === graphVersion) manifest = parsed;
      // Used now: LRU eviction (cache-store.ts) must not take the manifest before the partitions it names.
      touchCacheEntry(join(root, 'manifest.json'));
    } catch {
      // No index yet, or a damaged one: start empty.
    }
    return new PartitionIndex(root, manifest, graphVersion);
  }

  /** The keys of `current` the index lacks, after dropping documents not in `current`; all of them when a rebuild is needed. */
  plan(current: ReadonlyMap<string, string>): { readonly add: readonly string[]; readonly rebuild: boolean } {
    const docs = this.manifest.docs;
    const removed = Object.keys(docs).filter((k) => !current.has(k));
    const liveShas = new Set(current.values());
    // Lines are dropped by the sha256 in their graph: impossible for a document whose lines name another graph,
    // whose sha256 lives on under another format, or whose graph a remaining document's lines name too.
    const claimed = this.claimedBy(current.keys());
    const rebuild = removed.some((k) => docs[k]?.own !== true || liveShas.has(docs[k]?.sha ?? '') || claimed === undefined || claimed.has(docs[k]?.sha ?? ''));
    if (rebuild) return { add: [...current.keys()], rebuild };
    return { add: [...current.keys()].filter((k) => docs[k] === undefined), rebuild };
  }

  /**
   * Brings the index to exactly the documents of `current` (key → sha256): `graphs` yields the lifted graphs of
   * the keys `plan` named (in any order). Returns false when a file could not be written (the caller then answers
   * without the index).
   */
  async update(current: ReadonlyMap<string, string>, graphs: AsyncIterable<DocumentGraphs>): Promise<boolean> {
    const { rebuild } = this.plan(current);
    const obsolete: string[] = [];
    if (rebuild) {
      for (const p of this.manifest.partitions) obsolete.push(...p.files);
      this.manifest = emptyManifest(this.graphVersion);
    }
    const docs: Record<string, DocEntry> = { ...this.manifest.docs };
    const partitions = this.manifest.partitions.map((p) => ({ key: p.key, files: [...p.files], dead: [...p.dead] }));
    const byKey = new Map(partitions.map((p, i) => [p.key, i]));
    let changed = rebuild;
    for (const [k, d] of Object.entries(docs)) {
      if (current.has(k)) continue;
      for (const i of d.p) partitions[i]?.dead.push(d.sha);
      delete docs[k];
      changed = true;
    }
    // New lines go to one new segment file per partition, appended in slices so memory holds at most FLUSH_BYTES.
    const segments = new Map<number, { tmp: string; name: string; pending: string[] }>();
    const added = new Set<string>();
    let buffered = 0;
    const flush = (): void => {
      for (const s of segments.values()) {
        if (s.pending.length === 0) continue;
        appendFileSync(s.tmp, s.pending.join(''));
        s.pending = [];
      }
      buffered = 0;
    };
    try {
      mkdirSync(this.root, { recursive: true });
      for await (const g of graphs) {
        if (g.failed === true) continue;
        changed = true;
        added.add(g.sha256);
        const touched = new Set<number>();
        let own = true;
        const claims = new Set<string>();
        for (const line of g.nquads.split('\n')) {
          if (line === '' || line.startsWith('#')) continue;
          const terms = lineTerms(line);
          if (terms === undefined) continue;
          const key = terms.predicate === RDF_TYPE ? `${RDF_TYPE} ${terms.object}` : terms.predicate;
          let i = byKey.get(key);
          if (i === undefined) {
            i = partitions.push({ key, files: [], dead: [] }) - 1;
            byKey.set(key, i);
          }
          let s = segments.get(i);
          if (s === undefined) {
            const name = `${i}-${randomUUID()}.nq`;
            s = { tmp: join(this.root, `${name}.tmp`), name, pending: [] };
            segments.set(i, s);
          }
          s.pending.push(`${line}\n`);
          buffered += line.length + 1;
          touched.add(i);
          const owner = lineOwner(line);
          if (owner !== g.sha256) {
            own = false;
            if (owner !== undefined) claims.add(owner);
          }
        }
        docs[g.key] = { sha: g.sha256, w: g.warnings, p: [...touched].sort((a, b) => a - b), own, ...(own ? {} : { c: [...claims].sort() }) };
        // Lines in a removed document's graph (dead: skipped when read) must survive: as for a re-added document.
        for (const sha of claims) added.add(sha);
        if (buffered >= FLUSH_BYTES) flush();
      }
      flush();
      for (const [i, s] of segments) {
        const p = partitions[i];
        if (p === undefined) continue;
        // A re-added document's sha256 may be on the dead list: drop the old lines first, so the new ones survive.
        if (p.dead.some((sha) => added.has(sha))) this.compact(p, obsolete);
        renameSync(s.tmp, join(this.root, s.name));
        p.files.push(s.name);
      }
      for (const p of partitions) if (p.files.length > MAX_FILES || p.dead.length > MAX_DEAD) this.compact(p, obsolete);
    } catch {
      for (const s of segments.values()) rmSync(s.tmp, { force: true });
      return false;
    }
    if (!changed) return true;
    this.manifest = { version: INDEX_VERSION, graph: this.graphVersion, docs, partitions: partitions.filter((p) => p.files.length > 0) };
    // Partition numbers in `docs` must follow the filter above: renumber (only when it dropped one; otherwise every
    // number stays, and rebuilding 10,000 entries on every change cost ~0.1 s).
    if (this.manifest.partitions.length !== partitions.length) this.renumber(partitions);
    writeCacheEntry(join(this.root, 'manifest.json'), JSON.stringify(this.manifest));
    // Replaced files go once the manifest no longer names them (a reader holding the old manifest then rebuilds).
    for (const f of obsolete) rmSync(join(this.root, f), { force: true });
    this.sweep();
    return true;
  }

  /**
   * Deletes partition files no manifest names any more that are older than ORPHAN_AGE_MS (left by a run that lost
   * the race to write the manifest, or crashed); younger ones may belong to a concurrent run still writing.
   */
  private sweep(): void {
    const named = new Set(this.manifest.partitions.flatMap((p) => p.files));
    const now = Date.now();
    try {
      for (const f of readdirSync(this.root)) {
        if (f === 'manifest.json' || named.has(f)) continue;
        const path = join(this.root, f);
        if (now - statSync(path).mtimeMs > ORPHAN_AGE_MS) rmSync(path, { force: true });
      }
    } catch {
      // Best effort: an orphan only costs space until LRU eviction takes it.
    }
  }

  private renumber(before: readonly Partition[]): void {
    const after = new Map(this.manifest.partitions.map((p, i) => [p, i]));
    const map = before.map((p) => after.get(p));
    for (const [k, d] of Object.entries(this.manifest.docs)) {
      this.manifest.docs[k] = { ...d, p: d.p.map((i) => map[i]).filter((i): i is number => i !== undefined) };
    }
  }

  /** Rewrites a partition as one file without its dead documents' lines. */
  private compact(p: Partition, obsolete: string[]): void {
    const text = this.readPartition(p);
    obsolete.push(...p.files);
    p.files = [];
    p.dead = [];
    if (text === '') return;
    const name = `c-${randomUUID()}.nq`;
    const tmp = join(this.root, `${name}.tmp`);
    appendFileSync(tmp, text);
    renameSync(tmp, join(this.root, name));
    p.files.push(name);
  }

  private readPartition(p: Partition): string {
    return withoutDead(p.files.map((f) => readFileSync(join(this.root, f), 'utf8')).join(''), new Set(p.dead));
  }

  /**
   * The N-Quads of every partition a query with these needs can match (all of them for `undefined`), one part
   * per partition; `undefined` when a partition file could not be read (the caller rebuilds).
   */
  read(needs: DatasetNeeds | undefined): string[] | undefined {
    const keep = keepFilter(needs);
    const parts: string[] = [];
    try {
      for (const p of this.manifest.partitions) {
        if (!keepsPartition(keep, p.key)) continue;
        parts.push(this.readPartition(p));
        for (const f of p.files) touchCacheEntry(join(this.root, f));
      }
    } catch {
      return undefined;
    }
    return parts;
  }

  /**
   * The files of every partition a query with these needs can match, each with the removed documents whose lines
   * it still holds (read them with `liveChunks`, one file at a time); `undefined` when a file is missing (the caller
   * then rebuilds or loads the corpus).
   */
  files(needs: DatasetNeeds | undefined): { readonly path: string; readonly dead: ReadonlySet<string> }[] | undefined {
    const keep = keepFilter(needs);
    const out: { readonly path: string; readonly dead: ReadonlySet<string> }[] = [];
    for (const p of this.manifest.partitions) {
      if (!keepsPartition(keep, p.key)) continue;
      const dead = new Set(p.dead);
      for (const f of p.files) {
        const path = join(this.root, f);
        if (!existsSync(path)) return undefined;
        touchCacheEntry(path);
        out.push({ path, dead });
      }
    }
    return out;
  }

  /** How many documents the index covers. */
  covers(): number {
    return Object.keys(this.manifest.docs).length;
  }

  /**
   * sha256s whose graphs the lines of the documents `keys` (other than their own) name, or `undefined` when that
   * is not known (a document of `keys` the index does not cover, or an entry from before the list was kept).
   */
  claimedBy(keys: Iterable<string>): Set<string> | undefined {
    const out = new Set<string>();
    for (const key of keys) {
      const d = this.manifest.docs[key];
      if (d === undefined) continue;
      if (d.own) continue;
      if (!Array.isArray(d.c)) return undefined;
      for (const sha of d.c) out.add(sha);
    }
    return out;
  }

  /**
   * Of `keys`, those whose lines are not all in their own graphs, and the sha256s whose graphs their lines name;
   * `undefined` when a key is not covered or not known (what serve needs to drop documents by graph safely).
   */
  ownership(keys: Iterable<string>): { readonly unowned: Set<string>; readonly claimed: Set<string> } | undefined {
    const list = [...keys];
    const claimed = this.claimedBy(list);
    if (claimed === undefined || list.some((k) => this.manifest.docs[k] === undefined)) return undefined;
    return { unowned: new Set(list.filter((k) => this.manifest.docs[k]?.own !== true)), claimed };
  }

  /** Lift warnings of a covered document (`undefined` for one the index does not cover). */
  warnings(key: string): readonly string[] | undefined {
    return this.manifest.docs[key]?.w;
  }

  /** Forgets the index (its files are removed): the next update rebuilds it. */
  discard(): void {
    rmSync(this.root, { recursive: true, force: true });
    this.manifest = emptyManifest(this.graphVersion);
  }
}

/** The predicate and object IRI (or '' for a literal or blank node) of an N-Quads line as our serializer writes it. */
export function lineTerms(line: string): { readonly predicate: string; readonly object: string } | undefined {
  const afterSubject = line.indexOf(' ') + 1;
  const predicateEnd = line.indexOf('> ', afterSubject);
  if (afterSubject === 0 || predicateEnd < 0 || line[afterSubject] !== '<') return undefined;
  const objectStart = predicateEnd + 2;
  const object = line.startsWith('<', objectStart) ? line.slice(objectStart + 1, line.indexOf('>', objectStart)) : '';
  return { predicate: line.slice(afterSubject + 1, predicateEnd), object };
}

/** Bytes read from a partition file at a time by `liveChunks`. */
const CHUNK_BYTES = 4 << 20;

/**
 * A file's N-Quads in chunks of whole lines (about CHUNK_BYTES each), without the lines of the `dead` documents
 * (as readPartition drops them): memory holds one chunk, whatever the file's size. The file is closed when the
 * reader stops early.
 */
export function* liveChunks(path: string, dead: ReadonlySet<string>): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    let carry = '';
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      const text = carry + decoder.write(buffer.subarray(0, n));
      const cut = text.lastIndexOf('\n');
      if (cut < 0) {
        carry = text;
        continue;
      }
      carry = text.slice(cut + 1);
      yield withoutDead(text.slice(0, cut + 1), dead);
    }
    const rest = carry + decoder.end();
    if (rest !== '') yield withoutDead(rest, dead);
  } finally {
    closeSync(fd);
  }
}

/**
 * `text` without the lines `dead` names: by the sha256 in their graph (a removed document's lines, this index), or
 * whole (a line without a document graph: the kept index and links pack, derived.ts, lists removed lines so).
 */
export function withoutDead(text: string, dead: ReadonlySet<string>): string {
  if (dead.size === 0) return text;
  return text
    .split('\n')
    .filter((line) => line !== '' && !dead.has(lineOwner(line) ?? line))
    .map((line) => `${line}\n`)
    .join('');
}

const OWNER_RE = /\/(?:doc|view)\/([0-9a-f]{64})\/> \.$/;

/** The sha256 named by a line's graph (a document graph or a view graph), if any. */
export function lineOwner(line: string): string | undefined {
  return OWNER_RE.exec(line)?.[1];
}

function emptyManifest(graph: string): Manifest {
  return { version: INDEX_VERSION, graph, docs: {}, partitions: [] };
}

function isManifest(v: unknown): v is Manifest {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  if (o['version'] !== INDEX_VERSION || typeof o['graph'] !== 'string' || typeof o['docs'] !== 'object' || o['docs'] === null || !Array.isArray(o['partitions'])) return false;
  return (o['partitions'] as unknown[]).every((p) => {
    const x = p as Record<string, unknown> | null;
    return x !== null && typeof x['key'] === 'string' && Array.isArray(x['files']) && Array.isArray(x['dead']);
  });
}
