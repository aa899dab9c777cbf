// A tolerant JSON reader for SAFE-JSON: reports bad UTF-8, syntax errors, duplicate names, half-surrogate escapes and out-of-range numbers, with locations.
import { firstInvalidUtf8 } from '../json/parse.js';
import { JsonNumber, newJsonObject } from '../json/value.js';
import type { JsonArray, JsonObject, JsonValue } from '../json/value.js';
import { childPointer } from './pointer.js';

/** Where something was found: a JSON pointer when it is inside a parsed value, plus the 1-based line and column (columns count code points). */
export interface ScanSpot {
  readonly pointer: string;
  readonly line: number;
  readonly column: number;
}

export interface ScanProblem extends ScanSpot {
  readonly message: string;
}

/** What the scanner saw. `value` is undefined when the bytes are not UTF-8 or not one JSON value. */
export interface ScanResult {
  /** Null when the bytes are valid UTF-8, else where the first invalid sequence starts. */
  readonly utf8Error: ScanProblem | null;
  /** Null when the text parses as one JSON value (duplicates tolerated), else the first syntax error. */
  readonly syntaxError: ScanProblem | null;
  readonly duplicates: readonly ScanProblem[];
  readonly halfSurrogates: readonly ScanProblem[];
  readonly numbersOutOfRange: readonly ScanProblem[];
  readonly value: JsonValue | undefined;
}

/** Nesting beyond this is a syntax finding: Python's json module gives up near 1000 levels, and no TRO needs 100. */
export const SCAN_MAX_DEPTH = 512;

/** 2^53 − 1: the largest integer every JSON parser in the supported set reads exactly. */
const MAX_EXACT_INTEGER = 9007199254740991n;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class SyntaxStop extends Error {
  readonly at: number;
  constructor(message: string, at: number) {
    super(message);
    this.at = at;
  }
}

/**
 * Reads `bytes` as JSON without giving up at the first defect that a stricter reader would refuse.
 * Duplicate member names are reported and the last one wins (what `JSON.parse` and Python keep);
 * an unpaired `\uD800`–`\uDFFF` escape is reported and kept; a number outside the double range or an
 * integer beyond ±(2^53−1) is reported and kept losslessly. Syntax errors (including NaN/Infinity,
 * comments, a leading byte-order mark) stop the scan at the first one.
 */
export function scanJson(bytes: Uint8Array): ScanResult {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const before = utf8.decode(bytes.subarray(0, Math.max(at, 0)));
    const { line, column } = lineColumn(before, before.length);
    const shown = at >= 0 && at < bytes.length ? ` (0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')})` : '';
    return {
      utf8Error: { pointer: '', line, column, message: `byte ${at}${shown} does not start a valid UTF-8 sequence` },
      syntaxError: null,
      duplicates: [],
      halfSurrogates: [],
      numbersOutOfRange: [],
      value: undefined,
    };
  }
  const scanner = new Scanner(text);
  let value: JsonValue | undefined;
  let syntaxError: ScanProblem | null = null;
  try {
    value = scanner.document();
  } catch (e) {
    if (!(e instanceof SyntaxStop)) throw e;
    const { line, column } = lineColumn(text, e.at);
    syntaxError = { pointer: '', line, column, message: e.message };
    value = undefined;
  }
  return {
    utf8Error: null,
    syntaxError,
    duplicates: scanner.duplicates,
    halfSurrogates: scanner.halfSurrogates,
    numbersOutOfRange: scanner.numbersOutOfRange,
    value,
  };
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

