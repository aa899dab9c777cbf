// A read-only SPARQL 1.1 Protocol endpoint over a directory: the dataset resident in one oxigraph store, re-indexed when files change.
import { type FSWatcher, watch } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPeTraceError } from '../errors.js';
import { type OxStore, oxigraph } from '../rdf/sparql.js';
import { type Corpus, type LoadedDocument, loadCorpus, scanDirectory } from './corpus.js';
import { buildDatasetNQuads, datasetFromKept, documentKey, indexOwnership } from './graph.js';
import { PATCH_MAX_DOCUMENTS, type ResidentDataset, patchResident, planPatch } from './serve-patch.js';
import { flowOfParts } from './derived-delta.js';
import { basisDocuments } from './derived.js';
import { ContentCache } from './cache.js';
import { FACTS_VERSION } from './extract.js';
import { loadNQuads } from './ox-engine.js';
import { parseUserQuery } from './parse.js';
import { withPinnedPredicates } from './pin-predicates.js';

export interface ServeOptions {
  readonly dir: string;
  readonly host: string;
  /** 0: any free port (the URL says which). */
  readonly port: number;
  readonly cacheDir?: string;
  /** Re-index when a file under `dir` changes. */
  readonly watch?: boolean;
  /** Largest request body accepted (bytes). */
  readonly maxBodyBytes?: number;
  /** Told after each re-index whether the store was patched in place (few files changed) or loaded afresh. */
  readonly onReload?: (patched: boolean) => void;
}

export interface SparqlServer {
  /** The endpoint URL, e.g. `http://127.0.0.1:7878/sparql`. */
  readonly url: string;
  readonly documents: () => number;
  /** Brings the store up to date with the directory now (what --watch does after a change). */
  reload(): Promise<void>;
  close(): Promise<void>;
}

const SELECT_TYPES = ['application/sparql-results+json', 'application/sparql-results+xml', 'text/csv', 'text/tab-separated-values'];
const GRAPH_TYPES = ['application/n-triples', 'text/turtle', 'application/n-quads'];
const ALIASES: Readonly<Record<string, string>> = { 'application/json': 'application/sparql-results+json', 'application/xml': 'application/sparql-results+xml', 'text/plain': 'application/n-triples' };

/** The first media type of `Accept` (by q, then order) that `offered` contains; `*` wildcards take the first offered. */
export function negotiate(accept: string | undefined, offered: readonly string[]): string | undefined {
  if (accept === undefined || accept.trim() === '') return offered[0];
  const ranges = accept.split(',').map((part, i) => {
    const [type = '', ...params] = part.trim().split(';').map((x) => x.trim());
    const q = params.find((p) => p.startsWith('q='));
    return { type: ALIASES[type.toLowerCase()] ?? type.toLowerCase(), q: q === undefined ? 1 : Number(q.slice(2)), i };
  });
  ranges.sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    if (!(r.q > 0)) continue;
    if (r.type === '*/*') return offered[0];
    if (r.type.endsWith('/*')) {
      const hit = offered.find((o) => o.startsWith(r.type.slice(0, -1)));
      if (hit !== undefined) return hit;
    } else if (offered.includes(r.type)) return r.type;
  }
  return undefined;
}

/** The resident store and what an in-place update needs to know of it. */
interface Resident {
  readonly store: OxStore;
  readonly documents: number;
  readonly dataset: ResidentDataset;
  /** The facts of the corpus last loaded, when one was (see LoadOptions.knownFacts). */
  readonly facts?: ReadonlyMap<string, LoadedDocument['facts']>;
}

/**
 * Builds the dataset of `dir` (every graph, as `query --dir` sees it) into a fresh oxigraph store: from what the cache
 * keeps for the directory as it is (no corpus load) when it can, else by loading the corpus (and keeping its graphs).
 * `loadedCorpus` is the corpus when the caller has just loaded it (a reload that could not patch): not read again.
 */
