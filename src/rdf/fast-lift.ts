// JSON-LD → RDF for the documents pe-trace knows (inline prefix contexts, coercions, index maps), without general expansion.
//
// jsonld.js expands, flattens into a node map and then serialises; that generality was most of a query's cost
// (issue 15). This walks the compact document once, straight into the node map (no expanded tree), and produces
// the SAME quads in the SAME order with the SAME blank node labels as jsonld.js `toRDF` (node-map order: subjects
// sorted, properties sorted, blank nodes issued in node-map traversal order). Whatever it does not model (remote or null contexts, @language, @list, @reverse,
// aliases, scoped types, anything that would raise a jsonld.js event or error) makes it return undefined,
// and the caller lifts with jsonld.js. test/rdf/fast-lift.test.ts proves the equality on every corpus we have.
import { type JsonValue, type PlainJson, JsonNumber } from '../json/value.js';
import { lazyRequire } from '../lazy.js';
import { toJsonLdInput } from './jsonld-input.js';
import { type TextQuad, type TextTerm, blankTerm, literalTerm, namedTerm } from './nquads-text.js';

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
  /**
   * Keys already expanded under this context (most keys repeat on every node). A key's IRI never depends on the
   * base, so a top-level context shares one map across every document that uses it.
   */
  readonly keyIris: Map<string, string>;
  /** Term-scoped contexts already applied on top of this one, by the scoped context's JSON (object identity). */
  scoped?: Map<Json, Ctx>;
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
/** The IRI test jsonld.js-shaped input needs: `/^([A-Za-z][A-Za-z0-9+\-.]*|_):[^\s]*$/`, without a regex (it ran on every IRI). */
export function isAbsoluteIri(s: string): boolean {
  const colon = s.indexOf(':');
  if (colon <= 0) return false;
  const c0 = s.charCodeAt(0);
  if (!(colon === 1 && c0 === 95)) {
    if (!isAlpha(c0)) return false;
    for (let i = 1; i < colon; i++) {
      const c = s.charCodeAt(i);
      if (!(isAlpha(c) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return false;
    }
  }
  return !hasWhiteSpace(s, colon + 1);
}
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Whether `s` from `from` holds a character of the regex class `\s` (ECMAScript WhiteSpace and LineTerminator). */
function hasWhiteSpace(s: string, from = 0): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32) {
      if (c === 32 || (c >= 9 && c <= 13)) return true;
    } else if (c >= 160 && (c === 160 || c === 5760 || (c >= 8192 && c <= 8202) || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288 || c === 65279)) return true;
  }
  return false;
}
const ABSOLUTE = { test: isAbsoluteIri };
const KEYWORD_LIKE = /^@[a-zA-Z]+$/;

let jsonSerial = 0;
const canonicalize = lazyRequire<(v: unknown) => string>('canonicalize');

/** The quads jsonld.js `toRDF(doc, {base})` would return, or undefined when the document is outside the subset. */
export function fastToRdf(doc: Json, base: string): FastQuad[] | undefined {
  const map = nodeMapOf(doc, base);
  return map === undefined ? undefined : toFastQuads(map);
}

/**
 * The same quads as `fastToRdf`, as plain term records ready for N-Quads text (what `liftJsonLdTerms` returns):
 * blank node `_:bN` becomes `<blankPrefix>bN`, the default graph becomes `graph`; repeated terms are one record.
 * Undefined when the document is outside the subset. When it is defined, the document names no context URL
 * anywhere (`contextUrls` finds none): every context the walk meets must be an inline object, scoped contexts of
 * unused terms and `@json` values included, so the caller's remote-context scan can be skipped.
 */
export function fastToTerms(doc: Json, base: string, blankPrefix: string, graph: TextTerm): TextQuad[] | undefined {
  const map = nodeMapOf(doc, base);
  return map === undefined ? undefined : toTextQuads(map, blankPrefix, graph);
}

