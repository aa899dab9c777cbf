// Parses a user's SPARQL query with sparqljs first, so a malformed query is a located error (file:line:column).
import type sparqljsTypes from 'sparqljs';
import { InputError } from '../errors.js';
import { lazyRequire } from '../lazy.js';
import { type LinePlan, linePlan } from './line-plan.js';
import { type DatasetNeeds, datasetNeeds } from './needs.js';

/** Loaded on the first query, not at library import (see src/lazy.ts). */
const sparqljsModule = lazyRequire<typeof sparqljsTypes>('sparqljs');

export type QueryForm = 'SELECT' | 'ASK' | 'CONSTRUCT' | 'DESCRIBE';

export interface ParsedQuery {
  readonly text: string;
  readonly form: QueryForm;
  /** Projected variables in order; a `SELECT *` has its in-scope variables, in the order wildcardVariables gives. */
  readonly variables: readonly string[];
  /** The query's own PREFIX declarations (prefix → IRI), for compact table output. */
  readonly prefixes: Readonly<Record<string, string>>;
  readonly label: string;
  /** The triples it can match (absent: it may read any triple); the loader leaves out the rest. */
  readonly needs?: DatasetNeeds;
  /** Which lines of those triples it can match (constants, joins on shared variables); absent: every line (line-plan.ts). */
  readonly lines?: LinePlan;
  /** It names its own dataset (FROM / FROM NAMED): its default graph is then what it says, not the union of all graphs. */
  readonly ownDataset: boolean;
}

interface JisonHash {
  readonly text?: string;
  readonly token?: string;
  readonly loc?: { readonly last_line: number; readonly last_column: number };
  readonly expected?: readonly string[];
}

/**
 * Parses `text`. Update requests are refused (this is a read-only query command). Errors are InputError
 * QUERY_SYNTAX located at the offending token: sparqljs reports the token *before* the error, so the
 * position is found by skipping whitespace and comments after it.
 */
export function parseUserQuery(text: string, label = '<query>'): ParsedQuery {
  let parsed: unknown;
  try {
    parsed = new (sparqljsModule().Parser)().parse(text);
  } catch (e) {
    throw syntaxError(e, text, label);
  }
  const q = parsed as { type?: string; queryType?: string; variables?: unknown[]; prefixes?: Record<string, string>; from?: { default?: unknown[]; named?: unknown[] } };
  if (q.type === 'update') throw new InputError('QUERY_SYNTAX', 'this is a SPARQL Update request; pe-trace query runs read-only queries (SELECT, ASK, CONSTRUCT, DESCRIBE)', { location: { file: label, line: 1, column: 1 } });
  const form = (q.queryType ?? 'SELECT').toUpperCase() as QueryForm;
  const variables: string[] = [];
  for (const v of q.variables ?? []) {
    const term = v as { termType?: string; value?: string; variable?: { value?: string } };
    if (term.termType === 'Variable' && typeof term.value === 'string') variables.push(term.value);
    else if (typeof term.variable?.value === 'string') variables.push(term.variable.value);
  }
  if (form === 'SELECT' && variables.length === 0) variables.push(...wildcardVariables(parsed as SparqlNode));
  if (hasService(parsed)) {
    const at = serviceLocation(text);
    throw new InputError('QUERY_FEDERATED', 'federated queries are not run: SERVICE names a remote endpoint, and pe-trace queries only the local data (use --endpoint URL to ask that endpoint directly)', { location: { file: label, ...at } });
  }
  const needs = datasetNeeds(parsed);
  const lines = needs === undefined ? undefined : linePlan(parsed);
  const ownDataset = (q.from?.default?.length ?? 0) + (q.from?.named?.length ?? 0) > 0;
  return { text, form, variables, prefixes: { ...(q.prefixes ?? {}) }, label, ...(needs === undefined ? {} : { needs }), ...(lines === undefined ? {} : { lines }), ownDataset };
}

/** The slice of a sparqljs parse tree wildcardVariables reads (sparqljs's own types are a union too wide to walk). */
interface SparqlNode {
  readonly type?: string;
  readonly termType?: string;
  readonly value?: string;
  readonly queryType?: string;
  readonly variables?: readonly SparqlNode[];
  readonly variable?: SparqlNode;
  readonly where?: readonly SparqlNode[];
  readonly group?: readonly SparqlNode[];
  readonly values?: readonly Readonly<Record<string, unknown>>[];
  readonly patterns?: readonly SparqlNode[];
  readonly triples?: readonly SparqlNode[];
  readonly items?: readonly SparqlNode[];
  readonly name?: SparqlNode;
  readonly subject?: SparqlNode;
  readonly predicate?: SparqlNode;
  readonly object?: SparqlNode;
}

/** Root collation, not the process's locale: the same query gives the same columns on every machine. */
const COLLATION = new Intl.Collator('en');

/**
 * The columns of a `SELECT *`: the variables in scope (SPARQL 1.1 §18.2.1) sorted by collation, ties in order of
 * first appearance. This is the order Comunica (traqula's toAlgebra) gave, so answers keep their columns now that
 * oxigraph (whose JS rows carry no order) answers them: in scope are the variables of triples and paths, BIND and
 * VALUES (UNDEF columns included), GRAPH and SERVICE names, OPTIONAL and UNION branches, and a sub-select's own
 * projection plus its `GROUP BY (… AS ?v)` and trailing VALUES; FILTER and MINUS bring none.
 */
