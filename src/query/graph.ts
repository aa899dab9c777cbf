// The RDF dataset of a loaded corpus: each document's own graph and TROv 0.1 view, the index graph and the links graph.
import { readDocumentFileSync } from '../io/read-file.js';
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataFactory, Store } from 'n3';
import type { BlankNode, Quad } from 'n3';
import { readAssetText } from '../assets.js';
import { isPeTraceError } from '../errors.js';
import { parseJson } from '../json/parse.js';
import { isJsonObject } from '../json/value.js';
import { liftBundleManifest, liftDataReleaseManifest } from '../manifest/lift-manifest.js';
import { DOCUMENT_IRI_PREFIX, liftJsonLdBytes, toN3Quad } from '../rdf/lift.js';
import { type TextQuad, type TextTerm, blankTerm, escapeNQuadsText, literalTerm, namedTerm, quadsText, termText, textQuadOf } from '../rdf/nquads-text.js';
import { ConstructRunner } from '../rdf/construct-runner.js';
import { constructTriples, shieldTriples } from '../rdf/sparql.js';
import { type Corpus, type CorpusScan, GRAPH_CACHE_VERSION, type LoadedDocument } from './corpus.js';
import { ContentCache } from './cache.js';
import { parseTurtle } from './extract.js';
import { buildFlow } from './flow.js';
import type { Link, LinkMethod, LinkRelation } from './links.js';
import { INDEX_GRAPH, LINKS_GRAPH, PTQ_NS, RDF_TYPE, VIEW_GRAPH_PREFIX, XSD, ptq, viewGraphIri } from './namespaces.js';
import { type DatasetNeeds, type QuadKeep, keepFilter, keepsPartition } from './needs.js';
import { type CorpusBasis, type CorpusSummary, DerivedGraphs, basisDocuments } from './derived.js';
import { deltaDocumentLimit, derivedDelta } from './derived-delta.js';
import { type DocumentGraphs, PartitionIndex } from './partitions.js';
import { ANSWER_CACHE_VERSION } from './answers.js';
import { FACTS_VERSION } from './extract.js';

const { namedNode, literal, quad, blankNode } = DataFactory;

/** Which graphs to build: everything, or only the index and links graphs (fast: no lifting, no CONSTRUCT). */
export type GraphSelection = 'all' | 'index';

export interface DatasetOptions {
  /** The directory the corpus was loaded from (documents are re-read to lift them). */
  readonly dir: string;
  readonly graphs?: GraphSelection;
  readonly cacheDir?: string;
  readonly onProgress?: (done: number, total: number) => void;
  /** Only the triples a query can match (see needs.ts); absent = all. */
  readonly needs?: DatasetNeeds;
  /** Extra threads allowed: 0 keeps the view CONSTRUCTs on this thread; default 1 (a view worker for 768+ documents). */
  readonly workers?: number;
  /**
   * Keep this corpus's index and links graphs in the cache (per directory, under the corpus digest: see
   * derived.ts), so the next question over the unchanged directory reads them instead of loading the corpus.
   * Only for a corpus loaded whole from `dir` (not a selection of its documents).
   */
  readonly keepDerived?: boolean;
}

export const VIEW_QUERY_FILE = 'construct-trov-view.rq';
const RDFS_LABEL = 'http://www.w3.org/2000/01/rdf-schema#label';

/**
 * The dataset as N-Quads text (for oxigraph), in parts that each end at a line end: index + links always; with
 * `graphs: 'all'`, every document's own graph and view too. Cached entries are passed through as text, and no
 * single string of the whole dataset is made.
 */
export async function buildDatasetNQuads(corpus: Corpus, options: DatasetOptions): Promise<{ readonly parts: readonly string[]; readonly warnings: readonly string[]; readonly derived: number }> {
  const parts: string[] = [];
  let derived = 0;
  const warnings = await fillDataset(corpus, options, {
    addText: (text) => parts.push(text.endsWith('\n') || text === '' ? text : `${text}\n`),
    addTerms: (terms) => parts.push(quadsText(terms)),
    derivedDone: () => {
      derived = parts.length;
    },
  });
  return { parts, warnings, derived };
}

interface DatasetSink {
  /** N-Quads text written by this module (a partition of the index). */
  addText(text: string): void;
  /** A document's lifted quads as plain records (no n3 objects). */
  addTerms(terms: readonly TextQuad[]): void;
  /** Called once the index and links graphs are in (every part before is theirs, none after). */
  derivedDone?(): void;
}

/**
 * Whether a triple could be one of the index or links graphs': those state only ptq: predicates, `rdf:type` with a
 * ptq: class, and `rdfs:label` (a test holds every line of indexAndLinkLines to this).
 */
export function mayBeDerived(predicate: string, object: string): boolean {
  return predicate.startsWith(PTQ_NS) || predicate === RDFS_LABEL || (predicate === RDF_TYPE && object.startsWith(PTQ_NS));
}

/** Whether a question with these needs can match any triple of the index or links graphs (see mayBeDerived). */
function derivedCanMatch(needs: DatasetNeeds | undefined): boolean {
  if (needs === undefined) return true;
  for (const p of needs.predicates) {
    if (p === RDF_TYPE ? needs.typeClasses === undefined || [...needs.typeClasses].some((c) => mayBeDerived(p, c)) : mayBeDerived(p, '')) return true;
  }
  return false;
}

