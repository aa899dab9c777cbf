// Lifts a JSON-LD document to RDF quads (jsonld.js toRDF, offline) in a named graph of its own, with a per-document base.
import * as crypto from 'node:crypto';
import { DataFactory } from 'n3';
import type { BlankNode, DefaultGraph, Literal, NamedNode, Quad } from 'n3';
import { InputError, isPeTraceError } from '../errors.js';
import { canonicalJsonBytes } from '../json/canonical.js';
import { type JsonValue, type PlainJson, isJsonObject } from '../json/value.js';
import { lazyRequire } from '../lazy.js';
import { pointerJoin } from '../tro/jsonld-view.js';
import { fastToTerms } from './fast-lift.js';
import { readForFastLift } from './fast-lift-json.js';
import { parseJson } from '../json/parse.js';
import { type TextQuad, type TextTerm, blankTerm, literalTerm, namedTerm } from './nquads-text.js';
import { toJsonLdInput } from './jsonld-input.js';

export { toJsonLdInput } from './jsonld-input.js';
import { NO_PINNED_CONTEXTS, type PinnedContexts, offlineDocumentLoader, refuseRemoteContexts } from './document-loader.js';

const { namedNode, blankNode, literal, quad, defaultGraph } = DataFactory;


/**
 * Where the default base IRIs live. `.invalid` is reserved by RFC 2606 and can never resolve, so an IRI
 * minted here can neither collide with a real resource nor tempt anything to dereference it.
 */
export const DOCUMENT_IRI_PREFIX = 'https://pe-trace.invalid/doc/';

export interface LiftOptions {
  /** How the document is named in messages and warnings. */
  readonly label?: string;
  /** The base IRI to lift with (and the graph name). Default: derived from `bytes`, else from the canonical JSON. */
  readonly base?: string;
  /** The document's input bytes: the default base is `DOCUMENT_IRI_PREFIX + sha256(bytes) + "/"`. */
  readonly bytes?: Uint8Array;
  /** Contexts the loader may serve offline, by URL. */
  readonly contexts?: PinnedContexts;
  /**
   * Lift with jsonld.js even when the fast lifter (fast-lift.ts) covers the document: the reference the fast
   * path is proven equal to (test/rdf/fast-lift.test.ts, bench/lift.js).
   */
  readonly jsonldOnly?: boolean;
  /**
   * The caller resolves the document's own string `@base` itself (SHACL validation names nodes under both bases),
   * so the lift does not warn that it sets one: a TROv 0.1 TRO declares its `@base` by design (LINKABLE-TRO).
   */
  readonly ownBaseExpected?: boolean;
}

export interface LiftedDocument {
  /**
   * The named graph holding the document's triples. It is always the base pe-trace assigned (`base`), even
   * when the document sets its own `@base`: documents may share an `@base` (trace-model's examples do) but
   * never a graph.
   */
  readonly graph: string;
  /** The base IRI pe-trace gave the document (relative `@id`s resolve against it unless the document sets `@base`). */
  readonly base: string;
  /** The document's own top-level `@base` (`null` = explicitly none), when it sets one; it wins over `base`. */
  readonly documentBase?: string | null;
  readonly quads: readonly Quad[];
  /** Data silently lost by JSON-LD (unmapped keys, relative references) and notes such as an own `@base`. */
  readonly warnings: readonly string[];
  /** The namespace prefixes the document's top-level context declares (for readable Turtle). */
  readonly prefixes: Readonly<Record<string, string>>;
}

/** The default base for a document's bytes: content-addressed, so it is deterministic and path-independent. */
export function documentBaseIri(bytes: Uint8Array): string {
  return `${DOCUMENT_IRI_PREFIX}${sha256Hex(bytes)}/`;
}

/**
 * Lifts one document. Never fetches: a context URL not in `contexts` is an InputError JSONLD_INVALID.
 * jsonld.js errors become located InputErrors (no stack). Quads of the document's default graph go into the
 * named graph `graph`; blank nodes are relabelled per document so that documents merged in one store never
 * share a blank node.
 */
export async function liftJsonLd(doc: JsonValue, options: LiftOptions = {}): Promise<LiftedDocument> {
  const lifted = await liftJsonLdTerms(doc, options);
  // Records repeat (one per distinct term), so each becomes one n3 term.
  const terms = new Map<TextTerm, NamedNode | BlankNode | Literal | DefaultGraph>();
  const n3 = (t: TextTerm): NamedNode | BlankNode | Literal | DefaultGraph => {
    let out = terms.get(t);
    if (out === undefined) terms.set(t, (out = toN3Term(t)));
    return out;
  };
  return { ...lifted, quads: lifted.quads.map((q) => quad(n3(q.subject) as NamedNode | BlankNode, n3(q.predicate) as NamedNode, n3(q.object) as NamedNode | BlankNode | Literal, n3(q.graph) as NamedNode | BlankNode | DefaultGraph)) };
}

