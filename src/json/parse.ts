// The lossless JSON reader (RFC 8259): ints vs floats, big ints, duplicate-key and UTF-8 checks, located errors.
import { InputError } from '../errors.js';
import type { Location } from '../errors.js';
import { JsonNumber, newJsonObject } from './value.js';
import type { JsonArray, JsonObject, JsonValue } from './value.js';

export interface ParseJsonOptions {
  /** How the input is named in error messages (a path as the user gave it); default `<input>`. */
  readonly label?: string;
  /** Largest accepted input, in UTF-8 bytes; default 64 MiB. */
  readonly maxBytes?: number;
  /** Deepest accepted nesting of arrays and objects; default 512. */
  readonly maxDepth?: number;
}

export const DEFAULT_JSON_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_JSON_MAX_DEPTH = 512;
/**
 * Longest integer literal accepted, in digits. CPython ≥ 3.11 refuses to convert longer decimal strings
 * to int (`sys.int_max_str_digits`), so json.loads rejects them too; the cap also keeps BigInt parsing,
 * which is super-linear, away from megabyte-long literals.
 */
export const MAX_INT_DIGITS = 4300;

// ignoreBOM keeps a leading U+FEFF in the text, so it is reported instead of silently dropped.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses JSON text without losing anything Python's json module keeps.
 *
 * Choices (all mirror `json.loads` unless stated):
 * - `3000` is an int (exact bigint, any size up to MAX_INT_DIGITS digits); `3000.0`, `3e3`, `1E5` are floats.
 *   `-0` is the int 0 (Python reads it so); `-0.0` is the float −0. A float literal beyond the double range
 *   (`1e400`) becomes ±Infinity, as Python's `float()` makes it `inf`.
 * - Objects are null-prototype records, so `__proto__` and `constructor` are ordinary keys.
 * - Stricter than Python: duplicate keys are an error (Python silently keeps the last one), and
 *   `NaN`/`Infinity`/`-Infinity` are rejected (Python accepts them by default; they are not JSON).
 * - Escaped lone surrogates (`"\ud800"`) are accepted and kept, as Python does; escaped pairs combine.
 * - A leading byte-order mark is rejected: RFC 8259 forbids emitting one, a canonical file never has one,
 *   and Python rejects it in text (`json.loads(str)`; only its bytes entry point strips it).
 * - Bytes must be valid UTF-8 (the WHATWG/Python rules: no overlongs, no encoded surrogates).
 *
 * Errors are `InputError` `JSON_SYNTAX` or `JSON_LIMIT` located at `label:line:column`; lines count `\n`,
 * columns count Unicode code points from 1 (as Python's colno does), and `offset` is the 0-based byte
 * offset in the UTF-8 encoding of the input.
 */
export function parseJson(input: Uint8Array | string, options: ParseJsonOptions = {}): JsonValue {
  const label = options.label ?? '<input>';
  const maxBytes = options.maxBytes ?? DEFAULT_JSON_MAX_BYTES;
  const maxDepth = options.maxDepth ?? DEFAULT_JSON_MAX_DEPTH;
  const text = typeof input === 'string' ? checkedString(input, label, maxBytes) : decodeBytes(input, label, maxBytes);
  if (text.charCodeAt(0) === 0xfeff) {
    throw new InputError('JSON_SYNTAX', 'input starts with a byte-order mark (U+FEFF), which JSON does not allow; save the file as UTF-8 without BOM', {
      location: { file: label, line: 1, column: 1, offset: 0 },
    });
  }
  return new Parser(text, label, maxDepth).parseDocument();
}

function checkedString(text: string, label: string, maxBytes: number): string {
  // A UTF-16 code unit takes 1 to 3 UTF-8 bytes; only measure exactly when the bound is in doubt.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text, 0, text.length) > maxBytes)) {
    throw tooBig(label, text.length > maxBytes ? undefined : utf8Length(text, 0, text.length), maxBytes);
  }
  return text;
}

function decodeBytes(bytes: Uint8Array, label: string, maxBytes: number): string {
  if (bytes.length > maxBytes) throw tooBig(label, bytes.length, maxBytes);
  try {
    return utf8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const prefix = utf8.decode(bytes.subarray(0, Math.max(at, 0)));
    const { line, column } = lineColumn(prefix, prefix.length);
    const shown = at >= 0 && at < bytes.length ? ` (0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')})` : '';
    throw new InputError('JSON_SYNTAX', `invalid UTF-8 at byte ${at}${shown}`, { location: { file: label, line, column, offset: at } });
  }
}

