// JSON-LD → RDF for the documents pe-trace knows (inline prefix contexts, coercions, index maps), without general expansion.
//
// jsonld.js expands, flattens into a node map and then serialises; that generality was most of a query's cost
// (issue 15). This walks the document once and produces the SAME quads in the SAME order with the SAME blank
// node labels as jsonld.js `toRDF` (node-map order: subjects sorted, properties sorted, blank nodes issued in
// node-map traversal order). Whatever it does not model (remote or null contexts, @language, @list, @reverse,
// aliases, scoped types, anything that would raise a jsonld.js event or error) makes it return undefined,
// and the caller lifts with jsonld.js. test/rdf/fast-lift.test.ts proves the equality on every corpus we have.
import { type JsonValue, type PlainJson, JsonNumber } from '../json/value.js';
import { lazyRequire } from '../lazy.js';
import { toJsonLdInput } from './jsonld-input.js';

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const RDF_JSON = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON';
const XSD = 'http://www.w3.org/2001/XMLSchema#';

/** A term as jsonld.js `toRDF` returns it (the shape `liftJsonLd` consumes). */
export interface FastTerm {
  readonly termType: 'NamedNode' | 'BlankNode' | 'Literal' | 'DefaultGraph';
  readonly value: string;
  readonly datatype?: { readonly value: string };
}
export interface FastQuad {
  readonly subject: FastTerm;
  readonly predicate: FastTerm;
  readonly object: FastTerm;
  readonly graph: FastTerm;
}

/** Thrown inside the walk when the document leaves the modelled subset; never escapes `fastToRdf`. */
class Unsupported extends Error {}
function unsupported(): never {
  throw new Unsupported();
}

interface TermDef {
  readonly id: string;
  /** '@id' | '@vocab' | '@json' | a datatype IRI. */
  readonly type?: string;
  /** A property-valued index map: the compact `@index` key. */
  readonly index?: string;
  readonly context?: Json;
  readonly prefix: boolean;
}
interface Ctx {
  readonly terms: ReadonlyMap<string, TermDef>;
  readonly vocab?: string;
  /** Absolute base for relative references. */
  readonly base: string;
  /** Keys already expanded under this context (most keys repeat on every node). */
  readonly keyIris: Map<string, string>;
}

/** pe-trace's lossless JSON (numbers as JsonNumber), or plain JSON (tests, callers without the bytes). */
type Json = null | boolean | string | number | JsonNumber | Json[] | JsonObj;
type JsonObj = { [key: string]: Json };

/** Plain JSON as jsonld.js would be given it (lossless numbers through toJsonLdInput; plain ones as they are). */
function plainOf(v: Json): PlainJson {
  if (v instanceof JsonNumber) return toJsonLdInput(v);
  if (Array.isArray(v)) return v.map(plainOf);
  if (!isObj(v)) return v;
  // A value object with a lossless number (its big-int digits and type) converts as a whole.
  if (v['@value'] instanceof JsonNumber) return toJsonLdInput(v as JsonValue);
  const out: { [key: string]: PlainJson } = {};
  for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: plainOf(v[k] ?? null), enumerable: true, writable: true, configurable: true });
  return out;
}
const isObj = (v: Json | undefined): v is JsonObj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+\-.]*|_):[^\s]*$/;
const KEYWORD_LIKE = /^@[a-zA-Z]+$/;

/** An expanded value: a node (own id or blank) or a literal ready for RDF. */
type Item = { readonly node: Node } | { readonly literal: string; readonly datatype: string; readonly key: string };
interface Node {
  id?: string;
  readonly types: string[];
  readonly props: Map<string, Item[]>;
}

let jsonSerial = 0;
const canonicalize = lazyRequire<(v: unknown) => string>('canonicalize');