async function fillDataset(corpus: Corpus, options: DatasetOptions, sink: DatasetSink): Promise<readonly string[]> {
  const keep = keepFilter(options.needs);
  if (options.keepDerived === true && options.cacheDir !== undefined && corpus.digest !== undefined) {
    // Kept for the questions that follow (brought from the previous corpus by the difference, or computed whole),
    // then cut to this one's needs.
    const kept = keepDerivedGraphs(corpus, corpus.digest, options.cacheDir, resolvedPath(options.dir));
    const parts = kept instanceof DerivedGraphs ? kept.read(options.needs) : undefined;
    if (parts !== undefined) for (const part of parts) sink.addText(part);
    else for (const [key, lines] of kept instanceof DerivedGraphs ? indexAndLinkLines(corpus) : kept) if (keepsPartition(keep, key)) sink.addText(`${lines.join('\n')}\n`);
  } else if (derivedCanMatch(options.needs)) {
    // One part per partition: a corpus of 100,000 documents has more index text than one string can hold.
    for (const lines of indexAndLinkLines(corpus, keep).values()) sink.addText(`${lines.join('\n')}\n`);
  }
  // (A question over the documents' own graphs alone, trov:, schema:, …, without a pack to keep: neither graph, nor
  // the links behind them, is computed. With a cache the pack is kept whole even then, so that the questions that
  // follow over the unchanged directory, whatever they read, load no corpus.)
  sink.derivedDone?.();
  if ((options.graphs ?? 'all') !== 'all') return [];
  // With a cache, the documents' graphs come from the directory's partitioned index (only the partitions the
  // query can match are read); without one, or when the index cannot be written, every document is lifted.
  const indexed = options.cacheDir === undefined ? undefined : await indexedGraphs(corpus, options, options.cacheDir);
  if (indexed !== undefined) {
    for (const part of indexed.parts) sink.addText(part);
    return indexed.warnings;
  }
  const warnings = new Map<LoadedDocument, readonly string[]>();
  for await (const g of documentGraphs(corpus.documents, options)) {
    sink.addTerms(keep === undefined ? g.terms : g.terms.filter((q) => keep(q.predicate.value, q.object.value)));
    warnings.set(g.doc, g.warnings);
  }
  return corpus.documents.flatMap((d) => warnings.get(d) ?? []);
}

/** The rule versions a kept index/links pack depends on (derived.ts): facts, graph lifting, link derivation. */
const DERIVED_RULES = `facts ${FACTS_VERSION}, graphs ${GRAPH_CACHE_VERSION}, answers ${ANSWER_CACHE_VERSION}`;

function corpusSummary(corpus: Corpus): CorpusSummary {
  return { documents: corpus.documents.map((d) => [documentKey(d), d.sha256] as const), problems: corpus.problems };
}

/**
 * Brings the directory's kept pack to `corpus`: by the line difference from the corpus the pack holds (derived-delta.ts:
 * the changed documents' index lines, their link groups, the flow) when the pack and the facts of its documents that
 * changed are there and few changed; else computed whole. The pack, or the lines themselves when it cannot be written.
 */
function keepDerivedGraphs(corpus: Corpus, digest: string, cacheDir: string, dir: string): DerivedGraphs | Map<string, string[]> {
  const summary = corpusSummary(corpus);
  const basis = corpus.documents.map((d) => [d.bytes, d.paths] as const);
  const previous = DerivedGraphs.latest(cacheDir, dir, DERIVED_RULES);
  // (A pack whose files are not all there is computed whole again.)
  const whole = previous?.files(undefined) !== undefined ? previous : undefined;
  if (whole?.digest === digest) return whole;
  if (whole !== undefined) {
    const facts = new ContentCache(cacheDir, FACTS_VERSION);
    const limit = deltaDocumentLimit(corpus.documents.length);
    const before = whole.documents(corpus.documents, (sha256, format) => facts.getFacts(sha256, format), limit);
    const flow = before === undefined ? undefined : whole.lines(FLOW_PARTITIONS);
    if (before !== undefined && flow !== undefined) {
      const delta = derivedDelta(before, flow, corpus);
      if (whole.advance(digest, summary, basis, delta.removed, delta.added)) {
        const now = DerivedGraphs.open(cacheDir, dir, digest, DERIVED_RULES);
        if (now !== undefined) return now;
      }
    }
  }
  const lines = indexAndLinkLines(corpus);
  DerivedGraphs.write(cacheDir, dir, digest, DERIVED_RULES, summary, basis, lines);
  return lines;
}

/** The partitions of the flow (a function of all the links: recomputed whole, diffed against these). */
const FLOW_PARTITIONS = [ptq('feeds'), ptq('sameBuildAs')];

/** Documents the directory index may lack and still be brought up to date without loading the corpus. */
const KEPT_PATCH_MAX = 64;

/**
 * The dataset of a question over an unchanged directory without loading its corpus: the index and links graphs
 * from the pack kept for its digest, the documents' graphs from the directory's index. An index a few documents
 * behind (a question that read only the index and links graphs came first) is brought up to date from those
 * documents' cached facts. `undefined` when anything is missing or unreadable (the caller then loads the corpus).
 */
