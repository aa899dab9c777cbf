// The resumable state of `sync`: which graphs a server holds (with their content digests) and which file each came from.
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../manifest/atomic-write.js';

export const SYNC_STATE_VERSION = 1;
/** Keys of `graphs` that name no graph: bookkeeping (e.g. the corpus digest the index and links graphs were built from). */
export const SYNC_META_PREFIX = 'urn:pe-trace:sync:';

/** One file of the directory as last synced: the sha256 of its bytes and the graph it was lifted into. */
export interface SyncedFile {
  readonly sha256: string;
  readonly graph: string;
}

/**
 * What the server holds. `graphs` maps each graph IRI written to the digest of what was written (a document's
 * sha256 for its own and view graphs, the sha256 of the N-Triples for the index and links graphs).
 */
export interface SyncStateData {
  readonly version: number;
  /** The Graph Store (or Update endpoint) the graphs were written to. */
  readonly server: string;
  /** The lift rules' version (GRAPH_CACHE_VERSION): graphs lifted by other rules are re-sent. */
  readonly lift: string;
  readonly graphs: Record<string, string>;
  readonly files: Record<string, SyncedFile>;
}

type JournalEntry = { readonly put: string; readonly digest: string } | { readonly delete: string } | { readonly file: string; readonly sha256: string; readonly graph: string };

/**
 * The state file plus an append-only journal beside it (`<state>.journal`). Rewriting a whole state of 10,000
 * files after every graph would cost gigabytes of writes; instead every completed graph write appends one
 * short line (a single O_APPEND write, so an interrupted run leaves whole lines, at worst one torn last line,
 * which is ignored), and the state is rewritten atomically (temp file, fsync, rename) once at the end.
 */
export class SyncState {
  private constructor(
    private readonly path: string,
    private data: { server: string; lift: string; graphs: Map<string, string>; files: Map<string, SyncedFile> },
    readonly resumed: boolean,
    readonly warnings: readonly string[],
  ) {}

  /** Reads the state and replays its journal; a state for another server or other lift rules starts empty. */
  static open(path: string, server: string, lift: string): SyncState {
    const warnings: string[] = [];
    let graphs = new Map<string, string>();
    let files = new Map<string, SyncedFile>();
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      text = undefined;
    }
    let storedServer = server;
    let storedLift = lift;
    if (text !== undefined) {
      const parsed = parseState(text);
      if (parsed === undefined) warnings.push('the sync state file is damaged: every document is sent again (graphs of files removed meanwhile may stay on the server)');
      else {
        storedServer = parsed.server;
        storedLift = parsed.lift;
        graphs = new Map(Object.entries(parsed.graphs));
        files = new Map(Object.entries(parsed.files));
      }
    }
    let journal: string | undefined;
    try {
      journal = readFileSync(`${path}.journal`, 'utf8');
    } catch {
      journal = undefined;
    }
    for (const line of journal?.split('\n') ?? []) {
      const e = parseJournalLine(line);
      if (e === undefined) continue;
      if ('put' in e) graphs.set(e.put, e.digest);
      else if ('delete' in e) graphs.delete(e.delete);
      else files.set(e.file, { sha256: e.sha256, graph: e.graph });
    }
    if (storedServer !== server) {
      warnings.push('the sync state names another server: every document is sent again');
      graphs = new Map();
      files = new Map();
    } else if (storedLift !== lift) {
      // The graphs on the server were lifted by other rules: keep them listed (so removed files are still
      // dropped) but with digests that match nothing, so every document is sent again.
      graphs = new Map([...graphs.keys()].map((g) => [g, `lift-v${storedLift}`]));
    }
    return new SyncState(path, { server, lift, graphs, files }, journal !== undefined && journal.trim() !== '', warnings);
  }

  digestOf(graph: string): string | undefined {
    return this.data.graphs.get(graph);
  }

  /** The graphs on the server (not the bookkeeping entries under `urn:pe-trace:sync:`). */
  graphs(): string[] {
    return [...this.data.graphs.keys()].filter((g) => !g.startsWith(SYNC_META_PREFIX));
  }

  /**
   * The corpus the corpus-wide graphs on the server were computed from, kept beside the state so the next run can
   * send only their difference (derived-delta.ts) with no round trip and without computing them whole. Undefined when
   * there is none or it is damaged. It is what the server holds only for a graph whose digest in the state is the
   * record's tag (`vouchedFor`); any other graph is replaced whole.
   */
  derivedBasis(): SyncBasis | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.basisPath(), 'utf8'));
    } catch {
      return undefined;
    }
    return isSyncBasis(parsed) ? parsed : undefined;
  }

  /** Whether the state says `graph` on the server holds what `basis` was recorded for. */
  vouchedFor(graph: string, basis: SyncBasis): boolean {
    return this.digestOf(graph) === basis.tag;
  }

  /** Keeps `basis` as what the corpus-wide graphs now hold (atomically; call it before `put(graph, basis.tag)`). */
  async recordDerivedBasis(basis: SyncBasis): Promise<void> {
    await writeFileAtomic(this.basisPath(), new TextEncoder().encode(JSON.stringify(basis)), { label: 'sync record' });
    // Records of earlier versions (each corpus-wide graph's whole N-Triples) are no longer read.
    for (const g of OLD_RECORDED_GRAPHS) rmSync(`${this.path}.sent-${sha256Hex(g).slice(0, 16)}.nt`, { force: true });
  }

  private basisPath(): string {
    return `${this.path}.derived-basis.json`;
  }

  /** Records a completed write of `graph` (journaled at once). */
  put(graph: string, digest: string): void {
    this.data.graphs.set(graph, digest);
    this.append({ put: graph, digest });
  }

  /**
   * Records several graph writes with one append (one line each): the intent before a multi-graph request (digest
   * PARTIAL, so a crash before its check leaves graphs that the next run replaces, never inserts again) and then
   * its completion. A torn append loses at most its last line, whose write is then simply done again.
   */
  putMany(entries: ReadonlyArray<readonly [graph: string, digest: string]>): void {
    if (entries.length === 0) return;
    for (const [graph, digest] of entries) this.data.graphs.set(graph, digest);
    this.appendLines(entries.map(([graph, digest]) => `${JSON.stringify({ put: graph, digest })}\n`).join(''));
  }

  /** Records a completed removal of `graph`. */
  delete(graph: string): void {
    this.data.graphs.delete(graph);
    this.append({ delete: graph });
  }

  /** Records which document a file now is (after its graphs are on the server). */
  file(path: string, sha256: string, graph: string): void {
    const old = this.data.files.get(path);
    if (old?.sha256 === sha256 && old.graph === graph) return;
    this.data.files.set(path, { sha256, graph });
    this.append({ file: path, sha256, graph });
  }

  /** Forgets files no longer in the directory (written with the next `save`). */
  keepFiles(paths: ReadonlySet<string>): void {
    for (const p of [...this.data.files.keys()]) if (!paths.has(p)) this.data.files.delete(p);
  }

  /** Rewrites the state atomically (sorted keys: same state, same bytes) and drops the journal. */
  async save(): Promise<void> {
    const sorted = <T>(m: Map<string, T>): Record<string, T> => Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const data: SyncStateData = { version: SYNC_STATE_VERSION, server: this.data.server, lift: this.data.lift, graphs: sorted(this.data.graphs), files: sorted(this.data.files) };
    await writeFileAtomic(this.path, new TextEncoder().encode(`${JSON.stringify(data, null, 1)}\n`), { label: 'sync state' });
    rmSync(`${this.path}.journal`, { force: true });
  }

  private append(entry: JournalEntry): void {
    this.appendLines(`${JSON.stringify(entry)}\n`);
  }

  private appendLines(text: string): void {
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(`${this.path}.journal`, text);
  }
}

