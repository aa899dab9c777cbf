// SPARQL results in the W3C formats (Query Results JSON, CSV, TSV), N-Quads for graphs, and an aligned text table.
import type { Quad } from '@rdfjs/types';
import { Writer } from 'n3';
import type { OxTerm } from '../rdf/sparql.js';

/** A term of the W3C SPARQL 1.1 Query Results JSON format. */
export type SparqlTermJson =
  | { readonly type: 'uri'; readonly value: string }
  | { readonly type: 'bnode'; readonly value: string }
  | { readonly type: 'literal'; readonly value: string; readonly datatype?: string; readonly 'xml:lang'?: string };

/** One solution of a SELECT: variable name → term (unbound variables absent). */
export type SparqlBinding = Readonly<Record<string, SparqlTermJson>>;

/** SELECT results in the W3C JSON format. */
export interface SparqlJsonResults {
  readonly head: { readonly vars: readonly string[] };
  readonly results: { readonly bindings: readonly SparqlBinding[] };
}

/** ASK results in the W3C JSON format. */
export interface SparqlJsonBoolean {
  readonly head: Record<string, never>;
  readonly boolean: boolean;
}

export type ResultFormat = 'table' | 'json' | 'csv' | 'tsv' | 'nquads';

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

/** An oxigraph or RDF/JS term as a W3C results-JSON term (simple literals carry no datatype, language ones `xml:lang`). */
export function termToJson(term: OxTerm): SparqlTermJson {
  if (term.termType === 'NamedNode') return { type: 'uri', value: term.value };
  if (term.termType === 'BlankNode') return { type: 'bnode', value: term.value };
  const language = term.language ?? '';
  if (language !== '') return { type: 'literal', value: term.value, 'xml:lang': language };
  const datatype = term.datatype?.value ?? XSD_STRING;
  if (datatype === XSD_STRING || datatype === RDF_LANG_STRING) return { type: 'literal', value: term.value };
  return { type: 'literal', value: term.value, datatype };
}

/** W3C JSON (`application/sparql-results+json`), two-space indented, one trailing newline. */
export function selectToJson(r: SparqlJsonResults): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

export function askToJson(value: boolean): string {
  const r: SparqlJsonBoolean = { head: {}, boolean: value };
  return `${JSON.stringify(r, null, 2)}\n`;
}

/**
 * SPARQL 1.1 Query Results CSV: a header of variable names, then one row per solution; IRIs bare,
 * literals as their lexical form, blank nodes `_:label`; a field is quoted when it holds a comma, a quote,
 * CR or LF (quotes doubled); lines end with CRLF, as the format requires.
 */
export function selectToCsv(r: SparqlJsonResults): string {
  const field = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return delimited(r, r.head.vars.map(field), (t) => field(t.type === 'bnode' ? `_:${t.value}` : t.value), ',', '\r\n');
}

/**
 * SPARQL 1.1 Query Results TSV: a header of `?var`s, then terms in SPARQL/Turtle syntax (`<iri>`, `"lit"`,
 * `"lit"@en`, `"lit"^^<dt>`, `_:b`) separated by tabs; unbound is empty; lines end with LF.
 */
export function selectToTsv(r: SparqlJsonResults): string {
  return delimited(r, r.head.vars.map((v) => `?${v}`), termToSparql, '\t', '\n');
}

/** The header, then a line per solution: each variable's cell (empty when unbound), every line ended with `eol`. */
function delimited(r: SparqlJsonResults, header: readonly string[], cell: (t: SparqlTermJson) => string, separator: string, eol: string): string {
  const lines = [header.join(separator)];
  for (const b of r.results.bindings) {
    lines.push(r.head.vars.map((v) => {
      const t = b[v];
      return t === undefined ? '' : cell(t);
    }).join(separator));
  }
  return `${lines.join(eol)}${eol}`;
}

/** ASK in CSV/TSV (not specified by the W3C): the single word `true` or `false`. */
export function askToText(value: boolean): string {
  return `${value ? 'true' : 'false'}\n`;
}

/** A term in SPARQL/N-Triples syntax (string escapes per N-Triples: \\ \" \n \r \t). */
export function termToSparql(t: SparqlTermJson): string {
  if (t.type === 'uri') return `<${t.value}>`;
  if (t.type === 'bnode') return `_:${t.value}`;
  const lexical = `"${t.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
  if (t['xml:lang'] !== undefined) return `${lexical}@${t['xml:lang']}`;
  if (t.datatype !== undefined) return `${lexical}^^<${t.datatype}>`;
  return lexical;
}

/**
 * An aligned, human-readable table: IRIs compacted with the query's own prefixes (else `<iri>`), literals
 * as their text, and a final `(N rows)` line. Not a machine format: use json, csv or tsv for that.
 */
export function selectToTable(r: SparqlJsonResults, prefixes: Readonly<Record<string, string>> = {}): string {
  const rows = r.results.bindings.map((b) => tableCells(b, r.head.vars, prefixes));
  const widths = tableWidths(r.head.vars, rows);
  const out = [padTableRow(r.head.vars, widths), padTableRow(widths.map((w) => '-'.repeat(w)), widths), ...rows.map((row) => padTableRow(row, widths)), tableFooter(rows.length)];
  return `${out.join('\n')}\n`;
}

/** A row's cells as the table shows them: IRIs compacted with `prefixes` (else `<iri>`), literals on one line. */
export function tableCells(b: SparqlBinding, vars: readonly string[], prefixes: Readonly<Record<string, string>> = {}): string[] {
  const show = (t: SparqlTermJson | undefined): string => {
    if (t === undefined) return '';
    if (t.type === 'bnode') return `_:${t.value}`;
    if (t.type === 'literal') return t.value.replace(/\s*[\t\r\n]\s*/g, ' ');
    for (const [p, ns] of Object.entries(prefixes)) if (ns !== '' && t.value.startsWith(ns) && /^[\w.-]*$/.test(t.value.slice(ns.length))) return `${p}:${t.value.slice(ns.length)}`;
    return `<${t.value}>`;
  };
  return vars.map((v) => show(b[v]));
}

/** Column widths (in code points) for the header and these rows. */
export function tableWidths(vars: readonly string[], rows: readonly (readonly string[])[]): number[] {
  return vars.map((v, i) => Math.max(v.length, ...rows.map((row) => [...(row[i] ?? '')].length)));
}

/** One table line: cells padded to `widths` (the last not padded), two spaces apart, no trailing blanks. */
export function padTableRow(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - [...c].length))))
    .join('  ')
    .trimEnd();
}

/** The table's last line: `(N rows)`. */
export function tableFooter(rows: number): string {
  return `(${rows} row${rows === 1 ? '' : 's'})`;
}

/** Quads as N-Quads (triples of the default graph as N-Triples lines). */
export function quadsToNQuads(quads: readonly Quad[]): string {
  const writer = new Writer({ format: 'N-Quads' });
  return writer.quadsToString([...quads]);
}