function nodeMapOf(doc: Json, base: string): NodeMap | undefined {
  try {
    return walkDocument(doc, base);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

// ---- contexts ----

/**
 * Processed contexts by their JSON text, for contexts applied to the empty context (every top-level one):
 * a directory of TROs repeats a handful of contexts, so each is processed once. Only the document's base
 * differs between documents, and a context's terms never depend on it (relative term IRIs leave the subset).
 */
const topContexts = new Map<string, { readonly terms: ReadonlyMap<string, TermDef>; readonly vocab?: string; readonly base?: string; readonly keyIris: Map<string, string> }>();
const TOP_CONTEXTS_MAX = 64;
/** Bounds each shared key map (a hostile corpus could bring any number of distinct keys). */
const KEY_IRIS_MAX = 4096;

function processContext(active: Ctx, local: Json): Ctx {
  if (active.terms.size !== 0 || active.vocab !== undefined) return processContextUncached(active, local);
  const key = contextKey(local);
  let hit = topContexts.get(key);
  if (hit === undefined) {
    const probe: Ctx = { terms: new Map(), base: TOP_PROBE_BASE, keyIris: new Map() };
    const done = processContextUncached(probe, local);
    hit = { terms: done.terms, keyIris: new Map(), ...(done.vocab === undefined ? {} : { vocab: done.vocab }), ...(done.base === TOP_PROBE_BASE ? {} : { base: done.base }) };
    if (topContexts.size >= TOP_CONTEXTS_MAX) topContexts.clear();
    topContexts.set(key, hit);
  }
  if (hit.keyIris.size >= KEY_IRIS_MAX) hit.keyIris.clear();
  return { terms: hit.terms, base: hit.base ?? active.base, keyIris: hit.keyIris, ...(hit.vocab === undefined ? {} : { vocab: hit.vocab }) };
}
const TOP_PROBE_BASE = 'https://pe-trace.invalid/probe/';

/**
 * A context's cache key: an injective text of its JSON (strings length-prefixed, so no escaping is needed).
 * JSON.stringify did the same but cost a few per cent of a lift on parsed (null-prototype, dictionary-mode) objects.
 */
function contextKey(v: Json): string {
  if (typeof v === 'string') return `s${v.length}:${v}`;
  if (v === null || typeof v === 'boolean' || typeof v === 'number') return `p${String(v)};`;
  // Not JSON.stringify: an int JsonNumber holds a bigint, which it throws on (so did the old JSON.stringify key).
  if (v instanceof JsonNumber) return `n${v.kind}${String(v.int)}/${String(v.float)};`;
  if (Array.isArray(v)) {
    let out = '[';
    for (const item of v) out += contextKey(item);
    return `${out}]`;
  }
  let out = '{';
  for (const key of Object.keys(v)) out += `${key.length}:${key}${contextKey(v[key] ?? null)}`;
  return `${out}}`;
}

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
      // Checked now, not when the term is first used: a URL here must reach the remote-context refusal even if the
      // document never uses the term (fastToTerms promises its caller that no context URL exists).
      if (namesContextUrl(v)) unsupported();
      context = v;
    } else unsupported();
  }
  if (id === undefined || !ABSOLUTE.test(id) || id.startsWith('_:')) unsupported();
  // An @index container without a property index stores @index on the node (not modelled); @index alone is an error.
  if (indexContainer !== (index !== undefined)) unsupported();
  return { id, prefix: false, ...(type === undefined ? {} : { type }), ...(index === undefined ? {} : { index }), ...(context === undefined ? {} : { context }) };
}

/** Whether a context value names a URL where `contextUrls` (document-loader.ts) would find one. */
function namesContextUrl(v: Json): boolean {
  if (typeof v === 'string') return true;
  if (Array.isArray(v)) return v.some(namesContextUrl);
  if (!isObj(v)) return false;
  if (typeof v['@import'] === 'string') return true;
  for (const key of Object.keys(v)) {
    const def = v[key];
    if (isObj(def) && def['@context'] !== undefined && namesContextUrl(def['@context'])) return true;
  }
  return false;
}

