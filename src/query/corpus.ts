// Loads a directory of TROs, manifests and Turtle files: facts per distinct file, then the links between them.
import { readFileSync, statSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { InputError, isPeTraceError } from '../errors.js';
import { sha256Hex } from '../hash/digest.js';
import { DEFAULT_MAX_DOCUMENT_BYTES, describeFsError } from '../io/read-file.js';
import { compareCodePoints } from '../json/canonical.js';
import { ContentCache } from './cache.js';
import { type SourceFormat, FACTS_VERSION, extractFacts, sourceFormat } from './extract.js';
import type { DocumentFacts } from './facts.js';
import { type Link, type LinkableDocument, deriveLinks } from './links.js';

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
  readonly problems: readonly LoadProblem[];
  /** Files present but not of a loaded kind (by extension), and symlinked folders not followed. */
  readonly skipped: readonly string[];
  readonly cacheHits: number;
}

export interface LoadOptions {
  /** Directory of the content-addressed cache; none = no cache. */
  readonly cacheDir?: string;
  /** Fail on the first unreadable or malformed file instead of reporting it as a problem. */
  readonly strict?: boolean;
  readonly maxFileBytes?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The graph-cache version: bumped with the lift/view rules (see graph.ts). */
export const GRAPH_CACHE_VERSION = '1';

/**
 * Loads every `.json`, `.jsonld`, `.ttl` and `.nt` file under `dir` (recursively; hidden entries and
 * `node_modules` skipped; symlinked files followed, symlinked folders not). A missing or non-directory
 * `dir` is an InputError. Malformed files become `problems` (or throw with `strict`).
 */
export async function loadCorpus(dir: string, options: LoadOptions = {}): Promise<Corpus> {
  const { files, skipped } = await listFiles(dir, options.cacheDir);
  const cache = options.cacheDir === undefined ? undefined : new ContentCache(options.cacheDir, { facts: FACTS_VERSION, graph: GRAPH_CACHE_VERSION });
  const bySha = new Map<string, { paths: string[]; bytes: number; format: SourceFormat; facts: DocumentFacts; sha256: string }>();
  const problems: LoadProblem[] = [];
  let cacheHits = 0;
  let done = 0;
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  // Reads are synchronous on purpose: for thousands of small files they are several times faster than
  // the thread-pool round trips of fs.promises, and extraction is CPU-bound on this thread anyway.
  for (const f of files) {
    try {
      const data = readLoaded(join(dir, f.rel), f.rel, maxBytes);
      const sha256 = sha256Hex(data);
      const key = `${sha256}.${f.format}`;
      const existing = bySha.get(key);
      if (existing !== undefined) {
        existing.paths.push(f.rel);
        continue;
      }
      let facts = cache?.getFacts(sha256, f.format);
      if (facts === undefined) {
        facts = extractFacts(data, f.format, f.rel, sha256);
        cache?.putFacts(sha256, f.format, facts);
      } else cacheHits++;
      bySha.set(key, { paths: [f.rel], bytes: data.length, format: f.format, facts, sha256 });
    } catch (e) {
      if (options.strict === true || !isPeTraceError(e)) throw e;
      problems.push({ path: f.rel, code: e.code, message: e.message });
    } finally {
      options.onProgress?.(++done, files.length);
    }
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
  return { documents, links: deriveLinks(documents), problems, skipped, cacheHits };
}

function readLoaded(path: string, label: string, maxBytes: number): Uint8Array {
  let info;
  try {
    info = statSync(path);
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', describeFsError(e), { location: { file: label } });
  }
  if (info.size > maxBytes) throw new InputError('JSON_LIMIT', `file is ${info.size} bytes, over the ${maxBytes}-byte limit for a document`, { location: { file: label } });
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', describeFsError(e), { location: { file: label } });
  }
}

interface Listed {
  readonly rel: string;
  readonly format: SourceFormat;
}

/** Every loadable file under `dir`, relative, `/`-separated, in code-point order. */
async function listFiles(dir: string, cacheDir: string | undefined): Promise<{ files: Listed[]; skipped: string[] }> {
  let info;
  try {
    info = await stat(dir);
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', describeFsError(e).replace('no such file', 'no such directory'), { location: { file: dir } });
  }
  if (!info.isDirectory()) throw new InputError('INPUT_UNREADABLE', 'is not a directory', { location: { file: dir } });
  const cacheReal = cacheDir === undefined ? undefined : await realpath(cacheDir).catch(() => undefined);
  const files: Listed[] = [];
  const skipped: string[] = [];
  const walk = async (abs: string): Promise<void> => {
    if (cacheReal !== undefined && (await realpath(abs).catch(() => abs)) === cacheReal) return;
    let entries;
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch (e) {
      throw new InputError('INPUT_UNREADABLE', describeFsError(e), { location: { file: toRel(dir, abs) || '.' } });
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = join(abs, entry.name);
      const rel = toRel(dir, child);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(child).catch(() => undefined);
        if (target?.isDirectory() === true) {
          skipped.push(`${rel}/`);
          continue;
        }
        isDir = false;
        isFile = target?.isFile() === true;
      }
      if (isDir) await walk(child);
      else if (isFile) {
        const format = sourceFormat(entry.name);
        if (format === undefined) skipped.push(rel);
        else files.push({ rel, format });
      }
    }
  };
  await walk(dir);
  files.sort((a, b) => compareCodePoints(a.rel, b.rel));
  skipped.sort(compareCodePoints);
  return { files, skipped };
}

function toRel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}