async function loadStore(options: ServeOptions, loadedCorpus?: Corpus): Promise<Resident> {
  let loaded: { parts: readonly string[]; derived: number; keys: readonly string[]; documents: (current: Corpus) => readonly LoadedDocument[] | undefined; facts?: ReadonlyMap<string, LoadedDocument['facts']> } | undefined;
  const { cacheDir } = options;
  if (cacheDir !== undefined && loadedCorpus === undefined) {
    const scan = await scanDirectory(options.dir, { cacheDir });
    const kept = scan.digest === undefined ? undefined : await datasetFromKept({ dir: options.dir, graphs: 'all', cacheDir, scan: { ...scan, digest: scan.digest } });
    if (kept !== undefined) {
      // The corpus itself was not loaded: its documents are rebuilt from the facts cache when a reload needs them.
      const facts = new ContentCache(cacheDir, FACTS_VERSION);
      const documents = (current: Corpus): readonly LoadedDocument[] | undefined => basisDocuments(kept.summary, kept.basis, current.documents, (sha, format) => facts.getFacts(sha, format), PATCH_MAX_DOCUMENTS);
      loaded = { parts: kept.parts, derived: kept.derived, keys: kept.summary.documents.map(([key]) => key), documents };
    }
  }
  if (loaded === undefined) {
    const cache = cacheDir === undefined ? {} : { cacheDir };
    const corpus = loadedCorpus ?? (await loadCorpus(options.dir, cache));
    const built = await buildDatasetNQuads(corpus, { dir: options.dir, graphs: 'all', ...cache, keepDerived: true });
    loaded = { parts: built.parts, derived: built.derived, keys: corpus.documents.map(documentKey), documents: () => corpus.documents, facts: factsOf(corpus) };
  }
  const ox = await oxigraph();
  const store = new ox.Store();
  loadNQuads(store, loaded.parts);
  const keys = new Set(loaded.keys);
  const ownership = options.cacheDir === undefined ? undefined : indexOwnership(options.dir, options.cacheDir, keys);
  // What a reload's difference starts from is found when a reload first needs it, not at start-up (most servers never reload).
  const derivedParts = loaded.parts.slice(0, loaded.derived);
  const { documents, facts } = loaded;
  return {
    store,
    documents: keys.size,
    ...(facts === undefined ? {} : { facts }),
    dataset: {
      keys,
      derivedBasis: (current) => {
        const before = documents(current);
        return before === undefined ? undefined : { documents: before, flow: flowOfParts(derivedParts) };
      },
      ownership,
    },
  };
}

/**
 * The store brought up to date with the directory: patched in place when few documents changed (their graphs
 * swapped, the index and links graphs changed line by line: see serve-patch.ts), else loaded afresh.
 */
async function refreshed(current: Resident, options: ServeOptions): Promise<{ next: Resident; patched: boolean }> {
  const cache = options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir };
  // The facts of the corpus loaded last are kept: a reload reads only the changed files' (10,000 small reads saved).
  const corpus = await loadCorpus(options.dir, { ...cache, ...(current.facts === undefined ? {} : { knownFacts: current.facts }) });
  const facts = factsOf(corpus);
  const plan = planPatch(current.dataset, corpus);
  if (plan !== undefined) {
    try {
      const dataset = await patchResident(current.store, current.dataset, corpus, plan, options.dir, options.cacheDir);
      return { next: { store: current.store, documents: dataset.keys.size, dataset, facts }, patched: true };
    } catch {
      // The store may be half-changed: a fresh load replaces it below.
    }
  }
  return { next: { ...(await loadStore(options, corpus)), facts }, patched: false };
}

/** The facts of a corpus's documents by `<sha256>.<format>` (see LoadOptions.knownFacts). */
function factsOf(corpus: Corpus): Map<string, LoadedDocument['facts']> {
  return new Map(corpus.documents.map((d) => [documentKey(d), d.facts]));
}