export async function datasetFromKept(
  options: DatasetOptions & { readonly cacheDir: string; readonly scan: CorpusScan & { readonly digest: string } },
): Promise<{ readonly parts: readonly string[]; readonly warnings: readonly string[]; readonly summary: CorpusSummary; readonly basis: CorpusBasis; readonly derived: number } | undefined> {
  const kept = await openKept(options);
  const parts = kept?.pack.read(options.needs);
  if (kept === undefined || parts === undefined) return undefined;
  const { basis } = kept.pack;
  if (kept.index === undefined) return { parts, warnings: [], summary: kept.summary, basis, derived: parts.length };
  const graphs = kept.index.read(options.needs);
  if (graphs === undefined) return undefined;
  return { parts: [...parts, ...graphs], warnings: kept.warnings, summary: kept.summary, basis, derived: parts.length };
}

/**
 * What datasetFromKept reads, as files to read one at a time (src/query/scan.ts streams them): the kept pack's
 * partitions, then the document index's, each with the removed documents whose lines it still holds.
 */
export async function keptFiles(
  options: DatasetOptions & { readonly cacheDir: string; readonly scan: CorpusScan & { readonly digest: string } },
): Promise<{ readonly files: readonly { readonly path: string; readonly dead: ReadonlySet<string> }[]; readonly warnings: readonly string[]; readonly summary: CorpusSummary } | undefined> {
  const kept = await openKept(options);
  const packFiles = kept?.pack.files(options.needs);
  if (kept === undefined || packFiles === undefined) return undefined;
  const files = packFiles;
  if (kept.index === undefined) return { files, warnings: [], summary: kept.summary };
  const graphs = kept.index.files(options.needs);
  if (graphs === undefined) return undefined;
  return { files: [...files, ...graphs], warnings: kept.warnings, summary: kept.summary };
}

/** The kept pack for the scan's digest and (for `graphs: 'all'`) the document index brought up to date; undefined on a miss. */
async function openKept(
  options: DatasetOptions & { readonly cacheDir: string; readonly scan: CorpusScan & { readonly digest: string } },
): Promise<{ readonly pack: DerivedGraphs; readonly index: PartitionIndex | undefined; readonly warnings: readonly string[]; readonly summary: CorpusSummary } | undefined> {
  const dir = resolvedPath(options.dir);
  const pack = DerivedGraphs.open(options.cacheDir, dir, options.scan.digest, DERIVED_RULES);
  if (pack === undefined) return undefined;
  const { summary } = pack;
  if ((options.graphs ?? 'all') !== 'all') return { pack, index: undefined, warnings: [], summary };
  const index = PartitionIndex.open(options.cacheDir, dir, GRAPH_CACHE_VERSION);
  const current = new Map(summary.documents);
  const plan = index.plan(current);
  const failed = new Map<string, readonly string[]>();
  if (plan.rebuild || plan.add.length > KEPT_PATCH_MAX) return undefined;
  if (plan.add.length > 0 || index.covers() !== current.size) {
    const docs = cachedDocuments(options.scan, plan.add, options.cacheDir);
    if (docs === undefined || !(await index.update(current, liftedGraphs(docs, options, failed)))) return undefined;
  }
  return { pack, index, warnings: summary.documents.flatMap(([key]) => failed.get(key) ?? index.warnings(key) ?? []), summary };
}

/** The documents named by `keys`, rebuilt from the scan and the facts cache (no file read); undefined if a fact is missing. */
function cachedDocuments(scan: CorpusScan, keys: readonly string[], cacheDir: string): LoadedDocument[] | undefined {
  const facts = new ContentCache(cacheDir, FACTS_VERSION);
  const out: LoadedDocument[] = [];
  for (const key of keys) {
    // scan.files are in code-point order, so the first path found is the document's path as loadCorpus names it.
    const files = scan.files.filter((f) => f.sha256 !== undefined && `${f.sha256}.${f.format}` === key);
    const [first] = files;
    const f = first?.sha256 === undefined ? undefined : facts.getFacts(first.sha256, first.format);
    if (first?.sha256 === undefined || f === undefined) return undefined;
    const paths = files.map((x) => x.rel);
    out.push({ path: first.rel, paths, bytes: first.bytes ?? 0, format: first.format, facts: f, graph: f.graph, sha256: first.sha256, entities: f.entities, artifacts: f.artifacts });
  }
  return out;
}

/** The lifted graphs of `docs` as the index records them; documents that failed are noted in `failed` with their warnings. */
async function* liftedGraphs(docs: readonly LoadedDocument[], options: DatasetOptions, failed: Map<string, readonly string[]>): AsyncGenerator<DocumentGraphs> {
  for await (const g of documentGraphs(docs, options)) {
    if (g.failed) failed.set(documentKey(g.doc), g.warnings);
    yield { key: documentKey(g.doc), sha256: g.doc.sha256, nquads: g.text, warnings: g.warnings, failed: g.failed };
  }
}

/** The corpus's identity of a distinct document (see loadCorpus), which the index records documents under. */
export const documentKey = (doc: Pick<LoadedDocument, 'sha256' | 'format'>): string => `${doc.sha256}.${doc.format}`;

/**
 * The partitions of the directory's index a query with `options.needs` can match, after bringing the index to
 * this corpus (only added or changed documents are lifted; a document whose graph failed is not recorded), and every
 * document's lift warnings in corpus order. `undefined` when the index could not be written or read twice over.
 */