function describeChar(text: string, index: number): string {
  if (index >= text.length) return 'end of input';
  const cp = text.codePointAt(index) ?? 0;
  if (cp >= 0x21 && cp < 0x7f) return `'${String.fromCharCode(cp)}'`;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

function shownName(name: string): string {
  return JSON.stringify(name.length > 60 ? `${name.slice(0, 57)}...` : name);
}

class Scanner {
  readonly duplicates: ScanProblem[] = [];
  readonly halfSurrogates: ScanProblem[] = [];
  readonly numbersOutOfRange: ScanProblem[] = [];
  private pos = 0;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  document(): JsonValue {
    if (this.text.charCodeAt(0) === 0xfeff) throw new SyntaxStop('the text starts with a byte-order mark (U+FEFF), which is not part of JSON', 0);
    this.ws();
    const v = this.value('', 0);
    this.ws();
    if (this.pos < this.text.length) throw new SyntaxStop(`unexpected ${describeChar(this.text, this.pos)} after the JSON value`, this.pos);
    return v;
  }

  private spot(pointer: string, at: number): ScanSpot {
    return { pointer, ...lineColumn(this.text, at) };
  }

  private ws(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = t.charCodeAt(++this.pos);
  }

  private expected(what: string): SyntaxStop {
    return new SyntaxStop(`expected ${what}, found ${describeChar(this.text, this.pos)}`, this.pos);
  }

  private value(pointer: string, depth: number): JsonValue {
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    if (c === 0x7b || c === 0x5b) {
      if (depth >= SCAN_MAX_DEPTH) throw new SyntaxStop(`nesting deeper than ${SCAN_MAX_DEPTH} levels`, this.pos);
      return c === 0x7b ? this.object(pointer, depth + 1) : this.array(pointer, depth + 1);
    }
    if (c === 0x22) return this.string(pointer);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number(pointer);
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (t.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    if (t.startsWith('NaN', this.pos) || t.startsWith('Infinity', this.pos)) {
      throw new SyntaxStop('NaN and Infinity are not JSON numbers', this.pos);
    }
    throw this.expected('a JSON value');
  }

  private object(pointer: string, depth: number): JsonObject {
    const t = this.text;
    const obj = newJsonObject();
    const firstAt = new Map<string, number>();
    this.pos++;
    this.ws();
    if (t.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return obj;
    }
    for (;;) {
      if (t.charCodeAt(this.pos) !== 0x22) throw this.expected('a member name in double quotes');
      const keyAt = this.pos;
      const key = this.string(undefined, pointer);
      const first = firstAt.get(key);
      if (first !== undefined) {
        const was = lineColumn(t, first);
        this.duplicates.push({
          ...this.spot(childPointer(pointer, key), keyAt),
          message: `member name ${shownName(key)} appears again in the same object (first at line ${was.line}, column ${was.column})`,
        });
      } else firstAt.set(key, keyAt);
      this.ws();
      if (t.charCodeAt(this.pos) !== 0x3a) throw this.expected("':' after a member name");
      this.pos++;
      this.ws();
      // Later duplicates overwrite, as JSON.parse and Python's json do.
      obj[key] = this.value(childPointer(pointer, key), depth);
      this.ws();
      const c = t.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        this.ws();
        continue;
      }
      if (c === 0x7d) {
        this.pos++;
        return obj;
      }
      throw this.expected("',' or '}' after an object member");
    }
  }

  private array(pointer: string, depth: number): JsonArray {
    const t = this.text;
    const arr: JsonArray = [];
    this.pos++;
    this.ws();
    if (t.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return arr;
    }
    for (;;) {
      arr.push(this.value(childPointer(pointer, arr.length), depth));
      this.ws();
      const c = t.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        this.ws();
        continue;
      }
      if (c === 0x5d) {
        this.pos++;
        return arr;
      }
      throw this.expected("',' or ']' after an array element");
    }
  }

  /**
   * Reads a string at pos (the opening quote). `pointer` names the string when it is a value; a member
   * name passes `undefined` and its object's pointer as `owner`, so findings point at the object.
   */
  private string(pointer: string | undefined, owner = ''): string {
    const t = this.text;
    const open = this.pos;
    let i = open + 1;
    let out = '';
    let run = i;
    let pendingHigh = -1; // index of an unpaired high-surrogate escape awaiting its low half
    const where = pointer ?? owner;
    const half = (at: number, code: number): void => {
      const kind = code < 0xdc00 ? 'a high surrogate without the low one after it' : 'a low surrogate without the high one before it';
      const what = pointer === undefined ? 'member name' : 'string';
      this.halfSurrogates.push({ ...this.spot(where, at), message: `the ${what} escapes \\u${code.toString(16).toUpperCase()}, ${kind}: half a character` });
    };
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        if (pendingHigh >= 0) half(pendingHigh, parseInt(t.slice(pendingHigh + 2, pendingHigh + 6), 16));
        out += t.slice(run, i);
        this.pos = i + 1;
        return out;
      }
      if (c === 0x5c) {
        out += t.slice(run, i);
        const e = t.charCodeAt(i + 1);
        if (e === 0x75) {
          const hex = t.slice(i + 2, i + 6);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw new SyntaxStop('a \\u escape needs four hex digits', i);
          const code = parseInt(hex, 16);
          const isLow = code >= 0xdc00 && code <= 0xdfff;
          if (pendingHigh >= 0 && !isLow) half(pendingHigh, parseInt(t.slice(pendingHigh + 2, pendingHigh + 6), 16));
          if (isLow && pendingHigh < 0) half(i, code);
          pendingHigh = code >= 0xd800 && code <= 0xdbff ? i : -1;
          out += String.fromCharCode(code);
          i += 6;
        } else {
          if (pendingHigh >= 0) half(pendingHigh, parseInt(t.slice(pendingHigh + 2, pendingHigh + 6), 16));
          pendingHigh = -1;
          const simple = SIMPLE_ESCAPES.get(e);
          if (simple === undefined) {
            if (i + 1 >= t.length) throw new SyntaxStop('the text ends inside a string', i + 1);
            throw new SyntaxStop(`invalid escape '\\${t[i + 1] ?? ''}' in a string`, i);
          }
          out += simple;
          i += 2;
        }
        run = i;
        continue;
      }
      if (!(c >= 0x20)) {
        if (i >= t.length) throw new SyntaxStop('the text ends inside a string', i);
        throw new SyntaxStop(`unescaped control character U+${c.toString(16).toUpperCase().padStart(4, '0')} in a string`, i);
      }
      if (pendingHigh >= 0) {
        half(pendingHigh, parseInt(t.slice(pendingHigh + 2, pendingHigh + 6), 16));
        pendingHigh = -1;
      }
      i++;
    }
  }

  private number(pointer: string): JsonNumber {
    const t = this.text;
    const start = this.pos;
    NUMBER.lastIndex = start;
    const m = NUMBER.exec(t);
    if (m === null) throw new SyntaxStop("expected a digit after '-'", start + 1);
    const literal = m[0];
    this.pos = start + literal.length;
    const next = t.charCodeAt(this.pos);
    if (next >= 0x30 && next <= 0x39) throw new SyntaxStop('a number may not have leading zeros', start);
    if (next === 0x2e || next === 0x65 || next === 0x45) throw new SyntaxStop(`incomplete number ${shortLiteral(literal)}${t[this.pos] ?? ''}`, start);
    const [, whole = '', fraction, exponent] = m;
    if (fraction === undefined && exponent === undefined) {
      // Past 400 digits an integer is out of range whatever it is; skip the costly exact conversion.
      const big = whole.length > 400 ? undefined : BigInt(literal);
      if (big === undefined || big > MAX_EXACT_INTEGER || -big > MAX_EXACT_INTEGER) {
        this.numbersOutOfRange.push({ ...this.spot(pointer, start), message: `the integer ${shortLiteral(literal)} is beyond ±(2^53−1), so some parsers round it` });
      }
      return big === undefined ? JsonNumber.ofFloat(Number(literal)) : JsonNumber.ofInt(big);
    }
    const v = Number(literal);
    if (!Number.isFinite(v)) {
      this.numbersOutOfRange.push({ ...this.spot(pointer, start), message: `the number ${shortLiteral(literal)} is beyond the range of a double` });
    }
    // A literal too small for a double (1e-400) reads as 0 in every parser alike, so it is not reported.
    return JsonNumber.ofFloat(v);
  }
}

/** Integer part, fraction, exponent (the JSON number grammar). */
const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

function shortLiteral(literal: string): string {
  return literal.length > 40 ? `${literal.slice(0, 37)}...` : literal;
}

const SIMPLE_ESCAPES = new Map<number, string>([
  [0x22, '"'],
  [0x5c, '\\'],
  [0x2f, '/'],
  [0x62, '\b'],
  [0x66, '\f'],
  [0x6e, '\n'],
  [0x72, '\r'],
  [0x74, '\t'],
]);