/** A lifted document as plain term records (no n3 objects): what `liftJsonLd` returns, before its terms are made n3 terms. */
export interface LiftedTerms extends Omit<LiftedDocument, 'quads'> {
  readonly quads: readonly TextQuad[];
  /** `quadsText(quads)`, when the fast lifter wrote it along the way (liftJsonLdBytes; else the caller writes it if it wants it). */
  readonly text?: string;
}

/**
 * `liftJsonLd` without n3 term objects: the same quads (same order, labels, graph) and warnings as plain records,
 * for callers that want N-Quads text (`quadsText` writes the bytes `quadsToNQuads` writes for `liftJsonLd`'s quads).
 */
export async function liftJsonLdTerms(doc: JsonValue, options: LiftOptions = {}): Promise<LiftedTerms> {
  const label = options.label ?? '<input>';
  const pinned = options.contexts ?? NO_PINNED_CONTEXTS;
  // The remote-context scan walks the whole document. A document the fast lifter takes names no context URL
  // (fastToTerms checks every context it meets), so the scan runs only for the jsonld.js path — and first when
  // the base would come from the canonical JSON, whose errors must not come before the refusal.
  const fastFirst = options.jsonldOnly !== true && (options.base !== undefined || options.bytes !== undefined);
  if (!fastFirst) refuseRemoteContexts(doc, pinned, label);
  const base = options.base ?? documentBaseIri(options.bytes ?? canonicalJsonBytes(doc));
  const graph = namedTerm(base);
  const tag = sha256Hex(new TextEncoder().encode(base)).slice(0, 12);
  const fast = options.jsonldOnly === true ? undefined : fastToTerms(doc, base, `${tag}_`, graph);
  if (fast !== undefined) return lifted(doc, options, base, fast.quads, [], new Set());
  if (fastFirst) refuseRemoteContexts(doc, pinned, label);
  const events: JsonLdEvent[] = [];
  const dataset = await jsonldToRdf(toJsonLdInput(doc), base, pinned, label, events);
  const ownGraphs = new Set<string>();
  const quads = relabel(dataset, graph, tag, ownGraphs);
  return lifted(doc, options, base, quads, describeEvents(events, doc, label), ownGraphs);
}

/**
 * `liftJsonLdTerms(parseJson(bytes, {label}), {...options, bytes})` — the same quads, warnings and errors — without
 * pe-trace's JSON reader when the fast lifter takes the document: the bytes are read by JSON.parse where that reads
 * what parseJson reads (fast-lift-json.ts) and lifted from that tree, and the quads' N-Quads text comes with them
 * (`text`). Otherwise exactly that parseJson + liftJsonLdTerms (no `text`). The query index's path.
 */
export async function liftJsonLdBytes(bytes: Uint8Array, options: Omit<LiftOptions, 'bytes'> = {}): Promise<LiftedTerms> {
  if (options.jsonldOnly !== true) {
    const tree = readForFastLift(bytes);
    if (tree !== undefined) {
      const base = options.base ?? documentBaseIri(bytes);
      const graph = namedTerm(base);
      const tag = sha256Hex(new TextEncoder().encode(base)).slice(0, 12);
      const fast = fastToTerms(tree, base, `${tag}_`, graph, { refuseNumbers: true, text: true });
      // A tree without numbers is a JsonValue: its objects, arrays and strings are what parseJson builds.
      if (fast !== undefined) return lifted(tree as JsonValue, options, base, fast.quads, [], new Set(), fast.text);
    }
  }
  return liftJsonLdTerms(parseJson(bytes, { label: options.label ?? '<input>' }), { ...options, bytes });
}

/** The lift's result around its quads: the warnings about an own `@base`, `middle` (jsonld.js events), unmapped types, own graphs. */
function lifted(doc: JsonValue, options: LiftOptions, base: string, quads: readonly TextQuad[], middle: readonly string[], ownGraphs: ReadonlySet<string>, text?: string): LiftedTerms {
  const label = options.label ?? '<input>';
  const warnings: string[] = [];
  const documentBase = ownBase(doc);
  if (documentBase !== undefined && !(typeof documentBase === 'string' && options.ownBaseExpected === true)) {
    warnings.push(
      documentBase === null
        ? `${label}: the document sets "@base": null, so its relative IRIs are not resolved (JSON-LD drops them)`
        : `${label}: the document sets its own @base ${documentBase}; its relative IRIs resolve against it, not against ${base}`,
    );
  }
  warnings.push(...middle);
  if (documentBase === undefined) warnings.push(...typesUnderBase(quads, base, label));
  for (const g of ownGraphs) warnings.push(`${label}: the document declares its own named graph ${g}; its quads stay in that graph, not in ${base}`);
  return { graph: base, base, ...(documentBase === undefined ? {} : { documentBase }), quads, ...(text === undefined ? {} : { text }), warnings, prefixes: contextPrefixes(doc) };
}

