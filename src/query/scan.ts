// Answers a SELECT that is one quad pattern (the export question, a constant predicate, subject or object) by reading the index's N-Quads lines, without loading a store.
import type sparqljsTypes from 'sparqljs';
import { InputError, PeTraceError } from '../errors.js';
import { lazyRequire } from '../lazy.js';
import { readNQuadsLine } from '../rdf/nquads-read.js';
import { type TextQuad, type TextTerm, termText } from '../rdf/nquads-text.js';
import { type OxTerm, type Oxigraph, oxigraph } from '../rdf/sparql.js';
import { ROW_BATCH, type QueryAnswer } from './ox-engine.js';
import type { ParsedQuery } from './parse.js';
import { type SparqlBinding, type SparqlTermJson } from './results.js';

const sparqljsModule = lazyRequire<typeof sparqljsTypes>('sparqljs');

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const XSD_STRING = `${XSD}string`;
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

/** A position of the pattern: a variable (blank nodes of the pattern are variables never projected) or a constant. */
type Slot = { readonly variable: string } | { readonly constant: TextTerm };

/**
 * A question the scan can answer: one triple pattern in `GRAPH ?g`, `GRAPH <iri>` or the default graph (in
 * `query --dir` the union of every graph, the default one included, with one row per quad: oxigraph's
 * `use_default_graph_as_union` gives a triple found in two graphs twice), projected onto plain variables, with an
 * optional LIMIT/OFFSET.
 */
export interface ScanPlan {
  readonly subject: Slot;
  readonly predicate: Slot;
  readonly object: Slot;
  /** `union`: the default graph of `query --dir`, i.e. every quad whatever its graph. */
  readonly graph: Slot | 'union';
  readonly offset: number;
  readonly limit: number;
}

interface SparqlTerm {
  readonly termType?: string;
  readonly value?: string;
  readonly language?: string;
  readonly datatype?: { readonly value?: string };
}

interface SelectShape {
  readonly type?: string;
  readonly queryType?: string;
  readonly distinct?: boolean;
  readonly reduced?: boolean;
  readonly variables?: readonly unknown[];
  readonly where?: readonly unknown[];
  readonly from?: unknown;
  readonly values?: unknown;
  readonly group?: unknown;
  readonly having?: unknown;
  readonly order?: unknown;
  readonly limit?: number;
  readonly offset?: number;
}

/**
 * The scan plan of a query, or undefined when it is anything but a single quad pattern (then oxigraph answers it).
 * Left to oxigraph on purpose: DISTINCT/REDUCED (a set of every row is not bounded), FROM/FROM NAMED (their own
 * dataset), expressions in the projection, FILTER, VALUES, property paths, ORDER BY, GROUP BY, and CONSTRUCT.
 */
export function scanPlan(query: ParsedQuery): ScanPlan | undefined {
  if (query.form !== 'SELECT' || query.ownDataset) return undefined;
  let parsed: SelectShape;
  try {
    parsed = new (sparqljsModule().Parser)().parse(query.text) as SelectShape;
  } catch {
    return undefined;
  }
  if (parsed.type !== 'query' || parsed.queryType !== 'SELECT' || parsed.distinct === true || parsed.reduced === true) return undefined;
  if (parsed.from !== undefined || parsed.values !== undefined || parsed.group !== undefined || parsed.having !== undefined || parsed.order !== undefined) return undefined;
  // Plain variables or `*` only (sparqljs gives `*` as one Wildcard term).
  for (const v of parsed.variables ?? []) {
    const t = v as SparqlTerm;
    if (t.termType !== 'Variable' && t.termType !== 'Wildcard') return undefined;
  }
  const where = parsed.where ?? [];
  if (where.length !== 1) return undefined;
  const only = where[0] as { type?: string; name?: SparqlTerm; patterns?: readonly unknown[]; triples?: readonly unknown[] };
  let graph: Slot | 'union' = 'union';
  let bgp = only;
  if (only.type === 'graph') {
    const name = only.name === undefined ? undefined : slotOf(only.name);
    if (name === undefined || ('constant' in name && name.constant.termType !== 'NamedNode') || only.patterns?.length !== 1) return undefined;
    graph = name;
    bgp = only.patterns[0] as typeof only;
  }
  if (bgp.type !== 'bgp' || bgp.triples?.length !== 1) return undefined;
  const triple = bgp.triples[0] as { subject?: SparqlTerm; predicate?: SparqlTerm; object?: SparqlTerm };
  const subject = triple.subject === undefined ? undefined : slotOf(triple.subject);
  const predicate = triple.predicate === undefined ? undefined : slotOf(triple.predicate);
  const object = triple.object === undefined ? undefined : slotOf(triple.object);
  if (subject === undefined || predicate === undefined || object === undefined) return undefined;
  if ('constant' in predicate && predicate.constant.termType !== 'NamedNode') return undefined;
  return { subject, predicate, object, graph, offset: parsed.offset ?? 0, limit: parsed.limit ?? Number.POSITIVE_INFINITY };
}

