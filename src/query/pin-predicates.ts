// Rewrites `?s ?p ?o FILTER(?p = <iri>)` to `?s <iri> ?o BIND(<iri> AS ?p)` so the engine reads one predicate's index instead of scanning every triple.
import type sparqljsTypes from 'sparqljs';
import { lazyRequire } from '../lazy.js';
import { groupConstraints } from './needs.js';

const sparqljsModule = lazyRequire<typeof sparqljsTypes>('sparqljs');

interface Node {
  [key: string]: unknown;
}
interface Term {
  readonly termType: string;
  readonly value: string;
}

/**
 * The query with every variable predicate that a FILTER of its own group pins to one IRI replaced by that IRI,
 * and the variable bound to it by a BIND at the end of the group: the group's solutions are the same (a triple
 * with another predicate was filtered out anyway; the FILTER is kept and still holds), but oxigraph does not push
 * such a FILTER into the pattern and would scan every triple of the store. Only a variable that occurs nowhere
 * else in the group (no other position, nested pattern, BIND, VALUES) is rewritten; `SELECT *` and DESCRIBE are
 * left alone (their columns or answer follow where a variable occurs). Returns `text` itself when nothing applies.
 */
export function withPinnedPredicates(text: string): string {
  const sparqljs = sparqljsModule();
  let query: Node;
  try {
    query = new sparqljs.Parser().parse(text) as unknown as Node;
  } catch {
    return text;
  }
  if (query['type'] !== 'query' || query['queryType'] === 'DESCRIBE') return text;
  if (asArray(query['variables']).some((v) => isTerm(v) && v.termType === 'Wildcard')) return text;
  let changed = false;
  const visit = (node: unknown, key: string): void => {
    if (Array.isArray(node)) {
      if (key === 'where' || key === 'patterns') changed = pinGroup(node as unknown[]) || changed;
      for (const x of node) visit(x, '');
      return;
    }
    if (!isRecord(node)) return;
    // Not into expressions: a group under EXISTS sees the outer solution's values substituted in, where a BIND of
    // an already-bound variable would mean something else.
    for (const [k, v] of Object.entries(node)) if (typeof v === 'object' && v !== null && k !== 'template' && k !== 'expression' && k !== 'args') visit(v, k);
  };
  visit(query['where'], 'where');
  if (!changed) return text;
  return new sparqljs.Generator().stringify(query as unknown as sparqljsTypes.SparqlQuery);
}

/** Rewrites one group in place; true when it changed. */
function pinGroup(group: unknown[]): boolean {
  let changed = false;
  for (const [variable, iris] of groupConstraints(group)) {
    const [iri] = iris;
    if (iris.length !== 1 || iri === undefined) continue;
    const asPredicate: Node[] = [];
    let elsewhere = false;
    for (const item of group) {
      if (!isRecord(item)) continue;
      if (item['type'] === 'filter') continue;
      if (item['type'] === 'bgp') {
        for (const t of asArray(item['triples'])) {
          if (!isRecord(t)) continue;
          const p = t['predicate'];
          if (isTerm(p) && p.termType === 'Variable' && p.value === variable) asPredicate.push(t);
          if (mentions(t['subject'], variable) || mentions(t['object'], variable) || (!isTerm(p) && mentions(p, variable))) elsewhere = true;
        }
      } else if (item['type'] === 'values' || mentions(item, variable)) elsewhere = true; // VALUES rows name variables as keys
    }
    if (elsewhere || asPredicate.length === 0) continue;
    for (const t of asPredicate) t['predicate'] = { termType: 'NamedNode', value: iri };
    group.push({ type: 'bind', variable: { termType: 'Variable', value: variable }, expression: { termType: 'NamedNode', value: iri } });
    changed = true;
  }
  return changed;
}

/** Whether `node` (a term or any pattern or expression) contains the variable. */
function mentions(node: unknown, variable: string): boolean {
  if (isTerm(node)) return node.termType === 'Variable' && node.value === variable;
  if (Array.isArray(node)) return node.some((x) => mentions(x, variable));
  if (!isRecord(node)) return false;
  return Object.values(node).some((v) => typeof v === 'object' && v !== null && mentions(v, variable));
}

function isTerm(v: unknown): v is Term {
  return isRecord(v) && typeof v['termType'] === 'string' && typeof v['value'] === 'string';
}

function isRecord(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asArray(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}