/** jsonld.js's quads as plain records in `graph`, blank nodes tagged per document (`<tag>_bN`), named graphs noted in `ownGraphs`. */
function relabel(dataset: readonly JsonLdQuad[], graph: TextTerm, tag: string, ownGraphs: Set<string>): TextQuad[] {
  // Terms repeat (predicates on every node, subjects on each of their properties): one record per distinct term.
  const named = new Map<string, TextTerm>();
  const iri = (value: string): TextTerm => {
    let t = named.get(value);
    if (t === undefined) named.set(value, (t = namedTerm(value)));
    return t;
  };
  const blanks = new Map<string, TextTerm>();
  const blank = (value: string): TextTerm => {
    let t = blanks.get(value);
    if (t === undefined) blanks.set(value, (t = blankTerm(`${tag}_${value.startsWith('_:') ? value.slice(2) : value}`)));
    return t;
  };
  const subjectOf = (t: JsonLdTerm): TextTerm => (t.termType === 'BlankNode' ? blank(t.value) : iri(t.value));
  return dataset.map((q): TextQuad => {
    if (q.graph.termType !== 'DefaultGraph') ownGraphs.add(q.graph.value);
    const o = q.object;
    return {
      subject: subjectOf(q.subject),
      predicate: iri(q.predicate.value),
      object: o.termType === 'Literal' ? literalTerm(o.value, o.datatype?.value, o.language) : subjectOf(o),
      graph: q.graph.termType === 'DefaultGraph' ? graph : subjectOf(q.graph),
    };
  });
}

/** The n3 term of a plain record (the Quad API of `liftJsonLd`). */
export function toN3Term(t: TextTerm): NamedNode | BlankNode | Literal | DefaultGraph {
  switch (t.termType) {
    case 'NamedNode':
      return namedNode(t.value);
    case 'BlankNode':
      return blankNode(t.value);
    case 'Literal':
      return t.language !== undefined ? literal(t.value, t.language) : literal(t.value, t.datatype === undefined ? undefined : namedNode(t.datatype));
    case 'DefaultGraph':
      return defaultGraph();
  }
}

/** The n3 quad of a plain record. */
export function toN3Quad(q: TextQuad): Quad {
  return quad(toN3Term(q.subject) as NamedNode | BlankNode, toN3Term(q.predicate) as NamedNode, toN3Term(q.object) as NamedNode | BlankNode | Literal, toN3Term(q.graph) as NamedNode | BlankNode | DefaultGraph);
}

/** General JSON-LD → RDF through jsonld.js (offline loader; lossy constructs recorded as events, not thrown). */
async function jsonldToRdf(input: PlainJson, base: string, pinned: PinnedContexts, label: string, events: JsonLdEvent[]): Promise<readonly JsonLdQuad[]> {
  try {
    return await jsonldApi().toRDF(input, {
      base,
      documentLoader: offlineDocumentLoader(pinned, label),
      // Not `safe: true`: safe mode throws on the first lossy construct. We record every such event instead
      // (the same set safe mode checks) and report each one, so a TRO with an unmapped key still lifts.
      eventHandler: ({ event, next }) => {
        events.push(event);
        next();
      },
    });
  } catch (e) {
    throw toInputError(e, label);
  }
}

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

/**
 * JSON-LD resolves an `@type` that no prefix or `@vocab` maps against the base, silently (no event). A class
 * IRI inside the base pe-trace assigned (content-derived or the caller's) can only come from that, so say so.
 */
function typesUnderBase(quads: readonly TextQuad[], base: string, label: string): string[] {
  const out = new Set<string>();
  for (const q of quads) {
    if (q.predicate.value === RDF_TYPE && q.object.termType === 'NamedNode' && q.object.value.startsWith(base)) {
      out.add(`${label}: @type "${q.object.value.slice(base.length)}" is not mapped to a vocabulary IRI; it was resolved against the document base to ${q.object.value}`);
    }
  }
  return [...out];
}

/**
 * Namespace prefixes written in the top-level context objects (term → absolute IRI ending in `#` or `/`),
 * for readable Turtle. Cosmetic only, so context URLs (pinned or not) are simply skipped.
 */
