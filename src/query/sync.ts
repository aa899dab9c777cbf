// Keeps a SPARQL server's named graphs in step with a directory: Graph Store Protocol PUT/DELETE, or SPARQL 1.1 Update.
import { createHash } from 'node:crypto';
import { checkFetchable } from '../manifest/http.js';
import { PeTraceError } from '../errors.js';
import { type Corpus, GRAPH_CACHE_VERSION, type LoadedDocument, loadCorpus } from './corpus.js';
import { type EndpointOptions, type HttpAnswer, endpointSelect, exchange, redact } from './endpoint.js';
import { ContentCache } from './cache.js';
import { basisDocuments } from './derived.js';
import { derivedDelta } from './derived-delta.js';
import { buildDatasetNQuads, documentKey, indexAndLinkLines } from './graph.js';
import { INDEX_GRAPH, LINKS_GRAPH, ptq, viewGraphIri } from './namespaces.js';
import { SYNC_META_PREFIX, SyncState } from './sync-state.js';
import { FACTS_VERSION } from './extract.js';
import { countQuery, distinctTriples, hasBlankNode, insertDataText, parseCounts } from './sync-insert.js';

export type SyncProtocol = 'graph-store' | 'update';

export interface SyncOptions extends EndpointOptions {
  /** SPARQL 1.1 Protocol endpoint (queries; Update when the Graph Store Protocol is absent). */
  readonly endpoint: string;
  /** SPARQL 1.1 Graph Store Protocol URL; absent = Update only. */
  readonly graphStore?: string;
  /** Use SPARQL 1.1 Update even when a Graph Store URL is known. */
  readonly updateOnly?: boolean;
  /** The state file (see sync-state.ts). */
  readonly statePath: string;
  /** Ignore the state: send every graph again (for a server emptied behind our back). */
  readonly full?: boolean;
  readonly cacheDir?: string;
  /** Fail on the first unreadable or malformed file instead of reporting it and going on. */
  readonly strict?: boolean;
  readonly workers?: number;
  /** Graph writes in flight at once (default 1; Virtuoso's deadlock answers are retried). */
  readonly concurrency?: number;
  /** Documents lifted per batch (default 256): bounds memory to one batch of graphs. */
  readonly batchDocuments?: number;
  /** A corpus-wide graph is patched when at most this fraction of its triples changed, else replaced (default 1/12). */
  readonly patchMaxFraction?: number;
  /** Triples per request when the index or links graph is replaced over the Graph Store (default 20,000). */
  readonly sharedPartTriples?: number;
  /** Bytes of N-Triples per SPARQL Update request (default 200,000). */
  readonly updateBatchBytes?: number;
  /**
   * Graphs the state says the server lacks go several documents per SPARQL Update `INSERT DATA` request, each
   * request checked by a count of what landed (default true; false: one Graph Store PUT per graph, as before).
   */
  readonly multiGraph?: boolean;
  /** Bytes of N-Triples per multi-graph INSERT DATA request (default 4,000,000). */
  readonly insertBatchBytes?: number;
  /**
   * Documents whose graphs are counted after a multi-graph INSERT DATA, an even sample (default 16; the run's first
   * request and any with blank nodes are counted whole). `Infinity` counts every graph of every request.
   */
  readonly checkDocuments?: number;
  /** Lift the next batch of documents while the last one's writes are in flight (default true). */
  readonly liftAhead?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SyncReport {
  readonly protocol: SyncProtocol;
  readonly documents: number;
  /** Graphs replaced (PUT or DROP+INSERT), with the triples they hold. */
  readonly put: number;
  readonly triples: number;
  /** Of `put`, the graphs written several per request (multi-graph INSERT DATA, checked by a count). */
  readonly batched: number;
  /** Corpus-wide graphs (index, links) brought up to date by a diff (DELETE DATA / INSERT DATA of the changed triples). */
  readonly patched: number;
  /** Triples removed and added by those diffs. */
  readonly patchedTriples: number;
  /** Graphs of removed or changed files dropped. */
  readonly deleted: number;
  /** Graphs already on the server as they are in the directory. */
  readonly unchanged: number;
  /** HTTP requests that wrote (PUT, DELETE, Update POST), retries included. */
  readonly requests: number;
  /** Writes the server answered with a transaction deadlock (SQLSTATE 40001) and that were sent again. */
  readonly retries: number;
  /** Whether an interrupted earlier run was continued. */
  readonly resumed: boolean;
  readonly warnings: readonly string[];
}

/** One graph to write: its IRI, N-Triples body and the digest the state records for it. */
interface GraphWrite {
  readonly graph: string;
  readonly ntriples: string;
  readonly triples: number;
  readonly digest: string;
  /** Graphs of one document share a group: written in one Update operation (shared blank nodes). */
  readonly group?: string;
}

/**
 * Graph writes in flight at once. Virtuoso 7.2 sometimes answers concurrent Graph Store writes with a deadlock
 * (SQLSTATE 40001, HTTP 500); such a write was rolled back and is sent again (see `send`), so more in flight is
 * safe. One by default: on a 2-core machine shared with the server a first sync is bound by the CPU, and 4 in
 * flight measured no faster at 1,000 documents and slower at 10,000; with graphs already lifted, 4 PUTs in
 * flight were ~1.5× faster, so a server with cores of its own may take `--concurrency 4` (docs/decisions.md).
 */
const DEFAULT_CONCURRENCY = 1;
/** Attempts of one request the server answers with a deadlock, and the first back-off (doubled each time). */
const DEADLOCK_ATTEMPTS = 10;
const DEADLOCK_BACKOFF_MS = 20;
const DEADLOCK_BACKOFF_MAX_MS = 2000;
/** Transport errors of a request that met a connection the server had closed; and how often one is tried. */
const STALE_CONNECTION_CODES = new Set(['EPIPE', 'ECONNRESET']);
const STALE_CONNECTION_ATTEMPTS = 3;
/** Virtuoso's answer to a transaction it rolled back as a deadlock victim (SQLSTATE 40001). */
const DEADLOCK_RE = /\b40001\b|deadlock/i;
const DEFAULT_BATCH = 256;
/** The state entry naming the corpus the index and links graphs were last written from. */
const CORPUS_META = `${SYNC_META_PREFIX}corpus`;
/** Bytes of N-Triples per SPARQL Update request (Virtuoso's parser slows sharply on very large requests). */
const UPDATE_BATCH_BYTES = 200_000;
/** Triples per INSERT DATA operation. */
const INSERT_DATA_TRIPLES = 250;
/**
 * A diff of a corpus-wide graph: triples per DELETE/INSERT DATA operation and per request. Virtuoso compiles
 * each operation into SQL, superlinearly in its size: 25 triples per operation, 200 per request measured
 * fastest (~0.25 ms a triple, against ~1.6 ms in operations of 250).
 */
const PATCH_OP_TRIPLES = 25;
const PATCH_REQUEST_TRIPLES = 200;
/**
 * A diff is sent when it changes at most this fraction of the graph's triples, else the graph is replaced
 * whole: on Virtuoso a PUT of 31,000 triples took 0.3 s (~0.01 ms a triple), a diff 0.15 ms a triple.
 */
const PATCH_MAX_FRACTION = 1 / 12;
/**
 * The digest a corpus-wide graph has while a diff or a replacement in parts is being applied: it matches no
 * record, so an interrupted run is followed by a whole replacement.
 */
const PARTIAL = 'partial';
/**
 * Triples per request when a corpus-wide graph is replaced over the Graph Store: a PUT of the first part, then
 * POSTs (merge) of the rest. One PUT of a 10,000-document index (400,000 triples) is one Virtuoso transaction
 * that ran past the 120 s request timeout on a loaded machine; parts of 20,000 take ~0.2 s each.
 */
const SHARED_PART_TRIPLES = 20_000;
/**
 * Bytes of N-Triples per multi-graph INSERT DATA request: ~250 documents of the benchmark corpus, one request per
 * lifted batch, so the server loads one while the next is lifted (docs/decisions.md, sync round 4).
 */
const INSERT_BATCH_BYTES = 4_000_000;
/** Documents counted after a later multi-graph request without blank nodes (see `insertFresh`). */
const CHECK_DOCUMENTS = 16;
/** A blank node in N-Triples: `_:` at the start of a line (subject) or after a space (object). */
const BLANK_NODE_RE = /(^|\s)_:/m;

function syncError(step: string, url: string, detail: string): PeTraceError {
  return new PeTraceError('ENDPOINT_ERROR', `sync: ${step} (${redact(url)}): ${detail}`);
}


/** http only to loopback (127.0.0.0/8, ::1, localhost), https anywhere: data never leaves in clear over a network. */
function checkServerUrl(url: string, what: string): void {
  try {
    checkFetchable(url, true);
  } catch (e) {
    throw new PeTraceError('USAGE', `${what}: ${(e as Error).message.replace(/^refusing to fetch/, 'refusing to send to')}`);
  }
}

/** The start of an error answer's body, for a message (one line; the renderer escapes what it prints). */
export function bodyText(answer: HttpAnswer): string {
  const raw = answer.body.toString('utf8');
  // An HTML error page is reduced to its text; a plain-text answer keeps its `<…>`, which name IRIs in SPARQL errors.
  const html = /html|xml/i.test(answer.contentType) || /^\s*<(!doctype|html|\?xml|head|body)\b/i.test(raw);
  const text = (html ? raw.replace(/<[^>]*>/g, ' ') : raw).replace(/\s+/g, ' ').trim().slice(0, 200);
  return text === '' ? '' : `: ${text}`;
}

/**
 * Makes the server hold exactly the graphs `pe-trace query --dir` builds (each document's own graph and TROv
 * view, the index and links graphs): graphs not yet on the server (by the state) are sent, graphs of removed
 * or changed files dropped, and the index/links graphs replaced when their content changed. Every completed
 * write is journaled, so an interrupted run continues where it stopped.
 */
export async function syncDirectory(dir: string, options: SyncOptions): Promise<SyncReport> {
  checkServerUrl(options.endpoint, '--endpoint');
  if (options.graphStore !== undefined) checkServerUrl(options.graphStore, '--graph-store');
  let protocol: SyncProtocol = options.graphStore === undefined || options.updateOnly === true ? 'update' : 'graph-store';
  const server = options.graphStore ?? options.endpoint;
  const state = SyncState.open(options.statePath, server, GRAPH_CACHE_VERSION);
  const warnings: string[] = [...state.warnings];
  const corpus = await loadCorpus(dir, { ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }), strict: options.strict ?? false, workers: options.workers ?? 0 });
  for (const p of corpus.problems) warnings.push(`${p.path}: not synced: ${p.message}`);

  let requests = 0;
  let retries = 0;
  let patched = 0;
  let patchedTriples = 0;
  /** Whether the Graph Store answered a write as a Graph Store (not 404/405) in this run. */
  let gspConfirmed = false;
  let put = 0;
  let triples = 0;
  let deleted = 0;
  const full = options.full === true;

  const gspUrl = (graph: string): string => {
    const u = new URL(options.graphStore ?? '');
    u.searchParams.set('graph', graph);
    return u.href;
  };

  /**
   * One HTTP exchange; a transport failure (refused, timeout) names the step too. A deadlock answer (Virtuoso
   * rolls the transaction back, SQLSTATE 40001) is sent again after a growing, jittered pause: every write sync
   * sends is idempotent (PUT, DELETE, DROP + INSERT, DELETE/INSERT DATA), so a repeat is safe.
   */
  const send = async (step: string, method: string, url: string, headers: Record<string, string>, body: string | undefined): Promise<HttpAnswer> => {
    for (let attempt = 1; ; attempt++) {
      requests++;
      let answer: HttpAnswer;
      try {
        answer = await exchange(method, url, headers, body, options);
      } catch (e) {
        // A kept-alive connection the server closed while idle (e.g. while the index was built) fails the next
        // request on it before any answer: sent again on a new connection, once or twice.
        if (attempt < STALE_CONNECTION_ATTEMPTS && STALE_CONNECTION_CODES.has(((e as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? '')) continue;
        throw new PeTraceError('ENDPOINT_ERROR', `sync: ${step}: ${(e as Error).message}`, { cause: e });
      }
      if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(answer)) return answer;
      retries++;
      const pause = Math.min(DEADLOCK_BACKOFF_MAX_MS, DEADLOCK_BACKOFF_MS * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, pause / 2 + Math.random() * pause));
    }
  };

  /** Sends SPARQL Update text to the endpoint (form-encoded `update=`, SPARQL 1.1 Protocol §2.2.1). */
  const update = async (text: string, step: string): Promise<void> => {
    const answer = await send(step, 'POST', options.endpoint, { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ update: text }).toString());
    if (answer.status < 200 || answer.status >= 300) throw syncError(step, options.endpoint, `HTTP ${answer.status}${bodyText(answer)}`);
  };

  /**
   * Writes graphs over Update, several per request: DROP SILENT GRAPH, then INSERT DATA, or, for triples with
   * blank nodes, `INSERT { … } WHERE {}` (SPARQL 1.1 allows blank nodes in INSERT DATA, Virtuoso refuses them;
   * a template with one empty solution inserts the same triples on any server). A document's own graph and its
   * view go in one operation, so a blank node they share stays one node, as in `query --dir`.
   */
  const writeByUpdate = async (writes: readonly GraphWrite[]): Promise<void> => {
    let ops: string[] = [];
    let size = 0;
    let pending: GraphWrite[] = [];
    let opsFrom = '';
    const flush = async (): Promise<void> => {
      // A graph whose last piece went out with an earlier request is recorded now, with no request of its own.
      if (ops.length > 0) await update(ops.join(' ;\n'), `SPARQL Update of ${ops.length} operation(s) starting at graph <${opsFrom}>`);
      for (const w of pending) record(w);
      opsFrom = '';
      ops = [];
      pending = [];
      size = 0;
    };
    for (let i = 0; i < writes.length; ) {
      const first = writes[i] as GraphWrite;
      let j = i + 1;
      while (first.group !== undefined && j < writes.length && writes[j]?.group === first.group) j++;
      const group = writes.slice(i, j);
      i = j;
      if (opsFrom === '') opsFrom = first.graph;
      for (const w of group) ops.push(`DROP SILENT GRAPH <${w.graph}>`);
      if (group.some((w) => BLANK_NODE_RE.test(w.ntriples))) {
        ops.push(`INSERT {\n${group.map((w) => `GRAPH <${w.graph}> {\n${w.ntriples}}`).join('\n')}\n} WHERE {}`);
        size += group.reduce((n, w) => n + w.ntriples.length, 0);
      } else {
        // Without blank nodes a graph may be split, over several requests too: Virtuoso refuses one INSERT DATA
        // of many thousand triples and slows sharply on large requests. A graph counts as written (state) only
        // with its last piece; an interrupted graph is dropped and sent whole again by the next run.
        for (const w of group) {
          for (const chunk of chunkLines(w.ntriples, INSERT_DATA_TRIPLES)) {
            if (opsFrom === '') opsFrom = w.graph;
            ops.push(`INSERT DATA { GRAPH <${w.graph}> {\n${chunk}} }`);
            size += chunk.length;
            if (size >= (options.updateBatchBytes ?? UPDATE_BATCH_BYTES)) await flush();
          }
        }
      }
      pending.push(...group);
      if (size >= (options.updateBatchBytes ?? UPDATE_BATCH_BYTES)) await flush();
    }
    await flush();
  };

  const record = (w: GraphWrite): void => {
    state.put(w.graph, w.digest);
    put++;
    triples += w.triples;
  };

  /** PUTs one graph; answers false when the server has no Graph Store Protocol there (404/405/501). */
  const putOne = async (w: GraphWrite): Promise<boolean> => {
    const answer = await send(`PUT graph <${w.graph}>`, 'PUT', gspUrl(w.graph), { 'content-type': 'application/n-triples' }, w.ntriples);
    if (answer.status === 404 || answer.status === 405 || answer.status === 501) return false;
    gspConfirmed = true;
    if (answer.status < 200 || answer.status >= 300) throw syncError(`PUT graph <${w.graph}>`, options.graphStore ?? '', `HTTP ${answer.status}${bodyText(answer)}`);
    record(w);
    return true;
  };

  const deleteOne = async (graph: string): Promise<boolean> => {
    const answer = await send(`DELETE graph <${graph}>`, 'DELETE', gspUrl(graph), {}, undefined);
    // 404 on DELETE: the graph is not there, which is what was asked, on a server whose Graph Store answered
    // before in this run; on one that has not, 404 may as well mean no Graph Store at all (Update then drops it).
    if (answer.status === 405 || answer.status === 501 || (answer.status === 404 && !gspConfirmed)) return false;
    if (answer.status !== 404) gspConfirmed = true;
    if (answer.status !== 404 && (answer.status < 200 || answer.status >= 300)) throw syncError(`DELETE graph <${graph}>`, options.graphStore ?? '', `HTTP ${answer.status}${bodyText(answer)}`);
    return true;
  };

  /** Writes graphs with the protocol in use, falling back to Update the first time the Graph Store is missing. */
  const write = async (writes: readonly GraphWrite[]): Promise<void> => {
    if (protocol === 'update') return writeByUpdate(writes);
    const left: GraphWrite[] = [];
    await pool(writes, options.concurrency ?? DEFAULT_CONCURRENCY, async (w) => {
      if (protocol === 'update' || !(await putOne(w))) {
        if (protocol === 'graph-store') warnings.push('the server has no SPARQL 1.1 Graph Store Protocol at --graph-store (HTTP 404/405): fell back to SPARQL 1.1 Update');
        protocol = 'update';
        left.push(w);
      }
    });
    if (left.length > 0) await writeByUpdate(left);
  };

  /**
   * Multi-graph writes (round 4): whether they are still in use in this run, whether the server takes Virtuoso's
   * big-data pragma (undefined: not tried yet) and whether it takes blank nodes in INSERT DATA (Virtuoso does not).
   */
  let multiGraph = options.multiGraph !== false;
  let pragma: boolean | undefined;
  let blankNodesInData = true;
  let batched = 0;
  let firstChecked = false;

  /** POSTs SPARQL Update text as the request body (SPARQL 1.1 Protocol §2.2.2: no form encoding of megabytes). */
  const postUpdate = (text: string, step: string): Promise<HttpAnswer> => send(step, 'POST', options.endpoint, { 'content-type': 'application/sparql-update' }, text);
  const ok = (a: HttpAnswer): boolean => a.status >= 200 && a.status < 300;

  /**
   * Sends one multi-graph INSERT DATA; with the pragma until the server is known to refuse it (a refusal of the
   * first pragma'd request is followed by the same request without it, and the answer to that decides).
   */
  const sendInsert = async (groups: readonly (readonly GraphWrite[])[], step: string): Promise<HttpAnswer | undefined> => {
    const text = insertDataText(groups, pragma !== false);
    if (text === undefined) return undefined;
    const first = await postUpdate(text, step);
    if (ok(first)) {
      if (pragma === undefined) pragma = true;
      return first;
    }
    if (pragma !== undefined || first.status < 400 || first.status >= 500) return first;
    const plain = await postUpdate(insertDataText(groups, false) ?? '', step);
    if (ok(plain)) pragma = false;
    return plain;
  };

  /**
   * Writes graphs no state entry names (the server lacks them by the journal), several documents per INSERT DATA
   * request. Idempotent and resumable: the intent is journaled first (digest PARTIAL: a crash before the check
   * leaves graphs the next run replaces whole, never inserts again), and one count query per request checks what
   * landed against the distinct triples sent (every document of the first request and of any with blank nodes, an
   * even sample of the others). A graph holding more (the server had it: a lost state) is replaced
   * whole; one holding less, a refused request or a failed check turns multi-graph writes off for the run, and
   * those graphs go one per Graph Store PUT (or DROP + INSERT over Update), which replaces whatever landed.
   */
  const insertFresh = async (writes: readonly GraphWrite[]): Promise<void> => {
    const groups: GraphWrite[][] = [];
    for (const w of writes) {
      const last = groups[groups.length - 1];
      if (last !== undefined && w.group !== undefined && last[0]?.group === w.group) last.push(w);
      else groups.push([w]);
    }
    // Documents without blank nodes first, so a server's refusal of blank nodes is never read as one of the pragma.
    const blank = new Set(groups.filter((g) => g.some((w) => hasBlankNode(w.ntriples))));
    const ordered = [...groups.filter((g) => !blank.has(g)), ...groups.filter((g) => blank.has(g))];
    const limit = options.insertBatchBytes ?? INSERT_BATCH_BYTES;
    const requests: GraphWrite[][][] = [];
    let size = 0;
    for (const g of ordered) {
      const bytes = g.reduce((n, w) => n + w.ntriples.length, 0);
      const current = requests[requests.length - 1];
      const sameKind = current !== undefined && blank.has(current[0] as GraphWrite[]) === blank.has(g);
      if (current !== undefined && sameKind && size + bytes <= limit) {
        current.push(g);
        size += bytes;
      } else {
        requests.push([g]);
        size = bytes;
      }
    }
    const rest: GraphWrite[] = [];
    for (const request of requests) {
      const flat = request.flat();
      const withBlanks = blank.has(request[0] as GraphWrite[]);
      if (!multiGraph || (withBlanks && !blankNodesInData)) {
        rest.push(...flat);
        continue;
      }
      const step = `SPARQL Update INSERT DATA of ${flat.length} graph(s) starting at <${flat[0]?.graph ?? ''}>`;
      state.putMany(flat.map((w) => [w.graph, PARTIAL]));
      const answer = await sendInsert(request, step);
      if (answer !== undefined && !ok(answer)) {
        if (withBlanks && answer.status >= 400 && answer.status < 500) blankNodesInData = false;
        else {
          multiGraph = false;
          warnings.push(`the endpoint refused a multi-graph INSERT DATA (HTTP ${answer.status}${bodyText(answer)}): graphs are written one per request from now on`);
        }
        rest.push(...flat);
        continue;
      }
      // Which documents are counted: all of them in the run's first request (a server that says yes and writes
      // nothing is caught there) and in any request with blank nodes (inserted twice they would be doubled, so a
      // graph the server already held must be found); otherwise an even sample, since counting costs the server
      // about as much as inserting (~1.4 ms a graph on Virtuoso) and inserting triples without blank nodes again is
      // harmless (a graph is a set).
      const sampled = withBlanks || !firstChecked ? request : evenSample(request, options.checkDocuments ?? CHECK_DOCUMENTS);
      firstChecked = true;
      let checked: Map<string, number> | undefined;
      try {
        checked = parseCounts(await endpointSelect(options.endpoint, countQuery(sampled.flat().map((w) => w.graph)), options));
      } catch {
        checked = undefined;
      }
      const counts = checked;
      if (counts === undefined) {
        multiGraph = false;
        warnings.push('the endpoint did not answer the count of triples per graph after a multi-graph INSERT DATA: graphs are written one per request from now on');
        rest.push(...flat);
        continue;
      }
      const landed: GraphWrite[] = [];
      let short = false;
      const counted = new Set(sampled);
      for (const group of request) {
        if (!counted.has(group)) {
          landed.push(...group);
          continue;
        }
        const held = group.map((w) => [counts.get(w.graph) ?? 0, distinctTriples(w.ntriples)] as const);
        if (held.some(([n, sent]) => n < sent)) short = true;
        if (held.every(([n, sent]) => n === sent)) landed.push(...group);
        else rest.push(...group);
      }
      if (short) {
        // The request did not land as sent: every graph of it is replaced, counted or not.
        multiGraph = false;
        warnings.push('the endpoint answered a multi-graph INSERT DATA with success but holds fewer triples than were sent: those graphs are replaced, and graphs are written one per request from now on');
        rest.push(...landed);
        landed.length = 0;
      }
      state.putMany(landed.map((w) => [w.graph, w.digest]));
      for (const w of landed) {
        put++;
        triples += w.triples;
      }
      batched += landed.length;
    }
    // Replacements (PUT or DROP + INSERT) of graphs that may hold part of what was sent: always exact.
    if (rest.length > 0) await write(rest);
  };

  /**
   * Brings a corpus-wide graph (IRIs and literals only: no blank nodes, so triples are exact) to its new version of
   * `size` triples by its difference (`removed`, `added`: N-Triples lines without their newline), with DELETE DATA
   * of the triples gone and INSERT DATA of the new ones. Answers false, having changed nothing, when the diff is too
   * large to beat a whole replacement or the endpoint refuses its first Update. While the diff is applied the state
   * names no content (PARTIAL), so an interrupted diff is followed by a whole replacement, never by a diff against a
   * guess.
   */
  const patch = async (graph: string, removed: readonly string[], added: readonly string[], size: number, digest: string): Promise<boolean> => {
    const changes = removed.length + added.length;
    if (changes > Math.max(PATCH_REQUEST_TRIPLES, size * (options.patchMaxFraction ?? PATCH_MAX_FRACTION))) return false;
    const ops = [
      ...sliced(removed, PATCH_OP_TRIPLES).map((c) => `DELETE DATA { GRAPH <${graph}> {\n${c.join('\n')}\n} }`),
      ...sliced(added, PATCH_OP_TRIPLES).map((c) => `INSERT DATA { GRAPH <${graph}> {\n${c.join('\n')}\n} }`),
    ];
    const perRequest = PATCH_REQUEST_TRIPLES / PATCH_OP_TRIPLES;
    state.put(graph, PARTIAL);
    for (let i = 0; i < ops.length; i += perRequest) {
      const step = `SPARQL Update of the diff of graph <${graph}>`;
      const answer = await send(step, 'POST', options.endpoint, { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ update: ops.slice(i, i + perRequest).join(' ;\n') }).toString());
      if (answer.status >= 200 && answer.status < 300) continue;
      if (i === 0) {
        // Nothing was changed: the graph is replaced whole instead (a server that writes only through the Graph Store).
        warnings.push(`the endpoint refused SPARQL Update (HTTP ${answer.status}): graph <${graph}> was replaced whole instead of patched`);
        return false;
      }
      throw syncError(step, options.endpoint, `HTTP ${answer.status}${bodyText(answer)}`);
    }
    state.put(graph, digest);
    patched++;
    patchedTriples += changes;
    return true;
  };

  /**
   * Replaces a corpus-wide graph whole. Over the Graph Store a large one goes in parts: PUT of the first, POST
   * (merge) of the others (exact: the graph has no blank nodes), so no request is one huge transaction.
   */
  const replaceShared = async (graph: string, lines: ReadonlySet<string>, ntriples: string, digest: string): Promise<void> => {
    const parts = sliced([...lines], options.sharedPartTriples ?? SHARED_PART_TRIPLES);
    let done = false;
    if (protocol === 'graph-store' && parts.length > 1) {
      state.put(graph, PARTIAL);
      for (let i = 0; i < parts.length; i++) {
        const method = i === 0 ? 'PUT' : 'POST';
        const step = `${method} graph <${graph}> (part ${i + 1} of ${parts.length})`;
        const answer = await send(step, method, gspUrl(graph), { 'content-type': 'application/n-triples' }, `${(parts[i] as string[]).join('\n')}\n`);
        if (i === 0 && (answer.status === 404 || answer.status === 405 || answer.status === 501)) {
          warnings.push('the server has no SPARQL 1.1 Graph Store Protocol at --graph-store (HTTP 404/405): fell back to SPARQL 1.1 Update');
          protocol = 'update';
          break;
        }
        if (answer.status < 200 || answer.status >= 300) throw syncError(step, options.graphStore ?? '', `HTTP ${answer.status}${bodyText(answer)}`);
        gspConfirmed = true;
        if (i === parts.length - 1) {
          record({ graph, ntriples: '', triples: lines.size, digest });
          done = true;
        }
      }
    }
    if (!done) await write([{ graph, ntriples, triples: lines.size, digest }]);
  };

  // 1. Documents whose graphs the server lacks, lifted in batches by the same code as `query --dir`.
  const desired = new Map<string, LoadedDocument>();
  for (const doc of corpus.documents) {
    desired.set(doc.graph, doc);
    if (doc.facts.kind === 'tro') desired.set(viewGraphIri(doc.sha256), doc);
  }
  const graphsOf = (doc: LoadedDocument): string[] => (doc.facts.kind === 'tro' ? [doc.graph, viewGraphIri(doc.sha256)] : [doc.graph]);
  const stale = corpus.documents.filter((doc) => full || graphsOf(doc).some((g) => state.digestOf(g) !== doc.sha256));
  const batchSize = options.batchDocuments ?? DEFAULT_BATCH;
  let done = corpus.documents.length - stale.length;
  options.onProgress?.(done, corpus.documents.length);
  const lift = (batch: readonly LoadedDocument[]): Promise<{ readonly parts: readonly string[]; readonly warnings: readonly string[] }> => {
    const sub: Corpus = { documents: batch, links: [], problems: [], skipped: [], cacheHits: 0 };
    // Lifted afresh, not through the directory's query index: that index holds the whole directory, and bringing it
    // to one batch's documents would drop every other document from it (query --dir would then lift them all again).
    return buildDatasetNQuads(sub, { dir, graphs: 'all', ...(options.workers === undefined ? {} : { workers: options.workers }) });
  };
  // The next batch is lifted while the last one's writes are in flight. With one Graph Store PUT per graph that
  // gained nothing (round 3: the lifting on this thread held back each small answer, so the server idled); a
  // multi-graph request keeps the server busy for a whole batch (~1 s of its CPU) while this thread lifts.
  const writeBatch = async (batch: readonly LoadedDocument[], writes: readonly GraphWrite[]): Promise<void> => {
    // A document none of whose graphs the state names goes in a multi-graph INSERT DATA; any other is replaced.
    const named = new Set(writes.filter((w) => state.digestOf(w.graph) !== undefined).map((w) => w.group));
    const fresh = full || !multiGraph ? [] : writes.filter((w) => !named.has(w.group));
    const replaced = fresh.length === 0 ? writes : writes.filter((w) => named.has(w.group));
    if (fresh.length > 0) await insertFresh(fresh);
    if (replaced.length > 0) await write(replaced);
    for (const doc of batch) for (const p of doc.paths) state.file(p, doc.sha256, doc.graph);
    done += batch.length;
    options.onProgress?.(done, corpus.documents.length);
  };
  let writing: Promise<void> | undefined;
  for (let i = 0; i < stale.length; i += batchSize) {
    const batch = stale.slice(i, i + batchSize);
    const built = await lift(batch);
    warnings.push(...built.warnings);
    const byGraph = splitByGraph(built.parts);
    const writes: GraphWrite[] = [];
    for (const doc of batch) {
      for (const g of graphsOf(doc)) {
        // With writes in flight at once, an interrupted run may have written a document's view but not its own
        // graph: only what the state lacks is sent again.
        if (!full && state.digestOf(g) === doc.sha256) continue;
        const lines = byGraph.get(g) ?? [];
        writes.push({ graph: g, ntriples: lines.join(''), triples: lines.length, digest: doc.sha256, group: doc.sha256 });
      }
    }
    if (writing !== undefined) await writing;
    writing = writeBatch(batch, writes);
    // A failure is thrown where it is awaited (next turn or after the loop), not reported as unhandled meanwhile.
    writing.catch(() => undefined);
    if (options.liftAhead === false) await writing;
  }
  if (writing !== undefined) await writing;
  for (const doc of corpus.documents) for (const p of doc.paths) state.file(p, doc.sha256, doc.graph);

  // 2. The corpus-wide graphs, replaced when their content changed. Over a corpus whose digest (every path and
  // sha256) and facts rules are those they were last written from, they are not even rebuilt.
  const corpusKey = corpus.digest === undefined ? undefined : `${corpus.digest}:facts-v${FACTS_VERSION}`;
  const sharedCurrent = !full && corpusKey !== undefined && state.digestOf(CORPUS_META) === corpusKey && state.digestOf(INDEX_GRAPH) !== undefined && state.digestOf(LINKS_GRAPH) !== undefined;
  if (!sharedCurrent) await syncShared(corpusKey);

  /**
   * The corpus-wide graphs brought to this corpus: by their difference from the corpus the server's were computed
   * from (kept beside the state: see derived-delta.ts) when the state vouches for it and few documents changed,
   * else computed whole (the same lines `query --dir` keeps, as N-Triples) and replaced. With a corpus digest, the
   * graphs' digest in the state is a tag naming the corpus, and the corpus is kept for the next run's difference.
   */
  async function syncShared(corpusKey: string | undefined): Promise<void> {
    const graphs = [INDEX_GRAPH, LINKS_GRAPH];
    const tag = corpusKey === undefined ? undefined : `corpus:${createHash('sha256').update(corpusKey).digest('hex')}`;
    // Any number of changed documents: the alternative to a difference is replacing both graphs on the server.
    const basis = full || tag === undefined || options.cacheDir === undefined ? undefined : state.derivedBasis();
    const kept = basis !== undefined && graphs.some((g) => state.vouchedFor(g, basis)) ? basis : undefined;
    const facts = options.cacheDir === undefined ? undefined : new ContentCache(options.cacheDir, FACTS_VERSION);
    const before = kept === undefined || facts === undefined ? undefined : basisDocuments({ documents: kept.documents, problems: [] }, kept.basis, corpus.documents, (sha, format) => facts.getFacts(sha, format), Number.POSITIVE_INFINITY);
    const triples: Record<string, number> = {};
    let flow: readonly string[] = [];
    let whole: Map<string, string[]> | undefined;
    const delta = kept === undefined || before === undefined ? undefined : derivedDelta(before, new Set(kept.flow), corpus);
    for (const graph of graphs) {
      if (delta !== undefined && kept !== undefined && tag !== undefined && state.vouchedFor(graph, kept)) {
        const removed = triplesOfLines(delta.removed, graph);
        const added = triplesOfLines(delta.added, graph);
        const size = (kept.triples[graph] ?? 0) - removed.length + added.length;
        triples[graph] = size;
        if (removed.length + added.length === 0 || (await patch(graph, removed, added, size, tag))) {
          state.put(graph, tag);
          continue;
        }
      }
      whole ??= indexAndLinkLines(corpus);
      const lines = triplesOf(whole, graph);
      const ntriples = lines.size === 0 ? '' : `${[...lines].join('\n')}\n`;
      const digest = tag ?? createHash('sha256').update(ntriples).digest('hex');
      triples[graph] = lines.size;
      if (!full && state.digestOf(graph) === digest) continue;
      await replaceShared(graph, lines, ntriples, digest);
    }
    if (delta !== undefined) flow = [...delta.flow];
    else if (whole !== undefined) flow = [...(whole.get(ptq('feeds')) ?? []), ...(whole.get(ptq('sameBuildAs')) ?? [])];
    if (tag !== undefined) await state.recordDerivedBasis({ tag, documents: corpus.documents.map((d) => [documentKey(d), d.sha256]), basis: corpus.documents.map((d) => [d.bytes, d.paths]), flow, triples });
    if (corpusKey !== undefined) state.put(CORPUS_META, corpusKey);
  }

  // 3. Graphs on the server that the directory no longer has (removed or changed files).
  const keep = new Set<string>([...desired.keys(), INDEX_GRAPH, LINKS_GRAPH]);
  const gone = state.graphs().filter((g) => !keep.has(g));
  if (protocol === 'graph-store') {
    const left: string[] = [];
    await pool(gone, options.concurrency ?? DEFAULT_CONCURRENCY, async (g) => {
      if (protocol === 'graph-store' && (await deleteOne(g))) {
        state.delete(g);
        deleted++;
      } else {
        if (protocol === 'graph-store') warnings.push('the server has no SPARQL 1.1 Graph Store Protocol at --graph-store (HTTP 404/405): fell back to SPARQL 1.1 Update');
        protocol = 'update';
        left.push(g);
      }
    });
    gone.splice(0, gone.length, ...left);
  }
  for (let i = 0; i < gone.length; i += 100) {
    const chunk = gone.slice(i, i + 100);
    await update(chunk.map((g) => `DROP SILENT GRAPH <${g}>`).join(' ;\n'), `SPARQL Update dropping ${chunk.length} graph(s) starting at <${chunk[0] ?? ''}>`);
    for (const g of chunk) state.delete(g);
    deleted += chunk.length;
  }

  state.keepFiles(new Set(corpus.documents.flatMap((d) => d.paths)));
  await state.save();
  const unchanged = desired.size + 2 - put - patched;
  return { protocol, documents: corpus.documents.length, put, triples, batched, patched, patchedTriples, deleted, unchanged: Math.max(0, unchanged), requests, retries, resumed: state.resumed, warnings };
}