/** Whether any object inside a value has an `@context` key (the remote-context scan looks inside `@json` values too). */
function hasContextKey(v: Json): boolean {
  if (Array.isArray(v)) return v.some(hasContextKey);
  if (!isObj(v)) return false;
  if (Object.hasOwn(v, '@context')) return true;
  for (const key of Object.keys(v)) if (hasContextKey(v[key] ?? null)) return true;
  return false;
}

/** A term-scoped context applied on top of `ctx`, once per document and scoped context. */
function scopedContext(ctx: Ctx, scoped: Json): Ctx {
  let cache = ctx.scoped;
  if (cache === undefined) ctx.scoped = cache = new Map();
  let out = cache.get(scoped);
  if (out === undefined) cache.set(scoped, (out = processContext(ctx, scoped)));
  return out;
}

/**
 * jsonld.js `_expandIri` over a finished context, for the places that need an absolute IRI (every caller here):
 * keywords other than @id/@type and anything not absolute leave the subset. Each branch checks only what it adds
 * (term IRIs, `@vocab` and bases were checked when defined), so an IRI is not scanned twice.
 */
function expandIri(ctx: Ctx, value: string, vocab: boolean, base = true): string {
  const iri = expandWithoutBase(ctx, value, vocab);
  if (iri !== undefined) return iri;
  // A key is never resolved against the base: jsonld.js drops it with an event, which only jsonld.js reports.
  // Resolution against a safe base (isBaseSafe) of a reference without white space is absolute by construction.
  return base ? resolve(ctx.base, value) : unsupported();
}

/** `expandIri` up to the base: undefined where only resolution against the base would give an IRI. */
function expandWithoutBase(ctx: Ctx, value: string, vocab: boolean): string | undefined {
  if (value.charCodeAt(0) === 64 && KEYWORD_LIKE.test(value)) unsupported();
  if (vocab) {
    const def = ctx.terms.get(value);
    if (def !== undefined) return def.id;
  }
  const colon = value.indexOf(':');
  if (colon > 0) {
    if (colon === 1 && value.charCodeAt(0) === 95) return hasWhiteSpace(value, 2) ? unsupported() : value;
    if (value.startsWith('//', colon + 1)) return ABSOLUTE.test(value) ? value : unsupported();
    const def = ctx.terms.get(value.slice(0, colon));
    if (def?.prefix === true) return hasWhiteSpace(value, colon + 1) ? unsupported() : def.id + value.slice(colon + 1);
    if (ABSOLUTE.test(value)) return value;
  }
  if (vocab && ctx.vocab !== undefined) return hasWhiteSpace(value) ? unsupported() : ctx.vocab + value;
  return undefined;
}

/** An absolute hierarchical base with a path and no dot segments (the only kind `resolve` handles). */
function isBaseSafe(base: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+\-.]*:\/\/[^/?#\s]*\/[^?#\s]*(#[^\s]*)?$/.test(base) && !/\/\.\.?(\/|$|#)/.test(base);
}

