// A read-only view of a scanned JSON-LD document that the expectations share: contexts, prefixes, node objects, members.
import { type JsonObject, type JsonValue, isJsonObject } from '../json/value.js';
import { childPointer } from './pointer.js';
import { type ScanResult, scanJson } from './scan.js';
import { TROV_01_NS } from './terms.js';

/** One `key: value` member of an object, with where it sits. */
export interface MemberSite {
  readonly owner: JsonObject;
  readonly ownerPointer: string;
  readonly key: string;
  readonly value: JsonValue;
  /** Pointer of the member's value. */
  readonly pointer: string;
  /** True inside a `@context` value (the context's own keys, term definitions, nested contexts). */
  readonly inContext: boolean;
}

/** A node object: an object outside every context that is not the bare root container, a value or a list. */
export interface NodeSite {
  readonly node: JsonObject;
  readonly pointer: string;
  /** The node it hangs from (undefined for top-level nodes). */
  readonly parent: NodeSite | undefined;
  /** The key it hangs under in its parent (`@graph` for members of the root graph or of a nested graph). */
  readonly via: string | undefined;
  /** A member of the root `@graph` (or the root itself when it is a node). */
  readonly topLevel: boolean;
}

export interface ContextObjectSite {
  readonly object: JsonObject;
  readonly pointer: string;
}

export interface PrefixSite {
  readonly iri: string;
  readonly pointer: string;
}

export interface ConformanceDocument {
  readonly scan: ScanResult;
  /** The parsed value; undefined when SAFE-JSON's parse-level expectations could not even read it. */
  readonly value: JsonValue | undefined;
  /** The root when it is an object. */
  readonly root: JsonObject | undefined;
  /** Every member of every object, in document order. */
  readonly members: readonly MemberSite[];
  /** Every `@context` member anywhere (root, nested in nodes, scoped in term definitions). */
  readonly contexts: readonly MemberSite[];
  /** The root object's `@context` member, if any. */
  readonly rootContext: MemberSite | undefined;
  /** The object entries of the root context (the object itself, or the objects of its array). */
  readonly contextObjects: readonly ContextObjectSite[];
  /** String-valued terms of the root context's objects: prefix → namespace (the last definition wins, as in JSON-LD). */
  readonly prefixes: ReadonlyMap<string, PrefixSite>;
  readonly nodes: readonly NodeSite[];
  readonly topLevelNodes: readonly NodeSite[];
}

/** Scans `bytes` and builds the shared view (the walk happens once, here). */
export function readConformanceDocument(bytes: Uint8Array): ConformanceDocument {
  const scan = scanJson(bytes);
  return viewOf(scan, scan.syntaxError === null ? scan.value : undefined);
}

function viewOf(scan: ScanResult, value: JsonValue | undefined): ConformanceDocument {
  const members: MemberSite[] = [];
  const nodes: NodeSite[] = [];
  const root = isJsonObject(value) ? value : undefined;
  if (root !== undefined && isBareContainer(root)) {
    // The usual TRACE shape: the root only carries the context and the graph, whose members are the top-level nodes.
    for (const [key, child] of Object.entries(root)) {
      const pointer = childPointer('', key);
      members.push({ owner: root, ownerPointer: '', key, value: child, pointer, inContext: false });
      const place: Place = key === '@context' ? IN_CONTEXT : { inContext: false, parent: undefined, via: '@graph', topLevel: true };
      walk(child, pointer, place, members, nodes);
    }
  } else if (value !== undefined) {
    walk(value, '', { inContext: false, parent: undefined, via: undefined, topLevel: true }, members, nodes);
  }
  const contexts = members.filter((m) => m.key === '@context');
  const rootContext = root === undefined ? undefined : contexts.find((m) => m.owner === root);
  const contextObjects: ContextObjectSite[] = [];
  if (rootContext !== undefined) {
    const v = rootContext.value;
    if (isJsonObject(v)) contextObjects.push({ object: v, pointer: rootContext.pointer });
    else if (Array.isArray(v)) v.forEach((e, i) => isJsonObject(e) && contextObjects.push({ object: e, pointer: childPointer(rootContext.pointer, i) }));
  }
  const prefixes = new Map<string, PrefixSite>();
  for (const c of contextObjects) {
    for (const [k, v] of Object.entries(c.object)) {
      if (!k.startsWith('@') && typeof v === 'string') prefixes.set(k, { iri: v, pointer: childPointer(c.pointer, k) });
    }
  }
  return { scan, value, root, members, contexts, rootContext, contextObjects, prefixes, nodes, topLevelNodes: nodes.filter((n) => n.topLevel) };
}

/** Where the walk is: inside a context or not, and which node a new node object would hang from. */
interface Place {
  readonly inContext: boolean;
  readonly parent: NodeSite | undefined;
  readonly via: string | undefined;
  readonly topLevel: boolean;
}

const IN_CONTEXT: Place = { inContext: true, parent: undefined, via: undefined, topLevel: false };

/** Keys whose values are never node objects: identifiers, types, and JSON-LD value/list forms. */
const NON_NODE_KEYS = new Set(['@id', '@type', '@value', '@language', '@direction', '@index', '@reverse']);

