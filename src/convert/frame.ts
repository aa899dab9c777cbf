// Frames a converted TRO graph into the TROv 0.1 JSON tree (trace-trov.md §2): one @graph object, nested nodes, every node with an @id, lists in document order.
import type { Literal, Quad, Term } from '@rdfjs/types';
import { PeTraceError } from '../errors.js';
import { compareCodePoints } from '../json/canonical.js';
import { JsonNumber, type JsonObject, type JsonValue, newJsonObject } from '../json/value.js';
import { termKey } from '../rdf/sparql.js';
import { RDF_NS, TROV_01_NS, XSD_NS } from '../vocab/namespaces.js';
import { literalKey } from './prepare.js';

const RDF_TYPE = `${RDF_NS}type`;
const T1 = TROV_01_NS;

/** How a property's node values are written. Unlisted IRI values are embedded where first met if they have statements, else referenced. */
type Placement = 'embed' | 'embed-list' | 'ref';

/** The TROv 0.1 tree (the spec's Complete Example and tro-utils agree on it). */
const LAYOUT: Readonly<Record<string, Placement>> = {
  [`${T1}wasAssembledBy`]: 'embed',
  [`${T1}wasTimestampedBy`]: 'embed',
  [`${T1}createdWith`]: 'embed',
  [`${T1}hasComposition`]: 'embed',
  [`${T1}hasFingerprint`]: 'embed',
  [`${T1}hash`]: 'embed',
  [`${T1}accessedArrangement`]: 'embed',
  [`${T1}contributedToArrangement`]: 'embed',
  'https://schema.org/creator': 'embed',
  [`${T1}hasArrangement`]: 'embed-list',
  [`${T1}hasPerformance`]: 'embed-list',
  [`${T1}hasAttribute`]: 'embed-list',
  [`${T1}hasArtifact`]: 'embed-list',
  [`${T1}hasArtifactLocation`]: 'embed-list',
  [`${T1}hasCapability`]: 'embed-list',
  [`${T1}hasPerformanceAttribute`]: 'embed-list',
  [`${T1}customTerm`]: 'embed-list',
  [`${T1}artifact`]: 'ref',
  [`${T1}arrangement`]: 'ref',
  [`${T1}wasConductedBy`]: 'ref',
  [`${T1}warrantedBy`]: 'ref',
  [`${T1}signingMechanism`]: 'ref',
  [`${T1}hasPolicy`]: 'ref',
  'http://www.w3.org/2000/01/rdf-schema#subClassOf': 'ref',
};

/** Where each embedding property sits in the tree, so homes are assigned top-down in a fixed order. */
const EMBED_PRIORITY: readonly string[] = Object.keys(LAYOUT).filter((p) => LAYOUT[p] !== 'ref');

export interface FrameOptions {
  readonly root: string;
  readonly base: string;
  /** Prefixes the document's context declares (term → namespace); used to write keys, types and ids. */
  readonly prefixes: Readonly<Record<string, string>>;
  /** Prefixes declared even when no key, type or id uses them. */
  readonly keepPrefixes?: readonly string[];
  /** Node IRIs in document order (first seen). */
  readonly nodeOrder: ReadonlyMap<string, number>;
  /** Literal values in document order (`literalKey`). */
  readonly literalOrder: ReadonlyMap<string, number>;
}

export interface FrameNote {
  readonly kind: 'unreachable' | 'literal-datatype' | 'literal-language';
  readonly subject: string;
  readonly detail: string;
}

export interface FramedDocument {
  readonly document: JsonObject;
  /** Statements the tree could not hold (nodes not reachable from the root) and lossy literals. */
  readonly notes: readonly FrameNote[];
}

/** A portable relative id: `/`-separated segments of [A-Za-z0-9._-], alphanumeric at both ends. */
const PORTABLE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)*$/;