/** The last base `resolve` split (a document resolves all its references against one base). */
let resolvedBase = '';
let baseNoFragment = '';
let baseDirectory = '';
const DOT_SEGMENT = /\/\.\.?(\/|$|#)/;

/** RFC 3986 resolution for the plain relative references TROs use; anything needing dot-segment or query handling leaves the subset. */
function resolve(base: string, ref: string): string {
  if (base !== resolvedBase) {
    const hash = base.indexOf('#');
    baseNoFragment = hash < 0 ? base : base.slice(0, hash);
    baseDirectory = baseNoFragment.slice(0, baseNoFragment.lastIndexOf('/') + 1);
    resolvedBase = base;
  }
  if (hasWhiteSpace(ref)) unsupported();
  if (ref === '') return baseNoFragment;
  const c0 = ref.charCodeAt(0);
  if (c0 === 35) return baseNoFragment + ref;
  // '/', '?' or '.' first, any query, or a dot segment.
  if (c0 === 47 || c0 === 63 || c0 === 46 || ref.includes('?') || (ref.includes('/.') && DOT_SEGMENT.test(ref))) unsupported();
  const colon = ref.indexOf(':');
  if (colon >= 0) {
    const firstSlash = ref.indexOf('/');
    if (firstSlash < 0 || colon < firstSlash) unsupported();
  }
  return baseDirectory + ref;
}

// ---- the walk: compact JSON straight into jsonld.js's node map (createNodeMap order) ----

/** One value of a node's property: a node reference or a literal. */
interface MapValue {
  /** Dedup key, as jsonld.js compareValues: `@<id>` for references, `<typeof><value>|<datatype>` for literals. */
  readonly key: string;
  readonly ref?: string;
  readonly literal?: string;
  readonly datatype?: string;
}
interface MapNode {
  readonly types: string[];
  readonly props: Map<string, MapValue[]>;
}
/** Subjects by node-map name (`_:bN` for blank nodes), in insertion order. */
type NodeMap = Map<string, MapNode>;

/** Appends unless an equal value is there (values per property are few: a scan beats a Set). */
function addUnique(values: MapValue[], v: MapValue): void {
  for (let i = 0; i < values.length; i++) if ((values[i] as MapValue).key === v.key) return;
  values.push(v);
}

/**
 * The walk's state: the node map and jsonld.js's blank node issuer. Nodes are visited in the order createNodeMap
 * visits the expanded document: a node's types, then its properties sorted by expanded IRI (keys mapping to the same
 * IRI in compact-key order), each property's values in document order, an embedded node right after its reference
 * is added, index-map entries by sorted index.
 */
class Walk {
  readonly nodes: NodeMap = new Map();
  private counter = 0;
  private readonly issued = new Map<string, string>();

  /** jsonld.js's IdentifierIssuer: `_:b0`, `_:b1`, … in first-seen order; a document's own blank ids are renamed. */
  label(old: string | undefined): string {
    if (old !== undefined) {
      const known = this.issued.get(old);
      if (known !== undefined) return known;
    }
    const fresh = `_:b${this.counter++}`;
    if (old !== undefined) this.issued.set(old, fresh);
    return fresh;
  }

  slot(name: string, iri: string): MapValue[] {
    let entry = this.nodes.get(name);
    if (entry === undefined) this.nodes.set(name, (entry = { types: [], props: new Map() }));
    return slotOf(entry, iri);
  }

  /** A node object's node-map name under its own context (its `@id` expanded, or a fresh blank label). */
  nameOf(obj: JsonObj, ctx: Ctx): string {
    const given = obj['@id'];
    if (given === undefined) return this.label(undefined);
    if (typeof given !== 'string') unsupported();
    const id = expandIri(ctx, given, false);
    return id.startsWith('_:') ? this.label(id) : id;
  }

  /**
   * A node object's types and properties into entry `name`. `index` is the literal an index map gives the node
   * (first among its values of `indexIri`). Returns whether the node had a type or a non-null property (jsonld.js
   * drops a top-level node with neither, with an event).
   */
  fill(obj: JsonObj, ctx: Ctx, name: string, indexIri?: string, index?: MapValue): boolean {
    let entry = this.nodes.get(name);
    if (entry === undefined) this.nodes.set(name, (entry = { types: [], props: new Map() }));
    let content = false;
    const iris: string[] = [];
    const keys: (string | undefined)[] = [];
    for (const key of Object.keys(obj)) {
      if (key === '@context' || key === '@id') continue;
      const v = obj[key] ?? null;
      if (key === '@type') {
        for (const t of Array.isArray(v) ? v : [v]) {
          if (typeof t !== 'string') unsupported();
          const iri = typeIri(ctx, t);
          if (!entry.types.includes(iri)) entry.types.push(iri);
          content = true;
        }
      } else if (key.charCodeAt(0) === 64) {
        unsupported();
      } else {
        if (v !== null) content = true;
        iris.push(keyIri(ctx, key));
        keys.push(key);
      }
    }
    if (indexIri !== undefined) {
      iris.push(indexIri);
      keys.push(undefined);
    }
    // Insertion sort by (IRI, compact key; the index literal first): a node has a handful of keys.
    for (let i = 1; i < iris.length; i++) {
      const iri = iris[i] as string;
      const key = keys[i];
      let j = i - 1;
      while (j >= 0 && before(iri, key, iris[j] as string, keys[j])) {
        iris[j + 1] = iris[j] as string;
        keys[j + 1] = keys[j];
        j--;
      }
      iris[j + 1] = iri;
      keys[j + 1] = key;
    }
    for (let i = 0; i < iris.length; i++) {
      const iri = iris[i] as string;
      const key = keys[i];
      if (key === undefined) {
        addUnique(slotOf(entry, iri), index as MapValue);
        continue;
      }
      const v = obj[key] ?? null;
      if (v !== null) this.property(ctx, key, v, slotOf(entry, iri));
    }
    return content;
  }

  /** One property's values into `slot` (the term's scoped context applies to them and may redefine the term). */
  property(ctx: Ctx, key: string, v: Json, slot: MapValue[]): void {
    const scoped = ctx.terms.get(key)?.context;
    const valueCtx = scoped === undefined ? ctx : scopedContext(ctx, scoped);
    const def = valueCtx.terms.get(key);
    if (def?.type === '@json') {
      if (hasContextKey(v)) unsupported();
      // jsonld.js compares @json values by identity: only equal primitives are ever merged.
      const plain = plainOf(v);
      const dedup = typeof plain === 'object' ? `J${jsonSerial++}` : `${typeof plain}${String(plain)}|@json`;
      addUnique(slot, { literal: canonicalize()(plain), datatype: RDF_JSON, key: dedup });
      return;
    }
    if (def?.index !== undefined) {
      if (!isObj(v)) unsupported();
      const indexIri = expandIri(valueCtx, def.index, true, false);
      const indexDef = valueCtx.terms.get(def.index);
      if (indexIri.startsWith('_:') || indexDef?.type !== undefined || indexDef?.context !== undefined) unsupported();
      for (const name of Object.keys(v).sort()) {
        if (name.charCodeAt(0) === 64) unsupported();
        this.values(valueCtx, def, v[name] ?? null, slot, indexIri, literalOf(name, undefined));
      }
      return;
    }
    this.values(valueCtx, def, v, slot);
  }

  /** A value or array of values; under an index map (`indexIri`) every value must be a node. */
  values(ctx: Ctx, def: TermDef | undefined, v: Json, slot: MapValue[], indexIri?: string, index?: MapValue): void {
    const list = Array.isArray(v) ? v : [v];
    for (let i = 0; i < list.length; i++) {
      const item = list[i] ?? null;
      if (item === null) continue;
      if (Array.isArray(item)) unsupported();
      if (isObj(item) && !('@value' in item)) {
        const childCtx = '@context' in item ? processContext(ctx, item['@context'] ?? null) : ctx;
        const name = this.nameOf(item, childCtx);
        addUnique(slot, { key: `@${name}`, ref: name });
        this.fill(item, childCtx, name, indexIri, index);
        continue;
      }
      let value: MapValue;
      if (item instanceof JsonNumber) {
        // The same number jsonld.js is given (toJsonLdInput): a JS number, or a value object for big/integral-float ones.
        const plain = toJsonLdInput(item);
        value = typeof plain === 'number' ? this.scalar(ctx, def, plain) : isObj(plain) ? valueObject(ctx, plain) : unsupported();
      } else value = isObj(item) ? valueObject(ctx, item) : this.scalar(ctx, def, item);
      if (indexIri !== undefined) {
        if (value.ref === undefined) unsupported();
        addUnique(slot, value);
        addUnique(this.slot(value.ref, indexIri), index as MapValue);
      } else addUnique(slot, value);
    }
  }

  /** A string, number or boolean under the term's type coercion (a reference for `@id`/`@vocab`). */
  scalar(ctx: Ctx, def: TermDef | undefined, v: string | number | boolean): MapValue {
    const type = def?.type;
    if (typeof v === 'string' && (type === '@id' || type === '@vocab')) {
      const id = expandIri(ctx, v, type === '@vocab');
      const name = id.startsWith('_:') ? this.label(id) : id;
      return { key: `@${name}`, ref: name };
    }
    if (type !== undefined && type.charCodeAt(0) === 64) return literalOf(v, undefined);
    return literalOf(v, type);
  }
}

function slotOf(entry: MapNode, iri: string): MapValue[] {
  let slot = entry.props.get(iri);
  if (slot === undefined) entry.props.set(iri, (slot = []));
  return slot;
}

/** A property key's IRI (memoised per context); keys that are not absolute IRIs leave the subset. */
function keyIri(ctx: Ctx, key: string): string {
  let iri = ctx.keyIris.get(key);
  if (iri === undefined) {
    iri = expandWithoutBase(ctx, key, true) ?? unsupported();
    if (iri.startsWith('_:')) unsupported();
    ctx.keyIris.set(key, iri);
  }
  return iri;
}

/**
 * A node type's IRI: expanded like a key (and memoised with the keys: the same function of the context) unless only
 * the base maps it, which is per document. Types with a scoped context and blank types leave the subset.
 */
function typeIri(ctx: Ctx, type: string): string {
  if (ctx.terms.get(type)?.context !== undefined) unsupported();
  let iri = ctx.keyIris.get(type);
  if (iri !== undefined) return iri;
  iri = expandWithoutBase(ctx, type, true);
  const memo = iri !== undefined;
  iri ??= resolve(ctx.base, type);
  if (iri.startsWith('_:')) unsupported();
  if (memo) ctx.keyIris.set(type, iri);
  return iri;
}

/** Sort order of a node's keys: by expanded IRI, then compact key, an index map's literal (no key) first. */
function before(iri: string, key: string | undefined, otherIri: string, otherKey: string | undefined): boolean {
  if (iri !== otherIri) return iri < otherIri;
  if (otherKey === undefined) return false;
  return key === undefined || key < otherKey;
}

function walkDocument(doc: Json, base: string): NodeMap {
  if (!isObj(doc) || !isBaseSafe(base)) unsupported();
  let ctx: Ctx = { terms: new Map(), base, keyIris: new Map() };
  if ('@context' in doc) ctx = processContext(ctx, doc['@context'] ?? null);
  const walk = new Walk();
  const top = (node: JsonObj, nodeCtx: Ctx): void => {
    // jsonld.js drops (with an event) top-level nodes that are empty or only an @id: leave those to it.
    if (!walk.fill(node, nodeCtx, walk.nameOf(node, nodeCtx))) unsupported();
  };
  const keys = Object.keys(doc);
  const graphOnly = Object.hasOwn(doc, '@graph') && keys.length === (Object.hasOwn(doc, '@context') ? 2 : 1);
  if (graphOnly) {
    const graph = doc['@graph'] ?? null;
    for (const g of Array.isArray(graph) ? graph : [graph]) {
      if (!isObj(g)) unsupported();
      top(g, '@context' in g ? processContext(ctx, g['@context'] ?? null) : ctx);
    }
  } else top(doc, ctx);
  return walk.nodes;
}

function valueObject(ctx: Ctx, given: JsonObj): MapValue {
  const obj = given['@value'] instanceof JsonNumber ? toJsonLdInput(given as JsonValue) : given;
  if (!isObj(obj)) return unsupported();
  let type: string | undefined;
  for (const key of Object.keys(obj)) {
    if (key === '@type') {
      const t = obj[key];
      if (typeof t !== 'string') unsupported();
      type = expandIri(ctx, t, true);
      if (type.startsWith('_:')) unsupported();
    } else if (key !== '@value') unsupported();
  }
  const v = obj['@value'];
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return unsupported();
  return literalOf(v, type);
}

/** jsonld.js `_objectToRDF` for a value object `{@value: v, @type: datatype}`. */
function literalOf(v: string | number | boolean, datatype: string | undefined): MapValue {
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

// ---- serialisation (jsonld.js toRDF order: subjects sorted, types first, then properties sorted) ----

/** A node's property IRIs in code-unit order (usually already so: one visit inserts them sorted). */
function sortedProps(n: MapNode): string[] {
  const keys = [...n.props.keys()];
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return keys.sort();
  return keys;
}

function toFastQuads(nodes: NodeMap): FastQuad[] {
  const term = (id: string): FastTerm => (id.startsWith('_:') ? { termType: 'BlankNode', value: id.slice(2) } : { termType: 'NamedNode', value: id });
  const graph: FastTerm = { termType: 'DefaultGraph', value: '' };
  const out: FastQuad[] = [];
  for (const id of [...nodes.keys()].sort()) {
    const n = nodes.get(id) as MapNode;
    const subject = term(id);
    for (const t of n.types) out.push({ subject, predicate: { termType: 'NamedNode', value: RDF_TYPE }, object: term(t), graph });
    for (const p of sortedProps(n)) {
      const predicate: FastTerm = { termType: 'NamedNode', value: p };
      for (const v of n.props.get(p) ?? []) {
        const object: FastTerm = v.ref !== undefined ? term(v.ref) : { termType: 'Literal', value: v.literal as string, datatype: { value: v.datatype as string } };
        out.push({ subject, predicate, object, graph });
      }
    }
  }
  return out;
}

/**
 * Vocabulary terms (predicates and classes) shared by every document: a corpus repeats a few hundred of them.
 * Records are immutable, so sharing is safe; bounded so that a hostile corpus cannot grow it without limit.
 */
const vocabularyTerms = new Map<string, TextTerm>();
const VOCABULARY_MAX = 8192;
function vocabularyTerm(iri: string): TextTerm {
  let t = vocabularyTerms.get(iri);
  if (t === undefined) {
    if (vocabularyTerms.size >= VOCABULARY_MAX) vocabularyTerms.clear();
    vocabularyTerms.set(iri, (t = namedTerm(iri)));
  }
  return t;
}

function toTextQuads(nodes: NodeMap, blankPrefix: string, graph: TextTerm): TextQuad[] {
  const own = new Map<string, TextTerm>();
  const term = (id: string): TextTerm => {
    let t = own.get(id);
    if (t === undefined) own.set(id, (t = id.startsWith('_:') ? blankTerm(blankPrefix + id.slice(2)) : namedTerm(id)));
    return t;
  };
  const type = vocabularyTerm(RDF_TYPE);
  const out: TextQuad[] = [];
  for (const id of [...nodes.keys()].sort()) {
    const n = nodes.get(id) as MapNode;
    const subject = term(id);
    for (const t of n.types) out.push({ subject, predicate: type, object: vocabularyTerm(t), graph });
    for (const p of sortedProps(n)) {
      const predicate = vocabularyTerm(p);
      for (const v of n.props.get(p) as MapValue[]) {
        out.push({ subject, predicate, object: v.ref !== undefined ? term(v.ref) : literalTerm(v.literal as string, v.datatype), graph });
      }
    }
  }
  return out;
}