async function indexedGraphs(corpus: Corpus, options: DatasetOptions, cacheDir: string): Promise<{ parts: readonly string[]; warnings: readonly string[] } | undefined> {
  const index = PartitionIndex.open(cacheDir, resolvedPath(options.dir), GRAPH_CACHE_VERSION);
  const current = new Map(corpus.documents.map((d) => [documentKey(d), d.sha256]));
  for (let attempt = 0; attempt < 2; attempt++) {
    const wanted = new Set(index.plan(current).add);
    const docs = corpus.documents.filter((d) => wanted.has(documentKey(d)));
    const failed = new Map<string, readonly string[]>();
    if (!(await index.update(current, liftedGraphs(docs, options, failed)))) return undefined;
    const parts = index.read(options.needs);
    if (parts !== undefined) return { parts, warnings: corpus.documents.flatMap((d) => failed.get(documentKey(d)) ?? index.warnings(documentKey(d)) ?? []) };
    // A partition file went missing (evicted, or replaced by a concurrent run): rebuild once.
    index.discard();
  }
  return undefined;
}

/** The directory's real path (the index's key, like the snapshot's), or its absolute path when it is gone. */
function resolvedPath(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}

/** A document's lifted graphs (own graph and view) as quads and N-Quads text; none when it failed. */
interface DocumentGraph {
  readonly doc: LoadedDocument;
  /** The graphs' N-Quads, written straight from the plain records (the bytes `quadsToNQuads(quads)` writes). */
  readonly text: string;
  /** The same quads as plain records. */
  readonly terms: readonly TextQuad[];
  /** The same quads as n3 terms, made only when read (the partitioned index reads `text` alone). */
  readonly quads: Quad[];
  readonly warnings: readonly string[];
  readonly failed: boolean;
}

/** A built document graph; its text and n3 quads are made on first read (a caller wants one or the other, or neither). */
function documentGraph(doc: LoadedDocument, terms: readonly TextQuad[], warnings: readonly string[], failed: boolean, lift?: { readonly text: string; readonly count: number }): DocumentGraph {
  let quads: Quad[] | undefined;
  let text: string | undefined;
  return {
    doc,
    terms,
    get text(): string {
      // `lift` (when given) is the text of the lift's `count` quads, which `terms` begins with: only the view's are written here.
      text ??= lift === undefined ? quadsText(terms) : lift.text + quadsText(terms.slice(lift.count));
      return text;
    },
    get quads(): Quad[] {
      quads ??= terms.map(toN3Quad);
      return quads;
    },
    warnings,
    failed,
  };
}

/**
 * The lifted graphs of `docs`, in document order (a failed one with no graph). Views are computed per batch;
 * with a view worker (large inputs), a batch's CONSTRUCT runs there while the next batch is lifted here.
 * (Lifted graphs are kept in the directory's index, not per file: see partitions.ts.)
 */
async function* documentGraphs(docs: readonly LoadedDocument[], options: DatasetOptions): AsyncGenerator<DocumentGraph> {
  let done = 0;
  let pending: Lifted[] = [];
  // Results waiting to be yielded, in document order: finished ones and at most one batch whose views are running.
  const queue: (DocumentGraph | Promise<DocumentGraph[]>)[] = [];
  const runner = (options.workers ?? 1) > 0 && docs.length >= VIEW_WORKER_MIN_DOCUMENTS ? ConstructRunner.start() : undefined;
  // Views are computed in batches: one CONSTRUCT over many documents costs far less than one per document.
  // Each batch is handed on and dropped once yielded, so memory holds two batches of lifted triples, not all.
  const views = async (batch: readonly Lifted[]): Promise<DocumentGraph[]> => {
    const byDoc = await viewQuads(batch.filter((l) => l.doc.facts.kind === 'tro'), runner);
    return batch.map((l) => {
      const view = byDoc.get(l.doc);
      options.onProgress?.(++done, docs.length);
      return documentGraph(l.doc, view === undefined ? l.quads : [...l.quads, ...view], l.warnings, false, l.text === undefined ? undefined : { text: l.text, count: l.quads.length });
    });
  };
  async function* drain(): AsyncGenerator<DocumentGraph> {
    while (queue.length > 0) {
      const head = queue.shift() as DocumentGraph | Promise<DocumentGraph[]>;
      if (head instanceof Promise) yield* await head;
      else yield head;
    }
  }
  try {
    for (const [i, doc] of docs.entries()) {
      // The reads are synchronous: give the event loop a turn now and then (serve answers requests while it re-indexes).
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise<void>((wake) => setImmediate(wake));
      const lifted = await liftFile(options.dir, doc);
      if (lifted.failed) {
        options.onProgress?.(++done, docs.length);
        queue.push(documentGraph(doc, [], lifted.warnings, true));
        if (queue.length === 1) yield* drain();
        continue;
      }
      pending.push(lifted);
      if (pending.length < VIEW_BATCH) continue;
      // Everything before the batch now starting is finished: hand it on while this batch's views run.
      yield* drain();
      const batch = pending;
      pending = [];
      // Without a worker the batch is awaited at once; with one, after the next batch is lifted. Either way a failed
      // document comes after the batches started before it and before the batch still being lifted, as it always did.
      if (runner === undefined) yield* await views(batch);
      else {
        const running = views(batch);
        // Awaited (and its error raised) when its turn comes; until then a failure must not count as unhandled.
        running.catch(() => undefined);
        queue.push(running);
      }
    }
    yield* drain();
    if (pending.length > 0) yield* await views(pending);
  } finally {
    await runner?.close();
  }
}

