// JSON-LD → RDF for the documents pe-trace knows (inline prefix contexts, coercions, index maps), without general expansion.
//
// jsonld.js expands, flattens into a node map and then serialises; that generality was most of a query's cost
// (issue 15). This walks the compact document once, straight into the node map (no expanded tree), and produces
// the SAME quads in the SAME order with the SAME blank node labels as jsonld.js `toRDF` (node-map order: subjects
// sorted, properties sorted, blank nodes issued in node-map traversal order). Contexts and IRI expansion live in
// fast-lift-context.ts. Whatever it does not model (remote or null contexts, @language, @list, @reverse, aliases,
// scoped types, anything that would raise a jsonld.js event or error) makes it return undefined, and the caller
// lifts with jsonld.js. test/unit/rdf/fast-lift.test.ts proves the equality on every corpus we have.
import { type JsonValue, type PlainJson, JsonNumber } from '../json/value.js';
import { lazyRequire } from '../lazy.js';
import { toJsonLdInput } from './jsonld-input.js';
import { type TextQuad, type TextTerm, blankTerm, literalTerm, namedTerm, termText } from './nquads-text.js';
import { type Ctx, type Json, type JsonObj, type TermDef, Unsupported, expandIri, expandWithoutBase, hasContextKey, isBaseSafe, isObj, processContext, resolve, scopedContext, unsupported } from './fast-lift-context.js';
import { type PlannedProperty, planOf } from './fast-lift-plan.js';

export { isAbsoluteIri } from './fast-lift-context.js';

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

/** Plain JSON as jsonld.js would be given it (lossless numbers through toJsonLdInput; plain ones as they are). */
function plainOf(v: Json, refuseNumbers: boolean): PlainJson {
  if (v instanceof JsonNumber) return toJsonLdInput(v);
  if (refuseNumbers && typeof v === 'number') unsupported();
  if (Array.isArray(v)) return v.map((item) => plainOf(item, refuseNumbers));
  if (!isObj(v)) return v;
  // A value object with a lossless number (its big-int digits and type) converts as a whole.
  if (v['@value'] instanceof JsonNumber) return toJsonLdInput(v as JsonValue);
  const out: { [key: string]: PlainJson } = {};
  for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: plainOf(v[k] ?? null, refuseNumbers), enumerable: true, writable: true, configurable: true });
  return out;
}const canonicalize = lazyRequire<(v: unknown) => string>('canonicalize');

/** The quads jsonld.js `toRDF(doc, {base})` would return, or undefined when the document is outside the subset. */
export function fastToRdf(doc: Json, base: string): FastQuad[] | undefined {
  const map = nodeMapOf(doc, base);
  return map === undefined ? undefined : toFastQuads(map);
}

/** The fast lift of one document: plain term records and, when asked for, their N-Quads text written along the way. */
export interface FastTerms {
  readonly quads: TextQuad[];
  /** `quadsText(quads)`, byte for byte (each distinct term written once, vocabulary terms once per process). */
  readonly text?: string;
}

/**
 * The same quads as `fastToRdf`, as plain term records ready for N-Quads text (what `liftJsonLdTerms` returns):
 * blank node `_:bN` becomes `<blankPrefix>bN`, the default graph becomes `graph`; repeated terms are one record.
 * Undefined when the document is outside the subset. When it is defined, the document names no context URL
 * anywhere (`contextUrls` finds none): every context the walk meets must be an inline object, scoped contexts of
 * unused terms and `@json` values included, so the caller's remote-context scan can be skipped.
 * `options.refuseNumbers` leaves the subset at any JS number (a tree from `JSON.parse`, which cannot tell `1` from `1.0`);
 * `options.text` asks for the N-Quads text too.
 */
export function fastToTerms(doc: Json, base: string, blankPrefix: string, graph: TextTerm, options: { readonly refuseNumbers?: boolean; readonly text?: boolean } = {}): FastTerms | undefined {
  const map = nodeMapOf(doc, base, options.refuseNumbers === true);
  return map === undefined ? undefined : toTextQuads(map, blankPrefix, graph, options.text === true);
}

