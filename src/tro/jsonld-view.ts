// An offline, IRI-level view of a JSON-LD tree: contexts, term/prefix expansion, node properties and JSON pointers.
import { InputError } from '../errors.js';
import { type JsonObject, type JsonValue, JsonNumber, isJsonObject } from '../json/value.js';

/** One term definition of an active context (`null` iri = explicitly unmapped). */
interface TermDefinition {
  readonly iri: string | null;
  /** `"@type": "@id"` (or `@vocab`) coercion: a plain string value is a reference, not a literal. */
  readonly coercesToId: boolean;
}

/**
 * The subset of a JSON-LD active context that IRI-level reading needs: terms (prefixes included), `@vocab`
 * and `@base`. Scoped contexts, containers and languages do not change which IRI a key or type denotes,
 * so they are not modelled.
 */
export interface ActiveContext {
  readonly terms: ReadonlyMap<string, TermDefinition>;
  readonly vocab: string | undefined;
  /** The document's own `@base` (`null` = explicitly none); undefined when the document sets none. */
  readonly base: string | null | undefined;
}

export const EMPTY_CONTEXT: ActiveContext = { terms: new Map(), vocab: undefined, base: undefined };

/** A node object seen through the context in force where it sits. */
export interface NodeView {
  readonly node: JsonObject;
  readonly pointer: string;
  readonly ctx: ActiveContext;
}

/** A property value (array items flattened) with its JSON pointer and the context in force. */
export interface ValueView {
  readonly value: JsonValue;
  readonly pointer: string;
  readonly ctx: ActiveContext;
}

const KEYWORDS = new Set([
  '@base', '@container', '@context', '@direction', '@graph', '@id', '@import', '@included', '@index', '@json',
  '@language', '@list', '@nest', '@none', '@prefix', '@propagate', '@protected', '@reverse', '@set', '@type',
  '@value', '@version', '@vocab',
]);

