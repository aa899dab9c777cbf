// A fast, IRI-level node map of a JSON-LD document (a light flattening, no RDF): what the fact extractors read.
import { type JsonObject, type JsonValue, JsonNumber, isJsonObject } from '../json/value.js';
import { InputError } from '../errors.js';
import { type ActiveContext, EMPTY_CONTEXT, type NodeView, expandVocab, extendContext } from '../tro/jsonld-view.js';

/** A property value: a literal's lexical form, or a reference to another node of the map. */
export type NodeValue =
  | { readonly kind: 'literal'; readonly value: string; readonly pointer: string }
  | { readonly kind: 'ref'; readonly key: string; readonly pointer: string };

export interface MapNode {
  /** The map key: the resolved IRI, or `_:<pointer>` for a node without `@id`. */
  readonly key: string;
  /** The `@id` as written, when there is one. */
  readonly id?: string;
  /** The resolved IRI (undefined for blank nodes). */
  readonly iri?: string;
  /** Where the node is defined (its first object with more than an `@id`). */
  pointer: string;
  readonly types: string[];
  readonly props: Map<string, NodeValue[]>;
}

export interface NodeMap {
  readonly nodes: Map<string, MapNode>;
  /** Keys of the top-level nodes, in document order. */
  readonly top: readonly string[];
  /** The root context (for prefix checks such as "is the pe: namespace declared"). */
  readonly rootCtx: ActiveContext;
}

const expansionCache = new WeakMap<ActiveContext, Map<string, string | null>>();

/** RFC 6901 pointer step; the escapes are needed only for keys holding `~` or `/` (rare in JSON-LD keys). */
function pointerJoin(pointer: string, token: string | number): string {
  if (typeof token === 'number') return `${pointer}/${token}`;
  return token.includes('~') || token.includes('/') ? `${pointer}/${token.replace(/~/g, '~0').replace(/\//g, '~1')}` : `${pointer}/${token}`;
}

/**
 * Contexts by their JSON text: a corpus of thousands of TROs repeats the same one or two `@context` objects,
 * so each is processed once and its key expansions (memoised per context object) are shared by every document.
 */
const contextCache = new Map<string, ActiveContext>();
const CONTEXT_CACHE_LIMIT = 256;

function applyContext(outer: ActiveContext, local: JsonValue, pointer: string, label: string): ActiveContext {
  if (outer !== EMPTY_CONTEXT) return extendContext(outer, local, { label, pointer });
  // JsonNumber instances serialise as their fields: distinct numbers still give distinct keys.
  const key = JSON.stringify(local);
  const hit = contextCache.get(key);
  if (hit !== undefined) return hit;
  const ctx = extendContext(outer, local, { label, pointer });
  if (contextCache.size < CONTEXT_CACHE_LIMIT) contextCache.set(key, ctx);
  return ctx;
}

function viewOf(node: JsonObject, pointer: string, outer: ActiveContext, label: string): NodeView {
  const local = node['@context'];
  return { node, pointer, ctx: local === undefined ? outer : applyContext(outer, local, `${pointer}/@context`, label) };
}

/** Relative ids like `composition/1/artifact/x` resolve by concatenation against a base ending in `/`. */
const SIMPLE_RELATIVE = /^[A-Za-z0-9_-][A-Za-z0-9_.~-]*(?:\/[A-Za-z0-9_~-][A-Za-z0-9_.~-]*)*$/;

/** `expandVocab` with a per-context memo: a corpus repeats the same few keys thousands of times. */
function expandKey(ctx: ActiveContext, key: string): string | null {
  let memo = expansionCache.get(ctx);
  if (memo === undefined) {
    memo = new Map();
    expansionCache.set(ctx, memo);
  }
  let iri = memo.get(key);
  if (iri === undefined) {
    iri = expandVocab(ctx, key);
    memo.set(key, iri);
  }
  return iri;
}

/**
 * Resolves a node `@id` the way the RDF lift does: a compact IRI through the context's prefixes, an absolute
 * IRI as is, anything else against the document's own `@base` or, failing that, `base`.
 */
export function resolveId(id: string, ctx: ActiveContext, base: string): string {
  if (id.startsWith('_:')) return id;
  const colon = id.indexOf(':');
  if (colon > 0) {
    const prefix = id.slice(0, colon);
    const def = ctx.terms.get(prefix);
    if (def !== undefined && def.iri !== null && !id.slice(colon + 1).startsWith('//')) return def.iri + id.slice(colon + 1);
    if (/^[A-Za-z][A-Za-z0-9+.-]*$/.test(prefix)) return id;
  }
  const effective = typeof ctx.base === 'string' ? ctx.base : base;
  // SIMPLE_RELATIVE admits no segment starting with '.', so no '.' or '..' segment needs resolving.
  if (effective.endsWith('/') && SIMPLE_RELATIVE.test(id)) return effective + id;
  try {
    return new URL(id, effective).href;
  } catch {
    return id;
  }
}