/** A sparqljs term as a slot; undefined for anything else (a path, a quoted triple, an unknown kind). */
function slotOf(t: SparqlTerm): Slot | undefined {
  if (typeof t.value !== 'string') return undefined;
  switch (t.termType) {
    case 'Variable':
      return { variable: t.value };
    case 'BlankNode':
      // Never projected, and no SPARQL variable name starts with a space.
      return { variable: ` ${t.value}` };
    case 'NamedNode':
      return { constant: { termType: 'NamedNode', value: t.value } };
    case 'Literal': {
      const language = t.language ?? '';
      if (language !== '') return { constant: { termType: 'Literal', value: t.value, language } };
      const datatype = t.datatype?.value ?? XSD_STRING;
      return { constant: datatype === XSD_STRING ? { termType: 'Literal', value: t.value } : { termType: 'Literal', value: t.value, datatype } };
    }
    default:
      return undefined;
  }
}

/**
 * The form oxigraph gives a literal back in (its store keeps XSD values as values: `"007"^^xsd:int` comes back as
 * `"7"^^xsd:integer`, `"1.5E0"^^xsd:double` as `"1.5"`, language tags lower-cased), so a scanned row equals the row
 * oxigraph would answer. XSD-typed literals are put through oxigraph itself (a small store per batch of new
 * values), cached by lexical form; other terms are returned as they are.
 */
export class LiteralCanon {
  private readonly known = new Map<string, TextTerm>();
  private constructor(private readonly ox: Oxigraph) {}

  static async create(): Promise<LiteralCanon> {
    return new LiteralCanon(await oxigraph());
  }

  /** Canonical forms for every term of `terms` that needs one, in one oxigraph load. */
  prepare(terms: Iterable<TextTerm>): void {
    const missing = new Map<string, TextTerm>();
    for (const t of terms) {
      const key = xsdKey(t);
      if (key !== undefined && !this.known.has(key)) missing.set(key, t);
    }
    if (missing.size === 0) return;
    // Bounded: distinct values are forgotten past this many (then simply computed again).
    if (this.known.size + missing.size > 200_000) this.known.clear();
    const keys = [...missing.keys()];
    const lines = keys.map((k, i) => `<urn:x-scan:${i}> <urn:x-scan:p> ${termText(missing.get(k) as TextTerm)} .\n`);
    const store = new this.ox.Store();
    try {
      store.load(lines.join(''), { format: 'application/n-triples', no_transaction: true, lenient: true });
      const rows = store.query('SELECT ?s ?o WHERE { ?s ?p ?o }') as Map<string, OxTerm>[];
      for (const row of rows) {
        const i = Number((row.get('s')?.value ?? '').slice('urn:x-scan:'.length));
        const o = row.get('o');
        const key = keys[i];
        if (key === undefined || o === undefined) continue;
        const datatype = o.datatype?.value ?? XSD_STRING;
        this.known.set(key, datatype === XSD_STRING ? { termType: 'Literal', value: o.value } : { termType: 'Literal', value: o.value, datatype });
      }
    } catch {
      // A value oxigraph refuses stays as it is (it would have refused the whole dataset the same way).
    } finally {
      store.free?.();
    }
    for (const [key, t] of missing) if (!this.known.has(key)) this.known.set(key, t);
  }