/** The lifted graphs (own graph and TROv view) of `docs` as N-Quads text, per document that lifted (serve's in-place update). */
export async function documentsNQuads(docs: readonly LoadedDocument[], options: DatasetOptions): Promise<{ readonly key: string; readonly sha256: string; readonly text: string }[]> {
  const out: { key: string; sha256: string; text: string }[] = [];
  for await (const g of documentGraphs(docs, options)) if (!g.failed) out.push({ key: documentKey(g.doc), sha256: g.doc.sha256, text: g.text });
  return out;
}

/** What the directory's index knows of which documents keep their lines in their own graphs (see PartitionIndex.ownership). */
export function indexOwnership(dir: string, cacheDir: string, keys: Iterable<string>): { readonly unowned: Set<string>; readonly claimed: Set<string> } | undefined {
  return PartitionIndex.open(cacheDir, resolvedPath(dir), GRAPH_CACHE_VERSION).ownership(keys);
}
/** Documents lifted between turns of the event loop. */
const YIELD_EVERY = 64;

/** Below this many documents (three batches) a view worker's start-up (its own oxigraph) costs more than it overlaps. */
const VIEW_WORKER_MIN_DOCUMENTS = 768;

/** TRO documents per view CONSTRUCT. */
const VIEW_BATCH = 256;

interface Lifted {
  readonly doc: LoadedDocument;
  readonly quads: readonly TextQuad[];
  /** `quadsText(quads)` when the fast lifter wrote it along the way. */
  readonly text?: string;
  readonly warnings: string[];
  readonly failed: boolean;
}

async function liftFile(dir: string, doc: LoadedDocument): Promise<Lifted> {
  const warnings: string[] = [];
  try {
    // Synchronous: at 10,000 documents the thread-pool round trips of open/stat/read/close cost ~2 s of this thread.
    const bytes = readDocumentFileSync(join(dir, doc.path), { label: doc.path });
    const { quads, text } = await liftDocument(bytes, doc, warnings);
    return { doc, quads, ...(text === undefined ? {} : { text }), warnings, failed: false };
  } catch (e) {
    if (!isPeTraceError(e)) throw e;
    return { doc, quads: [], warnings: [`${doc.path}: its RDF graph was not built: ${e.message}`], failed: true };
  }
}

/** The document's own triples in its graph: JSON-LD TROs lifted, manifests through the pe-manifest context, Turtle as parsed. */
async function liftDocument(bytes: Uint8Array, doc: LoadedDocument, warnings: string[]): Promise<{ readonly quads: readonly TextQuad[]; readonly text?: string }> {
  const label = doc.path;
  if (doc.format === 'turtle') {
    const graph = namedTerm(doc.graph);
    return { quads: parseTurtle(bytes, label, doc.graph).quads.map((q) => ({ ...textQuadOf(q), graph })) };
  }
  if (doc.facts.kind === 'tro') {
    // From the bytes: the fast lifter reads them itself when it can (liftJsonLdBytes), else parseJson as before.
    const lifted = await liftJsonLdBytes(bytes, { label });
    warnings.push(...lifted.warnings);
    return lifted;
  }
  const json = parseJson(bytes, { label });
  // Manifests with a shipped JSON-LD context; the other kinds are represented by their facts in the index graph only.
  if (doc.facts.kind === 'release-manifest' && isJsonObject(json) && isJsonObject(json['data_package'])) {
    return { quads: (await liftDataReleaseManifest(json, { base: doc.graph, label, sourceSha256: doc.sha256 })).quads.map(textQuadOf) };
  }
  if (doc.facts.kind === 'bundle-manifest') return { quads: (await liftBundleManifest(json, { base: doc.graph, label, sourceSha256: doc.sha256 })).quads.map(textQuadOf) };
  return { quads: [] };
}

let viewQuery: string | undefined;

/** Where the sha256 in a document IRI (`DOCUMENT_IRI_PREFIX<sha256>/`) ends. */
const DOC_SHA_END = DOCUMENT_IRI_PREFIX.length + 64;

/**
 * The TROv 0.1 views of several TROs: the shipped CONSTRUCT run once over all their triples (as the default
 * graph), each result triple then returned to the document its subject belongs to. Subjects are recognised
 * by the per-document base IRI (and the per-document tag of lifted blank nodes); a fresh blank node the query
 * mints goes with the subject that points at it. A document whose own @base puts its nodes elsewhere gets a
 * CONSTRUCT of its own.
 */
