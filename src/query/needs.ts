// Which triples a query can read: the constant predicates (and rdf:type classes) of its patterns, so loading can skip the rest.
import { RDF_TYPE } from './namespaces.js';

/**
 * What part of a dataset a query can possibly match. `predicates` is every constant predicate of every
 * triple pattern and property path in the query (sub-queries, OPTIONAL, MINUS, EXISTS included); a quad whose
 * predicate is not in it can match no pattern, so leaving it out of the store changes no answer.
 * `typeClasses`, when present, narrows `rdf:type` further to the classes the query names as constant objects.
 */
export interface DatasetNeeds {
  readonly predicates: ReadonlySet<string>;
  readonly typeClasses?: ReadonlySet<string>;
}

/** A predicate/object filter for the loader; `undefined` needs = keep everything. */
export type QuadKeep = (predicate: string, object: string) => boolean;

export function keepFilter(needs: DatasetNeeds | undefined): QuadKeep | undefined {
  if (needs === undefined) return undefined;
  const { predicates, typeClasses } = needs;
  return (p, o) => predicates.has(p) && (p !== RDF_TYPE || typeClasses === undefined || typeClasses.has(o));
}

/** Whether a partition (a predicate, or `<rdf:type> <class>`: see partitions.ts) can hold triples `keep` accepts. */
export function keepsPartition(keep: QuadKeep | undefined, key: string): boolean {
  if (keep === undefined) return true;
  const space = key.indexOf(' ');
  return space < 0 ? keep(key, '') : keep(key.slice(0, space), key.slice(space + 1));
}

/**
 * The needs of a parsed sparqljs query object, or `undefined` when pruning would change an answer:
 * a variable predicate (`?s ?p ?o`) that no FILTER of its own group pins to constant IRIs, a negated property set (`!p`), a zero-length path (`p*`, `p?` bind every
 * node of the graph, not only those of `p` triples), an empty `GRAPH ?g {}` (binds every graph), or DESCRIBE
 * (returns whatever is known about a resource). The CONSTRUCT template is not read: it matches nothing.
 */
export function datasetNeeds(query: unknown): DatasetNeeds | undefined {
  if (!isRecord(query) || query['queryType'] === 'DESCRIBE') return undefined;
  const predicates = new Set<string>();
  const classes = new Set<string>();
  let anyClass = false;
  let prunable = true;

  const path = (p: unknown): void => {
    if (isTerm(p)) {
      if (p.termType === 'NamedNode') {
        predicates.add(p.value);
        if (p.value === RDF_TYPE) anyClass = true; // inside a path the object is not the class
      } else prunable = false;
      return;
    }
    if (!isRecord(p) || p['type'] !== 'path') {
      prunable = false;
      return;
    }
    const kind = p['pathType'];
    if (kind === '!' || kind === '*' || kind === '?') prunable = false;
    for (const item of asArray(p['items'])) path(item);
  };

  const visit = (node: unknown, key: string, bound: ReadonlyMap<string, readonly string[]> = NONE): void => {
    if (!prunable || key === 'template') return;
    if (Array.isArray(node)) {
      // A group's FILTERs constrain the triple patterns of its own basic graph patterns (not nested groups).
      if (key === 'where' || key === 'patterns') {
        const inGroup = groupPins(node);
        for (const x of node) visit(x, key, isRecord(x) && x['type'] === 'bgp' ? inGroup : NONE);
      } else for (const x of node) visit(x, key, bound);
      return;
    }
    if (!isRecord(node)) return;
    if (node['type'] === 'graph' && !hasTriples(node['patterns'])) prunable = false;
    if (key === 'triples' && 'predicate' in node && 'subject' in node) {
      const p = node['predicate'];
      const allowed = isTerm(p) && p.termType === 'Variable' ? bound.get(p.value) : undefined;
      if (isTerm(p) && p.termType === 'NamedNode') {
        predicates.add(p.value);
        if (p.value === RDF_TYPE) {
          const o = node['object'];
          const pinnedClasses = isTerm(o) && o.termType === 'Variable' ? bound.get(o.value) : undefined;
          if (isTerm(o) && o.termType === 'NamedNode') classes.add(o.value);
          else if (pinnedClasses !== undefined) for (const c of pinnedClasses) classes.add(c);
          else anyClass = true;
        }
      } else if (allowed !== undefined) {
        // `?s ?p ?o FILTER(?p = <iri>)` in the same group: any other predicate's triple is filtered out anyway.
        for (const iri of allowed) {
          predicates.add(iri);
          if (iri === RDF_TYPE) anyClass = true;
        }
      } else path(p);
      return;
    }
    for (const [k, v] of Object.entries(node)) if (typeof v === 'object' && v !== null) visit(v, k, k === 'triples' ? bound : NONE);
  };

  visit(query['where'], 'where');
  // Sub-expressions outside WHERE can hold EXISTS patterns too (SELECT (EXISTS {…} AS ?x), HAVING, ORDER BY).
  for (const k of ['variables', 'having', 'order', 'group']) visit(query[k], k);
  if (!prunable) return undefined;
  return anyClass ? { predicates } : { predicates, typeClasses: classes };
}

