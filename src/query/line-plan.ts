// Which lines of the partitions a question loads it can match: constant subjects and objects, and semi-joins on variables shared within a join, so oxigraph loads only those.
import { type TextTerm, termText } from '../rdf/nquads-text.js';
import { readNQuadsTerm } from '../rdf/nquads-read.js';
import { type TermLike, asArray, isRecord, isTerm } from './needs.js';

/**
 * A term position of a pattern: a constant (its key, see `termKey`), a variable (blank nodes of the query are
 * variables scoped to their basic graph pattern; path steps get fresh ones), or anything.
 */
export type Slot = { readonly c: string } | { readonly v: string } | { readonly any: true };

/** One triple pattern (or one step of a sequence path) of the question. */
export interface PlanPattern {
  /** The predicate as an N-Quads term (`<iri>`). */
  readonly predicate: string;
  readonly subject: Slot;
  readonly object: Slot;
  /** The scope whose join the pattern is a mandatory part of; -1: read whole (a path this plan does not split). */
  readonly scope: number;
}

/**
 * A join scope: the mandatory patterns of a group (nested plain groups and GRAPH groups flattened in). A union branch
 * or an OPTIONAL's group is a child scope: its solutions are joined (union) or left-joined (optional) with the
 * parent's, so a solution binding a variable to a value the parent can never hold is dropped there whatever it
 * holds otherwise. MINUS, EXISTS and sub-SELECT groups are roots: nothing flows in or out.
 */
export interface PlanScope {
  readonly parent: number;
  /**
   * The parent's variables whose values bound this scope's: all of them for a union branch (joined); for an
   * OPTIONAL, only those the patterns before it in its group certainly bind (a left join keeps an unextended
   * solution, so a variable the left side may leave unbound must not narrow the right side).
   */
  readonly inherit: readonly string[] | 'all';
}

export interface LinePlan {
  readonly patterns: readonly PlanPattern[];
  readonly scopes: readonly PlanScope[];
}

/** The key of every typed literal that is not a plain string: oxigraph compares them by value, so all are alike here. */
const TYPED = '\u0000typed';
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The line plan of a parsed sparqljs query, or `undefined` when any line of the loaded partitions may matter: a
 * variable predicate, a negated or zero-length path, a quoted triple, DESCRIBE, or a construct this plan does not
 * know (then the loader keeps every line, as before); `undefined` too when the plan could drop no line (no constant
 * and no variable shared within a join: `GRAPH ?g { ?c trov:hasArtifact ?a }`). Relative IRIs resolved against a BASE are not used as
 * constants (sparqljs resolved them; oxigraph resolves on its own).
 */
