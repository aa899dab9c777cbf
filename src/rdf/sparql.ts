// SPARQL CONSTRUCT over an in-memory n3 Store through one lazily loaded oxigraph engine; typed literals shielded, results deduplicated.
import type { Quad, Term } from '@rdfjs/types';
import { DataFactory, type Store } from 'n3';
import type sparqljsTypes from 'sparqljs';
import type { SparqlQuery } from 'sparqljs';
import { lazyRequire } from '../lazy.js';

const sparqljsModule = lazyRequire<typeof sparqljsTypes>('sparqljs');
import { PeTraceError } from '../errors.js';

/**
 * The slice of oxigraph we use, typed here so its WASM module is only loaded on first use. oxigraph answers a
 * TRO-sized CONSTRUCT in well under a millisecond where Comunica took 5–25 ms (docs/decisions.md), but it
 * rewrites typed literals into canonical form (`"007"^^xsd:integer` → `"7"`): `constructQuads` shields them.
 */
export interface OxTerm {
  readonly termType: string;
  readonly value: string;
  readonly language?: string;
  readonly datatype?: { readonly value: string };
}
export interface OxQuad {
  readonly subject: OxTerm;
  readonly predicate: OxTerm;
  readonly object: OxTerm;
  readonly graph: OxTerm;
}
export interface OxStore {
  load(input: string | Iterable<string>, options: { format: string; no_transaction?: boolean; lenient?: boolean }): void;
  query(query: string, options?: { use_default_graph_as_union?: boolean; results_format?: string }): boolean | Map<string, OxTerm>[] | OxQuad[] | string;
  free?(): void;
}
export interface Oxigraph {
  Store: new () => OxStore;
}

let engine: Promise<Oxigraph> | undefined;

/** One module instance for the whole process, imported lazily: commands that never run SPARQL never load it. */
export function oxigraph(): Promise<Oxigraph> {
  engine ??= import('oxigraph').then((m) => m as unknown as Oxigraph);
  return engine;
}

/** Loads the engine now (benchmarks call this so the one-off start-up is not counted per operation). */
export async function warmUpSparql(): Promise<void> {
  await oxigraph();
}

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';
/** Placeholder prefix for shielded literals: a private-use character no real literal of ours starts with. */
const SHIELD = '\uE000pe-trace-literal:';

/**
 * Replaces every typed literal that is not a plain string by a unique plain-string placeholder, so that the
 * engine cannot canonicalise its lexical form: the bytes we hash come from these literals. Our CONSTRUCT
 * queries only copy such values (they filter on IRIs, never on typed values), so shielding keeps their meaning.
 */
function shieldLiterals(store: Store): { nquads: string; shielded: Map<string, Term> } {
  const shielded = new Map<string, Term>();
  const lines: string[] = [];
  for (const q of store.getQuads(null, null, null, null)) {
    let object: Term = q.object;
    if (object.termType === 'Literal' && object.language === '' && object.datatype.value !== XSD_STRING && object.datatype.value !== RDF_LANG_STRING) {
      const key = `${SHIELD}${shielded.size}`;
      shielded.set(key, object);
      object = DataFactory.literal(key);
    }
    lines.push(`${termKey(q.subject)} ${termKey(q.predicate)} ${nquadsTerm(object)}${q.graph.termType === 'DefaultGraph' ? '' : ` ${termKey(q.graph)}`} .`);
  }
  return { nquads: lines.join('\n'), shielded };
}

/** An N-Quads term (termKey's literal form is JSON-escaped, which N-Quads does not accept for every character). */
function nquadsTerm(term: Term): string {
  if (term.termType !== 'Literal') return termKey(term);
  const text = `"${escapeNQuads(term.value)}"`;
  if (term.language) return `${text}@${term.language}`;
  return term.datatype.value === XSD_STRING ? text : `${text}^^<${term.datatype.value}>`;
}