async function viewQuads(batch: readonly Lifted[], runner?: ConstructRunner): Promise<Map<LoadedDocument, TextQuad[]>> {
  viewQuery ??= readAssetText('queries', VIEW_QUERY_FILE);
  const out = new Map<LoadedDocument, TextQuad[]>();
  const bySha = new Map<string, LoadedDocument>();
  const byTag = new Map<string, LoadedDocument>();
  const shared: Lifted[] = [];
  for (const l of batch) {
    const own = l.quads.every((q) => q.subject.termType !== 'NamedNode' || q.subject.value.startsWith(l.doc.graph));
    if (!own) {
      // Every result is this document's; only blank nodes the view mints (labels the lift never gave) are relabelled.
      const lifted = new Set<string>();
      for (const q of l.quads) for (const t of [q.subject, q.object]) if (t.termType === 'BlankNode') lifted.add(t.value);
      out.set(l.doc, await runView([l], (t) => (t.termType === 'BlankNode' && !lifted.has(t.value) ? undefined : l.doc), runner));
      continue;
    }
    shared.push(l);
    bySha.set(l.doc.sha256, l.doc);
    for (const q of l.quads) if (q.subject.termType === 'BlankNode') byTag.set(blankTag(q.subject.value), l.doc);
  }
  if (shared.length === 0) return out;
  const owner = (t: TextTerm): LoadedDocument | undefined => {
    if (t.termType === 'NamedNode') {
      // `https://pe-trace.invalid/doc/<sha256>/…`: the keys of bySha are sha256 hex, so a slice that is not one misses.
      const v = t.value;
      return v.charCodeAt(DOC_SHA_END) === 47 && v.startsWith(DOCUMENT_IRI_PREFIX) ? bySha.get(v.slice(DOCUMENT_IRI_PREFIX.length, DOC_SHA_END)) : undefined;
    }
    return t.termType === 'BlankNode' ? byTag.get(blankTag(t.value)) : undefined;
  };
  for (const q of await runView(shared, owner, runner)) {
    const doc = bySha.get(q.graph.value.slice(VIEW_GRAPH_PREFIX.length, -1));
    if (doc === undefined) continue;
    const list = out.get(doc);
    if (list === undefined) out.set(doc, [q]);
    else list.push(q);
  }
  return out;
}

/** The per-document tag the lift puts in front of every blank node label (`<tag>_b0`). */
function blankTag(label: string): string {
  const cut = label.indexOf('_');
  return cut < 0 ? label : label.slice(0, cut);
}

/** One CONSTRUCT over the documents' triples; each result goes to its owner's view graph (unowned blank nodes follow their referrer). */
async function runView(docs: readonly Lifted[], owner: (t: TextTerm) => LoadedDocument | undefined, runner?: ConstructRunner): Promise<TextQuad[]> {
  // The documents' triples as oxigraph input (graphs dropped: the query reads them as one default graph), in the
  // order an n3 Store would hand them over, literals shielded (src/rdf/sparql.ts).
  const triples: TextQuad[] = [];
  for (const l of docs) for (const q of l.quads) triples.push(q);
  const results = await constructTriples(shieldTriples(triples), viewQuery ?? '', `queries/${VIEW_QUERY_FILE}`, runner);
  const placed = new Map<string, LoadedDocument>();
  for (const t of results) {
    const o = owner(t.subject);
    if (o !== undefined && t.object.termType === 'BlankNode' && owner(t.object) === undefined) placed.set(t.object.value, o);
  }
  const result: TextQuad[] = [];
  // Blank nodes the view mints (BNODE()) get labels from their document and their first-seen order, so a view's
  // bytes do not depend on the engine's label generator and never collide across documents or batches.
  const minted = new Map<string, TextTerm>();
  const perDoc = new Map<LoadedDocument, number>();
  const graphs = new Map<LoadedDocument, TextTerm>();
  const label = (t: TextTerm, o: LoadedDocument): TextTerm => {
    if (t.termType !== 'BlankNode' || owner(t) !== undefined) return t;
    let b = minted.get(t.value);
    if (b === undefined) {
      const k = perDoc.get(o) ?? 0;
      perDoc.set(o, k + 1);
      b = blankTerm(`view${o.sha256.slice(0, 16)}_${k}`);
      minted.set(t.value, b);
    }
    return b;
  };
  for (const t of results) {
    const o = owner(t.subject) ?? (t.subject.termType === 'BlankNode' ? placed.get(t.subject.value) : undefined);
    if (o === undefined) continue;
    let graph = graphs.get(o);
    if (graph === undefined) graphs.set(o, (graph = namedTerm(viewGraphIri(o.sha256))));
    result.push({ subject: label(t.subject, o), predicate: t.predicate, object: label(t.object, o), graph });
  }
  return result;
}

/** The object of an index or links triple: an IRI, or a literal (xsd:string unless `datatype` says otherwise). */
export type ObjectTerm = { readonly iri: string } | { readonly literal: string; readonly datatype?: string };
/** Receives the triples of the index or links graph, one at a time. */
export type TripleSink = (s: string, p: string, o: ObjectTerm) => void;

/** The index graph: one record per document, entity, artifact and restriction signal, in ptq: terms. */
export function indexQuads(corpus: Corpus, keep?: QuadKeep): Quad[] {
  const out: Quad[] = [];
  emitIndex(corpus.documents, quadSink(out, INDEX_GRAPH, keep));
  return out;
}

/** Collects triples as quads of graph `g` (those `keep` accepts). */
function quadSink(out: Quad[], g: string, keep: QuadKeep | undefined): TripleSink {
  const graph = namedNode(g);
  return (s, p, o) => {
    const object = 'iri' in o ? namedNode(o.iri) : o.datatype === undefined ? literal(o.literal) : literal(o.literal, namedNode(o.datatype));
    if (keep === undefined || keep(p, object.value)) out.push(quad(namedNode(s), namedNode(p), object, graph));
  };
}