export function wildcardVariables(query: SparqlNode): string[] {
  const found = new Set<string>();
  const walk = (node: SparqlNode | undefined): void => {
    if (node === undefined) return;
    if (node.type === 'query') {
      if (node.queryType !== 'SELECT' && node.queryType !== 'DESCRIBE') return;
      const vars = node.variables ?? [];
      if (vars.some((v) => v.termType === 'Wildcard')) node.where?.forEach(walk);
      else for (const v of vars) walk(v.termType === 'Variable' ? v : v.variable);
      for (const g of node.group ?? []) walk(g.variable);
      for (const key of Object.keys(node.values?.[0] ?? {})) found.add(key.slice(1));
    } else if (node.termType === 'Variable' && node.value !== undefined) found.add(node.value);
    else if (node.subject !== undefined) [node.subject, node.predicate, node.object].forEach(walk);
    else if (node.type === 'path') node.items?.forEach(walk);
    else if (node.type === 'bgp') node.triples?.forEach(walk);
    else if (node.type === 'group' || node.type === 'union' || node.type === 'optional') node.patterns?.forEach(walk);
    else if (node.type === 'service') [...(node.patterns ?? []), node.name].forEach(walk);
    else if (node.type === 'graph') [node.name, ...(node.patterns ?? [])].forEach(walk);
    else if (node.type === 'bind') walk(node.variable);
    else if (node.type === 'values') for (const key of Object.keys(node.values?.[0] ?? {})) found.add(key.slice(1));
  };
  walk({ ...query, type: 'query' });
  return [...found].sort(COLLATION.compare);
}

function syntaxError(e: unknown, text: string, label: string): InputError {
  const message = e instanceof Error ? e.message : String(e);
  const hash = (e as { hash?: JisonHash }).hash;
  if (hash?.loc !== undefined) {
    const { line, column } = nextToken(text, hash.loc.last_line, hash.loc.last_column);
    const got = hash.token === 'EOF' ? 'the end of the query' : `'${hash.text ?? hash.token ?? '?'}'`;
    const expected = (hash.expected ?? []).map((x) => x.replace(/^'|'$/g, ''));
    const shown = expected.length === 0 ? '' : `; expected ${expected.length > 8 ? `one of ${expected.slice(0, 8).join(', ')}, …` : expected.join(', ')}`;
    return new InputError('QUERY_SYNTAX', `SPARQL syntax error: unexpected ${got}${shown}`, { location: { file: label, line, column } });
  }
  // Semantic errors sparqljs raises without a position: point at the first occurrence of what they name.
  const prefix = /Unknown prefix: (\S+)/.exec(message);
  const variable = /\((\?\w+)\)/.exec(message);
  const needle = prefix !== null ? `${prefix[1] ?? ''}:` : variable !== null ? (variable[1] ?? '') : undefined;
  const at = needle === undefined ? -1 : text.indexOf(needle);
  const where = at < 0 ? { line: 1, column: 1 } : lineColumn(text, at);
  return new InputError('QUERY_SYNTAX', `SPARQL error: ${message.split('\n')[0] ?? message}`, { location: { file: label, ...where } });
}

/** 1-based line and column (in code points) of a UTF-16 offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const lastNl = before.lastIndexOf('\n');
  return { line, column: [...before.slice(lastNl + 1)].length + 1 };
}

/** The position of the first token after (line, column) — Jison's 1-based line, 0-based column — skipping blanks and comments. */
function nextToken(text: string, line: number, column: number): { line: number; column: number } {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += (lines[i]?.length ?? 0) + 1;
  offset += column;
  while (offset < text.length) {
    const ch = text[offset];
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') offset++;
    else if (ch === '#') {
      const nl = text.indexOf('\n', offset);
      offset = nl < 0 ? text.length : nl + 1;
    } else break;
  }
  return lineColumn(text, offset);
}

/** Whether any group pattern of the parsed query (sub-selects included) is a SERVICE clause. */
function hasService(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasService);
  if (typeof node !== 'object' || node === null) return false;
  if ((node as { type?: unknown }).type === 'service') return true;
  return Object.values(node).some((v) => typeof v === 'object' && v !== null && hasService(v));
}

/** Line and column of the first SERVICE keyword outside comments and IRIs (1-based); line 1 col 1 if not found. */
function serviceLocation(text: string): { line: number; column: number } {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const code = (lines[i] ?? '').replace(/<[^>\s]*>/g, (m) => ' '.repeat(m.length)).replace(/#.*$/, (m) => ' '.repeat(m.length));
    const m = /\bSERVICE\b/i.exec(code);
    if (m !== null) return { line: i + 1, column: m.index + 1 };
  }
  return { line: 1, column: 1 };
}

/**
 * The query with at most `limit` solutions (`--limit`): its own LIMIT is kept when smaller. The engine stops
 * early, so a huge answer is never built. ASK has no solutions to cut and is returned as it is.
 */
export function withLimit(query: ParsedQuery, limit: number): ParsedQuery {
  if (query.form === 'ASK') return query;
  const sparqljs = sparqljsModule();
  const parsed = new sparqljs.Parser().parse(query.text) as { limit?: number };
  parsed.limit = parsed.limit === undefined ? limit : Math.min(parsed.limit, limit);
  const text = new sparqljs.Generator().stringify(parsed as Parameters<InstanceType<typeof sparqljs.Generator>['stringify']>[0]);
  return { ...query, text };
}
