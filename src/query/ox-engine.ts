// The one query engine: SELECT / ASK / CONSTRUCT / DESCRIBE on oxigraph's in-memory store, loaded from N-Quads text.
import type { Quad } from '@rdfjs/types';
import { DataFactory, Parser, type Store } from 'n3';
import { InputError, PeTraceError } from '../errors.js';
import { type OxQuad, type OxStore, type OxTerm, distinctQuads, firstLine, fromOx, oxigraph } from '../rdf/sparql.js';
import { type QueryPage, queryPages } from './paging.js';
import { type ParsedQuery, type QueryForm, parseUserQuery } from './parse.js';
import { type SparqlBinding, type SparqlJsonResults, type SparqlTermJson, quadsToNQuads, termToJson } from './results.js';

// oxigraph writes typed literals in canonical form (`"007"^^xsd:integer` → `"7"`): fine for query answers, which
// is all this module produces (the hashed bytes never pass through it). The loader and types are shared with
// src/rdf/sparql.ts, so one WASM module serves both.

/** Characters of N-Quads per piece handed to oxigraph's loader (cut at a line end). */
const LOAD_SLICE = 1 << 20;

export type QueryAnswer =
  | { readonly form: 'SELECT'; readonly results: SparqlJsonResults }
  | { readonly form: 'ASK'; readonly boolean: boolean }
  /** The distinct triples as N-Quads (what is written, cached and sent between threads). */
  | { readonly form: 'CONSTRUCT' | 'DESCRIBE'; readonly nquads: string };

/** Rows handed to `onRows` at a time. */
export const ROW_BATCH = 1000;

export interface OxAnswerOptions {
  /**
   * Receives every row of a SELECT answer, in order and in batches of at most ROW_BATCH, before the answer is
   * returned. A SELECT that can be paged (see queryPages) is evaluated page by page, so the first rows arrive
   * while the rest is still being computed; any other is evaluated once and then handed over in batches.
   */
  readonly onRows?: (rows: readonly SparqlBinding[]) => void;
}

/**
 * Loads N-Quads (parts that each end at a line end) into a fresh oxigraph store, answers the query, frees the store.
 * The default graph is the union of all named graphs, as on Virtuoso and most stores, unless the query names its
 * own dataset (FROM / FROM NAMED).
 * `lenient` skips oxigraph's IRI and literal validation: every line was written by our own serializer from
 * already-parsed terms, and the check was 40 % of the load (docs/decisions.md).
 */
export async function answerOnNQuads(nquads: string | readonly string[], query: ParsedQuery, options: OxAnswerOptions = {}): Promise<QueryAnswer> {
  const ox = await oxigraph();
  const store = new ox.Store();
  try {
    try {
      loadNQuads(store, typeof nquads === 'string' ? [nquads] : nquads);
    } catch (e) {
      throw new PeTraceError('INTERNAL', `the dataset could not be loaded into oxigraph: ${firstLine(e)}`, { cause: e });
    }
    const evaluate = (text: string): ReturnType<OxStore['query']> => {
      try {
        return store.query(text, { use_default_graph_as_union: !query.ownDataset });
      } catch (e) {
        throw evaluationError(e, query, text);
      }
    };
    // oxigraph's blank node labels are random per load: answers carry labels by first appearance instead (same bytes every run).
    const relabel = blankLabels();
    if (query.form === 'SELECT') {
      // Paged only when someone waits for the first rows (see queryPages); else one evaluation, one page.
      const pages = (options.onRows === undefined ? undefined : queryPages(query)) ?? [{ text: query.text, limit: Number.POSITIVE_INFINITY }];
      return selectInPages(query, pages, evaluate, relabel, options.onRows);
    }
    const result = evaluate(query.text);
    if (query.form === 'ASK') {
      if (typeof result !== 'boolean') throw new PeTraceError('QUERY_FAILED', `${query.label}: not an ASK query`);
      return { form: 'ASK', boolean: result };
    }
    if (!Array.isArray(result)) throw new PeTraceError('QUERY_FAILED', `${query.label}: unexpected result for a ${query.form} query`);
    // CONSTRUCT repeats a template triple per solution: each triple is kept once, in first-seen order.
    const quads = (result as OxQuad[]).map((q) => DataFactory.quad(fromOx(relabel(q.subject)) as Quad['subject'], fromOx(q.predicate) as Quad['predicate'], fromOx(relabel(q.object)) as Quad['object']));
    return { form: query.form, nquads: quadsToNQuads(distinctQuads(quads)) };
  } finally {
    // oxigraph's stores live in WASM memory the JS garbage collector does not see: free it now.
    store.free?.();
  }
}

/**
 * Loads N-Quads parts into `store` as ONE document, streamed in slices: oxigraph scopes blank node labels to a
 * `load` call, so loading slice by slice would make `_:b0` of one slice and `_:b0` of the next two different nodes
 * (a document's blank nodes span partitions and slices). `lenient` skips oxigraph's IRI and literal validation:
 * every line was written by our own serializer from already-parsed terms, and the check was 40 % of the load.
 */
export function loadNQuads(store: OxStore, parts: readonly string[]): void {
  store.load(slices(parts), { format: 'application/n-quads', no_transaction: true, lenient: true });
}