/** Builds the node map. Context errors (a remote context) propagate as the located InputErrors they are. */
export function buildNodeMap(doc: JsonValue, label: string, base: string): NodeMap {
  const { nodes: topViews, rootCtx } = topLevel(doc, label);
  const nodes = new Map<string, MapNode>();
  const defined = new Set<string>();
  const top: string[] = [];
  const visit = (view: NodeView): string => {
    const rawId = view.node['@id'];
    const id = typeof rawId === 'string' ? rawId : undefined;
    const iri = id === undefined || id.startsWith('_:') ? undefined : resolveId(id, view.ctx, base);
    const key = iri ?? (id !== undefined ? `_:id:${id}` : `_:${view.pointer}`);
    let node = nodes.get(key);
    const defines = Object.keys(view.node).some((k) => k !== '@id' && k !== '@context');
    if (node === undefined) {
      node = { key, pointer: view.pointer, types: [], props: new Map(), ...(id === undefined ? {} : { id }), ...(iri === undefined ? {} : { iri }) };
      nodes.set(key, node);
      if (defines) defined.add(key);
    } else if (defines && !defined.has(key)) {
      // First seen as a bare {"@id"} reference: the node's pointer is where it is defined.
      node.pointer = view.pointer;
      defined.add(key);
    }
    for (const k of Object.keys(view.node)) {
      if (k === '@context' || k === '@id') continue;
      const v = view.node[k];
      if (v === undefined) continue;
      const pointer = pointerJoin(view.pointer, k);
      if (k === '@type' || expandKey(view.ctx, k) === '@type') {
        for (const t of Array.isArray(v) ? v : [v]) if (typeof t === 'string') node.types.push(expandKey(view.ctx, t) ?? t);
        continue;
      }
      const prop = expandKey(view.ctx, k);
      if (prop === null || prop.startsWith('@')) continue;
      const coerce = view.ctx.terms.get(k)?.coercesToId === true;
      let list = node.props.get(prop);
      if (list === undefined) {
        list = [];
        node.props.set(prop, list);
      }
      collect(v, pointer, view.ctx, coerce, list);
    }
    return key;
  };
  const collect = (v: JsonValue, pointer: string, ctx: ActiveContext, coerce: boolean, out: NodeValue[]): void => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => collect(item, pointerJoin(pointer, i), ctx, coerce, out));
      return;
    }
    if (isJsonObject(v)) {
      if (v['@value'] !== undefined) {
        const lex = lexical(v['@value']);
        if (lex !== undefined) out.push({ kind: 'literal', value: lex, pointer: pointerJoin(pointer, '@value') });
        return;
      }
      for (const kw of ['@list', '@set']) {
        const inner = v[kw];
        if (inner !== undefined) {
          collect(inner, pointerJoin(pointer, kw), ctx, coerce, out);
          return;
        }
      }
      out.push({ kind: 'ref', key: visit(viewOf(v, pointer, ctx, label)), pointer });
      return;
    }
    if (typeof v === 'string' && coerce) {
      const iri = resolveId(v, ctx, base);
      if (!nodes.has(iri)) nodes.set(iri, { key: iri, iri, id: v, pointer, types: [], props: new Map() });
      out.push({ kind: 'ref', key: iri, pointer });
      return;
    }
    const lex = lexical(v);
    if (lex !== undefined) out.push({ kind: 'literal', value: lex, pointer });
  };
  for (const view of topViews) top.push(visit(view));
  return { nodes, top, rootCtx };
}

function lexical(v: JsonValue): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof JsonNumber) return v.kind === 'int' ? String(v.int) : String(v.float);
  return undefined;
}

/** Property values of a node by IRI (several IRIs = aliases, e.g. both pop: namespaces). */
export function propValues(node: MapNode, iris: readonly string[]): NodeValue[] {
  const out: NodeValue[] = [];
  for (const iri of iris) {
    const list = node.props.get(iri);
    if (list !== undefined) out.push(...list);
  }
  return out;
}

/** The referenced nodes among a property's values (references to unknown keys are skipped). */
export function refNodes(map: NodeMap, node: MapNode, iris: readonly string[]): MapNode[] {
  const out: MapNode[] = [];
  for (const v of propValues(node, iris)) {
    if (v.kind !== 'ref') continue;
    const target = map.nodes.get(v.key);
    if (target !== undefined) out.push(target);
  }
  return out;
}

/** The literal values of a property, with pointers. */
export function literals(node: MapNode, iris: readonly string[]): { value: string; pointer: string }[] {
  const out: { value: string; pointer: string }[] = [];
  for (const v of propValues(node, iris)) if (v.kind === 'literal') out.push({ value: v.value, pointer: v.pointer });
  return out;
}

/** The top-level node objects: `@graph` items, else the root object itself (or a root array's objects). */
function topLevel(doc: JsonValue, label: string): { nodes: NodeView[]; rootCtx: ActiveContext } {
  if (Array.isArray(doc)) return { nodes: doc.flatMap((item, i) => (isJsonObject(item) ? [viewOf(item, `/${i}`, EMPTY_CONTEXT, label)] : [])), rootCtx: EMPTY_CONTEXT };
  if (!isJsonObject(doc)) throw new InputError('TRO_UNKNOWN_DIALECT', 'not a JSON-LD document: the root is not an object', { location: { file: label, pointer: '' } });
  const root = viewOf(doc, '', EMPTY_CONTEXT, label);
  const graphKey = Object.keys(doc).find((k) => k === '@graph' || (!k.startsWith('@') && expandKey(root.ctx, k) === '@graph'));
  const graph = graphKey === undefined ? undefined : doc[graphKey];
  if (graph === undefined) return { nodes: [root], rootCtx: root.ctx };
  const at = pointerJoin('', graphKey ?? '@graph');
  const items = Array.isArray(graph) ? graph.map((v, i) => ({ v, p: `${at}/${i}` })) : [{ v: graph, p: at }];
  return { nodes: items.flatMap(({ v, p }) => (isJsonObject(v) ? [viewOf(v, p, root.ctx, label)] : [])), rootCtx: root.ctx };
}
