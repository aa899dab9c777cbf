// Small readers over the lossless JSON tree for summaries: pointers, typed field lookups, pe:/pop: terms by local name.
import { type JsonObject, type JsonValue, isJsonObject, JsonNumber } from '../json/value.js';
import { PE_NS, POP_NAMESPACES } from '../tro/scan.js';

/** Resolves an RFC 6901 JSON pointer (`/@graph/0`), or undefined when it leads nowhere. */
export function atPointer(doc: JsonValue, pointer: string): JsonValue | undefined {
  if (pointer === '') return doc;
  let cur: JsonValue | undefined = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(key)];
    else if (isJsonObject(cur)) cur = Object.hasOwn(cur, key) ? cur[key] : undefined;
    else return undefined;
  }
  return cur;
}

/** A value as one display string: strings as is, numbers and booleans as written, other JSON compactly. */
export function displayValue(v: JsonValue): string {
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (v instanceof JsonNumber) return v.kind === 'int' ? String(v.int) : String(v.float);
  return JSON.stringify(v, (_k, x: unknown) => (x instanceof JsonNumber ? (x.kind === 'int' ? Number(x.int) : x.float) : x));
}

export function str(obj: JsonValue | undefined, key: string): string | undefined {
  if (!isJsonObject(obj)) return undefined;
  const v = obj[key];
  return typeof v === 'string' ? v : undefined;
}

export function obj(parent: JsonValue | undefined, key: string): JsonObject | undefined {
  if (!isJsonObject(parent)) return undefined;
  const v = parent[key];
  if (isJsonObject(v)) return v;
  if (Array.isArray(v) && isJsonObject(v[0])) return v[0];
  return undefined;
}

/** Every object under `key` (an object or a list of objects). */
export function objs(parent: JsonValue | undefined, key: string): JsonObject[] {
  if (!isJsonObject(parent)) return [];
  const v = parent[key];
  if (isJsonObject(v)) return [v];
  if (Array.isArray(v)) return v.filter(isJsonObject);
  return [];
}

/** The local name of a pe:/pop: key (`pe:dataBuildId`, `pop:buildId`, or a full IRI in either namespace), else undefined. */
export function extensionLocalName(key: string): { prefix: 'pe' | 'pop'; local: string } | undefined {
  if (key.startsWith('pe:')) return { prefix: 'pe', local: key.slice(3) };
  if (key.startsWith('pop:')) return { prefix: 'pop', local: key.slice(4) };
  if (key.startsWith(PE_NS)) return { prefix: 'pe', local: key.slice(PE_NS.length) };
  for (const ns of POP_NAMESPACES) if (key.startsWith(ns)) return { prefix: 'pop', local: key.slice(ns.length) };
  return undefined;
}

/** The pe:/pop: fields of an object by local name (first spelling wins), values kept as JSON. */
export function extensionFields(o: JsonObject | undefined): Map<string, JsonValue> {
  const out = new Map<string, JsonValue>();
  if (o === undefined) return out;
  for (const [k, v] of Object.entries(o)) {
    const name = extensionLocalName(k);
    if (name !== undefined && !out.has(name.local)) out.set(name.local, v);
  }
  return out;
}

/** A time value: a string, or a typed literal `{"@value": …}`. */
export function timeValue(o: JsonValue | undefined, key: string): string | undefined {
  if (!isJsonObject(o)) return undefined;
  const v = o[key];
  if (typeof v === 'string') return v;
  if (isJsonObject(v) && typeof v['@value'] === 'string') return v['@value'];
  return undefined;
}