function nodeMapOf(doc: Json, base: string, refuseNumbers = false): NodeMap | undefined {
  try {
    return walkDocument(doc, base, refuseNumbers);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

// ---- the walk: compact JSON straight into jsonld.js's node map (createNodeMap order) ----

/** One value of a node's property: a node reference or a literal. */
interface MapValue {
  /** A node reference: the node-map name. */
  readonly ref?: string;
  readonly literal?: string;
  readonly datatype?: string;
  /**
   * What jsonld.js compareValues compares for a literal: the JSON value as given (a string and a number never
   * equal; a fresh object for an `@json` object or array, which it compares by identity) and the given `@type`
   * (`''` for none, `@json` for JSON literals).
   */
  readonly raw?: string | number | boolean | object;
  readonly given?: string;
}
interface MapNode {
  readonly types: string[];
  /** Property IRIs and their values, index for index (a node has a handful: a scan costs less than a Map per node). */
  readonly iris: string[];
  readonly values: MapValue[][];
}
/** Subjects by node-map name (`_:bN` for blank nodes), in insertion order. */
type NodeMap = Map<string, MapNode>;

/** Appends unless an equal value is there (values per property are few: a scan beats a Set). */
function addUnique(values: MapValue[], v: MapValue): void {
  for (let i = 0; i < values.length; i++) {
    const w = values[i] as MapValue;
    if (v.ref !== undefined ? w.ref === v.ref : w.ref === undefined && w.raw === v.raw && w.given === v.given) return;
  }
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
  /** Leave the subset at any JS number (see `fastToTerms`). */
  readonly refuseNumbers: boolean;
  constructor(refuseNumbers: boolean) {
    this.refuseNumbers = refuseNumbers;
  }
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
    if (entry === undefined) this.nodes.set(name, (entry = { types: [], iris: [], values: [] }));
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
    if (entry === undefined) this.nodes.set(name, (entry = { types: [], iris: [], values: [] }));
    let content = false;
    // The keys' IRIs and visiting order come from the plan of this key sequence under this context (fast-lift-plan.ts).
    const plan = planOf(ctx, Object.keys(obj), indexIri);
    if (plan.hasType) {
      const v = obj['@type'] ?? null;
      for (const t of Array.isArray(v) ? v : [v]) {
        if (typeof t !== 'string') unsupported();
        const iri = typeIri(ctx, t);
        if (!entry.types.includes(iri)) entry.types.push(iri);
        content = true;
      }
    }
    const props = plan.properties;
    for (let i = 0; i < props.length; i++) {
      const { key, iri } = props[i] as PlannedProperty;
      if (key === undefined) {
        addUnique(slotOf(entry, iri), index as MapValue);
        continue;
      }
      const v = obj[key] ?? null;
      if (v !== null) {
        content = true;
        this.property(ctx, key, v, slotOf(entry, iri));
      }
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
      // jsonld.js compares @json values by identity: only equal primitives are ever merged (an object is a fresh `raw`).
      const plain = plainOf(v, this.refuseNumbers);
      addUnique(slot, { literal: canonicalize()(plain), datatype: RDF_JSON, raw: typeof plain === 'object' ? {} : plain, given: '@json' });
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
        addUnique(slot, { ref: name });
        this.fill(item, childCtx, name, indexIri, index);
        continue;
      }
      let value: MapValue;
      if (item instanceof JsonNumber) {
        // The same number jsonld.js is given (toJsonLdInput): a JS number, or a value object for big/integral-float ones.
        const plain = toJsonLdInput(item);
        value = typeof plain === 'number' ? this.scalar(ctx, def, plain) : isObj(plain) ? valueObject(ctx, plain) : unsupported();
      } else {
        if (this.refuseNumbers && typeof item === 'number') unsupported();
        value = isObj(item) ? valueObject(ctx, item, this.refuseNumbers) : this.scalar(ctx, def, item);
      }
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
      return { ref: name };
    }
    if (type !== undefined && type.charCodeAt(0) === 64) return literalOf(v, undefined);
    return literalOf(v, type);
  }
}