export function linePlan(query: unknown): LinePlan | undefined {
  if (!isRecord(query) || query['type'] !== 'query' || query['queryType'] === 'DESCRIBE') return undefined;
  const iriConstants = query['base'] === undefined;
  const patterns: PlanPattern[] = [];
  const scopes: PlanScope[] = [];
  let ok = true;
  let bgps = 0;
  let fresh = 0;
  const newScope = (parent: number, inherit: readonly string[] | 'all'): number => scopes.push({ parent, inherit }) - 1;

  const slot = (t: unknown, bgp: string): Slot | undefined => {
    if (!isTerm(t)) return undefined;
    if (t.termType === 'Variable') return { v: t.value };
    if (t.termType === 'BlankNode') return { v: `${bgp}_:${t.value}` };
    if (t.termType === 'NamedNode') return iriConstants && !LONE_SURROGATE.test(t.value) ? { c: termText({ termType: 'NamedNode', value: t.value }) } : { any: true };
    if (t.termType === 'Literal') {
      const key = literalKey(t);
      return key === undefined ? { any: true } : { c: key };
    }
    return undefined;
  };

  const triple = (t: unknown, scope: number, bound: Set<string>, bgp: string): void => {
    if (!isRecord(t)) return void (ok = false);
    const s = slot(t['subject'], bgp);
    const o = slot(t['object'], bgp);
    const p = t['predicate'];
    if (s === undefined || o === undefined) return void (ok = false);
    if (isTerm(p) && p.termType === 'NamedNode') {
      patterns.push({ predicate: iriText(p.value), subject: s, object: o, scope });
      for (const x of [s, o]) if ('v' in x) bound.add(x.v);
      return;
    }
    if (isTerm(p)) return void (ok = false); // a variable predicate can match any line
    const steps = pathSteps(p, false);
    if (steps === undefined) {
      // Alternatives and one-or-more: their predicates' lines are read whole; a negated or zero-length path matches anything.
      if (!opaquePredicates(p, (iri) => patterns.push({ predicate: iriText(iri), subject: { any: true }, object: { any: true }, scope: -1 }))) ok = false;
      return;
    }
    // `s p1/^p2 o` is `s p1 ?f . o p2 ?f`: the same lines can take part in a match (SPARQL 1.1 §18.2.2.4).
    let from: Slot = s;
    steps.forEach((step, i) => {
      const to: Slot = i === steps.length - 1 ? o : { v: `\u0000path${fresh++}` };
      patterns.push({ predicate: iriText(step.iri), subject: step.inverse ? to : from, object: step.inverse ? from : to, scope });
      for (const x of [from, to]) if ('v' in x) bound.add(x.v);
      from = to;
    });
  };

  /** A group's elements, flattened into `scope`; returns the variables its mandatory patterns bind. */
  const group = (elements: unknown, scope: number): Set<string> => {
    const bound = new Set<string>();
    for (const el of asArray(elements)) {
      if (!isRecord(el)) {
        ok = false;
        continue;
      }
      switch (el['type']) {
        case 'bgp': {
          const bgp = `b${bgps++}`;
          for (const t of asArray(el['triples'])) triple(t, scope, bound, bgp);
          break;
        }
        case 'group':
        case 'graph':
          // Joined with the rest of the group: the same scope (the graph name is not a line filter).
          for (const v of group(el['patterns'], scope)) bound.add(v);
          break;
        case 'optional':
          group(el['patterns'], newScope(scope, [...bound]));
          break;
        case 'union':
          for (const branch of asArray(el['patterns'])) group(isRecord(branch) && branch['type'] === 'group' ? branch['patterns'] : [branch], newScope(scope, 'all'));
          break;
        case 'minus':
          group(el['patterns'], newScope(-1, []));
          break;
        case 'filter':
        case 'bind':
          expression(el['expression']);
          break;
        case 'values':
          break;
        case 'query':
          subquery(el);
          break;
        default:
          ok = false;
      }
    }
    return bound;
  };

  /** EXISTS / NOT EXISTS groups inside an expression: each a root scope (evaluated per solution, substituted). */
  const expression = (e: unknown): void => {
    if (Array.isArray(e)) return e.forEach(expression);
    if (!isRecord(e)) return;
    if (e['type'] === 'operation' && (e['operator'] === 'exists' || e['operator'] === 'notexists')) {
      group(asArray(e['args']), newScope(-1, []));
      return;
    }
    if (e['type'] === 'query') return subquery(e);
    for (const [k, v] of Object.entries(e)) if (k !== 'termType' && typeof v === 'object' && v !== null) expression(v);
  };

  const subquery = (q: Record<string, unknown>): void => {
    if (q['queryType'] === 'DESCRIBE') ok = false;
    group(q['where'], newScope(-1, []));
    for (const k of ['variables', 'having', 'order', 'group']) expression(q[k]);
  };

  subquery(query);
  if (!ok) return undefined;
  // A plan that can drop no line (no constant, no variable shared within a join) would only cost a pass over the text.
  const plan = { patterns, scopes };
  const joined = joinVariables(plan);
  const narrows = patterns.some((p) => [p.subject, p.object].some((s) => 'c' in s || ('v' in s && p.scope >= 0 && (joined[p.scope]?.has(s.v) ?? false))));
  return narrows ? plan : undefined;
}

