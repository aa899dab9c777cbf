// Loads a directory of TROs, manifests and Turtle files: facts per distinct file, then the links between them.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, PeTraceError } from '../errors.js';
import { sha256Hex } from '../hash/digest.js';
import { DEFAULT_MAX_DOCUMENT_BYTES, describeFsError, readDocumentFileSync } from '../io/read-file.js';
import { compareCodePoints } from '../json/canonical.js';
import { ContentCache } from './cache.js';
import { type SourceFormat, FACTS_VERSION, extractFacts, sourceFormat } from './extract.js';
import type { DocumentFacts } from './facts.js';
import { type Link, type LinkableDocument, deriveLinks, flowLinks } from './links.js';
import { readFactsParallel } from './parallel-facts.js';
import { DirectorySnapshot, type FileIdentity } from './snapshot.js';

export interface LoadedDocument extends LinkableDocument {
  /** The first path (code-point order) of the file, relative to the directory, `/`-separated. */
  readonly path: string;
  /** Every path with these exact bytes (identical copies are one document). */
  readonly paths: readonly string[];
  readonly bytes: number;
  readonly format: SourceFormat;
  readonly facts: DocumentFacts;
}

/** A file that could not be read as the document its name says it is (reported, never silently dropped). */
export interface LoadProblem {
  readonly path: string;
  readonly code: string;
  /** One line, located (`file:line:col: …` or `file#/pointer: …`). */
  readonly message: string;
}

export interface Corpus {
  readonly documents: readonly LoadedDocument[];
  readonly links: readonly Link[];
  /** The links the flow reads (links.ts flowLinks): `links` when already derived; when absent, `links` is used. */
  readonly flowLinks?: readonly Link[];
  readonly problems: readonly LoadProblem[];
  /** Files present but not of a loaded kind (by extension), and symlinked folders not followed. */
  readonly skipped: readonly string[];
  readonly cacheHits: number;
  /**
   * Names the corpus's exact content (every path, format and sha256), when loaded with a cache and every file
   * was readable: equal digests, equal corpora, so answers computed over one can be reused for the other.
   */
  readonly digest?: string;
}

export interface LoadOptions {
  /** Directory of the content-addressed cache; none = no cache. */
  readonly cacheDir?: string;
  /** Fail on the first unreadable or malformed file instead of reporting it as a problem. */
  readonly strict?: boolean;
  readonly maxFileBytes?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Extra threads that may read files (default 0: all on this thread). Results are the same either way;
   * only large corpora use them (see parallel-facts.ts).
   */
  readonly workers?: number;
  /** The directory's scan when the caller has just made it (see storedAnswerOverDirectory): not scanned again. */
  readonly scan?: CorpusScan;
  /**
   * Facts the caller holds already, by `<sha256>.<format>` (serve keeps its corpus's between reloads): read before the
   * cache, so a reload reads only the changed files' facts.
   */
  readonly knownFacts?: ReadonlyMap<string, DocumentFacts>;
}

/** The graph-cache version: bumped with the lift/view rules (see graph.ts). 3: minted blank nodes in the view of a TRO with its own @base are labelled by document and order, no longer by the engine. */
export const GRAPH_CACHE_VERSION = '3';

/** The files of a directory and, with a cache, the sha256 of each (unchanged files known from the snapshot, unread). */
export interface CorpusScan {
  readonly files: readonly ScannedFile[];
  readonly skipped: readonly string[];
  /** See `Corpus.digest`; absent without a cache or when a file could not be read. */
  readonly digest?: string;
}

export interface ScannedFile {
  readonly rel: string;
  readonly format: SourceFormat;
  readonly sha256?: string;
  /** Its size in bytes when `sha256` is set. */
  readonly bytes?: number;
}

/**
 * Lists `dir` (see `loadCorpus`). With `cacheDir`, also names each file's content: a file whose stat identity
 * (size, nanosecond mtime and ctime, inode, device) is unchanged since the directory's last snapshot — and was
 * already older than that snapshot by a safety margin — keeps its recorded sha256 without being read; every
 * other file is read and hashed. `nowMs` is the wall clock at the start of the scan (passed in, for tests).
 * `statOnly` reads no file: the scan ends without a digest at the first file the snapshot does not vouch for.
 */
