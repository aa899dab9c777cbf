// Contexts and IRIs for the fast JSON-LD lifter: inline contexts processed once per distinct context, keys and IRIs expanded as jsonld.js does.
//
// Split from fast-lift.ts (the walk). Whatever this does not model leaves the subset by throwing `Unsupported`,
// which fast-lift.ts turns into `undefined` (the caller then lifts with jsonld.js).
import { JsonNumber } from '../json/value.js';
import type { NodePlan } from './fast-lift-plan.js';
/** Thrown inside the walk when the document leaves the modelled subset; never escapes `fastToRdf`. */
export class Unsupported extends Error {}
export function unsupported(): never {
  throw new Unsupported();
}

export interface TermDef {
  readonly id: string;
  /** '@id' | '@vocab' | '@json' | a datatype IRI. */
  readonly type?: string;
  /** A property-valued index map: the compact `@index` key. */
  readonly index?: string;
  readonly context?: Json;
  readonly prefix: boolean;
}
export interface Ctx {
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
  /**
   * Node plans by key sequence (fast-lift-plan.ts): like `keyIris`, a function of the context alone, so a top-level
   * context shares one trie across every document that uses it; other contexts get one when first needed.
   */
  plans?: PlanTrie;
}

/** A trie of node key sequences (one edge per key, in the object's key order) to the plan compiled for that sequence. */
export interface PlanTrie {
  readonly next: Map<string, PlanTrie>;
  /** On the root: sub-tries for nodes an index map gives an index literal, by the index IRI. */
  indexed?: Map<string, PlanTrie>;
  plan?: NodePlan;
  /** Nodes in the whole trie (kept on the root): bounded, since a hostile corpus could bring any number of key sets. */
  size: number;
}

/** pe-trace's lossless JSON (numbers as JsonNumber), or plain JSON (tests, callers without the bytes). */
export type Json = null | boolean | string | number | JsonNumber | Json[] | JsonObj;
export type JsonObj = { [key: string]: Json };

export const isObj = (v: Json | undefined): v is JsonObj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
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
export function hasWhiteSpace(s: string, from = 0): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32) {
      if (c === 32 || (c >= 9 && c <= 13)) return true;
    } else if (c >= 160 && (c === 160 || c === 5760 || (c >= 8192 && c <= 8202) || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288 || c === 65279)) return true;
  }
  return false;
}
export const ABSOLUTE = { test: isAbsoluteIri };
const KEYWORD_LIKE = /^@[a-zA-Z]+$/;

// ---- contexts ----

/**
 * Processed contexts by their JSON text, for contexts applied to the empty context (every top-level one):
 * a directory of TROs repeats a handful of contexts, so each is processed once. Only the document's base
 * differs between documents, and a context's terms never depend on it (relative term IRIs leave the subset).
 */
const topContexts = new Map<string, { readonly terms: ReadonlyMap<string, TermDef>; readonly vocab?: string; readonly base?: string; readonly keyIris: Map<string, string>; readonly plans: PlanTrie }>();
const TOP_CONTEXTS_MAX = 64;
/** Bounds each shared key map (a hostile corpus could bring any number of distinct keys). */
const KEY_IRIS_MAX = 4096;

export function processContext(active: Ctx, local: Json): Ctx {
  if (active.terms.size !== 0 || active.vocab !== undefined) return processContextUncached(active, local);
  // Consecutive documents of a corpus mostly bring the same context: comparing it with the last one (a private copy,
  // so a caller mutating its document later cannot change what is compared) costs less than writing its key.
  let hit = lastTop !== undefined && sameJson(local, lastTop.copy) ? lastTop.hit : undefined;
  const key = hit === undefined ? contextKey(local) : '';
  hit ??= topContexts.get(key);
  if (hit === undefined) {
    const probe: Ctx = { terms: new Map(), base: TOP_PROBE_BASE, keyIris: new Map() };
    const done = processContextUncached(probe, local);
    hit = { terms: done.terms, keyIris: new Map(), plans: { next: new Map(), size: 0 }, ...(done.vocab === undefined ? {} : { vocab: done.vocab }), ...(done.base === TOP_PROBE_BASE ? {} : { base: done.base }) };
    if (topContexts.size >= TOP_CONTEXTS_MAX) topContexts.clear();
    topContexts.set(key, hit);
  }
  if (lastTop?.hit !== hit) lastTop = { copy: copyJson(local), hit };
  if (hit.keyIris.size >= KEY_IRIS_MAX) hit.keyIris.clear();
  return { terms: hit.terms, base: hit.base ?? active.base, keyIris: hit.keyIris, plans: hit.plans, ...(hit.vocab === undefined ? {} : { vocab: hit.vocab }) };
}
const TOP_PROBE_BASE = 'https://pe-trace.invalid/probe/';
type TopContext = typeof topContexts extends Map<string, infer T> ? T : never;
/** The last top-level context processed: a copy of its JSON and what it gave. */
let lastTop: { readonly copy: Json; readonly hit: TopContext } | undefined;

/** Equal JSON, key order included (what `contextKey` distinguishes). */
function sameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof JsonNumber) return b instanceof JsonNumber && a.kind === b.kind && a.int === b.int && Object.is(a.float, b.float);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i] ?? null));
  if (Array.isArray(b) || b instanceof JsonNumber) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i] as string;
    if (k !== kb[i] || !sameJson(a[k] ?? null, b[k] ?? null)) return false;
  }
  return true;
}

/** A deep copy (JsonNumbers are immutable and shared). */
function copyJson(v: Json): Json {
  if (typeof v !== 'object' || v === null || v instanceof JsonNumber) return v;
  if (Array.isArray(v)) return v.map(copyJson);
  const out: JsonObj = {};
  for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: copyJson(v[k] ?? null), enumerable: true, writable: true, configurable: true });
  return out;
}

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
export function hasContextKey(v: Json): boolean {
  if (Array.isArray(v)) return v.some(hasContextKey);
  if (!isObj(v)) return false;
  if (Object.hasOwn(v, '@context')) return true;
  for (const key of Object.keys(v)) if (hasContextKey(v[key] ?? null)) return true;
  return false;
}

/** A term-scoped context applied on top of `ctx`, once per document and scoped context. */
export function scopedContext(ctx: Ctx, scoped: Json): Ctx {
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
export function expandIri(ctx: Ctx, value: string, vocab: boolean, base = true): string {
  const iri = expandWithoutBase(ctx, value, vocab);
  if (iri !== undefined) return iri;
  // A key is never resolved against the base: jsonld.js drops it with an event, which only jsonld.js reports.
  // Resolution against a safe base (isBaseSafe) of a reference without white space is absolute by construction.
  return base ? resolve(ctx.base, value) : unsupported();
}

/** `expandIri` up to the base: undefined where only resolution against the base would give an IRI. */
export function expandWithoutBase(ctx: Ctx, value: string, vocab: boolean): string | undefined {
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
export function isBaseSafe(base: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+\-.]*:\/\/[^/?#\s]*\/[^?#\s]*(#[^\s]*)?$/.test(base) && !/\/\.\.?(\/|$|#)/.test(base);
}

/** The last base `resolve` split (a document resolves all its references against one base). */
let resolvedBase = '';
let baseNoFragment = '';
let baseDirectory = '';
const DOT_SEGMENT = /\/\.\.?(\/|$|#)/;

/** RFC 3986 resolution for the plain relative references TROs use; anything needing dot-segment or query handling leaves the subset. */
export function resolve(base: string, ref: string): string {
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
