// The lossless JSON reader: values it keeps, inputs it rejects, and where it says the problem is.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { MAX_INT_DIGITS, firstInvalidUtf8, parseJson } from '../../../src/json/parse.js';
import { JsonNumber, isJsonObject } from '../../../src/json/value.js';
import type { JsonValue } from '../../../src/json/value.js';

const enc = new TextEncoder();

/** The InputError parseJson throws for `input` (fails the test if it does not throw one). */
function errorOf(input: Uint8Array | string, options: { maxBytes?: number; maxDepth?: number } = {}): InputError {
  try {
    parseJson(input, { label: 'x.json', ...options });
  } catch (e) {
    if (e instanceof InputError) return e;
    throw new Error(`expected an InputError, got ${String(e)}`);
  }
  throw new Error(`expected ${JSON.stringify(typeof input === 'string' ? input : '<bytes>')} to be rejected`);
}

function num(v: JsonValue | undefined): JsonNumber {
  if (!(v instanceof JsonNumber)) throw new Error(`not a JsonNumber: ${String(v)}`);
  return v;
}

function obj(v: JsonValue | undefined): Record<string, JsonValue> {
  if (!isJsonObject(v)) throw new Error('not an object');
  return v;
}

describe('parseJson: values', () => {
  it('keeps ints and floats apart', () => {
    const a = parseJson('[3000, 3000.0, 3e3, 1E5, -0, -0.0, 0, 12.5e-1]') as JsonValue[];
    const kinds = a.map((v) => num(v).kind);
    expect(kinds).toEqual(['int', 'float', 'float', 'float', 'int', 'float', 'int', 'float']);
    expect(num(a[0]).int).toBe(3000n);
    expect(num(a[3]).float).toBe(100000);
    // -0 is the int 0, as Python reads it; -0.0 keeps its sign as a float.
    expect(num(a[4]).int).toBe(0n);
    expect(Object.is(num(a[5]).float, -0)).toBe(true);
    expect(num(a[7]).float).toBe(1.25);
  });

  it('keeps integers of any size exactly', () => {
    const big = '123456789012345678901234567890123456789';
    const a = parseJson(`[${big}, -${big}, 9007199254740993, 100000000000000000000]`) as JsonValue[];
    expect(num(a[0]).int).toBe(BigInt(big));
    expect(num(a[1]).int).toBe(-BigInt(big));
    expect(num(a[2]).int).toBe(9007199254740993n);
    expect(num(a[3]).int).toBe(10n ** 20n);
  });

  it('reads float literals beyond the double range as infinities, like Python float()', () => {
    const a = parseJson('[1e400, -1e400, 1e-400]') as JsonValue[];
    expect(a.map((v) => num(v).float)).toEqual([Infinity, -Infinity, 0]);
  });

  it('makes null-prototype objects where __proto__ and constructor are ordinary keys', () => {
    const o = obj(parseJson('{"__proto__": {"x": 1}, "constructor": 2, "toString": 3}'));
    expect(Object.getPrototypeOf(o)).toBe(null);
    expect(Object.keys(o)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.keys(obj(o['__proto__']))).toEqual(['x']);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('decodes every escape, combines escaped surrogate pairs and keeps lone ones', () => {
    const s = parseJson(String.raw`"\" \\ \/ \b \f \n \r \t \u00e9 \u20AC \ud83d\ude00 \ud800 x\udc00"`);
    expect(s).toBe('" \\ / \b \f \n \r \t é € 😀 \ud800 x\udc00');
  });

  it('accepts raw non-ASCII, DEL and U+2028 in strings, and all four whitespace characters', () => {
    expect(parseJson(enc.encode(' \t\r\n{"é😀":"\u007f\u2028"}\n'))).toEqual(Object.assign(Object.create(null), { 'é😀': '\u007f\u2028' }));
  });

  it('reads literals and nested empty containers', () => {
    expect(parseJson('[true,false,null,[],{},[[]]]')).toEqual([true, false, null, [], Object.create(null), [[]]]);
  });

  it('accepts nesting exactly at the depth limit', () => {
    expect(() => parseJson('['.repeat(512) + ']'.repeat(512))).not.toThrow();
    expect(() => parseJson('[{"a":'.repeat(3) + '1' + '}]'.repeat(3), { maxDepth: 6 })).not.toThrow();
  });

  it('accepts a string as input as well as bytes', () => {
    expect(parseJson('{"a": [1]}')).toEqual(parseJson(enc.encode('{"a": [1]}')));
  });
});

describe('parseJson: rejected input', () => {
  const cases: readonly [string, string, string][] = [
    // [name, input, expected message (after the label)]
    ['empty input', '', '1:1: unexpected end of input'],
    ['whitespace only', '  \n ', '2:2: unexpected end of input'],
    ['truncated array', '{"a": [1, 2', "1:12: unexpected end of input"],
    ['truncated object', '{\n  "a": 1,\n  "b"', '3:6: unexpected end of input'],
    ['truncated string', '{"a": "abc', '1:11: unexpected end of input inside the string opened at 1:7'],
    ['truncated literal', '[tru', "1:2: expected a JSON value, found 't'"],
    ['truncated exponent', '1e', '1:3: unexpected end of input'],
    ['duplicate key', '{\n "a": 1,\n  "a": 2}', '3:3: duplicate key "a" (first at 2:2)'],
    ['nested duplicate key', '{"x": [{"k": 1, "y": {}, "k": 2}]}', '1:26: duplicate key "k" (first at 1:9)'],
    ['duplicate __proto__', '{"__proto__": 1, "__proto__": 2}', '1:18: duplicate key "__proto__" (first at 1:2)'],
    ['duplicate key spelled with an escape', '{"é": 1, "\\u00e9": 2}', '1:10: duplicate key "\\u00e9" (first at 1:2)'],
    ['NaN', '[1, NaN]', '1:5: NaN is not valid JSON'],
    ['Infinity', '{"a": Infinity}', '1:7: Infinity is not valid JSON'],
    ['-Infinity', '[\n  -Infinity]', '2:3: -Infinity is not valid JSON'],
    ['leading zero', '[01]', '1:2: leading zeros are not allowed in numbers'],
    ['negative leading zero', '{"n": -007}', '1:8: leading zeros are not allowed in numbers'],
    ['trailing comma in array', '[1, 2,]', "1:6: trailing comma before ']'"],
    ['trailing comma in object', '{"a": 1 ,\n}', "1:9: trailing comma before '}'"],
    ['line comment', '// c\n{}', '1:1: comments are not allowed in JSON'],
    ['block comment inside', '[1, /* c */ 2]', '1:5: comments are not allowed in JSON'],
    ['raw newline in a string', '"ab\ncd"', '1:4: unescaped control character U+000A in a string (write it as \\u000a)'],
    ['raw tab in a string', '["\t"]', '1:3: unescaped control character U+0009 in a string (write it as \\u0009)'],
    ['invalid escape', '["\\x"]', "1:3: invalid escape '\\x' in a string"],
    ['short \\u escape', '"\\u12"', "1:2: invalid \\u escape: expected 4 hex digits, found '\"'"],
    ['trailing garbage', '{} x', "1:4: unexpected data after the JSON value: 'x'"],
    ['two values', '1 2', "1:3: unexpected data after the JSON value: '2'"],
    ['single quotes', "{'a': 1}", "1:2: expected a string key or '}' after '{' opened at 1:1, found \"'\""],
    ['unquoted key', '{a: 1}', "1:2: expected a string key or '}' after '{' opened at 1:1, found 'a'"],
    ['missing colon', '{"a" 1}', "1:6: expected ':' after an object key, found '1'"],
    ['missing comma', '[1 2]', "1:4: expected ',' or ']' after an array element, found '2'"],
    ['bare minus', '[-]', "1:3: expected a digit after '-', found ']'"],
    ['dot without digits', '[1.]', "1:4: expected a digit after '.', found ']'"],
    ['leading dot', '[.5]', "1:2: expected a JSON value, found '.'"],
    ['plus sign', '[+1]', "1:2: expected a JSON value, found '+'"],
    ['byte-order mark', '\ufeff{}', '1:1: input starts with a byte-order mark (U+FEFF), which JSON does not allow; save the file as UTF-8 without BOM'],
    ['column counts code points', '{"é😀": 1,\n "😀😀": x}', "2:8: expected a JSON value, found 'x'"],
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    const e = errorOf(input);
    expect(e.code).toBe('JSON_SYNTAX');
    expect(e.message).toBe(`x.json:${expected}`);
    expect(e.message).not.toContain('\n');
  });

  it('reports the byte offset of the error in the UTF-8 input', () => {
    const e = errorOf(enc.encode('{"é😀": 1,\n "😀😀": x}'));
    expect(e.location).toEqual({ file: 'x.json', line: 2, column: 8, offset: 27 });
  });

  it('rejects a UTF-8 BOM given as bytes', () => {
    const e = errorOf(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]));
    expect(e.message).toMatch(/^x\.json:1:1: input starts with a byte-order mark/);
  });

  const badUtf8: readonly [string, number[], string][] = [
    ['a lone continuation byte', [0x5b, 0x22, 0x80, 0x22, 0x5d], '1:3: invalid UTF-8 at byte 2 (0x80)'],
    ['an invalid start byte after text', [0x7b, 0x0a, 0x22, 0xc3, 0xa9, 0xff, 0x22], '2:3: invalid UTF-8 at byte 5 (0xff)'],
    ['an overlong encoding of "/"', [0x22, 0xc0, 0xaf, 0x22], '1:2: invalid UTF-8 at byte 1 (0xc0)'],
    ['an encoded surrogate', [0x22, 0xed, 0xa0, 0x80, 0x22], '1:2: invalid UTF-8 at byte 1 (0xed)'],
    ['a code point above U+10FFFF', [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22], '1:2: invalid UTF-8 at byte 1 (0xf4)'],
    ['a sequence cut by the end', [0x22, 0xf0, 0x9f, 0x98], '1:2: invalid UTF-8 at byte 1 (0xf0)'],
    ['a two-byte lead followed by ASCII', [0x22, 0xc3, 0x28, 0x22], '1:2: invalid UTF-8 at byte 1 (0xc3)'],
  ];

  it.each(badUtf8)('rejects %s', (_name, bytes, expected) => {
    const e = errorOf(new Uint8Array(bytes));
    expect(e.code).toBe('JSON_SYNTAX');
    expect(e.message).toBe(`x.json:${expected}`);
  });

  it('finds the first invalid UTF-8 byte, and none in valid text', () => {
    expect(firstInvalidUtf8(enc.encode('aé€😀\u{10ffff}'))).toBe(-1);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xe2, 0x82]))).toBe(1);
    expect(firstInvalidUtf8(new Uint8Array([0xe0, 0x80, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(new Uint8Array([0xf8, 0x80, 0x80, 0x80, 0x80]))).toBe(0);
  });
});

