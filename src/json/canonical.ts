// The canonical JSON writer: byte for byte Python's json.dumps(v, indent=2, sort_keys=True) (+ "\n" for 'pe').
import { PeTraceError } from '../errors.js';
import { pyFloatRepr } from './py-float.js';
import { JsonNumber } from './value.js';
import type { JsonInput } from './value.js';

/** `pe`: policyengine.py's canonical_json_bytes (ends with "\n"). `trov`: tro-utils (no final newline). */
export type CanonicalFlavour = 'pe' | 'trov';

/** Deepest nesting the writer accepts; each level adds two spaces to every line below it. */
export const CANONICAL_MAX_DEPTH = 10_000;

const encoder = new TextEncoder();

/**
 * Serialises like Python `json.dumps(value, indent=2, sort_keys=True)` with the default `ensure_ascii`
 * and `allow_nan`, plus one "\n" for the `pe` flavour (interop spec §1.1). Keys sort by code point,
 * ints are exact decimals, floats use Python's repr, the output is pure ASCII.
 *
 * Input: lossless values (`JsonNumber`, null-prototype objects) or plain JS values; an integral JS number
 * (including -0) is an int, any other JS number a float; bigint is an int; object members whose value is
 * `undefined` are omitted. Anything else (functions, symbols, undefined in an array, Dates, Maps, class
 * instances, cycles, nesting over CANONICAL_MAX_DEPTH) throws CANON_UNSUPPORTED_VALUE at its JSON pointer.
 */
export function canonicalJsonText(value: JsonInput, flavour: CanonicalFlavour = 'pe'): string {
  const text = writeCanonical(value);
  return flavour === 'pe' ? `${text}\n` : text;
}

/** `canonicalJsonText` as UTF-8 bytes (the text is ASCII, so one byte per character). */
export function canonicalJsonBytes(value: JsonInput, flavour: CanonicalFlavour = 'pe'): Uint8Array {
  return encoder.encode(canonicalJsonText(value, flavour));
}

/**
 * Orders strings by Unicode code point, as Python compares `str`. JS `<` compares UTF-16 code units,
 * which disagrees only when a surrogate (astral character or lone surrogate) meets U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const ca = a.charCodeAt(i);
  const cb = b.charCodeAt(i);
  if (ca < 0xd800 && cb < 0xd800) return ca - cb;
  // Rare: walk both strings by code point from the start of the code point holding index i.
  if (i > 0 && (a.charCodeAt(i - 1) & 0xfc00) === 0xd800) i--;
  let j = i;
  while (i < a.length && j < b.length) {
    const pa = a.codePointAt(i) ?? 0;
    const pb = b.codePointAt(j) ?? 0;
    if (pa !== pb) return pa - pb;
    i += pa > 0xffff ? 2 : 1;
    j += pb > 0xffff ? 2 : 1;
  }
  return a.length - i - (b.length - j);
}

/** Any character Python's ensure_ascii output writes as an escape: `"`, `\`, and everything outside 0x20–0x7E. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;
const SHORT_ESCAPES: Readonly<Record<number, string>> = { 0x22: '\\"', 0x5c: '\\\\', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x08: '\\b', 0x0c: '\\f' };

/**
 * A string literal as Python's `json.dumps(ensure_ascii=True)` writes it: short escapes for `" \ \n \r \t
 * \b \f`, lowercase `\uXXXX` per UTF-16 unit for everything else outside printable ASCII (so astral
 * characters become surrogate pairs and lone surrogates stay lone), and `/` unescaped.
 */
export function pyJsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(run, i);
    out += SHORT_ESCAPES[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
    run = i + 1;
  }
  return `${out}${s.slice(run)}"`;
}

/** An open container: the separator state and the path segment for error pointers. */
interface Frame {
  readonly container: object;
  /** Array elements, or the object's sorted keys (members whose value is undefined already dropped). */
  readonly items: readonly unknown[];
  readonly keys: readonly string[] | undefined;
  next: number;
}