export async function scanDirectory(dir: string, options: LoadOptions & { readonly nowMs?: number; readonly statOnly?: boolean } = {}): Promise<CorpusScan> {
  const startNs = BigInt(Math.floor(options.nowMs ?? Date.now())) * 1_000_000n;
  const { files, skipped } = await listFiles(dir, options.cacheDir);
  if (options.cacheDir === undefined) return { files, skipped };
  const snapshot = DirectorySnapshot.open(options.cacheDir, await realpath(dir));
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const scanned: ScannedFile[] = [];
  const digest = createHash('sha256');
  let complete = true;
  for (const f of files) {
    let sha256: string | undefined;
    let size: number | undefined;
    try {
      const info = statSync(join(dir, f.rel), { bigint: true });
      const id: FileIdentity = { size: info.size, mtimeNs: info.mtimeNs, ctimeNs: info.ctimeNs, ino: info.ino, dev: info.dev };
      sha256 = snapshot.lookup(f.rel, f.format, id);
      const trusted = sha256 !== undefined;
      // Reading nothing: a file the snapshot cannot vouch for ends the scan without a digest.
      if (!trusted && options.statOnly === true) return { files, skipped };
      if (sha256 === undefined && info.size <= BigInt(maxBytes)) sha256 = sha256Hex(readDocumentFileSync(join(dir, f.rel), { label: f.rel, maxBytes }));
      if (sha256 !== undefined) snapshot.record(f.rel, f.format, id, sha256, trusted);
      size = Number(info.size);
    } catch {
      // Unreadable now: loading reports it as a problem with its own message.
    }
    if (sha256 === undefined) complete = false;
    digest.update(`${f.rel}\t${f.format}\t${sha256 ?? '-'}\n`);
    scanned.push(sha256 === undefined || size === undefined ? f : { ...f, sha256, bytes: size });
  }
  snapshot.save(startNs);
  return { files: scanned, skipped, ...(complete ? { digest: digest.digest('hex') } : {}) };
}

/**
 * Loads every `.json`, `.jsonld`, `.ttl` and `.nt` file under `dir` (recursively; hidden entries and
 * `node_modules` skipped; symlinked files followed, symlinked folders not). A missing or non-directory
 * `dir` is an InputError. Malformed files become `problems` (or throw with `strict`). `scan` is the
 * directory's `scanDirectory` result when the caller already has it.
 */