/** A sequence path of links and inverse links as steps, or undefined for any other path. */
function pathSteps(p: unknown, inverse: boolean): { readonly iri: string; readonly inverse: boolean }[] | undefined {
  if (isTerm(p)) return p.termType === 'NamedNode' ? [{ iri: p.value, inverse }] : undefined;
  if (!isRecord(p) || p['type'] !== 'path') return undefined;
  const items = asArray(p['items']);
  if (p['pathType'] === '^') return items.length === 1 ? pathSteps(items[0], !inverse) : undefined;
  if (p['pathType'] !== '/') return undefined;
  const out: { iri: string; inverse: boolean }[] = [];
  for (const item of inverse ? [...items].reverse() : items) {
    const steps = pathSteps(item, inverse);
    if (steps === undefined) return undefined;
    out.push(...steps);
  }
  return out;
}

/** Calls `add` with every predicate of a path of alternatives, sequences, inverses and `+`; false for `!`, `*`, `?`. */
function opaquePredicates(p: unknown, add: (iri: string) => void): boolean {
  if (isTerm(p)) {
    if (p.termType !== 'NamedNode') return false;
    add(p.value);
    return true;
  }
  if (!isRecord(p) || p['type'] !== 'path') return false;
  const kind = p['pathType'];
  if (kind !== '|' && kind !== '/' && kind !== '^' && kind !== '+') return false;
  return asArray(p['items']).every((item) => opaquePredicates(item, add));
}

/** The key of a literal constant of the query (see `termKey`), or undefined when it cannot be compared as text. */
function literalKey(t: TermLike): string | undefined {
  if (LONE_SURROGATE.test(t.value)) return undefined;
  const datatype = isTerm(t.datatype) ? t.datatype.value : XSD_STRING;
  const language = typeof t.language === 'string' ? t.language : '';
  if (language !== '') return termText({ termType: 'Literal', value: t.value, language: language.toLowerCase() });
  if (datatype === XSD_STRING || datatype === RDF_LANG_STRING) return termText({ termType: 'Literal', value: t.value });
  return TYPED;
}

function iriText(iri: string): string {
  return termText({ termType: 'NamedNode', value: iri });
}

/**
 * A term of an N-Quads line as a key that two terms oxigraph holds equal share: our writer's canonical text, the
 * language tag lower-cased, and one key for every typed literal other than a string (oxigraph stores XSD values by
 * value: `"007"^^xsd:int` is `7`), so a join on such values keeps every typed line.
 */
export function termKey(raw: string): string {
  const first = raw.charCodeAt(0);
  if (first !== 0x22 /* " */) return raw.includes('\\') ? canonical(raw) : raw;
  const close = closingQuote(raw);
  if (close < 0) return raw;
  const lexical = raw.slice(0, close + 1);
  const text = lexical.includes('\\') ? canonical(lexical) : lexical;
  if (close === raw.length - 1) return text;
  if (raw.charCodeAt(close + 1) === 0x40 /* @ */) return `${text}${raw.slice(close + 1).toLowerCase()}`;
  if (raw.startsWith('^^<', close + 1)) {
    const dt = raw.slice(close + 4, -1);
    return dt === XSD_STRING ? text : TYPED;
  }
  return raw;
}

function canonical(text: string): string {
  const t: TextTerm | undefined = readNQuadsTerm(text);
  return t === undefined ? text : termText(t);
}