  /** The canonical form of one term (prepared or not). */
  of(t: TextTerm): TextTerm {
    if (t.termType !== 'Literal') return t;
    if (t.language !== undefined && t.language !== '') return { termType: 'Literal', value: t.value, language: asciiLower(t.language) };
    const key = xsdKey(t);
    if (key === undefined) return t;
    let known = this.known.get(key);
    if (known === undefined) {
      this.prepare([t]);
      known = this.known.get(key) ?? t;
    }
    return known;
  }
}

/** The cache key of a literal oxigraph may rewrite (an XSD datatype other than xsd:string), else undefined. */
function xsdKey(t: TextTerm): string | undefined {
  if (t.termType !== 'Literal' || t.datatype === undefined || !t.datatype.startsWith(XSD) || t.datatype === XSD_STRING) return undefined;
  return `${t.datatype}\u0000${t.value}`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A string as oxigraph gives it back: its store holds UTF-8, so a lone surrogate (possible in a JSON document's
 * string, and kept by the lift until the text is written) comes back as U+FFFD. The index's files hold UTF-8 too;
 * the in-memory lines of a first question do not, hence this.
 */
function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD');
}

const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

function sameTerm(a: TextTerm, b: TextTerm): boolean {
  return a.termType === b.termType && a.value === b.value && (a.datatype ?? '') === (b.datatype ?? '') && (a.language ?? '') === (b.language ?? '');
}

/**
 * Rows an answer may have when it is returned whole (no `onRows`: `--json`, the library): past this, the question
 * ends with QUERY_TOO_LARGE instead of building an answer the caller's thread would then have to copy and hold.
 */
export const WHOLE_ANSWER_MAX_ROWS = 1_000_000;

export interface ScanOptions {
  /**
   * Receives the rows in batches of ROW_BATCH as they are read. When it returns a promise, reading waits for it
   * (the worker's flow control: rows are not read faster than the main thread writes them).
   */
  readonly onRows?: (rows: readonly SparqlBinding[]) => void | Promise<void>;
  /**
   * Rows kept in the returned answer when `onRows` is given (for the answer cache): past this many, none are kept and
   * `complete` is false. Without `onRows` every row is kept (the caller asked for the whole answer).
   */
  readonly keepRows?: number;
}

/**
 * The rows of `plan` over N-Quads text given in chunks of whole lines (one file's worth or less at a time, so
 * memory holds one chunk, one batch of rows, the blank-node labels and the lines of the current graph and predicate),
 * in the order the lines come. A line repeated within its run of lines of one graph and predicate is one row, as in
 * oxigraph's set of quads; the caller makes sure equal lines are never apart (see scanPlan's callers in run.ts). Blank nodes are
 * labelled `b0`, `b1`, … by first appearance, as oxigraph answers are (ox-engine.ts). A line that is not N-Quads is
 * an internal error: every line was written by our own writer.
 */