function slotOf(entry: MapNode, iri: string): MapValue[] {
  const { iris, values } = entry;
  for (let i = iris.length - 1; i >= 0; i--) if (iris[i] === iri) return values[i] as MapValue[];
  const slot: MapValue[] = [];
  iris.push(iri);
  values.push(slot);
  return slot;
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

function walkDocument(doc: Json, base: string, refuseNumbers: boolean): NodeMap {
  if (!isObj(doc) || !isBaseSafe(base)) unsupported();
  let ctx: Ctx = { terms: new Map(), base, keyIris: new Map() };
  if ('@context' in doc) ctx = processContext(ctx, doc['@context'] ?? null);
  const walk = new Walk(refuseNumbers);
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

function valueObject(ctx: Ctx, given: JsonObj, refuseNumbers = false): MapValue {
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
  if (refuseNumbers && typeof v === 'number') unsupported();
  return literalOf(v, type);
}

/** jsonld.js `_objectToRDF` for a value object `{@value: v, @type: datatype}`. */
function literalOf(v: string | number | boolean, datatype: string | undefined): MapValue {
  // Kept for jsonld.js compareValues: the same @value (type included) and the same @type are one value.
  const given = datatype ?? '';
  if (typeof v === 'boolean') return { literal: String(v), datatype: datatype ?? `${XSD}boolean`, raw: v, given };
  const isDouble = typeof v === 'number' && (String(v).includes('.') || Math.abs(v) >= 1e21);
  if (isDouble || datatype === `${XSD}double`) {
    const n = typeof v === 'number' ? v : parseFloat(v);
    return { literal: n.toExponential(15).replace(/(\d)0*e\+?/, '$1E'), datatype: datatype ?? `${XSD}double`, raw: v, given };
  }
  if (typeof v === 'number') return { literal: v.toFixed(0), datatype: datatype ?? `${XSD}integer`, raw: v, given };
  return { literal: v, datatype: datatype ?? `${XSD}string`, raw: v, given };
}

// ---- serialisation (jsonld.js toRDF order: subjects sorted, types first, then properties sorted) ----

/** A node's property indexes in code-unit order of their IRIs (usually already so: one visit inserts them sorted). */
function propOrder(n: MapNode): number[] {
  const { iris } = n;
  const order = iris.map((_, i) => i);
  for (let i = 1; i < iris.length; i++) {
    if ((iris[i - 1] as string) > (iris[i] as string)) return order.sort((a, b) => ((iris[a] as string) < (iris[b] as string) ? -1 : 1));
  }
  return order;
}

function toFastQuads(nodes: NodeMap): FastQuad[] {
  const term = (id: string): FastTerm => (id.startsWith('_:') ? { termType: 'BlankNode', value: id.slice(2) } : { termType: 'NamedNode', value: id });
  const graph: FastTerm = { termType: 'DefaultGraph', value: '' };
  const out: FastQuad[] = [];
  for (const id of [...nodes.keys()].sort()) {
    const n = nodes.get(id) as MapNode;
    const subject = term(id);
    for (const t of n.types) out.push({ subject, predicate: { termType: 'NamedNode', value: RDF_TYPE }, object: term(t), graph });
    for (const i of propOrder(n)) {
      const predicate: FastTerm = { termType: 'NamedNode', value: n.iris[i] as string };
      for (const v of n.values[i] as MapValue[]) {
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

/** The N-Quads text of vocabulary records (same bound as the records: they are cleared together). */
const vocabularyTexts = new Map<TextTerm, string>();
function vocabularyText(t: TextTerm): string {
  let text = vocabularyTexts.get(t);
  if (text === undefined) {
    if (vocabularyTexts.size >= VOCABULARY_MAX) vocabularyTexts.clear();
    vocabularyTexts.set(t, (text = termText(t)));
  }
  return text;
}

function toTextQuads(nodes: NodeMap, blankPrefix: string, graph: TextTerm, withText: boolean): FastTerms {
  const own = new Map<string, TextTerm>();
  const ownText = new Map<TextTerm, string>();
  const term = (id: string): TextTerm => {
    let t = own.get(id);
    if (t === undefined) {
      own.set(id, (t = id.startsWith('_:') ? blankTerm(blankPrefix + id.slice(2)) : namedTerm(id)));
      if (withText) ownText.set(t, termText(t));
    }
    return t;
  };
  // Each line as quadsText writes it: `<s> <p> <o> <g> .` (the graph is always named here).
  const tail = withText ? ` ${termText(graph)} .\n` : '';
  const type = vocabularyTerm(RDF_TYPE);
  const typeText = withText ? vocabularyText(type) : '';
  const out: TextQuad[] = [];
  const lines: string[] = [];
  for (const id of [...nodes.keys()].sort()) {
    const n = nodes.get(id) as MapNode;
    const subject = term(id);
    const subjectText = withText ? (ownText.get(subject) as string) : '';
    for (const t of n.types) {
      const object = vocabularyTerm(t);
      out.push({ subject, predicate: type, object, graph });
      if (withText) lines.push(`${subjectText} ${typeText} ${vocabularyText(object)}${tail}`);
    }
    for (const i of propOrder(n)) {
      const predicate = vocabularyTerm(n.iris[i] as string);
      const head = withText ? `${subjectText} ${vocabularyText(predicate)} ` : '';
      for (const v of n.values[i] as MapValue[]) {
        const object = v.ref !== undefined ? term(v.ref) : literalTerm(v.literal as string, v.datatype);
        out.push({ subject, predicate, object, graph });
        if (withText) lines.push(`${head}${v.ref !== undefined ? (ownText.get(object) as string) : termText(object)}${tail}`);
      }
    }
  }
  return withText ? { quads: out, text: lines.join('') } : { quads: out };
}