/** Starts the endpoint once the dataset is loaded. Read-only: SPARQL Update is refused (403). */
export async function startSparqlServer(options: ServeOptions): Promise<SparqlServer> {
  let current = await loadStore(options);
  let reloading: Promise<void> | undefined;
  let again = false;
  const reload = async (): Promise<void> => {
    if (reloading !== undefined) {
      again = true;
      return reloading;
    }
    reloading = (async () => {
      do {
        again = false;
        const old = current;
        const { next, patched } = await refreshed(old, options);
        current = next;
        if (!patched) old.store.free?.();
        options.onReload?.(patched);
      } while (again);
    })().finally(() => {
      reloading = undefined;
    });
    return reloading;
  };

  const server = createServer((req, res) => {
    void handle(req, res, () => current.store, options.maxBodyBytes ?? 1 << 20);
  });
  // Idle keep-alive connections outlive the clients' own idle timeouts (undici: 4 s), so a client never reuses a
  // socket the server has just closed (which fails a POST: it is not retried).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let watcher: FSWatcher | undefined;
  if (options.watch === true) {
    let timer: NodeJS.Timeout | undefined;
    watcher = watch(options.dir, { recursive: true }, () => {
      // Editors write a file in several steps: re-index once they settle.
      clearTimeout(timer);
      timer = setTimeout(() => void reload().catch(() => undefined), 100);
    });
  }
  return {
    url: `http://${host}:${address.port}/sparql`,
    documents: () => current.documents,
    reload,
    close: () => closeServer(server, watcher, () => current.store.free?.()),
  };
}

function closeServer(server: Server, watcher: FSWatcher | undefined, free: () => void): Promise<void> {
  watcher?.close();
  return new Promise((resolve) => {
    server.close(() => {
      free();
      resolve();
    });
    server.closeAllConnections();
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, store: () => OxStore, maxBody: number): Promise<void> {
  const reply = (status: number, text: string, type = 'text/plain; charset=utf-8'): void => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(text.endsWith('\n') ? text : `${text}\n`);
  };
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/sparql') return reply(404, 'not found: the SPARQL endpoint is /sparql');
    let text: string | undefined;
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (url.searchParams.has('update')) return reply(403, 'this endpoint is read-only: SPARQL Update is refused');
      text = url.searchParams.get('query') ?? undefined;
    } else if (req.method === 'POST') {
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      const body = await readBody(req, maxBody);
      if (body === undefined) return reply(413, `request body larger than ${maxBody} bytes`);
      if (type === 'application/sparql-update') return reply(403, 'this endpoint is read-only: SPARQL Update is refused');
      if (type === 'application/sparql-query') text = body;
      else if (type === 'application/x-www-form-urlencoded') {
        const form = new URLSearchParams(body);
        if (form.has('update')) return reply(403, 'this endpoint is read-only: SPARQL Update is refused');
        text = form.get('query') ?? undefined;
      } else return reply(415, 'POST a query as application/sparql-query or application/x-www-form-urlencoded (query=…)');
    } else {
      res.setHeader('allow', 'GET, POST');
      return reply(405, 'use GET or POST');
    }
    if (text === undefined || text.trim() === '') return reply(400, 'give the query in the "query" parameter');
    let parsed;
    try {
      parsed = parseUserQuery(text, 'query');
    } catch (e) {
      if (isPeTraceError(e)) return reply(/SPARQL Update request/.test(e.message) ? 403 : 400, e.message);
      throw e;
    }
    const offered = parsed.form === 'SELECT' || parsed.form === 'ASK' ? SELECT_TYPES : GRAPH_TYPES;
    const type = negotiate(req.headers.accept, offered);
    if (type === undefined) return reply(406, `no acceptable format; this query can be answered as ${offered.join(', ')}`);
    let result: ReturnType<OxStore['query']>;
    try {
      result = store().query(withPinnedPredicates(parsed.text), { use_default_graph_as_union: !parsed.ownDataset, results_format: type });
    } catch (e) {
      return reply(400, `the query could not be evaluated: ${(e instanceof Error ? e.message : String(e)).split('\n')[0] ?? ''}`);
    }
    const charset = type.startsWith('application/sparql-results') || type.startsWith('text/') || type.startsWith('application/n-') ? '; charset=utf-8' : '';
    res.writeHead(200, { 'content-type': `${type}${charset}`, 'cache-control': 'no-store', vary: 'accept' });
    res.end(req.method === 'HEAD' ? undefined : String(result));
  } catch (e) {
    if (!res.headersSent) reply(500, `internal error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0] ?? ''}`);
    else res.destroy();
  }
}

function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