describe('parseJson: limits', () => {
  it('rejects 100,000-deep nesting with JSON_LIMIT instead of overflowing the stack', () => {
    const e = errorOf('['.repeat(100_000));
    expect(e.code).toBe('JSON_LIMIT');
    expect(e.message).toBe('x.json:1:513: nesting deeper than 512 levels');
  });

  it('rejects deep object nesting at the configured depth', () => {
    const e = errorOf('{"a":\n'.repeat(100_000), { maxDepth: 10 });
    expect(e.code).toBe('JSON_LIMIT');
    expect(e.message).toBe('x.json:11:1: nesting deeper than 10 levels');
  });

  it('stays iterative when a caller raises the depth limit far beyond the JS stack', () => {
    const depth = 200_000;
    const v = parseJson('['.repeat(depth) + ']'.repeat(depth), { maxDepth: depth });
    let d = 0;
    for (let cur: JsonValue | undefined = v; Array.isArray(cur); cur = cur[0]) d++;
    expect(d).toBe(depth);
  });

  it('rejects input over maxBytes, for bytes and for strings (measured in UTF-8)', () => {
    const e1 = errorOf(enc.encode('[1, 2, 3]'), { maxBytes: 8 });
    expect(e1.code).toBe('JSON_LIMIT');
    expect(e1.message).toBe('x.json: input is 9 bytes, over the 8-byte limit for a JSON document');
    const e2 = errorOf('"éé"', { maxBytes: 5 });
    expect(e2.code).toBe('JSON_LIMIT');
    expect(e2.message).toBe('x.json: input is 6 bytes, over the 5-byte limit for a JSON document');
    expect(parseJson('"éé"', { maxBytes: 6 })).toBe('éé');
  });

  it('rejects integer literals longer than Python accepts', () => {
    expect(num(parseJson('9'.repeat(MAX_INT_DIGITS))).int).toBe(10n ** BigInt(MAX_INT_DIGITS) - 1n);
    const e = errorOf(`[\n -${'9'.repeat(MAX_INT_DIGITS + 1)}]`);
    expect(e.code).toBe('JSON_LIMIT');
    expect(e.message).toBe(`x.json:2:2: integer has ${MAX_INT_DIGITS + 1} digits, over the ${MAX_INT_DIGITS}-digit limit`);
  });

  it('labels messages <input> when no label is given', () => {
    expect(() => parseJson('[')).toThrow('<input>:1:2: unexpected end of input');
  });
});