/**
 * The index and links graphs as N-Quads lines (the bytes quadsToNQuads writes for indexQuads and linkQuads, without
 * their term objects), grouped by partition key: the predicate, or `<rdf:type> <class>` (see partitions.ts).
 * With `keep`, only the triples it accepts (and no flow unless `ptq:feeds` or `ptq:sameBuildAs` is kept).
 */
export function indexAndLinkLines(corpus: Corpus, keep?: QuadKeep): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const writer = derivedLineWriter((key, line) => {
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [line]);
    else group.push(line);
  }, keep);
  emitIndex(corpus.documents, writer.index);
  emitLinks(corpus.links, writer.links);
  if (keep === undefined || keep(ptq('feeds'), '') || keep(ptq('sameBuildAs'), '')) emitFlow(corpus, writer.links);
  return groups;
}

/** Receives an index or links line with its partition key and the triple's subject and object (an IRI or a literal's value). */
export type LineSink = (key: string, line: string, subject: string, object: string) => void;

/**
 * Triple sinks for the index and links graphs that write each triple as its N-Quads line (see indexAndLinkLines)
 * and hand it to `out` with its partition key. One writer per caller: it remembers the last subject written.
 */
export function derivedLineWriter(out: LineSink, keep?: QuadKeep): { readonly index: TripleSink; readonly links: TripleSink } {
  const iriText = (v: string): string => `<${escapeNQuadsText(v)}>`;
  // Predicates and classes are a few dozen IRIs, and triples come grouped by subject: write each once.
  const written = new Map<string, string>();
  const constant = (v: string): string => written.get(v) ?? (written.set(v, iriText(v)), iriText(v));
  let lastSubject = '';
  let lastSubjectText = '';
  const subject = (v: string): string => (v === lastSubject ? lastSubjectText : ((lastSubject = v), (lastSubjectText = iriText(v))));
  let lastObject = '';
  let lastObjectText = '';
  const objectIri = (v: string): string => (v === lastObject ? lastObjectText : ((lastObject = v), (lastObjectText = iriText(v))));
  const sinkFor = (graph: string): TripleSink => {
    const tail = ` ${iriText(graph)} .`;
    return (s, p, o) => {
      const value = 'iri' in o ? o.iri : o.literal;
      if (keep !== undefined && !keep(p, value)) return;
      const key = p === RDF_TYPE && 'iri' in o ? `${p} ${o.iri}` : p;
      const object = 'iri' in o ? (p === RDF_TYPE ? constant(o.iri) : objectIri(o.iri)) : termText(literalTerm(o.literal, o.datatype));
      out(key, `${subject(s)} ${constant(p)} ${object}${tail}`, s, value);
    };
  };
  return { index: sinkFor(INDEX_GRAPH), links: sinkFor(LINKS_GRAPH) };
}

/** The index triples of `documents` (a document's depend on its facts, sha256, size and paths only). */
export function emitIndex(documents: readonly LoadedDocument[], add: TripleSink): void {
  const iri = (v: string): ObjectTerm => ({ iri: v });
  const str = (v: string): ObjectTerm => ({ literal: v });
  const int = (n: number): ObjectTerm => ({ literal: String(n), datatype: `${XSD}integer` });
  for (const doc of documents) {
    const f = doc.facts;
    add(doc.graph, RDF_TYPE, iri(ptq('Document')));
    for (const p of doc.paths) add(doc.graph, ptq('path'), str(p));
    add(doc.graph, ptq('sha256'), str(doc.sha256));
    add(doc.graph, ptq('byteSize'), int(doc.bytes));
    add(doc.graph, ptq('documentKind'), str(f.kind));
    if (f.dialect !== undefined) add(doc.graph, ptq('dialect'), str(f.dialect));
    if (f.kind === 'tro') add(doc.graph, ptq('viewGraph'), iri(viewGraphIri(doc.sha256)));
    for (const w of f.warnings) add(doc.graph, ptq('warning'), str(w));
    for (const e of f.entities) {
      add(e.iri, RDF_TYPE, iri(ptq(e.type === 'Other' ? 'OtherRecord' : e.type)));
      add(e.iri, ptq('inDocument'), iri(doc.graph));
      add(e.iri, RDFS_LABEL, str(e.label));
      add(e.iri, ptq('pointer'), str(e.pointer));
      for (const b of e.buildIds) add(e.iri, ptq('buildId'), str(b.value));
      for (const b of e.dataBuildIds) add(e.iri, ptq('dataBuildId'), str(b.value));
      if (e.fingerprint !== undefined) add(e.iri, ptq('fingerprint'), str(e.fingerprint.value));
      for (const b of e.bundleFingerprints) add(e.iri, ptq('bundleFingerprint'), str(b.value));
      for (const u of e.bundleTroUrls) add(e.iri, ptq('bundleTroUrl'), str(u.value));
      for (const u of e.selfUrls) add(e.iri, ptq('selfUrl'), str(u.value));
      for (const n of e.notes) add(e.iri, ptq('note'), str(n.value));
    }
    const restricted = new Set(f.signals.map((s) => s.artifact));
    for (const a of f.artifacts) {
      add(a.iri, RDF_TYPE, iri(ptq('Artifact')));
      if (restricted.has(a.iri)) add(a.iri, RDF_TYPE, iri(ptq('RestrictedArtifact')));
      add(a.iri, ptq('inDocument'), iri(doc.graph));
      add(a.iri, ptq('listedBy'), iri(a.entity));
      add(a.iri, ptq('role'), str(a.role));
      add(a.iri, ptq('key'), str(a.key));
      add(a.iri, ptq('pointer'), str(a.pointer));
      if (a.name !== undefined) add(a.iri, RDFS_LABEL, str(a.name));
      for (const h of a.sha256) add(a.iri, ptq('sha256'), str(h.value));
      for (const l of a.locations) add(a.iri, ptq('location'), str(l.value));
      for (const x of a.externalIds) add(a.iri, ptq('externalId'), str(x.value));
    }
    f.signals.forEach((s, i) => {
      const signal = `${doc.graph}#signal/${i}`;
      add(s.artifact, ptq('restrictedBy'), iri(signal));
      add(signal, RDF_TYPE, iri(ptq('RestrictionSignal')));
      add(signal, ptq('signalKind'), str(s.kind));
      add(signal, ptq('signalValue'), str(s.value));
      add(signal, ptq('inDocument'), iri(doc.graph));
      add(signal, ptq('pointer'), str(s.pointer));
    });
  }
}