function contextPrefixes(doc: JsonValue): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isJsonObject(doc)) return out;
  const ctx = doc['@context'];
  for (const item of Array.isArray(ctx) ? ctx : [ctx ?? null]) {
    if (!isJsonObject(item)) continue;
    for (const term of Object.keys(item)) {
      const def = item[term];
      const iri = typeof def === 'string' ? def : isJsonObject(def) && typeof def['@id'] === 'string' ? def['@id'] : undefined;
      if (iri !== undefined && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(iri) && /[#/]$/.test(iri) && /^[A-Za-z][A-Za-z0-9_-]*$/.test(term)) out[term] = iri;
    }
  }
  return out;
}

// ---- jsonld.js, typed locally (its published types predate safe mode and event handlers) ----

interface JsonLdTerm {
  readonly termType: 'NamedNode' | 'BlankNode' | 'Literal' | 'DefaultGraph';
  readonly value: string;
  readonly datatype?: { readonly value: string };
  readonly language?: string;
}
interface JsonLdQuad {
  readonly subject: JsonLdTerm;
  readonly predicate: JsonLdTerm;
  readonly object: JsonLdTerm;
  readonly graph: JsonLdTerm;
}
interface JsonLdEvent {
  readonly code: string;
  readonly level: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}
interface JsonLdApi {
  toRDF(
    input: PlainJson,
    options: {
      base: string;
      documentLoader: (url: string) => Promise<unknown>;
      eventHandler: (arg: { event: JsonLdEvent; next: () => void }) => void;
    },
  ): Promise<JsonLdQuad[]>;
}
const jsonldApi = lazyRequire<JsonLdApi>('jsonld');

/** One-shot `crypto.hash` where Node has it (20.12+: no Hash object per call), else a Hash. */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'hex') => string }).hash;
function sha256Hex(bytes: Uint8Array): string {
  return oneShotHash !== undefined ? oneShotHash('sha256', bytes, 'hex') : crypto.createHash('sha256').update(bytes).digest('hex');
}

/** The `@base` of the top-level context (object or array of objects; the last one set wins). */
function ownBase(doc: JsonValue): string | null | undefined {
  if (!isJsonObject(doc)) return undefined;
  const ctx = doc['@context'];
  let base: string | null | undefined;
  for (const item of Array.isArray(ctx) ? ctx : [ctx ?? null]) {
    if (!isJsonObject(item)) continue;
    const b = item['@base'];
    if (b === null || typeof b === 'string') base = b;
  }
  return base;
}

/** One readable warning per lossy JSON-LD event; dropped keys are located by JSON pointer. */
function describeEvents(events: readonly JsonLdEvent[], doc: JsonValue, label: string): string[] {
  const out: string[] = [];
  const droppedKeys = new Set<string>();
  const seen = new Set<string>();
  for (const event of events) {
    if (event.level !== 'warning') continue;
    const property = event.details?.['property'];
    if (event.code === 'invalid property' && typeof property === 'string') {
      droppedKeys.add(property);
      continue;
    }
    const detail = event.details === undefined ? '' : ` ${compactDetails(event.details)}`;
    const line = `${label}: JSON-LD ${event.code}${detail}: ${event.message}`;
    if (!seen.has(line)) out.push(line);
    seen.add(line);
  }
  for (const key of droppedKeys) {
    for (const pointer of keyOccurrences(doc, key)) out.push(`${label}: key "${key}" at ${pointer || '/'} is not mapped to an IRI and was dropped`);
  }
  return out;
}

function compactDetails(details: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(details)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length === 0 ? '' : `(${parts.join(', ')})`;
}

/** Pointers of the objects (outside any `@context`) that contain `key`. */
function keyOccurrences(doc: JsonValue, key: string): string[] {
  const out: string[] = [];
  const walk = (v: JsonValue, pointer: string): void => {
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, pointerJoin(pointer, i)));
    else if (isJsonObject(v)) {
      if (Object.hasOwn(v, key)) out.push(pointer);
      for (const k of Object.keys(v)) if (k !== '@context') walk(v[k] ?? null, pointerJoin(pointer, k));
    }
  };
  walk(doc, '');
  return out;
}

/** A PeTraceError anywhere in the cause chain (jsonld.js wraps loader errors) wins; other jsonld errors are wrapped. */
function toInputError(e: unknown, label: string): unknown {
  for (let cur: unknown = e, depth = 0; cur !== undefined && cur !== null && depth < 10; depth++) {
    if (isPeTraceError(cur)) return cur;
    if (typeof cur !== 'object') break;
    const details = (cur as { details?: unknown }).details;
    const viaDetails = typeof details === 'object' && details !== null ? (details as { cause?: unknown }).cause : undefined;
    cur = viaDetails ?? (cur as { cause?: unknown }).cause;
  }
  if (isJsonLdError(e)) {
    const code = typeof e.details?.['code'] === 'string' ? e.details['code'] : e.name;
    return new InputError('JSONLD_INVALID', `JSON-LD ${code}: ${e.message.replace(/\s+/g, ' ')}`, { location: { file: label } });
  }
  return e;
}

function isJsonLdError(e: unknown): e is { name: string; message: string; details?: Record<string, unknown> } {
  return e instanceof Error && e.name.startsWith('jsonld.');
}
