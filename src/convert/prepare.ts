// Readies a TRO document for lifting: drops its own @base (the conversion base is passed to the lift), gives every node object an @id, and records document order.
import { type JsonObject, type JsonValue, JsonNumber, isJsonObject, newJsonObject } from '../json/value.js';
import { pointerJoin } from '../tro/jsonld-view.js';

/** One `@id` the preparation added (or a blank node id it replaced), with the node's JSON pointer. */
export interface MintedId {
  readonly pointer: string;
  readonly id: string;
  /** The blank node label the node had (`_:b0`), when it had one. */
  readonly replaced?: string;
}

export interface PreparedDocument {
  /** A copy of the document with ids added and the top-level `@base` removed. */
  readonly doc: JsonValue;
  readonly minted: readonly MintedId[];
  /** Every node id (as written in `doc`) in document order: the order lists are written in. */
  readonly nodeOrder: readonly string[];
  /** Literal values in document order, keyed by `literalKey`. */
  readonly literalOrder: ReadonlyMap<string, number>;
  /** Pointers of `null` property values (JSON-LD drops them silently). */
  readonly nulls: readonly string[];
  /** The top-level context objects' prefixes (term → IRI ending in `#` or `/`), as the document declares them. */
  readonly prefixes: Readonly<Record<string, string>>;
}

/** How a literal is keyed for ordering: its JSON kind and text. */
export function literalKey(v: string | number | boolean): string {
  return `${typeof v}:${String(v)}`;
}

/** A key's last segment as a portable id segment (`trov:hash` → `hash`, `schema:creator` → `creator`). */
function segmentOf(key: string): string {
  const cut = Math.max(key.lastIndexOf(':'), key.lastIndexOf('#'), key.lastIndexOf('/'));
  const clean = key
    .slice(cut + 1)
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return clean === '' ? 'node' : clean;
}

function isNodeObject(v: JsonValue): v is JsonObject {
  return isJsonObject(v) && v['@value'] === undefined && v['@list'] === undefined && v['@set'] === undefined;
}

const TRO_TYPE = /TransparentResearchObject$/;

/**
 * Prepares `doc` (not modified). Ids are minted under the parent node's id: `<parent>/<key segment>`, plus
 * `/<index>` when the property holds several nodes; a top-level node without one becomes `tro` (the research
 * object) or `node/<i>`. A minted id that is already taken gets `-2`, `-3`, … Existing blank node ids (`_:x`)
 * are replaced the same way, and every reference to them follows.
 */
