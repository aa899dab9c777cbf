// SPARQL CONSTRUCT over an in-memory n3 Store through one lazily loaded oxigraph engine; typed literals shielded, results deduplicated.
import type { Quad, Term } from '@rdfjs/types';
import { DataFactory, type Store } from 'n3';
import type sparqljsTypes from 'sparqljs';
import type { SparqlQuery } from 'sparqljs';
import { lazyRequire } from '../lazy.js';
import type { ConstructRunner } from './construct-runner.js';
import { type TextQuad, type TextTerm, DEFAULT_GRAPH, blankTerm, literalTerm, namedTerm, termText } from './nquads-text.js';

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
  /** An iterable is one document read in pieces: its blank nodes are shared across them (separate calls never share one). */
  load(input: string | Uint8Array | Iterable<string | Uint8Array>, options: { format: string; no_transaction?: boolean; lenient?: boolean }): void;
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
 * Exported for the differential test of `shieldTriples`.
 */
export function shieldLiterals(store: Store): { nquads: string; shielded: Map<string, Term> } {
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

/** An oxigraph term as an RDF/JS term (a shielded placeholder back as its original literal). */
export function fromOx(term: OxTerm, shielded: ReadonlyMap<string, Term> = new Map()): Term {
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

/** The first line of an error's message (engines' messages can run to many lines). */
export function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}

// ---- the same CONSTRUCT over plain term records and N-Quads text (no n3 Store, no oxigraph term objects) ----

/** An oxigraph input as `shieldLiterals` writes it, and the literals its placeholders stand for. */
export interface ShieldedInput {
  readonly nquads: string;
  readonly shielded: ReadonlyMap<string, TextTerm>;
}

/** n3's entity key of a term (N3Store `entityKey`): equal keys are one entity in an n3 Store. */
function n3EntityKey(t: TextTerm): string {
  switch (t.termType) {
    case 'NamedNode':
      return /^[?_"[.<]/.test(t.value) && t.value !== '<>' ? `<${t.value}>` : t.value;
    case 'BlankNode':
      return `_:${t.value}`;
    case 'Literal':
      return `"${t.value}"${t.language !== undefined ? `@${t.language}` : t.datatype !== undefined ? `^^${t.datatype}` : ''}`;
    case 'DefaultGraph':
      return '';
  }
}

/**
 * The oxigraph input `shieldLiterals` makes of an n3 Store holding `triples` (their graphs dropped), without
 * building the Store: the same lines in the same order (the Store's: subject, predicate, object by the numeric id
 * each term got when first added, duplicates once) and the same placeholders. oxigraph's CONSTRUCT output order
 * follows its input, so this keeps every result byte as it was (test/unit/rdf/construct-text.test.ts).
 */
export function shieldTriples(triples: readonly TextQuad[]): ShieldedInput {
  const ids = new Map<string, number>();
  const terms: TextTerm[] = [DEFAULT_GRAPH, DEFAULT_GRAPH];
  // The Store's id 1 is the default graph; terms get 2, 3, … in the order addQuad meets them (subject, predicate, object).
  const idOf = (t: TextTerm): number => {
    const key = n3EntityKey(t);
    let id = ids.get(key);
    if (id === undefined) {
      id = terms.length;
      ids.set(key, id);
      terms.push(t);
    }
    return id;
  };
  const rows: [number, number, number][] = [];
  for (const q of triples) rows.push([idOf(q.subject), idOf(q.predicate), idOf(q.object)]);
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const shielded = new Map<string, TextTerm>();
  const lines: string[] = [];
  let prev: [number, number, number] | undefined;
  for (const row of rows) {
    if (prev !== undefined && prev[0] === row[0] && prev[1] === row[1] && prev[2] === row[2]) continue;
    prev = row;
    const s = terms[row[0]] as TextTerm;
    const p = terms[row[1]] as TextTerm;
    let o = terms[row[2]] as TextTerm;
    if (o.termType === 'Literal' && o.language === undefined && o.datatype !== undefined && o.datatype !== RDF_LANG_STRING) {
      const key = `${SHIELD}${shielded.size}`;
      shielded.set(key, o);
      o = literalTerm(key);
    }
    lines.push(`${plainKey(s)} ${plainKey(p)} ${nquadsPlain(o)} .`);
  }
  return { nquads: lines.join('\n'), shielded };
}

/** `termKey` of a named or blank node record. */
function plainKey(t: TextTerm): string {
  return t.termType === 'BlankNode' ? `_:${t.value}` : `<${t.value}>`;
}

/** `nquadsTerm` of a record. */
function nquadsPlain(t: TextTerm): string {
  if (t.termType !== 'Literal') return plainKey(t);
  const text = `"${escapeNQuads(t.value)}"`;
  if (t.language !== undefined) return `${text}@${t.language}`;
  return t.datatype === undefined ? text : `${text}^^<${t.datatype}>`;
}

/**
 * `constructQuads` over a `shieldTriples` input: the same distinct triples in the same order, as plain records.
 * oxigraph writes the result as N-Triples text, read back here: no term objects are made in WASM memory (their
 * wrappers are freed only when the JS collector finalises them, which held hundreds of MB at 10,000 documents).
 * With a `runner`, oxigraph evaluates on its worker thread (same input text, same answer text).
 */
export async function constructTriples(input: ShieldedInput, queryText: string, name = 'CONSTRUCT query', runner?: ConstructRunner): Promise<TextQuad[]> {
  checkConstruct(queryText, name);
  let text = runner === undefined ? undefined : await runner.run(input.nquads, queryText);
  text ??= await runConstructText(input.nquads, queryText, name);
  return readConstructText(text, input, name);
}

/** oxigraph's N-Triples answer to a CONSTRUCT over `nquads` (the default graph is the union of its graphs). */
export async function runConstructText(nquads: string, queryText: string, name = 'CONSTRUCT query'): Promise<string> {
  const ox = await oxigraph();
  const oxStore = new ox.Store();
  try {
    oxStore.load(nquads, { format: 'application/n-quads', no_transaction: true });
    try {
      return oxStore.query(queryText, { use_default_graph_as_union: true, results_format: 'application/n-triples' }) as string;
    } catch (e) {
      throw new PeTraceError('ASSET_BROKEN', `${name} failed: ${firstLine(e)}`, { cause: e });
    }
  } finally {
    oxStore.free?.();
  }
}

/** The distinct triples of an N-Triples answer, in order, shielded literals restored. */
function readConstructText(text: string, input: ShieldedInput, name: string): TextQuad[] {
  const seen = new Set<string>();
  const out: TextQuad[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const t = parseNTriplesLine(line, name);
    const object = t.object.termType === 'Literal' && t.object.value.startsWith(SHIELD) ? (input.shielded.get(t.object.value) ?? t.object) : t.object;
    const key = `${termText(t.subject)} ${termText(t.predicate)} ${termText(object)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ subject: t.subject, predicate: t.predicate, object, graph: DEFAULT_GRAPH });
  }
  return out;
}

/** One line of oxigraph's N-Triples output (IRIs as written, blank node labels, literals with N-Triples escapes). */
function parseNTriplesLine(line: string, name: string): TextQuad {
  let pos = 0;
  const fail = (): never => {
    throw new PeTraceError('INTERNAL', `${name}: unexpected N-Triples from the engine: ${line.slice(0, 200)}`);
  };
  const term = (): TextTerm => {
    const c = line.charCodeAt(pos);
    let t: TextTerm;
    if (c === 60 /* < */) {
      const end = line.indexOf('>', pos);
      if (end < 0) fail();
      t = namedTerm(line.slice(pos + 1, end));
      pos = end + 1;
    } else if (c === 95 /* _ */) {
      const end = line.indexOf(' ', pos);
      if (end < 0) fail();
      t = blankTerm(line.slice(pos + 2, end));
      pos = end;
    } else if (c === 34 /* " */) {
      let i = pos + 1;
      let value = '';
      let from = i;
      for (;;) {
        const d = line.charCodeAt(i);
        if (Number.isNaN(d)) fail();
        if (d === 34) break;
        if (d === 92 /* \ */) {
          value += line.slice(from, i);
          const e = line[i + 1];
          if (e === 'u' || e === 'U') {
            const len = e === 'u' ? 4 : 8;
            value += String.fromCodePoint(Number.parseInt(line.slice(i + 2, i + 2 + len), 16));
            i += 2 + len;
          } else {
            value += ECHARS[e ?? ''] ?? fail();
            i += 2;
          }
          from = i;
        } else i++;
      }
      value += line.slice(from, i);
      pos = i + 1;
      if (line[pos] === '@') {
        const end = line.indexOf(' ', pos);
        t = literalTerm(value, undefined, line.slice(pos + 1, end < 0 ? fail() : end));
        pos = end;
      } else if (line.startsWith('^^<', pos)) {
        const end = line.indexOf('>', pos);
        t = literalTerm(value, line.slice(pos + 3, end < 0 ? fail() : end));
        pos = end + 1;
      } else t = literalTerm(value);
    } else return fail();
    if (line[pos] !== ' ') fail();
    pos++;
    return t;
  };
  const subject = term();
  const predicate = term();
  const object = term();
  if (line.slice(pos) !== '.') fail();
  return { subject, predicate, object, graph: DEFAULT_GRAPH };
}

const ECHARS: Readonly<Record<string, string>> = { t: '\t', b: '\b', n: '\n', r: '\r', f: '\f', '"': '"', "'": "'", '\\': '\\' };