/** The index of the quote closing a literal that starts at 0 (one not preceded by an odd number of backslashes). */
function closingQuote(s: string): number {
  for (let from = 1; ; ) {
    const q = s.indexOf('"', from);
    if (q < 0) return -1;
    let slashes = 0;
    while (s.charCodeAt(q - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return q;
    from = q + 1;
  }
}

/** End (exclusive) of the term starting at `at` in an N-Quads line, or -1. */
function termEnd(line: string, at: number): number {
  const c = line.charCodeAt(at);
  if (c === 0x3c /* < */) {
    const end = line.indexOf('>', at + 1);
    return end < 0 ? -1 : end + 1;
  }
  if (c === 0x5f /* _ */) {
    const end = line.indexOf(' ', at);
    return end < 0 ? -1 : end;
  }
  if (c !== 0x22) return -1;
  const close = closingQuote(line.slice(at)) + at;
  if (close < at) return -1;
  const next = line.charCodeAt(close + 1);
  if (next === 0x40 /* @ */) {
    const end = line.indexOf(' ', close);
    return end < 0 ? -1 : end;
  }
  if (next === 0x5e /* ^ */) {
    const end = line.indexOf('>', close);
    return end < 0 ? -1 : end + 1;
  }
  return close + 1;
}

/** What `filterLines` kept, for the caller's figures. */
export interface FilteredLines {
  readonly parts: string[];
  readonly lines: number;
  readonly kept: number;
}

/** Rounds of narrowing: each shrinks the value sets further; a fixed point usually comes in two or three. */
const MAX_ROUNDS = 4;

/**
 * The lines of `parts` (N-Quads, each part ending at a line end) that the plan's patterns can match, in their
 * order: a line whose predicate no pattern reads, or that cannot be read, is kept. Every pattern keeps the lines
 * whose constants match and whose variables hold values the other mandatory patterns of its scope (and its
 * inherited parent values) can also hold; a line is dropped only when no pattern keeps it.
 */
export function filterLines(parts: readonly string[], plan: LinePlan): FilteredLines {
  // Lines as (part, start, end) offsets; subject and object as interned term ids (so value sets are bitmaps).
  const partOf: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const subjects: number[] = [];
  const objects: number[] = [];
  const keep: boolean[] = [];
  const ids = new Map<string, number>();
  const idOf = (key: string): number => {
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    return id;
  };
  const byPredicate = new Map<string, number[]>();
  const read = new Set(plan.patterns.map((p) => p.predicate));
  // Which term positions carry information: a constant, or a variable a value set is kept for (see joinVariables).
  const joined = joinVariables(plan);
  const counts = (p: PlanPattern, s: Slot): boolean => 'c' in s || ('v' in s && (joined[p.scope]?.has(s.v) ?? false));
  const needSubject = new Set(plan.patterns.filter((p) => counts(p, p.subject)).map((p) => p.predicate));
  const needObject = new Set(plan.patterns.filter((p) => counts(p, p.object)).map((p) => p.predicate));
  parts.forEach((part, pi) => {
    let start = 0;
    while (start < part.length) {
      let end = part.indexOf('\n', start);
      if (end < 0) end = part.length;
      const line = part.slice(start, end);
      const lineStart = start;
      start = end + 1;
      if (line === '') continue;
      const i = partOf.push(pi) - 1;
      starts.push(lineStart);
      ends.push(end);
      const sEnd = termEnd(line, 0);
      const pEnd = sEnd < 0 || line.charCodeAt(sEnd) !== 0x20 ? -1 : termEnd(line, sEnd + 1);
      const oEnd = pEnd < 0 || line.charCodeAt(pEnd) !== 0x20 ? -1 : termEnd(line, pEnd + 1);
      const predicate = pEnd < 0 ? '' : line.slice(sEnd + 1, pEnd);
      const key = predicate.includes('\\') ? canonical(predicate) : predicate;
      if (oEnd < 0 || !read.has(key)) {
        subjects.push(-1);
        objects.push(-1);
        keep.push(true);
        continue;
      }
      subjects.push(needSubject.has(key) ? idOf(termKey(line.slice(0, sEnd))) : -1);
      objects.push(needObject.has(key) ? idOf(termKey(line.slice(pEnd + 1, oEnd))) : -1);
      keep.push(false);
      const list = byPredicate.get(key);
      if (list === undefined) byPredicate.set(key, [i]);
      else list.push(i);
    }
  });

  const constant = (s: Slot): number => ('c' in s ? (ids.get(s.c) ?? -2) : -1);
  const candidates = plan.patterns.map((p) => {
    const s = constant(p.subject);
    const o = constant(p.object);
    const lines = byPredicate.get(p.predicate) ?? [];
    return s === -1 && o === -1 ? lines : lines.filter((i) => (s === -1 || subjects[i] === s) && (o === -1 || objects[i] === o));
  });
  const byScope = new Map<number, number[]>();
  plan.patterns.forEach((p, k) => {
    if (p.scope < 0) return;
    const list = byScope.get(p.scope);
    if (list === undefined) byScope.set(p.scope, [k]);
    else list.push(k);
  });
  const slotsOf = (p: PlanPattern): [string, number[]][] => {
    const out: [string, number[]][] = [];
    if ('v' in p.subject && counts(p, p.subject)) out.push([p.subject.v, subjects]);
    if ('v' in p.object && counts(p, p.object)) out.push([p.object.v, objects]);
    return out;
  };
  const terms = ids.size;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let narrowed = false;
    // Per scope, each variable's possible values (a bitmap over term ids); absent: unconstrained.
    const values: Map<string, Uint8Array>[] = [];
    plan.scopes.forEach((scope, si) => {
      const v = new Map<string, Uint8Array>();
      values.push(v);
      const parent = scope.parent < 0 ? undefined : values[scope.parent];
      if (parent !== undefined) {
        for (const name of scope.inherit === 'all' ? parent.keys() : scope.inherit) {
          const set = parent.get(name);
          if (set !== undefined) v.set(name, set);
        }
      }
      const members = byScope.get(si) ?? [];
      for (const k of members) {
        const p = plan.patterns[k];
        const lines = candidates[k];
        if (p === undefined || lines === undefined) continue;
        for (const [name, keys] of slotsOf(p)) {
          const before = v.get(name);
          const own = new Uint8Array(terms);
          for (const i of lines) {
            const id = keys[i] ?? 0;
            if (before === undefined || before[id] === 1) own[id] = 1;
          }
          v.set(name, own);
        }
      }
      for (const k of members) {
        const p = plan.patterns[k];
        const lines = candidates[k];
        if (p === undefined || lines === undefined) continue;
        let next = lines;
        for (const [name, keys] of slotsOf(p)) {
          const set = v.get(name);
          if (set !== undefined) next = next.filter((i) => set[keys[i] ?? 0] === 1);
        }
        if (next.length < lines.length) {
          candidates[k] = next;
          narrowed = true;
        }
      }
    });
    if (!narrowed) break;
  }
  for (const lines of candidates) for (const i of lines) keep[i] = true;
  const out: string[][] = parts.map(() => []);
  let kept = 0;
  for (let i = 0; i < partOf.length; i++) {
    if (keep[i] !== true) continue;
    kept++;
    const pi = partOf[i] ?? 0;
    out[pi]?.push(`${(parts[pi] ?? '').slice(starts[i], ends[i])}\n`);
  }
  return { parts: out.map((lines) => lines.join('')), lines: partOf.length, kept };
}

/**
 * Per scope, the variables whose value sets can narrow something: those in two or more of its patterns, those it
 * inherits from its parent, and those a child scope inherits. A variable in one pattern only, with no parent or child
 * reading it, would only be compared with its own values: its terms need not be read.
 */
function joinVariables(plan: LinePlan): Set<string>[] {
  const seen = plan.scopes.map(() => new Map<string, number>());
  for (const p of plan.patterns) {
    const m = seen[p.scope];
    if (m === undefined) continue;
    for (const s of [p.subject, p.object]) if ('v' in s) m.set(s.v, (m.get(s.v) ?? 0) + 1);
  }
  const out = seen.map((m) => new Set([...m].filter(([, n]) => n > 1).map(([v]) => v)));
  const mentions = seen.map((m) => new Set(m.keys()));
  // Children come after their parents: walking backwards, a grandchild's variables reach the grandparent.
  for (let i = plan.scopes.length - 1; i >= 0; i--) {
    const scope = plan.scopes[i];
    if (scope === undefined || scope.parent < 0) continue;
    for (const v of mentions[i] ?? []) {
      if (scope.inherit !== 'all' && !scope.inherit.includes(v)) continue;
      out[i]?.add(v);
      out[scope.parent]?.add(v);
      mentions[scope.parent]?.add(v);
    }
  }
  return out;
}
