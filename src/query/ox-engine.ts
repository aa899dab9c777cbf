// SELECT / ASK / CONSTRUCT of `pe-trace query` on oxigraph's in-memory store, loaded from N-Quads text (union default graph).
import type { Quad } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { PeTraceError } from '../errors.js';
import { type OxQuad, type OxStore, type OxTerm, oxigraph } from '../rdf/sparql.js';
import { queryPages } from './paging.js';
import type { ParsedQuery } from './parse.js';
import type { SparqlBinding, SparqlJsonResults, SparqlTermJson } from './results.js';

// oxigraph writes typed literals in canonical form (`"007"^^xsd:integer` → `"7"`): fine for query answers, which
// is all this module produces (the hashed bytes never pass through it). The loader and types are shared with
// src/rdf/sparql.ts, so one WASM module serves both.

/** Characters of N-Quads handed to oxigraph per `load` call (cut at a line end). */
const LOAD_SLICE = 1 << 20;


export type OxAnswer =
  | { readonly form: 'SELECT'; readonly results: SparqlJsonResults }
  | { readonly form: 'ASK'; readonly boolean: boolean }
  | { readonly form: 'CONSTRUCT' | 'DESCRIBE'; readonly quads: readonly Quad[] };

/**
 * Whether oxigraph can answer this query with the same rows as Comunica: a `SELECT *` needs the engine's own
 * variable order (oxigraph's rows do not carry it), so it stays on Comunica.
 */
export function oxigraphCanAnswer(query: ParsedQuery): boolean {
  return query.form !== 'SELECT' || query.variables.length > 0;
}

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
 * `lenient` skips oxigraph's IRI and literal validation: every line was written by our own serializer from
 * already-parsed terms, and the check was 40 % of the load (docs/decisions.md).
 */
export async function answerOnNQuads(nquads: string | readonly string[], query: ParsedQuery, options: OxAnswerOptions = {}): Promise<OxAnswer> {
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
        return store.query(text, { use_default_graph_as_union: true });
      } catch (e) {
        throw new PeTraceError('QUERY_FAILED', `${query.label}: the query could not be evaluated: ${firstLine(e)}`, { cause: e });
      }
    };
    const pages = options.onRows === undefined ? undefined : queryPages(query);
    if (pages !== undefined && options.onRows !== undefined) return selectInPages(query, pages, evaluate, options.onRows);
    const result = evaluate(query.text);
    if (query.form === 'ASK') {
      if (typeof result !== 'boolean') throw new PeTraceError('QUERY_FAILED', `${query.label}: not an ASK query`);
      return { form: 'ASK', boolean: result };
    }
    if (!Array.isArray(result)) throw new PeTraceError('QUERY_FAILED', `${query.label}: unexpected result for a ${query.form} query`);
    if (query.form === 'SELECT') {
      const vars = [...query.variables];
      const bindings = toBindings(result as Map<string, OxTerm>[], vars);
      if (options.onRows !== undefined) for (let i = 0; i < bindings.length; i += ROW_BATCH) options.onRows(bindings.slice(i, i + ROW_BATCH));
      return { form: 'SELECT', results: { head: { vars }, results: { bindings } } };
    }
    const seen = new Set<string>();
    const quads: Quad[] = [];
    for (const q of result as OxQuad[]) {
      const key = `${termKey(q.subject)} ${termKey(q.predicate)} ${termKey(q.object)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      quads.push(DataFactory.quad(toSubject(q.subject), DataFactory.namedNode(q.predicate.value), toObject(q.object)));
    }
    return { form: query.form, quads };
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

/** A paged SELECT: each page's rows go to `onRows` as soon as the page is computed; a short page is the last. */
function selectInPages(
  query: ParsedQuery,
  pages: Iterable<{ readonly text: string; readonly limit: number }>,
  evaluate: (text: string) => ReturnType<OxStore['query']>,
  onRows: (rows: readonly SparqlBinding[]) => void,
): OxAnswer {
  const vars = [...query.variables];
  const bindings: SparqlBinding[] = [];
  for (const page of pages) {
    const result = evaluate(page.text);
    if (!Array.isArray(result)) throw new PeTraceError('QUERY_FAILED', `${query.label}: unexpected result for a SELECT query`);
    const rows = toBindings(result as Map<string, OxTerm>[], vars);
    for (let i = 0; i < rows.length; i += ROW_BATCH) onRows(rows.slice(i, i + ROW_BATCH));
    for (const row of rows) bindings.push(row);
    if (rows.length < page.limit) break;
  }
  return { form: 'SELECT', results: { head: { vars }, results: { bindings } } };
}

function toBindings(rows: readonly Map<string, OxTerm>[], vars: readonly string[]): SparqlBinding[] {
  return rows.map((row) => {
    const out: Record<string, SparqlTermJson> = {};
    for (const v of vars) {
      const term = row.get(v);
      if (term !== undefined) out[v] = oxTermToJson(term);
    }
    return out;
  });
}

/**
 * About LOAD_SLICE characters per `load` call, cut at line ends: one 170 MB string costs oxigraph's WASM loader
 * several times what 1 MB slices do, and thousands of tiny calls cost their own overhead.
 */
function* slices(parts: readonly string[]): Generator<string> {
  let pending: string[] = [];
  let size = 0;
  for (const part of parts) {
    if (part.length > LOAD_SLICE) {
      if (size > 0) yield pending.join('');
      pending = [];
      size = 0;
      for (let start = 0; start < part.length; ) {
        const cut = part.indexOf('\n', Math.min(start + LOAD_SLICE, part.length - 1));
        const end = cut === -1 ? part.length : cut + 1;
        yield part.slice(start, end);
        start = end;
      }
      continue;
    }
    pending.push(part);
    size += part.length;
    if (size >= LOAD_SLICE) {
      yield pending.join('');
      pending = [];
      size = 0;
    }
  }
  if (size > 0) yield pending.join('');
}

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

/** The same JSON term shape as `termToJson` in engine.ts gives for an RDF/JS term. */
function oxTermToJson(term: OxTerm): SparqlTermJson {
  switch (term.termType) {
    case 'NamedNode':
      return { type: 'uri', value: term.value };
    case 'BlankNode':
      return { type: 'bnode', value: term.value };
    case 'Literal': {
      const language = term.language ?? '';
      if (language !== '') return { type: 'literal', value: term.value, 'xml:lang': language };
      const datatype = term.datatype?.value ?? XSD_STRING;
      if (datatype === XSD_STRING || datatype === RDF_LANG_STRING) return { type: 'literal', value: term.value };
      return { type: 'literal', value: term.value, datatype };
    }
    default:
      return { type: 'literal', value: term.value };
  }
}

function toSubject(t: OxTerm): Quad['subject'] {
  return t.termType === 'BlankNode' ? DataFactory.blankNode(t.value) : DataFactory.namedNode(t.value);
}

function toObject(t: OxTerm): Quad['object'] {
  if (t.termType === 'NamedNode') return DataFactory.namedNode(t.value);
  if (t.termType === 'BlankNode') return DataFactory.blankNode(t.value);
  const language = t.language ?? '';
  if (language !== '') return DataFactory.literal(t.value, language);
  return DataFactory.literal(t.value, DataFactory.namedNode(t.datatype?.value ?? XSD_STRING));
}

function termKey(t: OxTerm): string {
  if (t.termType === 'Literal') return `"${t.value}"@${t.language ?? ''}^^${t.datatype?.value ?? ''}`;
  return `${t.termType}:${t.value}`;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}
