// Writes a vocabulary graph as compact JSON-LD ({@context of prefixes, @graph sorted by @id}) with canonical bytes.
import type { Quad, Term } from 'n3';
import { canonicalJsonBytes, compareCodePoints } from '../json/canonical.js';
import { type JsonObject, type JsonValue, newJsonObject } from '../json/value.js';
import { RDF_NS, XSD_NS } from './namespaces.js';

const RDF_TYPE = `${RDF_NS}type`;

/**
 * A JSON-LD document whose expansion is exactly the given triples: prefixes only in the context (no `@vocab`, no
 * coercion), every IRI value as `{"@id"}`, language-tagged and typed literals as value objects. Only prefixes some
 * IRI uses are declared. Blank nodes keep their labels as `_:label` (relabel canonically first for stable bytes).
 */
export function writeVocabularyJsonLd(quads: readonly Quad[], prefixes: Readonly<Record<string, string>>): Uint8Array {
  const used = new Set<string>();
  const entries = Object.entries(prefixes);
  const compact = (iri: string): string => {
    let best: [string, string] | undefined;
    for (const [p, ns] of entries) {
      const local = iri.slice(ns.length);
      if (iri.startsWith(ns) && /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(local) && (best === undefined || ns.length > best[1].length)) best = [p, ns];
    }
    if (best === undefined) return iri;
    used.add(best[0]);
    return `${best[0]}:${iri.slice(best[1].length)}`;
  };
  const id = (t: Term): string => (t.termType === 'BlankNode' ? `_:${t.value}` : compact(t.value));
  const value = (t: Term): JsonValue => {
    if (t.termType !== 'Literal') {
      const ref = newJsonObject();
      ref['@id'] = id(t);
      return ref;
    }
    if (t.language === '' && t.datatype.value === `${XSD_NS}string`) return t.value;
    const v = newJsonObject();
    v['@value'] = t.value;
    if (t.language !== '') v['@language'] = t.language;
    else v['@type'] = compact(t.datatype.value);
    return v;
  };
  const nodes = new Map<string, Map<string, JsonValue[]>>();
  for (const q of quads) {
    const s = id(q.subject);
    let props = nodes.get(s);
    if (props === undefined) nodes.set(s, (props = new Map()));
    const key = q.predicate.value === RDF_TYPE && q.object.termType !== 'Literal' ? '@type' : compact(q.predicate.value);
    const v = key === '@type' ? id(q.object) : value(q.object);
    const list = props.get(key);
    if (list === undefined) props.set(key, [v]);
    else list.push(v);
  }
  const graph: JsonObject[] = [];
  for (const [s, props] of [...nodes].sort(([a], [b]) => compareCodePoints(a, b))) {
    const node = newJsonObject();
    node['@id'] = s;
    for (const [key, vals] of props) {
      const sorted = [...vals].sort((a, b) => compareCodePoints(JSON.stringify(sortKey(a)), JSON.stringify(sortKey(b))));
      node[key] = sorted.length === 1 ? (sorted[0] ?? null) : sorted;
    }
    graph.push(node);
  }
  const context = newJsonObject();
  for (const [p, ns] of entries) if (used.has(p)) context[p] = ns;
  const doc = newJsonObject();
  doc['@context'] = context;
  doc['@graph'] = graph;
  return canonicalJsonBytes(doc);
}

/** A plain, key-sorted view of a value for ordering (JsonObject has a null prototype). */
function sortKey(v: JsonValue): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !('@value' in v || '@id' in v)) return v;
  return Object.keys(v)
    .sort()
    .map((k) => [k, v[k]]);
}
