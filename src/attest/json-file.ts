// Reads our attestation JSON files (bundles, keychains) strictly, with a caller-chosen error code for bad bytes.
import { type ErrorCode, PeTraceError } from '../errors.js';
import { parseJson } from '../json/parse.js';
import { type PlainJson, toPlainJson } from '../json/value.js';

export type PlainObject = { [key: string]: PlainJson };

export function isPlainObject(v: PlainJson | undefined): v is PlainObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The bytes as one JSON object (duplicate keys and bad UTF-8 refused); any failure raises `code` at `label`. */
export function readJsonObject(bytes: Uint8Array, label: string, code: ErrorCode, what: string): PlainObject {
  let value: PlainJson;
  try {
    value = toPlainJson(parseJson(bytes, { label }));
  } catch (e) {
    const why = e instanceof Error ? (e as { detail?: string }).detail ?? e.message : String(e);
    throw new PeTraceError(code, `not a readable ${what}: ${why}`, { location: { file: label } });
  }
  if (!isPlainObject(value)) throw new PeTraceError(code, `not a ${what}: expected a JSON object`, { location: { file: label } });
  return value;
}

/** A string member, or a coded error naming its pointer. */
export function stringAt(obj: PlainObject, key: string, label: string, pointer: string, code: ErrorCode): string {
  const v = obj[key];
  if (typeof v !== 'string') throw new PeTraceError(code, `expected a string`, { location: { file: label, pointer: `${pointer}/${key}` } });
  return v;
}