/** A SELECT page by page: each page's rows go to `onRows` in batches as soon as it is computed; a short page is the last. */
function selectInPages(
  query: ParsedQuery,
  pages: Iterable<QueryPage>,
  evaluate: (text: string) => ReturnType<OxStore['query']>,
  relabel: (t: OxTerm) => OxTerm,
  onRows: ((rows: readonly SparqlBinding[]) => void) | undefined,
): QueryAnswer {
  const vars = [...query.variables];
  const bindings: SparqlBinding[] = [];
  for (const page of pages) {
    const result = evaluate(page.text);
    if (!Array.isArray(result)) throw new PeTraceError('QUERY_FAILED', `${query.label}: unexpected result for a SELECT query`);
    const rows = (result as Map<string, OxTerm>[]).map((row) => {
      const out: Record<string, SparqlTermJson> = {};
      for (const v of vars) {
        const term = row.get(v);
        if (term !== undefined) out[v] = termToJson(relabel(term));
      }
      return out;
    });
    if (onRows !== undefined) for (let i = 0; i < rows.length; i += ROW_BATCH) onRows(rows.slice(i, i + ROW_BATCH));
    for (const row of rows) bindings.push(row);
    if (rows.length < page.limit) break;
  }
  return { form: 'SELECT', results: { head: { vars }, results: { bindings } } };
}

/**
 * One line for a query oxigraph refused. `error at L:C` is its parser refusing text sparqljs had accepted (an OFFSET
 * past 2^64, say): a syntax error, located in the user's text when that is the text it read (L:C are 1-based, in
 * code points), else (a page cut from it) at the file only.
 */
function evaluationError(e: unknown, query: ParsedQuery, text: string): PeTraceError {
  const message = firstLine(e);
  const at = /^error at (\d+):(\d+): (.*)$/.exec(message);
  if (at === null) return new PeTraceError('QUERY_FAILED', `${query.label}: the query could not be evaluated: ${message}`, { cause: e });
  const location = text === query.text ? { file: query.label, line: Number(at[1]), column: Number(at[2]) } : { file: query.label };
  return new InputError('QUERY_SYNTAX', `SPARQL error: ${at[3] ?? message}`, { location, cause: e });
}

/** Blank node labels by first appearance in one answer (`b0`, `b1`, …), the same node always the same label. */
function blankLabels(): (t: OxTerm) => OxTerm {
  const labels = new Map<string, string>();
  return (t) => {
    if (t.termType !== 'BlankNode') return t;
    let label = labels.get(t.value);
    if (label === undefined) {
      label = `b${labels.size}`;
      labels.set(t.value, label);
    }
    return { termType: 'BlankNode', value: label };
  };
}

/**
 * The text in pieces of about LOAD_SLICE characters, cut at line ends: one 170 MB string costs oxigraph's WASM loader
 * several times what 1 MB pieces do, and thousands of tiny pieces cost their own overhead.
 */
function* slices(parts: readonly string[]): Generator<Uint8Array> {
  let pending: string[] = [];
  let size = 0;
  for (const part of parts) {
    if (part.length > LOAD_SLICE) {
      if (size > 0) yield utf8(pending.join(''));
      pending = [];
      size = 0;
      for (let start = 0; start < part.length; ) {
        const cut = part.indexOf('\n', Math.min(start + LOAD_SLICE, part.length - 1));
        const end = cut === -1 ? part.length : cut + 1;
        yield utf8(part.slice(start, end));
        start = end;
      }
      continue;
    }
    pending.push(part);
    size += part.length;
    if (size >= LOAD_SLICE) {
      yield utf8(pending.join(''));
      pending = [];
      size = 0;
    }
  }
  if (size > 0) yield utf8(pending.join(''));
}

/**
 * A slice as UTF-8 bytes: oxigraph takes bytes as they are, where a string goes through wasm-bindgen's per-character
 * copy loop (a tenth of a second per 100,000 quads). Lone surrogates become U+FFFD, as that copy makes them.
 */
function utf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

/** Answers a parsed query over an n3 Store (the library's store-based API): its quads go to oxigraph as N-Quads. */
export async function answerQuery(store: Store, query: ParsedQuery): Promise<QueryAnswer> {
  return answerOnNQuads(quadsToNQuads(store.getQuads(null, null, null, null)), query);
}

/** A query text over an n3 Store, refused unless it is one of `forms`. */
async function answerText<F extends QueryForm>(store: Store, text: string, label: string, forms: readonly F[]): Promise<Extract<QueryAnswer, { form: F }>> {
  const query = parseUserQuery(text, label);
  if (!(forms as readonly QueryForm[]).includes(query.form)) throw new PeTraceError('QUERY_FAILED', `${label}: not a ${forms.join(' or ')} query`);
  return (await answerQuery(store, query)) as Extract<QueryAnswer, { form: F }>;
}

/** SELECT over an n3 Store → W3C SPARQL 1.1 Query Results JSON (variables in projection order). */
export async function selectBindings(store: Store, query: string, label = '<query>'): Promise<SparqlJsonResults> {
  return (await answerText(store, query, label, ['SELECT'])).results;
}

/** ASK over an n3 Store → true / false. */
export async function askQuery(store: Store, query: string, label = '<query>'): Promise<boolean> {
  return (await answerText(store, query, label, ['ASK'])).boolean;
}

/** CONSTRUCT / DESCRIBE over an n3 Store → distinct triples in first-seen order. */
export async function constructQuery(store: Store, query: string, label = '<query>'): Promise<Quad[]> {
  // Labels kept as the answer has them (b0, b1, …): n3's parser would prefix them per parse.
  return new Parser({ format: 'N-Quads', blankNodePrefix: '' }).parse((await answerText(store, query, label, ['CONSTRUCT', 'DESCRIBE'])).nquads);
}