const NONE: ReadonlyMap<string, readonly string[]> = new Map();

/**
 * What pins a group's variables for its own basic graph patterns: its FILTERs (groupConstraints) and its inline
 * `VALUES` blocks. A VALUES block is joined with the rest of its group, so a triple of that group can only keep
 * rows whose variable holds one of the block's terms; it pins only when every row binds the variable to an IRI
 * (an UNDEF row or a literal lets anything through). Both pin the same variable: the intersection.
 */
function groupPins(group: readonly unknown[]): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, readonly string[]>(groupConstraints(group));
  for (const item of group) {
    if (!isRecord(item) || item['type'] !== 'values') continue;
    const rows = asArray(item['values']).filter(isRecord);
    const names = new Set(rows.flatMap((r) => Object.keys(r)));
    for (const name of names) {
      const terms = rows.map((r) => r[name]);
      if (rows.length === 0 || !terms.every((t) => isTerm(t) && t.termType === 'NamedNode')) continue;
      const iris = [...new Set((terms as TermLike[]).map((t) => t.value))];
      narrow(out, name.startsWith('?') || name.startsWith('$') ? name.slice(1) : name, iris);
    }
  }
  return out;
}

/**
 * Variables a group's FILTERs pin to constant IRIs: `?p = <iri>`, `<iri> = ?p`, `sameTerm(?p, <iri>)`,
 * `?p IN (<iri>, …)`, and conjunctions (`&&`) of those. A disjunction or any other test pins nothing.
 */
export function groupConstraints(group: readonly unknown[]): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  const pin = (variable: string, iris: readonly string[]): void => narrow(out, variable, iris);
  const read = (e: unknown): void => {
    if (!isRecord(e) || e['type'] !== 'operation') return;
    const op = String(e['operator']).toLowerCase();
    const args = asArray(e['args']);
    if (op === '&&') {
      args.forEach(read);
      return;
    }
    const [a, b] = args;
    if ((op === '=' || op === 'sameterm') && isTerm(a) && isTerm(b)) {
      if (a.termType === 'Variable' && b.termType === 'NamedNode') pin(a.value, [b.value]);
      else if (b.termType === 'Variable' && a.termType === 'NamedNode') pin(b.value, [a.value]);
    } else if (op === 'in' && isTerm(a) && a.termType === 'Variable' && Array.isArray(b) && b.length > 0 && b.every((x) => isTerm(x) && x.termType === 'NamedNode')) {
      pin(a.value, (b as TermLike[]).map((x) => x.value));
    }
  };
  for (const item of group) if (isRecord(item) && item['type'] === 'filter') read(item['expression']);
  return out;
}

/** Pins `variable` to `iris`, or to what it was pinned to already and `iris` both allow (two pins on one group). */
function narrow(pins: Map<string, readonly string[]>, variable: string, iris: readonly string[]): void {
  const before = pins.get(variable);
  pins.set(variable, before === undefined ? iris : before.filter((x) => iris.includes(x)));
}

function hasTriples(patterns: unknown): boolean {
  let found = false;
  const walk = (n: unknown): void => {
    if (found) return;
    if (Array.isArray(n)) n.forEach(walk);
    else if (isRecord(n)) {
      if (Array.isArray(n['triples']) && n['triples'].length > 0) found = true;
      else Object.values(n).forEach(walk);
    }
  };
  walk(patterns);
  return found;
}

/** An RDF/JS term as sparqljs parses it (the plain-data checks the walks over a parse tree share; line-plan.ts too). */
export interface TermLike {
  readonly termType: string;
  readonly value: string;
  readonly language?: unknown;
  readonly datatype?: unknown;
}

export function isTerm(v: unknown): v is TermLike {
  return isRecord(v) && typeof v['termType'] === 'string' && typeof v['value'] === 'string';
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asArray(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}