/** What `derivedBasis` keeps: see derived.ts (CorpusSummary, CorpusBasis) and derived-delta.ts. */
export interface SyncBasis {
  /** The digest the state gives every corpus-wide graph computed from this corpus. */
  readonly tag: string;
  /** `[<sha256>.<format>, sha256]` of every distinct document, in corpus order. */
  readonly documents: readonly (readonly [string, string])[];
  /** Per document: its size and paths. */
  readonly basis: readonly (readonly [number, readonly string[]])[];
  /** The flow lines (ptq:feeds, ptq:sameBuildAs) as N-Quads. */
  readonly flow: readonly string[];
  /** Triples per corpus-wide graph. */
  readonly triples: Readonly<Record<string, number>>;
}

/** The corpus-wide graphs whose whole N-Triples earlier versions kept beside the state (removed when a basis is kept). */
const OLD_RECORDED_GRAPHS = ['https://pe-trace.invalid/graph/index', 'https://pe-trace.invalid/graph/links'];

function isSyncBasis(v: unknown): v is SyncBasis {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  const docs = o['documents'];
  const basis = o['basis'];
  const triples = o['triples'] as Record<string, unknown> | null;
  if (typeof o['tag'] !== 'string' || !Array.isArray(docs) || !Array.isArray(basis) || docs.length !== basis.length || !Array.isArray(o['flow'])) return false;
  if (typeof triples !== 'object' || triples === null || !Object.values(triples).every((n) => typeof n === 'number')) return false;
  const pair = (x: unknown): boolean => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string';
  const entry = (x: unknown): boolean => Array.isArray(x) && x.length === 2 && typeof x[0] === 'number' && Array.isArray(x[1]) && (x[1] as unknown[]).every((p) => typeof p === 'string');
  return docs.every(pair) && basis.every(entry) && (o['flow'] as unknown[]).every((l) => typeof l === 'string');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function isRecordOf<T>(v: unknown, check: (x: unknown) => x is T): v is Record<string, T> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(check);
}

const isString = (x: unknown): x is string => typeof x === 'string';
const isSyncedFile = (x: unknown): x is SyncedFile => typeof x === 'object' && x !== null && isString((x as SyncedFile).sha256) && isString((x as SyncedFile).graph);

function parseState(text: string): SyncStateData | undefined {
  try {
    const v = JSON.parse(text) as Partial<SyncStateData>;
    if (v.version !== SYNC_STATE_VERSION || !isString(v.server) || !isString(v.lift) || !isRecordOf(v.graphs, isString) || !isRecordOf(v.files, isSyncedFile)) return undefined;
    return v as SyncStateData;
  } catch {
    return undefined;
  }
}

function parseJournalLine(line: string): JournalEntry | undefined {
  if (line.trim() === '') return undefined;
  try {
    const v = JSON.parse(line) as Record<string, unknown>;
    if (isString(v['put']) && isString(v['digest'])) return { put: v['put'], digest: v['digest'] };
    if (isString(v['delete'])) return { delete: v['delete'] };
    if (isString(v['file']) && isString(v['sha256']) && isString(v['graph'])) return { file: v['file'], sha256: v['sha256'], graph: v['graph'] };
    return undefined;
  } catch {
    // A torn last line of an interrupted run: that write is simply done again.
    return undefined;
  }
}