/** The quads jsonld.js `toRDF(doc, {base})` would return, or undefined when the document is outside the subset. */
export function fastToRdf(doc: Json, base: string): FastQuad[] | undefined {
  try {
    return lift(doc, base);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

function lift(doc: Json, base: string): FastQuad[] {
  if (!isObj(doc) || !isBaseSafe(base)) unsupported();
  let ctx: Ctx = { terms: new Map(), base, keyIris: new Map() };
  if ('@context' in doc) ctx = processContext(ctx, doc['@context'] ?? null);
  let tops: Node[];
  const keys = Object.keys(doc).filter((k) => k !== '@context');
  if (keys.length === 1 && keys[0] === '@graph') {
    const graph = doc['@graph'] ?? null;
    tops = (Array.isArray(graph) ? graph : [graph]).map((g) => (isObj(g) ? expandNode(g, ctx) : unsupported()));
  } else {
    tops = [expandNode(doc, ctx)];
  }
  // jsonld.js drops (with an event) top-level nodes that are empty or only an @id: leave those to it.
  for (const n of tops) if (n.types.length === 0 && n.props.size === 0) unsupported();
  return toQuads(tops);
}

// ---- contexts ----

/**
 * Processed contexts by their JSON text, for contexts applied to the empty context (every top-level one):
 * a directory of TROs repeats a handful of contexts, so each is processed once. Only the document's base
 * differs between documents, and a context's terms never depend on it (relative term IRIs leave the subset).
 */
const topContexts = new Map<string, { readonly terms: ReadonlyMap<string, TermDef>; readonly vocab?: string; readonly base?: string }>();
const TOP_CONTEXTS_MAX = 64;

function processContext(active: Ctx, local: Json): Ctx {
  if (active.terms.size !== 0 || active.vocab !== undefined) return processContextUncached(active, local);
  const key = JSON.stringify(local);
  let hit = topContexts.get(key);
  if (hit === undefined) {
    const probe: Ctx = { terms: new Map(), base: TOP_PROBE_BASE, keyIris: new Map() };
    const done = processContextUncached(probe, local);
    hit = { terms: done.terms, ...(done.vocab === undefined ? {} : { vocab: done.vocab }), ...(done.base === TOP_PROBE_BASE ? {} : { base: done.base }) };
    if (topContexts.size >= TOP_CONTEXTS_MAX) topContexts.clear();
    topContexts.set(key, hit);
  }
  return { terms: hit.terms, base: hit.base ?? active.base, keyIris: new Map(), ...(hit.vocab === undefined ? {} : { vocab: hit.vocab }) };
}
const TOP_PROBE_BASE = 'https://pe-trace.invalid/probe/';

function processContextUncached(active: Ctx, local: Json): Ctx {
  let ctx = active;
  for (const item of Array.isArray(local) ? local : [local]) {
    if (!isObj(item)) unsupported();
    const terms = new Map(ctx.terms);
    let vocab = ctx.vocab;
    let base = ctx.base;
    for (const key of Object.keys(item)) {
      const v = item[key] ?? null;
      if (key === '@version') {
        if (!(v === 1.1 || (v instanceof JsonNumber && v.float === 1.1))) unsupported();
      } else if (key === '@base') {
        if (typeof v !== 'string' || !ABSOLUTE.test(v) || v.startsWith('_:') || !isBaseSafe(v)) unsupported();
        base = v;
      } else if (key === '@vocab') {
        if (typeof v !== 'string' || !ABSOLUTE.test(v) || v.startsWith('_:')) unsupported();
        vocab = v;
      } else if (key.startsWith('@')) unsupported();
    }
    const defining = new Set<string>();
    const defineTerm = (term: string): void => {
      if (!Object.hasOwn(item, term) || term.startsWith('@')) return;
      if (defining.has(term)) {
        if (!terms.has(term) || terms.get(term) === PENDING) unsupported();
        return;
      }
      defining.add(term);
      terms.set(term, PENDING);
      terms.set(term, termDefinition(term, item[term] ?? null, (value) => expandInContext(value)));
    };
    // A term's IRI may use other terms of the same context (defined on demand, as jsonld.js does).
    const expandInContext = (value: string): string => {
      if (value.charCodeAt(0) === 64 && KEYWORD_LIKE.test(value)) unsupported();
      if (Object.hasOwn(item, value)) defineTerm(value);
      const own = terms.get(value);
      if (own !== undefined) return own === PENDING ? unsupported() : own.id;
      const colon = value.indexOf(':');
      if (colon > 0) {
        const prefix = value.slice(0, colon);
        const suffix = value.slice(colon + 1);
        if (prefix === '_' || suffix.startsWith('//')) return value;
        if (Object.hasOwn(item, prefix)) defineTerm(prefix);
        const def = terms.get(prefix);
        if (def !== undefined && def !== PENDING && def.prefix) return def.id + suffix;
        if (ABSOLUTE.test(value)) return value;
      }
      if (vocab !== undefined) return vocab + value;
      return unsupported();
    };
    for (const term of Object.keys(item)) defineTerm(term);
    ctx = { terms, base, keyIris: new Map(), ...(vocab === undefined ? {} : { vocab }) };
  }
  return ctx;
}

const PENDING: TermDef = { id: '', prefix: false };

function termDefinition(term: string, value: Json, expand: (v: string) => string): TermDef {
  if (term.includes(':') || term.includes('/') || term === '') unsupported();
  if (typeof value === 'string') {
    const id = expand(value);
    if (!ABSOLUTE.test(id) || id.startsWith('_:')) unsupported();
    return { id, prefix: /[:/?#[\]@]$/.test(id) };
  }
  if (!isObj(value)) unsupported();
  let id: string | undefined;
  let type: string | undefined;
  let index: string | undefined;
  let context: Json | undefined;
  let indexContainer = false;
  for (const key of Object.keys(value)) {
    const v = value[key] ?? null;
    if (key === '@id') {
      if (typeof v !== 'string') unsupported();
      id = expand(v);
    } else if (key === '@type') {
      if (typeof v !== 'string') unsupported();
      type = v === '@id' || v === '@vocab' || v === '@json' ? v : expand(v);
      if (!type.startsWith('@') && (!ABSOLUTE.test(type) || type.startsWith('_:'))) unsupported();
    } else if (key === '@container') {
      const list = Array.isArray(v) ? v : [v];
      for (const c of list) {
        if (c === '@index') indexContainer = true;
        else if (c !== '@set') unsupported();
      }
    } else if (key === '@index') {
      if (typeof v !== 'string' || v.startsWith('@')) unsupported();
      index = v;
    } else if (key === '@context') {
      context = v;
    } else unsupported();
  }
  if (id === undefined || !ABSOLUTE.test(id) || id.startsWith('_:')) unsupported();
  // An @index container without a property index stores @index on the node (not modelled); @index alone is an error.
  if (indexContainer !== (index !== undefined)) unsupported();
  return { id, prefix: false, ...(type === undefined ? {} : { type }), ...(index === undefined ? {} : { index }), ...(context === undefined ? {} : { context }) };
}

/** jsonld.js `_expandIri` over a finished context; keywords other than @id/@type and unmappable strings leave the subset. */
function expandIri(ctx: Ctx, value: string, vocab: boolean, base = true): string {
  if (value.charCodeAt(0) === 64 && KEYWORD_LIKE.test(value)) unsupported();
  if (vocab) {
    const def = ctx.terms.get(value);
    if (def !== undefined) return def.id;
  }
  const colon = value.indexOf(':');
  if (colon > 0) {
    const prefix = value.slice(0, colon);
    const suffix = value.slice(colon + 1);
    if (prefix === '_' || suffix.startsWith('//')) return value;
    const def = ctx.terms.get(prefix);
    if (def?.prefix === true) return def.id + suffix;
    if (ABSOLUTE.test(value)) return value;
  }
  if (vocab && ctx.vocab !== undefined) return ctx.vocab + value;
  // A key is never resolved against the base: jsonld.js drops it with an event, which only jsonld.js reports.
  return base ? resolve(ctx.base, value) : unsupported();
}

/** An absolute hierarchical base with a path and no dot segments (the only kind `resolve` handles). */
function isBaseSafe(base: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+\-.]*:\/\/[^/?#\s]*\/[^?#\s]*(#[^\s]*)?$/.test(base) && !/\/\.\.?(\/|$|#)/.test(base);
}

/** RFC 3986 resolution for the plain relative references TROs use; anything needing dot-segment or query handling leaves the subset. */
function resolve(base: string, ref: string): string {
  const hash = base.indexOf('#');
  const noFragment = hash < 0 ? base : base.slice(0, hash);
  if (/\s/.test(ref)) unsupported();
  if (ref === '') return noFragment;
  if (ref.startsWith('#')) return noFragment + ref;
  if (/^[/?.]/.test(ref) || ref.includes('?') || /\/\.\.?(\/|$|#)/.test(ref)) unsupported();
  const firstSlash = ref.indexOf('/');
  const colon = ref.indexOf(':');
  if (colon >= 0 && (firstSlash < 0 || colon < firstSlash)) unsupported();
  return noFragment.slice(0, noFragment.lastIndexOf('/') + 1) + ref;
}

// ---- expansion (to a small node tree) ----

function expandNode(obj: JsonObj, outer: Ctx): Node {
  const ctx = '@context' in obj ? processContext(outer, obj['@context'] ?? null) : outer;
  const node: Node = { types: [], props: new Map() };
  for (const key of Object.keys(obj).sort()) {
    const v = obj[key] ?? null;
    if (key === '@context') continue;
    if (key === '@id') {
      if (typeof v !== 'string') unsupported();
      const id = expandIri(ctx, v, false);
      if (!ABSOLUTE.test(id)) unsupported();
      node.id = id;
    } else if (key === '@type') {
      for (const t of Array.isArray(v) ? v : [v]) {
        if (typeof t !== 'string' || ctx.terms.get(t)?.context !== undefined) unsupported();
        const iri = expandIri(ctx, t, true);
        if (!ABSOLUTE.test(iri) || iri.startsWith('_:')) unsupported();
        node.types.push(iri);
      }
    } else if (key.startsWith('@')) {
      unsupported();
    } else {
      const iri = keyIri(ctx, key);
      const items = expandProperty(ctx, key, v);
      if (items === undefined) continue;
      const list = node.props.get(iri);
      if (list === undefined) node.props.set(iri, items);
      else list.push(...items);
    }
  }
  return node;
}

/** A property key's IRI (memoised per context); keys that are not absolute IRIs leave the subset. */
function keyIri(ctx: Ctx, key: string): string {
  let iri = ctx.keyIris.get(key);
  if (iri === undefined) {
    iri = expandIri(ctx, key, true, false);
    if (!ABSOLUTE.test(iri) || iri.startsWith('_:')) unsupported();
    ctx.keyIris.set(key, iri);
  }
  return iri;
}

/** A property's values (undefined: the key is dropped, as jsonld.js drops a null value). */
function expandProperty(ctx: Ctx, key: string, v: Json): Item[] | undefined {
  if (v === null) return undefined;
  // The term's own scoped context applies to its values, and may redefine the term itself (jsonld.js termCtx).
  const scoped = ctx.terms.get(key)?.context;
  const valueCtx = scoped === undefined ? ctx : processContext(ctx, scoped);
  const def = valueCtx.terms.get(key);
  if (def?.type === '@json') {
    // jsonld.js compares @json values by identity: only equal primitives are ever merged.
    const plain = plainOf(v);
    const key = typeof plain === 'object' ? `J${jsonSerial++}` : `${typeof plain}${String(plain)}|@json`;
    return [{ literal: canonicalize()(plain), datatype: RDF_JSON, key }];
  }
  if (def?.index !== undefined) {
    if (!isObj(v)) unsupported();
    const indexIri = expandIri(valueCtx, def.index, true, false);
    const indexDef = valueCtx.terms.get(def.index);
    if (!ABSOLUTE.test(indexIri) || indexIri.startsWith('_:') || indexDef?.type !== undefined || indexDef?.context !== undefined) unsupported();
    const out: Item[] = [];
    for (const name of Object.keys(v).sort()) {
      if (name === '@none' || name.startsWith('@')) unsupported();
      for (const item of expandValues(valueCtx, def, v[name] ?? null)) {
        if (!('node' in item)) unsupported();
        const existing = item.node.props.get(indexIri) ?? [];
        item.node.props.set(indexIri, [literalOf(name, undefined), ...existing]);
        out.push(item);
      }
    }
    return out;
  }
  return expandValues(valueCtx, def, v);
}

function expandValues(ctx: Ctx, def: TermDef | undefined, v: Json): Item[] {
  const out: Item[] = [];
  for (const item of Array.isArray(v) ? v : [v]) {
    if (item === null) continue;
    if (Array.isArray(item)) unsupported();
    if (item instanceof JsonNumber) {
      // The same number jsonld.js is given (toJsonLdInput): a JS number, or a value object for big/integral-float ones.
      const plain = toJsonLdInput(item);
      out.push(typeof plain === 'number' ? scalar(ctx, def, plain) : isObj(plain) ? valueObject(ctx, plain) : unsupported());
    } else if (isObj(item)) {
      out.push('@value' in item ? valueObject(ctx, item) : { node: expandNode(item, ctx) });
    } else out.push(scalar(ctx, def, item));
  }
  return out;
}

function scalar(ctx: Ctx, def: TermDef | undefined, v: string | number | boolean): Item {
  const type = def?.type;
  if (typeof v === 'string' && (type === '@id' || type === '@vocab')) {
    const id = expandIri(ctx, v, type === '@vocab');
    if (!ABSOLUTE.test(id)) unsupported();
    return { node: { id, types: [], props: new Map() } };
  }
  if (type !== undefined && type.startsWith('@')) return literalOf(v, undefined);
  return literalOf(v, type);
}

function valueObject(ctx: Ctx, given: JsonObj): Item {
  const obj = given['@value'] instanceof JsonNumber ? toJsonLdInput(given as JsonValue) : given;
  if (!isObj(obj)) return unsupported();
  let type: string | undefined;
  for (const key of Object.keys(obj)) {
    if (key === '@type') {
      const t = obj[key];
      if (typeof t !== 'string') unsupported();
      type = expandIri(ctx, t, true);
      if (!ABSOLUTE.test(type) || type.startsWith('_:')) unsupported();
    } else if (key !== '@value') unsupported();
  }
  const v = obj['@value'];
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return unsupported();
  return literalOf(v, type);
}

/** jsonld.js `_objectToRDF` for a value object `{@value: v, @type: datatype}`. */
function literalOf(v: string | number | boolean, datatype: string | undefined): Item {
  // The dedup key mirrors jsonld.js compareValues: same @value (type included) and same @type.
  const key = `${typeof v}${String(v)}|${datatype ?? ''}`;
  if (typeof v === 'boolean') return { literal: String(v), datatype: datatype ?? `${XSD}boolean`, key };
  const isDouble = typeof v === 'number' && (String(v).includes('.') || Math.abs(v) >= 1e21);
  if (isDouble || datatype === `${XSD}double`) {
    const n = typeof v === 'number' ? v : parseFloat(v);
    return { literal: n.toExponential(15).replace(/(\d)0*e\+?/, '$1E'), datatype: datatype ?? `${XSD}double`, key };
  }
  if (typeof v === 'number') return { literal: v.toFixed(0), datatype: datatype ?? `${XSD}integer`, key };
  return { literal: v, datatype: datatype ?? `${XSD}string`, key };
}

// ---- node map and serialisation (jsonld.js createNodeMap + toRDF order) ----

interface MapValue {
  /** Dedup key: `@id` for references, the literal's key otherwise (jsonld.js never equates the two). */
  readonly key: string;
  readonly ref?: string;
  readonly literal?: string;
  readonly datatype?: string;
}
interface MapNode {
  readonly types: string[];
  readonly props: Map<string, MapValue[]>;
}

/** Appends unless an equal value is there (values per property are few: a scan beats a Set). */
function addUnique(values: MapValue[], v: MapValue): void {
  for (let i = 0; i < values.length; i++) if ((values[i] as MapValue).key === v.key) return;
  values.push(v);
}

function toQuads(tops: readonly Node[]): FastQuad[] {
  const nodes = new Map<string, MapNode>();
  let counter = 0;
  const issued = new Map<string, string>();
  const label = (old: string | undefined): string => {
    if (old !== undefined) {
      const known = issued.get(old);
      if (known !== undefined) return known;
    }
    const fresh = `_:b${counter++}`;
    if (old !== undefined) issued.set(old, fresh);
    return fresh;
  };
  const visit = (n: Node, name: string): void => {
    let entry = nodes.get(name);
    if (entry === undefined) nodes.set(name, (entry = { types: [], props: new Map() }));
    for (const t of n.types) if (!entry.types.includes(t)) entry.types.push(t);
    const props = n.props.size > 1 ? [...n.props.keys()].sort() : n.props.keys();
    for (const p of props) {
      let slot = entry.props.get(p);
      if (slot === undefined) entry.props.set(p, (slot = []));
      for (const item of n.props.get(p) ?? []) {
        if ('node' in item) {
          const child = item.node;
          const id = child.id === undefined || child.id.startsWith('_:') ? label(child.id) : child.id;
          addUnique(slot, { key: `@${id}`, ref: id });
          visit(child, id);
        } else addUnique(slot, { key: item.key, literal: item.literal, datatype: item.datatype });
      }
    }
  };
  for (const n of tops) visit(n, n.id === undefined || n.id.startsWith('_:') ? label(n.id) : n.id);

  const term = (id: string): FastTerm => (id.startsWith('_:') ? { termType: 'BlankNode', value: id.slice(2) } : { termType: 'NamedNode', value: id });
  const graph: FastTerm = { termType: 'DefaultGraph', value: '' };
  const out: FastQuad[] = [];
  for (const id of [...nodes.keys()].sort()) {
    const n = nodes.get(id) as MapNode;
    const subject = term(id);
    for (const t of n.types) out.push({ subject, predicate: { termType: 'NamedNode', value: RDF_TYPE }, object: term(t), graph });
    for (const p of [...n.props.keys()].sort()) {
      const predicate: FastTerm = { termType: 'NamedNode', value: p };
      for (const v of n.props.get(p) ?? []) {
        const object: FastTerm = v.ref !== undefined ? term(v.ref) : { termType: 'Literal', value: v.literal as string, datatype: { value: v.datatype as string } };
        out.push({ subject, predicate, object, graph });
      }
    }
  }
  return out;
}