/**
 * Builds `{"@context": [{@base, prefixes}], "@graph": [root]}`. Every node is written once in full at its home
 * (the first embedding property that reaches it, walking from the root in LAYOUT order) and as `{"@id"}`
 * everywhere else; nodes the root does not reach are left out and noted.
 */
export function frameTrov(quads: readonly Quad[], options: FrameOptions): FramedDocument {
  const notes: FrameNote[] = [];
  const bySubject = new Map<string, Quad[]>();
  for (const q of quads) {
    const key = termKey(q.subject);
    const list = bySubject.get(key);
    if (list === undefined) bySubject.set(key, [q]);
    else list.push(q);
  }
  const rootKey = `<${options.root}>`;
  if (!bySubject.has(rootKey)) throw new PeTraceError('INTERNAL', `framing the TROv 0.1 tree: the root ${options.root} has no statements`);
  const rank = (t: Term): number => (t.termType === 'NamedNode' ? (options.nodeOrder.get(t.value) ?? Infinity) : Infinity);
  const byOrder = (a: Term, b: Term): number => rank(a) - rank(b) || compareCodePoints(a.value, b.value);

  // Homes: breadth-first from the root, layout properties first, then any other property (first met wins).
  const home = new Map<string, string>([[rootKey, '']]);
  const queue = [rootKey];
  while (queue.length > 0) {
    const s = queue.shift() as string;
    const qs = bySubject.get(s) ?? [];
    const props = [...new Set(qs.map((q) => q.predicate.value))].sort((a, b) => priority(a) - priority(b) || compareCodePoints(a, b));
    for (const p of props) {
      if (p === RDF_TYPE || LAYOUT[p] === 'ref') continue;
      const objects = qs.filter((q) => q.predicate.value === p).map((q) => q.object).sort(byOrder);
      for (const o of objects) {
        const key = termKey(o);
        if (o.termType === 'Literal' || home.has(key) || !bySubject.has(key)) continue;
        home.set(key, s);
        queue.push(key);
      }
    }
  }
  for (const key of bySubject.keys()) {
    if (!home.has(key)) notes.push({ kind: 'unreachable', subject: key, detail: `${(bySubject.get(key) ?? []).length} statements about a node the research object does not reach` });
  }

  const prefixes = Object.entries(options.prefixes);
  const compact = (iri: string): string => {
    let best: [string, string] | undefined;
    for (const [p, ns] of prefixes) {
      const local = iri.slice(ns.length);
      if (iri.startsWith(ns) && local !== '' && /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(local) && (best === undefined || ns.length > best[1].length)) best = [p, ns];
    }
    return best === undefined ? iri : `${best[0]}:${iri.slice(best[1].length)}`;
  };
  const idOf = (iri: string): string => {
    if (iri.startsWith(options.base) && PORTABLE.test(iri.slice(options.base.length))) return iri.slice(options.base.length);
    return compact(iri);
  };
  const ref = (t: Term): JsonObject => {
    const o = newJsonObject();
    o['@id'] = idOf(t.value);
    return o;
  };

  const write = (key: string): JsonObject => {
    const qs = bySubject.get(key) ?? [];
    const node = newJsonObject();
    const subject = qs[0]?.subject;
    if (subject === undefined || subject.termType !== 'NamedNode') throw new PeTraceError('INTERNAL', `framing the TROv 0.1 tree: node ${key} is not identified`);
    node['@id'] = idOf(subject.value);
    const types = qs.filter((q) => q.predicate.value === RDF_TYPE).map((q) => q.object.value);
    if (types.length > 0) {
      const sorted = [...new Set(types)].sort((a, b) => Number(!a.startsWith(T1)) - Number(!b.startsWith(T1)) || compareCodePoints(a, b)).map(compact);
      node['@type'] = sorted.length === 1 ? (sorted[0] as string) : sorted;
    }
    const props = [...new Set(qs.map((q) => q.predicate.value))].filter((p) => p !== RDF_TYPE);
    for (const p of props) {
      const objects = qs.filter((q) => q.predicate.value === p).map((q) => q.object);
      const literals = objects.filter((o): o is Literal => o.termType === 'Literal');
      const nodes = objects.filter((o) => o.termType !== 'Literal').sort(byOrder);
      const values: JsonValue[] = [
        ...literals
          .map((l) => ({ l, v: literalValue(l, key, notes) }))
          .sort((a, b) => literalRank(a.v, options.literalOrder) - literalRank(b.v, options.literalOrder) || compareCodePoints(a.l.value, b.l.value))
          .map((x) => x.v),
        ...nodes.map((o) => {
          const k = termKey(o);
          return home.get(k) === key && LAYOUT[p] !== 'ref' ? write(k) : ref(o);
        }),
      ];
      node[compact(p)] = LAYOUT[p] === 'embed-list' || values.length > 1 ? values : (values[0] ?? null);
    }
    return node;
  };

  const root = write(rootKey);
  const context = newJsonObject();
  context['@base'] = options.base;
  const used = usedPrefixes(root, Object.keys(options.prefixes));
  for (const [p, ns] of prefixes) if (used.has(p) || options.keepPrefixes?.includes(p) === true) context[p] = ns;
  const document = newJsonObject();
  document['@context'] = [context];
  document['@graph'] = [root];
  return { document, notes };
}