/** At most `n` items spread evenly over `items`, the first and the last among them. */
function evenSample<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  if (n <= 1) return items.slice(0, Math.max(0, n));
  const out = new Set<T>();
  for (let i = 0; i < n; i++) out.add(items[Math.round((i * (items.length - 1)) / (n - 1))] as T);
  return [...out];
}

function isDeadlock(answer: HttpAnswer): boolean {
  return answer.status >= 500 && DEADLOCK_RE.test(answer.body.toString('utf8', 0, 4096));
}

/** `items` in consecutive pieces of at most `n`. */
function sliced<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}

/**
 * The triples of `graph` among N-Quads lines grouped by partition (graph.ts `indexAndLinkLines`), as N-Triples lines
 * without their newline, each once, in the order written (deterministic: the corpus's order within a partition).
 * Those graphs hold IRIs and literals only, which is what makes a diff of exact triples safe.
 */
function triplesOf(partitions: ReadonlyMap<string, readonly string[]>, graph: string): Set<string> {
  const suffix = ` <${graph}> .`;
  const out = new Set<string>();
  for (const lines of partitions.values()) for (const l of lines) if (l.endsWith(suffix)) out.add(`${l.slice(0, -suffix.length)} .`);
  return out;
}

/** The triples of `graph` among N-Quads lines (a difference from derived-delta.ts), as N-Triples lines without their newline. */
function triplesOfLines(lines: readonly string[], graph: string): string[] {
  const suffix = ` <${graph}> .`;
  const out: string[] = [];
  for (const l of lines) if (l.endsWith(suffix)) out.push(`${l.slice(0, -suffix.length)} .`);
  return out;
}

/** N-Triples text in pieces of at most `n` lines. */
function chunkLines(text: string, n: number): string[] {
  if (text === '') return [];
  const lines = text.split('\n').slice(0, -1);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += n) out.push(`${lines.slice(i, i + n).join('\n')}\n`);
  return out;
}

/**
 * N-Quads text (as this code base writes it: one quad per line, the graph IRI last) → N-Triples lines per
 * graph. A graph IRI holds no space, so the graph term starts at the line's last ` <`. Comment lines (lift
 * warnings) and default-graph lines are skipped.
 */
function splitByGraph(parts: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of parts) {
    for (const line of part.split('\n')) {
      if (line === '' || line.startsWith('#') || !line.endsWith('> .')) continue;
      const at = line.lastIndexOf(' <');
      if (at < 0) continue;
      const graph = line.slice(at + 2, -3);
      const triple = `${line.slice(0, at)} .\n`;
      const list = out.get(graph);
      if (list === undefined) out.set(graph, [triple]);
      else list.push(triple);
    }
  }
  return out;
}

/** Runs `task` over `items` with at most `limit` in flight; the first failure is thrown after in-flight tasks settle. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (e) {
        failure ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
}