function escapeNQuads(s: string): string {
  return s.replace(/[\\"\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : c === '\n' ? '\\n' : '\\r'));
}

function fromOx(term: OxTerm, shielded: ReadonlyMap<string, Term>): Term {
  switch (term.termType) {
    case 'NamedNode':
      return DataFactory.namedNode(term.value);
    case 'BlankNode':
      return DataFactory.blankNode(term.value);
    case 'Literal': {
      const original = term.value.startsWith(SHIELD) ? shielded.get(term.value) : undefined;
      if (original !== undefined) return original;
      if (term.language) return DataFactory.literal(term.value, term.language);
      return DataFactory.literal(term.value, DataFactory.namedNode(term.datatype?.value ?? XSD_STRING));
    }
    case 'DefaultGraph':
      return DataFactory.defaultGraph();
    default:
      throw new PeTraceError('INTERNAL', `unexpected ${term.termType} in a CONSTRUCT result`);
  }
}

const checked = new Set<string>();

/** Parses a query once per process (sparqljs) to refuse, with a clear message, one that is broken or not a CONSTRUCT. */
function checkConstruct(queryText: string, name: string): void {
  if (checked.has(queryText)) return;
  let parsed: SparqlQuery;
  try {
    parsed = new (sparqljsModule().Parser)().parse(queryText);
  } catch (e) {
    throw new PeTraceError('ASSET_BROKEN', `${name} does not parse: ${firstLine(e)}`, { cause: e });
  }
  if (parsed.type !== 'query' || parsed.queryType !== 'CONSTRUCT') {
    throw new PeTraceError('ASSET_BROKEN', `${name} is not a CONSTRUCT query (${parsed.type === 'query' ? parsed.queryType : parsed.type})`);
  }
  checked.add(queryText);
}

/**
 * Runs one of our own CONSTRUCT queries (from queries/) over `store` (the default graph is the union of its
 * graphs) and returns the distinct quads in first-seen order. A parse error or a query that is not a CONSTRUCT
 * is a bug in our shipped assets (ASSET_BROKEN), never the user's input. `name` says which query in messages.
 */
export async function constructQuads(store: Store, queryText: string, name = 'CONSTRUCT query'): Promise<Quad[]> {
  checkConstruct(queryText, name);
  const ox = await oxigraph();
  const { nquads, shielded } = shieldLiterals(store);
  const oxStore = new ox.Store();
  try {
    oxStore.load(nquads, { format: 'application/n-quads', no_transaction: true });
    let result: ReturnType<OxStore['query']>;
    try {
      result = oxStore.query(queryText, { use_default_graph_as_union: true });
    } catch (e) {
      throw new PeTraceError('ASSET_BROKEN', `${name} failed: ${firstLine(e)}`, { cause: e });
    }
    const quads = (result as OxQuad[]).map((q) =>
      DataFactory.quad(
        fromOx(q.subject, shielded) as Quad['subject'],
        fromOx(q.predicate, shielded) as Quad['predicate'],
        fromOx(q.object, shielded) as Quad['object'],
        fromOx(q.graph, shielded) as Quad['graph'],
      ),
    );
    return distinctQuads(quads);
  } finally {
    // oxigraph's stores live in WASM memory that the JS garbage collector does not see: free it now.
    oxStore.free?.();
  }
}

/** Drops repeated quads (same subject, predicate, object and graph), keeping the first occurrence. */
export function distinctQuads(quads: readonly Quad[]): Quad[] {
  const seen = new Set<string>();
  const out: Quad[] = [];
  for (const q of quads) {
    const key = `${termKey(q.subject)} ${termKey(q.predicate)} ${termKey(q.object)} ${termKey(q.graph)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(q);
  }
  return out;
}

/** A string that identifies a term (N-Triples-like), for sets and maps keyed by terms. */
export function termKey(term: Term): string {
  switch (term.termType) {
    case 'NamedNode':
      return `<${term.value}>`;
    case 'BlankNode':
      return `_:${term.value}`;
    case 'Literal':
      return term.language ? `${JSON.stringify(term.value)}@${term.language}` : `${JSON.stringify(term.value)}^^<${term.datatype.value}>`;
    case 'Variable':
      return `?${term.value}`;
    case 'DefaultGraph':
      return '';
    case 'Quad':
      return `<<${termKey(term.subject)} ${termKey(term.predicate)} ${termKey(term.object)}>>`;
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}