/** RFC 6901: appends one reference token to a JSON pointer. */
export function pointerJoin(pointer: string, token: string | number): string {
  return `${pointer}/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Location of a problem in the document, for InputError. */
interface Where {
  readonly label: string;
  readonly pointer: string;
}

function contextError(where: Where, message: string): InputError {
  return new InputError('JSONLD_INVALID', message, { location: { file: where.label, pointer: where.pointer } });
}

/**
 * The message every refusal of a remote context uses (the dialect reader and the RDF lift agree on it):
 * pe-trace never fetches a context, so a URL in `@context` cannot be honoured offline.
 */
export function remoteContextRefusal(url: string): string {
  return `remote JSON-LD context refused: ${url} (pe-trace resolves contexts offline)`;
}

/**
 * Applies a local context (`@context` value: object, array of objects, null; never a URL) on top of `active`.
 * Term definitions may reference each other (`"hash": "trov:hash"`), so ids are resolved after all keys are read.
 */
export function extendContext(active: ActiveContext, local: JsonValue, where: Where): ActiveContext {
  const items = Array.isArray(local) ? local : [local];
  let ctx = active;
  items.forEach((item, i) => {
    const at: Where = Array.isArray(local) ? { label: where.label, pointer: pointerJoin(where.pointer, i) } : where;
    if (item === null) {
      ctx = { terms: new Map(), vocab: undefined, base: ctx.base };
    } else if (typeof item === 'string') {
      throw contextError(at, remoteContextRefusal(item));
    } else if (isJsonObject(item)) {
      ctx = applyContextObject(ctx, item, at);
    } else {
      throw contextError(at, `invalid @context entry (a ${describeJson(item)}; expected an object, an array of objects or null)`);
    }
  });
  return ctx;
}

function applyContextObject(active: ActiveContext, local: JsonObject, where: Where): ActiveContext {
  const imported = local['@import'];
  if (typeof imported === 'string') throw contextError({ label: where.label, pointer: pointerJoin(where.pointer, '@import') }, remoteContextRefusal(imported));
  let base = active.base;
  const rawBase = local['@base'];
  if (rawBase === null) base = null;
  else if (typeof rawBase === 'string') base = rawBase;
  const raw = new Map<string, { id: string | null | undefined; coercesToId: boolean }>();
  for (const key of Object.keys(local)) {
    if (key.startsWith('@')) continue;
    const def = local[key];
    if (def === null || def === undefined) raw.set(key, { id: null, coercesToId: false });
    else if (typeof def === 'string') raw.set(key, { id: def, coercesToId: false });
    else if (isJsonObject(def)) {
      const id = def['@id'];
      const type = def['@type'];
      raw.set(key, { id: typeof id === 'string' || id === null ? id : undefined, coercesToId: type === '@id' || type === '@vocab' });
    } else {
      throw contextError({ label: where.label, pointer: pointerJoin(where.pointer, key) }, `invalid term definition for "${key}" (a ${describeJson(def)})`);
    }
  }
  // JSON-LD processes @vocab before this context's term definitions, against the context so far.
  let vocab = active.vocab;
  const rawVocab = local['@vocab'];
  if (rawVocab === null) vocab = undefined;
  else if (typeof rawVocab === 'string') vocab = expandWith(rawVocab, (t) => active.terms.get(t), active.vocab) ?? rawVocab;
  const terms = new Map(active.terms);
  // Resolve each raw id through the terms being defined (and those already active), guarding against cycles.
  const resolving = new Set<string>();
  const resolveTerm = (term: string): TermDefinition | undefined => {
    const done = terms.get(term);
    const pending = raw.get(term);
    if (pending === undefined) return done;
    if (resolving.has(term)) return { iri: null, coercesToId: false };
    resolving.add(term);
    const others = (t: string): TermDefinition | undefined => (t === term ? undefined : resolveTerm(t));
    let iri: string | null;
    if (pending.id === null) iri = null;
    else if (pending.id === undefined) iri = expandWith(term, others, vocab);
    else if (KEYWORDS.has(pending.id)) iri = pending.id;
    else iri = expandWith(pending.id, others, vocab);
    const out: TermDefinition = { iri, coercesToId: pending.coercesToId };
    terms.set(term, out);
    raw.delete(term);
    resolving.delete(term);
    return out;
  };
  for (const term of [...raw.keys()]) resolveTerm(term);
  return { terms, vocab, base };
}

/** Vocabulary-relative IRI expansion (keys, `@type` values, term ids). Returns null when the value maps to nothing. */
function expandWith(value: string, lookup: (term: string) => TermDefinition | undefined, vocab: string | undefined): string | null {
  if (KEYWORDS.has(value)) return value;
  const def = lookup(value);
  if (def !== undefined) return def.iri;
  const colon = value.indexOf(':');
  if (colon > 0) {
    const prefix = value.slice(0, colon);
    const suffix = value.slice(colon + 1);
    if (prefix === '_' || suffix.startsWith('//')) return value;
    const prefixDef = lookup(prefix);
    if (prefixDef !== undefined && prefixDef.iri !== null && !prefixDef.iri.startsWith('@')) return prefixDef.iri + suffix;
    return value;
  }
  if (vocab !== undefined) return vocab + value;
  return null;
}

/** Expands a key or `@type` value to an absolute IRI or keyword; null when JSON-LD would drop it. */
export function expandVocab(ctx: ActiveContext, value: string): string | null {
  return expandWith(value, (t) => ctx.terms.get(t), ctx.vocab);
}

/** A node's `@context` (if any) applied to the context it sits in. */
export function nodeView(node: JsonObject, pointer: string, outer: ActiveContext, label: string): NodeView {
  const local = node['@context'];
  const ctx = local === undefined ? outer : extendContext(outer, local, { label, pointer: pointerJoin(pointer, '@context') });
  return { node, pointer, ctx };
}

/** The keys of a node that expand to `iri` (a node may spell one property several ways; JSON-LD merges them). */
export function keysFor(view: NodeView, iri: string): string[] {
  return Object.keys(view.node).filter((k) => expandVocab(view.ctx, k) === iri);
}

/** Every value of the property `iri`, arrays and `@list`/`@set` objects flattened, with pointers. */
export function values(view: NodeView, iri: string): ValueView[] {
  const out: ValueView[] = [];
  for (const key of keysFor(view, iri)) {
    const v = view.node[key];
    if (v !== undefined) flatten(v, pointerJoin(view.pointer, key), view.ctx, out);
  }
  return out;
}

function flatten(v: JsonValue, pointer: string, ctx: ActiveContext, out: ValueView[]): void {
  if (Array.isArray(v)) {
    v.forEach((item, i) => flatten(item, pointerJoin(pointer, i), ctx, out));
    return;
  }
  if (isJsonObject(v)) {
    for (const kw of ['@list', '@set']) {
      const inner = v[kw];
      if (inner !== undefined && Object.keys(v).every((k) => k === kw || k === '@index')) {
        flatten(inner, pointerJoin(pointer, kw), ctx, out);
        return;
      }
    }
  }
  out.push({ value: v, pointer, ctx });
}

/** The value of a keyword in a node, honouring aliases (`"id": "@id"`). */
export function keywordValue(view: NodeView, keyword: '@id' | '@type' | '@graph' | '@value'): { value: JsonValue; key: string } | undefined {
  for (const key of Object.keys(view.node)) {
    if (key === keyword || expandVocab(view.ctx, key) === keyword) {
      const value = view.node[key];
      if (value !== undefined) return { value, key };
    }
  }
  return undefined;
}

/** The node's `@id` as written (relative ids stay relative). */
export function nodeId(view: NodeView): string | undefined {
  const id = keywordValue(view, '@id');
  return id !== undefined && typeof id.value === 'string' ? id.value : undefined;
}

/** The node's types: `@type` as a string or an array, each as written and expanded. */
export function nodeTypes(view: NodeView): { written: string; iri: string | null }[] {
  const t = keywordValue(view, '@type');
  if (t === undefined) return [];
  const list = Array.isArray(t.value) ? t.value : [t.value];
  return list.filter((x): x is string => typeof x === 'string').map((written) => ({ written, iri: expandVocab(view.ctx, written) }));
}

/** A value as a node view when it is a node object (not a value object, not a literal). */
export function asNode(v: ValueView, label: string): NodeView | undefined {
  if (!isJsonObject(v.value) || v.value['@value'] !== undefined) return undefined;
  return nodeView(v.value, v.pointer, v.ctx, label);
}

/** A literal string: a JSON string, or a value object whose `@value` is a string. */
export function literalString(v: JsonValue): string | undefined {
  if (typeof v === 'string') return v;
  if (isJsonObject(v)) {
    const inner = v['@value'];
    if (typeof inner === 'string') return inner;
  }
  return undefined;
}

/** The `@id` a value refers to: `{"@id": …}` (with or without other keys). */
export function referenceId(v: ValueView): string | undefined {
  if (!isJsonObject(v.value)) return undefined;
  return nodeId({ node: v.value, pointer: v.pointer, ctx: v.ctx });
}

/** A short description of a JSON value's kind for messages. */
export function describeJson(v: JsonValue | undefined): string {
  if (v === undefined) return 'missing value';
  if (v === null) return 'null';
  if (v instanceof JsonNumber) return 'number';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** Every namespace-like term of a context (term → IRI), for evidence and namespace checks. */
export function declaredTerms(ctx: ActiveContext): [string, string][] {
  const out: [string, string][] = [];
  for (const [term, def] of ctx.terms) if (def.iri !== null) out.push([term, def.iri]);
  return out;
}