function priority(p: string): number {
  const i = EMBED_PRIORITY.indexOf(p);
  return i === -1 ? EMBED_PRIORITY.length : i;
}

function literalRank(v: JsonValue, order: ReadonlyMap<string, number>): number {
  if (typeof v === 'string' || typeof v === 'boolean') return order.get(literalKey(v)) ?? Infinity;
  if (v instanceof JsonNumber) return order.get(literalKey(v.kind === 'int' && v.int !== undefined ? Number(v.int) : v.float)) ?? Infinity;
  return Infinity;
}

/** A literal as the JSON value it came from; other datatypes and language tags cannot be written in TRACE's profile (no value objects) and are noted. */
function literalValue(l: Literal, subject: string, notes: FrameNote[]): JsonValue {
  if (l.language !== '') {
    notes.push({ kind: 'literal-language', subject, detail: `language tag @${l.language} of "${l.value}" dropped` });
    return l.value;
  }
  switch (l.datatype.value) {
    case `${XSD_NS}string`:
      return l.value;
    case `${XSD_NS}integer`:
      return /^[+-]?\d+$/.test(l.value) ? JsonNumber.ofInt(BigInt(l.value)) : l.value;
    case `${XSD_NS}double`:
    case `${XSD_NS}decimal`: {
      const n = Number(l.value);
      return Number.isFinite(n) ? JsonNumber.ofFloat(n) : l.value;
    }
    case `${XSD_NS}boolean`:
      return l.value === 'true' || l.value === '1';
    default:
      notes.push({ kind: 'literal-datatype', subject, detail: `datatype ${l.datatype.value} of "${l.value}" dropped (written as a string)` });
      return l.value;
  }
}

/** The prefixes the tree uses in keys, `@type` values and `@id`s. */
function usedPrefixes(v: JsonValue, names: readonly string[]): Set<string> {
  const out = new Set<string>();
  const note = (s: string): void => {
    const colon = s.indexOf(':');
    if (colon > 0 && names.includes(s.slice(0, colon))) out.add(s.slice(0, colon));
  };
  const walk = (x: JsonValue): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x !== null && typeof x === 'object' && !(x instanceof JsonNumber)) {
      for (const k of Object.keys(x)) {
        const child = x[k] ?? null;
        if (!k.startsWith('@')) note(k);
        if (k === '@type') [child].flat().forEach((t) => typeof t === 'string' && note(t));
        else if (k === '@id' && typeof child === 'string') note(child);
        else walk(child);
      }
    }
  };
  walk(v);
  return out;
}