function writeCanonical(root: JsonInput): string {
  const stack: Frame[] = [];
  const open = new Set<object>();
  const indents: string[] = [''];
  const indent = (depth: number): string => (indents[depth] ??= '  '.repeat(depth));
  let out = '';
  let value: unknown = root;
  for (;;) {
    // Write `value`; a non-empty container pushes a frame instead and its members follow.
    const scalar = scalarText(value);
    if (scalar !== undefined) out += scalar;
    else {
      const frame = openFrame(value, stack, open);
      if (frame === undefined) out += Array.isArray(value) ? '[]' : '{}';
      else {
        if (stack.length >= CANONICAL_MAX_DEPTH) fail(stack, `nesting deeper than ${CANONICAL_MAX_DEPTH} levels`);
        out += frame.keys === undefined ? '[' : '{';
        stack.push(frame);
        open.add(frame.container);
      }
    }
    // Move to the next member of the innermost open container, closing finished ones.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) return out;
      const depth = stack.length;
      if (top.next < top.items.length) {
        out += top.next === 0 ? '\n' : ',\n';
        out += indent(depth);
        const key = top.keys?.[top.next];
        if (key !== undefined) out += `${pyJsonString(key)}: `;
        value = top.items[top.next];
        top.next++;
        break;
      }
      out += `\n${indent(depth - 1)}${top.keys === undefined ? ']' : '}'}`;
      stack.pop();
      open.delete(top.container);
    }
  }
}

/** The text of a scalar, or undefined for a container (or an unsupported value, which openFrame rejects). */
function scalarText(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return pyJsonString(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      // -0 is integral: it becomes the int 0, as the JsonInput contract says (use JsonNumber.ofFloat(-0) for -0.0).
      return Number.isInteger(v) ? BigInt(v).toString() : pyFloatRepr(v);
    case 'bigint':
      return v.toString();
    case 'object':
      if (v === null) return 'null';
      if (v instanceof JsonNumber) return v.kind === 'int' ? (v.int ?? BigInt(v.float)).toString() : pyFloatRepr(v.float);
      return undefined;
    default:
      return undefined;
  }
}

/** A frame for a non-empty array or object, undefined for an empty one; throws for anything unsupported. */
function openFrame(v: unknown, stack: readonly Frame[], open: ReadonlySet<object>): Frame | undefined {
  if (typeof v !== 'object' || v === null) fail(stack, `cannot write ${describe(v)} as canonical JSON`);
  if (open.has(v)) fail(stack, 'cannot write a cyclic structure as canonical JSON (this value contains itself)');
  if (Array.isArray(v)) {
    const items = v as readonly unknown[];
    return items.length === 0 ? undefined : { container: v, items, keys: undefined, next: 0 };
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== null && proto !== Object.prototype) fail(stack, `cannot write ${describe(v)} as canonical JSON`);
  const record = v as Readonly<Record<string, unknown>>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort(compareCodePoints);
  if (keys.length === 0) return undefined;
  return { container: v, items: keys.map((k) => record[k]), keys, next: 0 };
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  if (typeof v === 'object' && v !== null) {
    const ctor: unknown = (v as { constructor?: unknown }).constructor;
    const name = typeof ctor === 'function' && ctor.name ? ctor.name : 'non-plain';
    return `a ${name} object`;
  }
  return `a ${typeof v}`;
}

/** Throws CANON_UNSUPPORTED_VALUE at the JSON pointer of the value being written (the current member of the top frame). */
function fail(stack: readonly Frame[], message: string): never {
  let pointer = '';
  for (const frame of stack) {
    const index = frame.next - 1;
    const segment = frame.keys === undefined ? String(index) : (frame.keys[index] ?? '');
    pointer += `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  }
  throw new PeTraceError('CANON_UNSUPPORTED_VALUE', message, { location: { pointer } });
}