/** Walks every value once, recording members and node objects (objects outside contexts that are not values or lists). */
function walk(value: JsonValue, pointer: string, place: Place, members: MemberSite[], nodes: NodeSite[]): void {
  if (Array.isArray(value)) {
    value.forEach((e, i) => walk(e, childPointer(pointer, i), place, members, nodes));
    return;
  }
  if (!isJsonObject(value)) return;
  let self: NodeSite | undefined;
  if (!place.inContext && !isValueLike(value)) {
    self = { node: value, pointer, parent: place.parent, via: place.via, topLevel: place.topLevel };
    nodes.push(self);
  }
  for (const [key, child] of Object.entries(value)) {
    const childPtr = childPointer(pointer, key);
    members.push({ owner: value, ownerPointer: pointer, key, value: child, pointer: childPtr, inContext: place.inContext });
    if (place.inContext || key === '@context') walk(child, childPtr, IN_CONTEXT, members, nodes);
    else if (!NON_NODE_KEYS.has(key)) walk(child, childPtr, { inContext: false, parent: self ?? place.parent, via: key, topLevel: false }, members, nodes);
  }
}

function isValueLike(o: JsonObject): boolean {
  return '@value' in o || '@list' in o || '@set' in o;
}

function isBareContainer(o: JsonObject): boolean {
  return Object.keys(o).every((k) => k === '@context' || k === '@graph');
}

// ---- helpers the expectations share -------------------------------------------------------------

/** The values of a property: an array's elements, or the single value. */
export function valuesOf(v: JsonValue | undefined): JsonValue[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** The `@type` strings of a node (non-strings are ignored here; ids-and-types-strings reports them). */
export function typesOf(node: JsonObject): string[] {
  return valuesOf(node['@type']).filter((t): t is string => typeof t === 'string');
}

/** A URI scheme followed by ':' — an absolute IRI, or a compact IRI (which JSON-LD reads the same way when the prefix is unknown). */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

export function hasScheme(s: string): boolean {
  return SCHEME.test(s);
}

/**
 * Expands a compact IRI with the document's prefixes (JSON-LD: `prefix:suffix`, unless the suffix
 * starts with `//`); absolute IRIs come back unchanged; keywords, blank node labels and bare terms
 * give undefined (without `@vocab`, JSON-LD drops bare property names).
 */
export function expandIri(doc: ConformanceDocument, s: string): string | undefined {
  if (s.startsWith('@') || s.startsWith('_:')) return undefined;
  const colon = s.indexOf(':');
  if (colon <= 0) return undefined;
  const suffix = s.slice(colon + 1);
  const prefix = doc.prefixes.get(s.slice(0, colon));
  if (prefix !== undefined && !suffix.startsWith('//')) return prefix.iri + suffix;
  return hasScheme(s) ? s : undefined;
}

/**
 * The local name of a TROV 0.1 term, or undefined: `trov:hash`, its full IRI, or any prefix bound to the
 * TROV namespace give `hash`. A name spelled `trov:` counts even when the document binds `trov` elsewhere
 * or not at all: TRACE reads that spelling as TROV, and core-prefixes-pinned reports the binding.
 */
export function trovName(doc: ConformanceDocument, s: string): string | undefined {
  const cache = memo(doc, 'trovName', () => new Map<string, string | null>());
  const hit = cache.get(s);
  if (hit !== undefined) return hit ?? undefined;
  let name: string | undefined;
  if (s.startsWith('trov:') && !s.startsWith('trov://')) name = s.slice(5);
  else {
    const iri = expandIri(doc, s);
    name = iri !== undefined && iri.startsWith(TROV_01_NS) ? iri.slice(TROV_01_NS.length) : undefined;
  }
  cache.set(s, name ?? null);
  return name;
}

const MEMOS = new WeakMap<ConformanceDocument, Map<string, unknown>>();

/** Computes `make()` once per document and key: several expectations ask the same questions of a large document. */
export function memo<T>(doc: ConformanceDocument, key: string, make: () => T): T {
  let m = MEMOS.get(doc);
  if (m === undefined) MEMOS.set(doc, (m = new Map()));
  if (!m.has(key)) m.set(key, make());
  return m.get(key) as T;
}

/** Whether a node's `@type` includes TROV class `local`. */
export function hasTrovType(doc: ConformanceDocument, node: JsonObject, local: string): boolean {
  return typesOf(node).some((t) => trovName(doc, t) === local);
}

/** The members of `node` whose key is TROV property `local` (however spelled), with pointers. */
export function trovMembers(doc: ConformanceDocument, site: { node: JsonObject; pointer: string }, local: string): { key: string; value: JsonValue; pointer: string }[] {
  const out: { key: string; value: JsonValue; pointer: string }[] = [];
  for (const [key, value] of Object.entries(site.node)) {
    if (!key.startsWith('@') && trovName(doc, key) === local) out.push({ key, value, pointer: childPointer(site.pointer, key) });
  }
  return out;
}

/** Members of `node` whose key expands to IRI `iri`. */
export function membersByIri(doc: ConformanceDocument, site: { node: JsonObject; pointer: string }, iri: string): { key: string; value: JsonValue; pointer: string }[] {
  const out: { key: string; value: JsonValue; pointer: string }[] = [];
  for (const [key, value] of Object.entries(site.node)) {
    if (!key.startsWith('@') && expandIri(doc, key) === iri) out.push({ key, value, pointer: childPointer(site.pointer, key) });
  }
  return out;
}

/** Every node typed with TROV class `local`. */
export function nodesOfTrovType(doc: ConformanceDocument, local: string): NodeSite[] {
  return memo(doc, `type:${local}`, () => doc.nodes.filter((n) => hasTrovType(doc, n.node, local)));
}

/** Every node hanging under TROV property `local`, wherever it is. */
export function nodesVia(doc: ConformanceDocument, local: string): NodeSite[] {
  return memo(doc, `via:${local}`, () => doc.nodes.filter((n) => n.via !== undefined && trovName(doc, n.via) === local));
}

/** A short JSON rendering of a value for messages. */
export function shown(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? 'an empty array' : `an array of ${v.length}`;
  if (isJsonObject(v)) return 'an object';
  return `the number ${v.kind === 'int' ? String(v.int) : String(v.float)}`;
}