export async function loadCorpus(dir: string, options: LoadOptions = {}, scan?: CorpusScan): Promise<Corpus> {
  const { files, skipped, digest } = scan ?? options.scan ?? (await scanDirectory(dir, options));
  const cache = options.cacheDir === undefined ? undefined : new ContentCache(options.cacheDir, FACTS_VERSION);
  const bySha = new Map<string, { paths: string[]; bytes: number; format: SourceFormat; facts: DocumentFacts; sha256: string }>();
  const problems: LoadProblem[] = [];
  let cacheHits = 0;
  let done = 0;
  let stable = true;
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const progress = (): void => options.onProgress?.(++done, files.length);
  // A file the scan named and whose facts are cached is not read at all; the others are read (on worker
  // threads too when allowed), and their results taken in file order below, as one thread would.
  const known = options.knownFacts;
  const cached = files.map((f) => (f.sha256 === undefined ? undefined : (known?.get(`${f.sha256}.${f.format}`) ?? cache?.getFacts(f.sha256, f.format))));
  const jobs = files.filter((_, i) => cached[i] === undefined);
  const read = await readFactsParallel(dir, jobs, { maxBytes, workers: options.workers ?? 0, onEach: progress });
  let next = 0;
  for (const [i, f] of files.entries()) {
    const hit = cached[i];
    let sha256: string;
    let facts: DocumentFacts;
    let bytes: number;
    if (hit !== undefined && f.sha256 !== undefined) {
      progress();
      cacheHits++;
      sha256 = f.sha256;
      facts = hit;
      bytes = f.bytes ?? 0;
    } else {
      const r = read[next++];
      if (r === undefined) throw new PeTraceError('INTERNAL', 'corpus loading lost a file result');
      if (!r.ok) {
        if ('internal' in r) throw new PeTraceError('INTERNAL', r.detail);
        // The reader's error, rebuilt from its parts (it may have been raised on a worker thread).
        const error = new InputError(r.code, r.detail, r.location === undefined ? {} : { location: r.location });
        if (options.strict === true) throw error;
        problems.push({ path: f.rel, code: r.code, message: error.message });
        continue;
      }
      // Changed between the scan and now: this run's answer is right, but must not be cached under the scan's digest.
      if (f.sha256 !== undefined && f.sha256 !== r.sha256) stable = false;
      ({ sha256, facts, bytes } = r);
      cache?.putFacts(sha256, f.format, facts);
    }
    const key = `${sha256}.${f.format}`;
    const existing = bySha.get(key);
    if (existing !== undefined) existing.paths.push(f.rel);
    else bySha.set(key, { paths: [f.rel], bytes, format: f.format, facts, sha256 });
  }
  const documents: LoadedDocument[] = [...bySha.values()]
    .map((d) => {
      const paths = [...d.paths].sort(compareCodePoints);
      return {
        path: paths[0] ?? '',
        paths,
        bytes: d.bytes,
        format: d.format,
        facts: d.facts,
        graph: d.facts.graph,
        sha256: d.sha256,
        entities: d.facts.entities,
        artifacts: d.facts.artifacts,
      };
    })
    .sort((a, b) => compareCodePoints(a.path, b.path));
  problems.sort((a, b) => compareCodePoints(a.path, b.path));
  // Links are derived on first read: a question that touches only the documents' own graphs never needs them.
  let links: Link[] | undefined;
  let forFlow: readonly Link[] | undefined;
  return {
    documents,
    get links(): Link[] {
      links ??= deriveLinks(documents);
      return links;
    },
    // The flow needs only the derived links, without their IRIs (a third of the cost after a change, where only
    // the flow reads every link).
    get flowLinks(): readonly Link[] {
      forFlow ??= links ?? flowLinks(documents);
      return forFlow;
    },
    problems,
    skipped,
    cacheHits,
    ...(stable && digest !== undefined ? { digest } : {}),
  };
}


interface Listed {
  readonly rel: string;
  readonly format: SourceFormat;
}

/**
 * Every loadable file under `dir`, relative, `/`-separated, in code-point order. Synchronous: thousands of
 * small directories list several times faster without thread-pool round trips. Only real directories are
 * walked (symlinked folders are reported, not followed), so a directory's real path is the root's real path
 * plus its relative path: the cache directory is recognised by that, without a realpath call per directory.
 */
async function listFiles(dir: string, cacheDir: string | undefined): Promise<{ files: Listed[]; skipped: string[] }> {
  let info;
  try {
    info = await stat(dir);
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', describeFsError(e).replace('no such file', 'no such directory'), { location: { file: dir } });
  }
  if (!info.isDirectory()) throw new InputError('INPUT_UNREADABLE', 'is not a directory', { location: { file: dir } });
  const cacheReal = cacheDir === undefined ? undefined : await realpath(cacheDir).catch(() => undefined);
  const rootReal = cacheReal === undefined ? undefined : await realpath(dir);
  const files: Listed[] = [];
  const skipped: string[] = [];
  const walk = (abs: string, rel: string): void => {
    if (cacheReal !== undefined && rootReal !== undefined && (rel === '' ? rootReal : join(rootReal, rel)) === cacheReal) return;
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch (e) {
      throw new InputError('INPUT_UNREADABLE', describeFsError(e), { location: { file: rel || '.' } });
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = join(abs, entry.name);
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let target;
        try {
          target = statSync(child);
        } catch {
          target = undefined;
        }
        if (target?.isDirectory() === true) {
          skipped.push(`${childRel}/`);
          continue;
        }
        isDir = false;
        isFile = target?.isFile() === true;
      }
      if (isDir) walk(child, childRel);
      else if (isFile) {
        const format = sourceFormat(entry.name);
        if (format === undefined) skipped.push(childRel);
        else files.push({ rel: childRel, format });
      }
    }
  };
  walk(dir, '');
  files.sort((a, b) => compareCodePoints(a.rel, b.rel));
  skipped.sort(compareCodePoints);
  return { files, skipped };
}