export function prepareDocument(doc: JsonValue): PreparedDocument {
  const taken = new Set<string>();
  collectIds(doc, taken);
  const minted: MintedId[] = [];
  const blankMap = new Map<string, string>();
  const unique = (candidate: string): string => {
    let id = candidate;
    for (let n = 2; taken.has(id); n++) id = `${candidate}-${n}`;
    taken.add(id);
    return id;
  };
  const copy = clone(doc);
  const prefixes: Record<string, string> = {};

  // Pass 1: mint ids for nodes without one (or with a blank node id).
  const mintIn = (node: JsonObject, pointer: string, fallback: () => string): string => {
    const own = node['@id'];
    if (typeof own === 'string' && !own.startsWith('_:')) return own;
    const id = unique(fallback());
    if (typeof own === 'string') blankMap.set(own, id);
    minted.push({ pointer, id, ...(typeof own === 'string' ? { replaced: own } : {}) });
    node['@id'] = id;
    return id;
  };
  const walkNode = (node: JsonObject, pointer: string, id: string): void => {
    for (const key of Object.keys(node)) {
      if (key.startsWith('@')) continue;
      const value = node[key] ?? null;
      const items = Array.isArray(value) ? value : [value];
      const many = items.filter(isNodeObject).length > 1;
      items.forEach((item, i) => {
        const p = Array.isArray(value) ? pointerJoin(pointerJoin(pointer, key), i) : pointerJoin(pointer, key);
        visitValue(item, p, () => `${joinId(id, segmentOf(key))}${many ? `/${i}` : ''}`);
      });
    }
  };
  const visitValue = (v: JsonValue, pointer: string, fallback: () => string): void => {
    if (isJsonObject(v) && Array.isArray(v['@list'])) {
      const list = v['@list'];
      list.forEach((item, i) => visitValue(item, pointerJoin(pointerJoin(pointer, '@list'), i), () => `${fallback()}/${i}`));
      return;
    }
    if (!isNodeObject(v)) return;
    // A bare reference `{"@id": "x"}` names another node: it is not given an id of its own.
    if (Object.keys(v).length === 1 && typeof v['@id'] === 'string') return;
    const id = mintIn(v, pointer, fallback);
    walkNode(v, pointer, id);
  };

  if (isJsonObject(copy)) {
    const ctx = copy['@context'];
    for (const item of Array.isArray(ctx) ? ctx : [ctx ?? null]) {
      if (!isJsonObject(item)) continue;
      delete item['@base'];
      for (const term of Object.keys(item)) {
        const iri = item[term];
        if (!term.startsWith('@') && typeof iri === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(iri) && /[#/]$/.test(iri)) prefixes[term] = iri;
      }
    }
    const graph = copy['@graph'];
    const tops = graph === undefined ? [copy] : Array.isArray(graph) ? graph : [graph];
    tops.forEach((top, i) => {
      if (!isNodeObject(top)) return;
      const pointer = graph === undefined ? '' : Array.isArray(graph) ? pointerJoin('/@graph', i) : '/@graph';
      const isTro = [top['@type']].flat().some((t) => typeof t === 'string' && TRO_TYPE.test(t));
      const id = mintIn(top, pointer, () => (isTro ? 'tro' : `node/${i}`));
      walkNode(top, pointer, id);
    });
  }
  // Pass 2: references to replaced blank node ids follow their node.
  if (blankMap.size > 0) rewriteRefs(copy, blankMap);

  const nodeOrder: string[] = [];
  const seen = new Set<string>();
  const literalOrder = new Map<string, number>();
  const nulls: string[] = [];
  orderWalk(copy, '', nodeOrder, seen, literalOrder, nulls);
  return { doc: copy, minted, nodeOrder, literalOrder, nulls, prefixes };
}

function joinId(parent: string, segment: string): string {
  return parent.endsWith('/') ? `${parent}${segment}` : `${parent}/${segment}`;
}

function collectIds(v: JsonValue, out: Set<string>): void {
  if (Array.isArray(v)) v.forEach((x) => collectIds(x, out));
  else if (isJsonObject(v)) {
    for (const key of Object.keys(v)) {
      if (key === '@context') continue;
      const child = v[key] ?? null;
      if (key === '@id' && typeof child === 'string') out.add(child);
      else collectIds(child, out);
    }
  }
}

function rewriteRefs(v: JsonValue, map: ReadonlyMap<string, string>): void {
  if (Array.isArray(v)) v.forEach((x) => rewriteRefs(x, map));
  else if (isJsonObject(v)) {
    for (const key of Object.keys(v)) {
      if (key === '@context') continue;
      const child = v[key] ?? null;
      if (key === '@id' && typeof child === 'string') {
        const to = map.get(child);
        if (to !== undefined) v[key] = to;
      } else rewriteRefs(child, map);
    }
  }
}

function orderWalk(v: JsonValue, pointer: string, ids: string[], seen: Set<string>, literals: Map<string, number>, nulls: string[]): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => orderWalk(x, pointerJoin(pointer, i), ids, seen, literals, nulls));
    return;
  }
  if (isJsonObject(v)) {
    // A node's own id counts before its children (minted ids were appended after the other keys).
    const own = v['@id'];
    if (typeof own === 'string') {
      if (!seen.has(own)) ids.push(own);
      seen.add(own);
    }
    for (const key of Object.keys(v)) {
      if (key === '@context' || key === '@id') continue;
      const child = v[key] ?? null;
      if (child === null && !key.startsWith('@')) {
        nulls.push(pointerJoin(pointer, key));
      } else orderWalk(child, pointerJoin(pointer, key), ids, seen, literals, nulls);
    }
    return;
  }
  if (typeof v === 'string' || typeof v === 'boolean') {
    const k = literalKey(v);
    if (!literals.has(k)) literals.set(k, literals.size);
  } else if (v instanceof JsonNumber) {
    const k = literalKey(v.kind === 'int' && v.int !== undefined ? Number(v.int) : v.float);
    if (!literals.has(k)) literals.set(k, literals.size);
  }
}

/** A deep copy (JsonNumber instances are immutable and shared). */
function clone(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(clone);
  if (isJsonObject(v)) {
    const out = newJsonObject();
    for (const key of Object.keys(v)) out[key] = clone(v[key] ?? null);
    return out;
  }
  return v;
}