function tooBig(label: string, size: number | undefined, maxBytes: number): InputError {
  const what = size === undefined ? 'input is over' : `input is ${size} bytes, over`;
  return new InputError('JSON_LIMIT', `${what} the ${maxBytes}-byte limit for a JSON document`, { location: { file: label } });
}

/**
 * Index of the first byte that starts an invalid UTF-8 sequence (the byte to blame, as Python's
 * decoder reports it), or -1. Only called after the fast decoder has failed.
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i] ?? 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0; // overlong
      if (c === 0xed) hi = 0x9f; // UTF-16 surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90; // overlong
      if (c === 0xf4) hi = 0x8f; // beyond U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined) return i;
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** UTF-8 length of `text[from, to)`; a lone surrogate counts 3 bytes (as U+FFFD or WTF-8 would). */
function utf8Length(text: string, from: number, to: number): number {
  let bytes = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** 1-based line (counting `\n`) and column (counting code points) of UTF-16 index `index`. */
function lineColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  let column = 1;
  for (let i = lineStart; i < index; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < index && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    column++;
  }
  return { line, column };
}

/** Names a character for a message: printable ASCII in quotes, anything else as U+XXXX. */
function describeChar(text: string, index: number): string {
  if (index >= text.length) return 'end of input';
  const cp = text.codePointAt(index) ?? 0;
  if (cp >= 0x20 && cp < 0x7f) return cp === 0x27 ? `"'"` : `'${String.fromCharCode(cp)}'`;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Shows a key in a message on one ASCII line, truncated if long. */
function describeKey(key: string): string {
  const short = key.length > 60 ? `${key.slice(0, 57)}...` : key;
  let out = '"';
  for (let i = 0; i < short.length; i++) {
    const c = short.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) out += `\\${short[i]}`;
    else if (c >= 0x20 && c < 0x7f) out += short[i];
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/** An open array or object on the parser's explicit stack (the parser never recurses). */
interface ArrayFrame {
  readonly array: JsonArray;
  readonly object: undefined;
}
interface ObjectFrame {
  readonly array: undefined;
  readonly object: JsonObject;
  /** The key whose value is being parsed. */
  key: string;
  /** Keys and their source positions, only to name the first occurrence of a duplicate. */
  readonly keys: string[];
  readonly keyAt: number[];
}
type Frame = ArrayFrame | ObjectFrame;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

class Parser {
  private pos = 0;
  private readonly text: string;
  private readonly label: string;
  private readonly maxDepth: number;

  constructor(text: string, label: string, maxDepth: number) {
    this.text = text;
    this.label = label;
    this.maxDepth = maxDepth;
  }

  parseDocument(): JsonValue {
    const text = this.text;
    const stack: Frame[] = [];
    this.skipWs();
    let value: JsonValue;
    for (;;) {
      // Read one value at `pos`; containers push a frame and loop back for their first member.
      const c = text.charCodeAt(this.pos);
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (stack.length >= this.maxDepth) {
          throw this.fail('JSON_LIMIT', `nesting deeper than ${this.maxDepth} levels`, this.pos);
        }
        const open = this.pos;
        this.pos++;
        this.skipWs();
        if (c === OPEN_BRACKET) {
          const array: JsonArray = [];
          if (text.charCodeAt(this.pos) === CLOSE_BRACKET) {
            this.pos++;
            value = array;
          } else {
            stack.push({ array, object: undefined });
            continue;
          }
        } else {
          const object = newJsonObject();
          const next = text.charCodeAt(this.pos);
          if (next === CLOSE_BRACE) {
            this.pos++;
            value = object;
          } else if (next === QUOTE) {
            const frame: ObjectFrame = { array: undefined, object, key: '', keys: [], keyAt: [] };
            this.readKey(frame);
            stack.push(frame);
            continue;
          } else {
            throw this.unexpected(`expected a string key or '}' after '{' opened at ${this.lineColText(open)}`);
          }
        }
      } else {
        value = this.readScalar();
      }
      // Attach the value to its parent, closing every container that ends here.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          this.skipWs();
          if (this.pos < text.length) throw this.unexpected('unexpected data after the JSON value', true);
          return value;
        }
        this.skipWs();
        const sep = text.charCodeAt(this.pos);
        if (top.array !== undefined) {
          top.array.push(value);
          if (sep === COMMA) {
            const comma = this.pos;
            this.pos++;
            this.skipWs();
            if (text.charCodeAt(this.pos) === CLOSE_BRACKET) throw this.fail('JSON_SYNTAX', "trailing comma before ']'", comma);
            break;
          }
          if (sep === CLOSE_BRACKET) {
            this.pos++;
            stack.pop();
            value = top.array;
            continue;
          }
          throw this.unexpected("expected ',' or ']' after an array element");
        }
        top.object[top.key] = value;
        if (sep === COMMA) {
          const comma = this.pos;
          this.pos++;
          this.skipWs();
          const next = text.charCodeAt(this.pos);
          if (next === CLOSE_BRACE) throw this.fail('JSON_SYNTAX', "trailing comma before '}'", comma);
          if (next !== QUOTE) throw this.unexpected("expected a string key after ','");
          this.readKey(top);
          break;
        }
        if (sep === CLOSE_BRACE) {
          this.pos++;
          stack.pop();
          value = top.object;
          continue;
        }
        throw this.unexpected("expected ',' or '}' after an object member");
      }
    }
  }

  /** Reads `"key" :` (pos at the quote), rejecting a duplicate, and leaves pos at the member's value. */
  private readKey(frame: ObjectFrame): void {
    const at = this.pos;
    const key = this.readString();
    if (frame.object[key] !== undefined) {
      const first = frame.keyAt[frame.keys.indexOf(key)] ?? at;
      throw this.fail('JSON_SYNTAX', `duplicate key ${describeKey(key)} (first at ${this.lineColText(first)})`, at);
    }
    frame.keys.push(key);
    frame.keyAt.push(at);
    frame.key = key;
    this.skipWs();
    if (this.text.charCodeAt(this.pos) !== COLON) throw this.unexpected("expected ':' after an object key");
    this.pos++;
    this.skipWs();
  }

  private readScalar(): JsonValue {
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    if (c === QUOTE) return this.readString();
    if (c === MINUS || (c >= ZERO && c <= NINE)) return this.readNumber();
    if (text.startsWith('true', this.pos)) return this.literal(4, true);
    if (text.startsWith('false', this.pos)) return this.literal(5, false);
    if (text.startsWith('null', this.pos)) return this.literal(4, null);
    if (text.startsWith('NaN', this.pos)) throw this.fail('JSON_SYNTAX', 'NaN is not valid JSON', this.pos);
    if (text.startsWith('Infinity', this.pos)) throw this.fail('JSON_SYNTAX', 'Infinity is not valid JSON', this.pos);
    if (c === 0x2f) throw this.fail('JSON_SYNTAX', 'comments are not allowed in JSON', this.pos);
    if (c === 0x27) throw this.fail('JSON_SYNTAX', 'strings must use double quotes', this.pos);
    throw this.unexpected('expected a JSON value');
  }

  private literal<T extends JsonValue>(length: number, value: T): T {
    this.pos += length;
    return value;
  }

  private readNumber(): JsonNumber {
    const text = this.text;
    const start = this.pos;
    let i = start;
    let isFloat = false;
    if (text.charCodeAt(i) === MINUS) {
      i++;
      if (text.startsWith('Infinity', i)) throw this.fail('JSON_SYNTAX', '-Infinity is not valid JSON', start);
    }
    const intStart = i;
    let c = text.charCodeAt(i);
    if (c === ZERO) {
      i++;
      c = text.charCodeAt(i);
      if (c >= ZERO && c <= NINE) throw this.fail('JSON_SYNTAX', 'leading zeros are not allowed in numbers', intStart);
    } else if (c > ZERO && c <= NINE) {
      do c = text.charCodeAt(++i);
      while (c >= ZERO && c <= NINE);
    } else {
      this.pos = i;
      throw this.unexpected("expected a digit after '-'");
    }
    const intEnd = i;
    if (c === 0x2e) {
      isFloat = true;
      c = text.charCodeAt(++i);
      if (!(c >= ZERO && c <= NINE)) {
        this.pos = i;
        throw this.unexpected("expected a digit after '.'");
      }
      do c = text.charCodeAt(++i);
      while (c >= ZERO && c <= NINE);
    }
    if (c === 0x65 || c === 0x45) {
      isFloat = true;
      c = text.charCodeAt(++i);
      if (c === 0x2b || c === MINUS) c = text.charCodeAt(++i);
      if (!(c >= ZERO && c <= NINE)) {
        this.pos = i;
        throw this.unexpected('expected a digit in the exponent');
      }
      do c = text.charCodeAt(++i);
      while (c >= ZERO && c <= NINE);
    }
    this.pos = i;
    const literal = text.slice(start, i);
    if (isFloat) return JsonNumber.ofFloat(Number(literal));
    if (intEnd - intStart > MAX_INT_DIGITS) {
      throw this.fail('JSON_LIMIT', `integer has ${intEnd - intStart} digits, over the ${MAX_INT_DIGITS}-digit limit`, start);
    }
    // Small ints go through a double (exact below 2^53), which is much cheaper than BigInt(string).
    return JsonNumber.ofInt(intEnd - intStart <= 15 ? BigInt(Number(literal)) : BigInt(literal));
  }

  /** Reads a string (pos at the opening quote); unescaped runs are sliced, not built char by char. */
  private readString(): string {
    const text = this.text;
    const open = this.pos;
    let i = open + 1;
    let runStart = i;
    let parts: string[] | undefined;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        if (parts === undefined) return text.slice(runStart, i);
        parts.push(text.slice(runStart, i));
        return parts.join('');
      }
      if (c === BACKSLASH) {
        parts ??= [];
        parts.push(text.slice(runStart, i));
        parts.push(this.readEscape(i));
        i += text.charCodeAt(i + 1) === 0x75 ? 6 : 2;
        runStart = i;
        continue;
      }
      if (!(c >= 0x20)) {
        // NaN (past the end) fails this test too.
        if (i >= text.length) {
          throw this.fail('JSON_SYNTAX', `unexpected end of input inside the string opened at ${this.lineColText(open)}`, i);
        }
        const hex = c.toString(16).toUpperCase().padStart(4, '0');
        throw this.fail('JSON_SYNTAX', `unescaped control character U+${hex} in a string (write it as \\u${hex.toLowerCase()})`, i);
      }
      i++;
    }
  }

  /** Decodes the escape at `at` (the backslash). A `\u` escape yields one UTF-16 unit, so pairs combine. */
  private readEscape(at: number): string {
    const text = this.text;
    const e = text.charCodeAt(at + 1);
    switch (e) {
      case 0x22:
        return '"';
      case 0x5c:
        return '\\';
      case 0x2f:
        return '/';
      case 0x62:
        return '\b';
      case 0x66:
        return '\f';
      case 0x6e:
        return '\n';
      case 0x72:
        return '\r';
      case 0x74:
        return '\t';
      case 0x75: {
        let code = 0;
        for (let k = 2; k < 6; k++) {
          const h = hexValue(text.charCodeAt(at + k));
          if (h < 0) {
            if (at + k >= text.length) throw this.fail('JSON_SYNTAX', 'unexpected end of input inside a \\u escape', at + k);
            throw this.fail('JSON_SYNTAX', `invalid \\u escape: expected 4 hex digits, found ${describeChar(text, at + k)}`, at);
          }
          code = code * 16 + h;
        }
        return String.fromCharCode(code);
      }
      default: {
        if (at + 1 >= text.length) throw this.fail('JSON_SYNTAX', 'unexpected end of input after a backslash', at + 1);
        const next = describeChar(text, at + 1);
        const shown = next.startsWith("'") ? `'\\${next.slice(1)}` : `'\\' followed by ${next}`;
        throw this.fail('JSON_SYNTAX', `invalid escape ${shown} in a string`, at);
      }
    }
  }

  private skipWs(): void {
    const text = this.text;
    let i = this.pos;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.pos = i;
  }

  /** An error at the current position naming what is there (end of input is always called that). */
  private unexpected(expectation: string, dataAfter = false): InputError {
    if (this.pos >= this.text.length) return this.fail('JSON_SYNTAX', 'unexpected end of input', this.pos);
    const found = describeChar(this.text, this.pos);
    return this.fail('JSON_SYNTAX', dataAfter ? `${expectation}: ${found}` : `${expectation}, found ${found}`, this.pos);
  }

  private fail(code: 'JSON_SYNTAX' | 'JSON_LIMIT', message: string, index: number): InputError {
    return new InputError(code, message, { location: this.locate(index) });
  }

  private locate(index: number): Location {
    const { line, column } = lineColumn(this.text, index);
    return { file: this.label, line, column, offset: utf8Length(this.text, 0, index) };
  }

  private lineColText(index: number): string {
    const { line, column } = lineColumn(this.text, index);
    return `${line}:${column}`;
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}