export async function scanSelect(
  chunks: Iterable<string>,
  plan: ScanPlan,
  query: ParsedQuery,
  options: ScanOptions = {},
): Promise<{ readonly answer: QueryAnswer; readonly complete: boolean }> {
  const canon = await LiteralCanon.create();
  const vars = [...query.variables];
  const { onRows } = options;
  const keepRows = onRows === undefined ? Number.POSITIVE_INFINITY : (options.keepRows ?? 0);
  const slots: [Slot, keyof TextQuad][] = [[plan.subject, 'subject'], [plan.predicate, 'predicate'], [plan.object, 'object']];
  if (plan.graph !== 'union') slots.push([plan.graph, 'graph']);
  const constants = slots.flatMap(([slot, position]) => ('constant' in slot ? [[canon.of(slot.constant), position] as const] : []));
  // Which positions bind each variable: a variable in two positions requires the two terms to be equal.
  const binders = new Map<string, (keyof TextQuad)[]>();
  for (const [slot, position] of slots) if ('variable' in slot) binders.set(slot.variable, [...(binders.get(slot.variable) ?? []), position]);
  const equalities = [...binders.values()].flatMap(([first, ...rest]) => (first === undefined ? [] : rest.map((p) => [first, p] as const)));
  const projected = vars.map((v) => [v, binders.get(v)?.[0]] as const).filter((p): p is readonly [string, keyof TextQuad] => p[1] !== undefined);
  const labels = new Map<string, string>();
  const json = (t: TextTerm): SparqlTermJson => {
    if (t.termType === 'NamedNode') return { type: 'uri', value: wellFormed(t.value) };
    if (t.termType === 'BlankNode') {
      let label = labels.get(t.value);
      if (label === undefined) labels.set(t.value, (label = `b${labels.size}`));
      return { type: 'bnode', value: label };
    }
    const c = canon.of(t);
    const value = wellFormed(c.value);
    if (c.language !== undefined && c.language !== '') return { type: 'literal', value, 'xml:lang': c.language };
    return c.datatype === undefined || c.datatype === RDF_LANG_STRING ? { type: 'literal', value } : { type: 'literal', value, datatype: wellFormed(c.datatype) };
  };

  // oxigraph holds a set of quads: a line written twice (the links graph has such lines) is one row there. Equal
  // lines share their graph and predicate, and the index keeps each graph's lines of a partition together (one
  // document's lines, or one partition of the index/links graphs), so the set of lines seen is only kept for the
  // current run of (graph, predicate): bounded by one partition of one graph, not by the answer.
  let run = '';
  let seen = new Set<string>();
  let kept: SparqlBinding[] | undefined = [];
  let pending: TextQuad[] = [];
  let skip = plan.offset;
  let left = plan.limit;
  const flush = (): void | Promise<void> => {
    if (pending.length === 0) return undefined;
    canon.prepare(pending.flatMap((q) => projected.map(([, position]) => q[position])));
    const rows = pending.map((q) => {
      const row: Record<string, SparqlTermJson> = {};
      for (const [v, position] of projected) row[v] = json(q[position]);
      return row as SparqlBinding;
    });
    pending = [];
    const delivered = onRows?.(rows);
    if (kept !== undefined) {
      for (const r of rows) kept.push(r);
      if (onRows === undefined && kept.length > WHOLE_ANSWER_MAX_ROWS) {
        throw new InputError('QUERY_TOO_LARGE', `${query.label}: the answer has more than ${WHOLE_ANSWER_MAX_ROWS.toLocaleString('en')} rows, too many to return whole (--json); write its rows as they are read instead: --format csv, tsv or json without --json`);
      }
      if (kept.length > keepRows) kept = undefined;
    }
    return delivered;
  };
  const matches = (q: TextQuad): boolean => {
    if (plan.graph !== 'union' && q.graph.termType === 'DefaultGraph') return false;
    for (const [term, position] of constants) {
      const t = q[position];
      if (t.termType !== term.termType) return false;
      if (!sameTerm(t.termType === 'Literal' ? canon.of(t) : t, term)) return false;
    }
    for (const [a, b] of equalities) if (!sameTerm(canon.of(q[a]), canon.of(q[b]))) return false;
    return true;
  };

  scan: for (const chunk of chunks) {
    if (left <= 0) break;
    let start = 0;
    while (start < chunk.length) {
      let end = chunk.indexOf('\n', start);
      if (end < 0) end = chunk.length;
      const line = chunk.slice(start, end);
      start = end + 1;
      if (line === '' || line.startsWith('#')) continue;
      const q = readNQuadsLine(line);
      if (q === undefined) throw new PeTraceError('INTERNAL', `the query index holds a line that is not N-Quads: ${line.slice(0, 80)}`);
      if (!matches(q)) continue;
      const runKey = `${q.graph.value} ${q.predicate.value}`;
      if (runKey !== run) {
        run = runKey;
        seen = new Set();
      }
      if (seen.has(line)) continue;
      seen.add(line);
      if (skip > 0) {
        skip--;
        continue;
      }
      pending.push(q);
      if (--left <= 0) break scan;
      if (pending.length >= ROW_BATCH) await flush();
    }
  }
  await flush();
  return { answer: { form: 'SELECT', results: { head: { vars }, results: { bindings: kept ?? [] } } }, complete: kept !== undefined };
}