const METHOD_CLASS: Readonly<Record<LinkMethod, string>> = {
  declared: 'Declared',
  'hash-match': 'HashMatch',
  'id-match': 'IdMatch',
  'uri-match': 'UriMatch',
  'fingerprint-match': 'FingerprintMatch',
};

const RELATION_PROPERTY: Readonly<Record<LinkRelation, string>> = {
  consumed: 'consumed',
  produced: 'produced',
  lists: 'lists',
  pins: 'pins',
  'same-content': 'sameContent',
  'file-content': 'fileContent',
  'same-location': 'sameLocation',
  'same-build': 'sameBuild',
  'uses-build': 'usesBuild',
  'binds-bundle': 'bindsBundle',
};

/**
 * The links graph: every derived link as a resource typed with its method (ptq:HashMatch …) stating
 * relation, ends, pointers and matched value; for every link (declared ones included) the direct triple
 * `source ptq:<relation> target` for property paths; and `ptq:feeds` between provenance nodes (the
 * downstream flow the audit follows).
 */
export function linkQuads(corpus: Corpus, keep?: QuadKeep): Quad[] {
  const out: Quad[] = [];
  // The flow is the costliest part of the graph to compute: skipped when the query reads neither of its predicates.
  const add = quadSink(out, LINKS_GRAPH, keep);
  emitLinks(corpus.links, add);
  if (keep === undefined || keep(ptq('feeds'), '') || keep(ptq('sameBuildAs'), '')) emitFlow(corpus, add);
  return out;
}

/** The links triples of `links`: each link's depend on that link alone (the flow's, emitFlow, on the whole corpus). */
export function emitLinks(links: readonly Link[], add: TripleSink): void {
  const iri = (v: string): ObjectTerm => ({ iri: v });
  const str = (v: string): ObjectTerm => ({ literal: v });
  for (const l of links) {
    add(l.source.node, ptq(RELATION_PROPERTY[l.relation]), iri(l.target.node));
    // A declared link restates the index (ptq:listedBy + ptq:role): the direct triple is enough, and it
    // halves the graph of a large corpus. Derived links are resources saying how they were established.
    if (l.method === 'declared') continue;
    add(l.iri, RDF_TYPE, iri(ptq('Link')));
    add(l.iri, RDF_TYPE, iri(ptq(METHOD_CLASS[l.method])));
    add(l.iri, ptq('relation'), iri(ptq(RELATION_PROPERTY[l.relation])));
    add(l.iri, ptq('source'), iri(l.source.node));
    add(l.iri, ptq('target'), iri(l.target.node));
    add(l.iri, ptq('sourceDocument'), iri(l.source.document));
    add(l.iri, ptq('targetDocument'), iri(l.target.document));
    add(l.iri, ptq('sourcePointer'), str(l.source.pointer));
    add(l.iri, ptq('targetPointer'), str(l.target.pointer));
    add(l.iri, ptq('matchedValue'), str(l.value));
  }
}

/** The flow triples (`ptq:feeds`, `ptq:sameBuildAs`) of a corpus: a function of all its links (transitively reduced). */
export function emitFlow(corpus: Corpus, add: TripleSink): void {
  const iri = (v: string): ObjectTerm => ({ iri: v });
  const flow = buildFlow(corpus);
  for (const [from, tos] of flow.edges) {
    const fromMembers = flow.groups.get(from)?.members ?? [];
    for (const to of tos.keys()) {
      for (const f of fromMembers) for (const t of flow.groups.get(to)?.members ?? []) add(f.entity.iri, ptq('feeds'), iri(t.entity.iri));
    }
  }
  for (const group of flow.groups.values()) {
    for (const a of group.members) for (const b of group.members) if (a !== b) add(a.entity.iri, ptq('sameBuildAs'), iri(b.entity.iri));
  }
}
