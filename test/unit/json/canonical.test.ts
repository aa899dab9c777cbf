// The canonical writer against the interop §1.1 vectors, Python float layout, code-point key order and real files.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PeTraceError } from '../../../src/errors.js';
import { CANONICAL_MAX_DEPTH, canonicalJsonBytes, canonicalJsonText, compareCodePoints, pyJsonString } from '../../../src/json/canonical.js';
import { parseJson } from '../../../src/json/parse.js';
import { JsonNumber, newJsonObject } from '../../../src/json/value.js';
import type { JsonInput } from '../../../src/json/value.js';
import { FIXTURES } from '../../support/cli.js';
import { HAVE_PYTHON, PYTHON_SKIP_REASON, pythonDumpsMany } from './python-oracle.js';

const dec = new TextDecoder();

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path, keep));
    else if (keep(entry.name)) out.push(path);
  }
  return out.sort();
}

function canonError(value: JsonInput): PeTraceError {
  try {
    canonicalJsonText(value);
  } catch (e) {
    if (e instanceof PeTraceError) return e;
    throw e;
  }
  throw new Error('expected canonicalJsonText to throw');
}

describe('canonicalJsonText: interop §1.1 vectors', () => {
  it('{} is "{}\\n"', () => {
    expect(canonicalJsonText(parseJson('{}'))).toBe('{}\n');
  });

  it('escapes U+2028, tab, U+0001, backslash and quote, and leaves / alone', () => {
    // The spec's value is a Python dict literal; this is the same value in JS.
    expect(canonicalJsonText({ a: '\u2028 \t \x01 / \\ "' })).toBe('{\n  "a": "\\u2028 \\t \\u0001 / \\\\ \\""\n}\n');
  });

  it('sorts keys by code point, keeps array order, writes empty containers inline and escapes non-ASCII', () => {
    const input = '{"b":1,"a":[1,2,{"z":null,"y":true}],"é":"ü€😀","l":{},"m":[]}';
    const expected = [
      '{',
      '  "a": [',
      '    1,',
      '    2,',
      '    {',
      '      "y": true,',
      '      "z": null',
      '    }',
      '  ],',
      '  "b": 1,',
      '  "l": {},',
      '  "m": [],',
      '  "\\u00e9": "\\u00fc\\u20ac\\ud83d\\ude00"',
      '}',
      '',
    ].join('\n');
    expect(canonicalJsonText(parseJson(input))).toBe(expected);
  });
});

describe('canonicalJsonText: scalars', () => {
  const floats: readonly [string, string][] = [
    ['1.0', '1.0'],
    ['123456789.0', '123456789.0'],
    ['1234567890123456.0', '1234567890123456.0'],
    ['1e16', '1e+16'],
    ['1e20', '1e+20'],
    ['1e-5', '1e-05'],
    ['0.0001', '0.0001'],
    ['1e-7', '1e-07'],
    ['1.5e300', '1.5e+300'],
    ['5e-324', '5e-324'],
    ['-0.0', '-0.0'],
    ['0.30000000000000004', '0.30000000000000004'],
    ['100000000000000000000', '100000000000000000000'],
    ['3000', '3000'],
    ['3000.0', '3000.0'],
    ['3e3', '3000.0'],
    ['1E5', '100000.0'],
    ['-0', '0'],
    ['1e400', 'Infinity'],
    ['-1e400', '-Infinity'],
  ];

  it.each(floats)('the literal %s is written %s', (literal, expected) => {
    expect(canonicalJsonText(parseJson(literal), 'trov')).toBe(expected);
  });

  it('keeps 3000 and 3000.0 distinct through parse → canonical → parse', () => {
    const text = canonicalJsonText(parseJson('{"f": 3000.0, "i": 3000}'));
    expect(text).toBe('{\n  "f": 3000.0,\n  "i": 3000\n}\n');
    expect(canonicalJsonText(parseJson(text))).toBe(text);
  });

  it('maps plain JS numbers: integral → int, others → float; bigint → int; JsonNumber as tagged', () => {
    const value = { a: 3000, b: 2.5, c: 2n ** 70n, d: JsonNumber.ofFloat(3000), e: JsonNumber.ofInt(-7), f: NaN, g: -Infinity, h: 1e21 };
    expect(canonicalJsonText(value, 'trov')).toBe(
      '{\n  "a": 3000,\n  "b": 2.5,\n  "c": 1180591620717411303424,\n  "d": 3000.0,\n  "e": -7,\n  "f": NaN,\n  "g": -Infinity,\n  "h": 1000000000000000000000\n}',
    );
  });

  it('escapes every character outside printable ASCII with lowercase \\uXXXX, pairs for astral, lone surrogates kept', () => {
    expect(pyJsonString('\u0000\u001f\u007f\u0080\uffff\u{10ffff}\ud800 ~"\\/\b\f\n\r\t')).toBe(
      '"\\u0000\\u001f\\u007f\\u0080\\uffff\\udbff\\udfff\\ud800 ~\\"\\\\/\\b\\f\\n\\r\\t"',
    );
    expect(pyJsonString('plain ASCII / text')).toBe('"plain ASCII / text"');
  });
});

describe('canonicalJsonText: structure', () => {
  it('orders astral keys after U+E000–U+FFFF keys (code points, not UTF-16 units)', () => {
    const o = newJsonObject();
    for (const k of ['😀', '\uffff', '\ue000', 'z', '\ud7ff', '𝔸', 'é']) o[k] = JsonNumber.ofInt(1);
    const keys = canonicalJsonText(o)
      .split('\n')
      .slice(1, -2)
      .map((l) => l.trim().split('": ')[0]);
    expect(keys).toEqual(['"z', '"\\u00e9', '"\\ud7ff', '"\\ue000', '"\\uffff', '"\\ud835\\udd38', '"\\ud83d\\ude00']);
    // JS's default sort puts both astral keys before U+E000: the comparator must not.
    expect(['😀', '\ue000'].sort()).toEqual(['😀', '\ue000']);
    expect(['😀', '\ue000'].sort(compareCodePoints)).toEqual(['\ue000', '😀']);
  });

  it('compares lone surrogates as code points below U+E000 and prefixes first', () => {
    expect(compareCodePoints('\ud800', '\ue000')).toBeLessThan(0);
    expect(compareCodePoints('\ud83d\ude00', '\ud83d')).toBeGreaterThan(0);
    expect(compareCodePoints('\ud83d\ude00', '\ud83d\ue000')).toBeGreaterThan(0);
    expect(compareCodePoints('a\ud800\ue000', 'a\ud800\ue001')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'abc')).toBeLessThan(0);
    expect(compareCodePoints('😀x', '😀x')).toBe(0);
  });

  it('indents nested containers by two spaces per level with no trailing spaces', () => {
    const text = canonicalJsonText({ x: [[], {}, [{ y: [1] }]] });
    expect(text).toBe('{\n  "x": [\n    [],\n    {},\n    [\n      {\n        "y": [\n          1\n        ]\n      }\n    ]\n  ]\n}\n');
    expect(text).not.toMatch(/ \n/);
  });

  it('writes the trov flavour without the final newline and bytes as ASCII', () => {
    const v = parseJson('{"k": ["é", 1.5]}');
    expect(canonicalJsonText(v, 'trov')).toBe(canonicalJsonText(v, 'pe').slice(0, -1));
    const bytes = canonicalJsonBytes(v);
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    expect(dec.decode(bytes)).toBe(canonicalJsonText(v));
  });

  it('omits object members whose value is undefined', () => {
    expect(canonicalJsonText({ a: undefined, b: 1 })).toBe('{\n  "b": 1\n}\n');
    expect(canonicalJsonText({ a: undefined })).toBe('{}\n');
  });

  it('writes a shared (not cyclic) sub-object every time it appears', () => {
    const shared = { s: 1 };
    expect(canonicalJsonText([shared, shared], 'trov')).toBe('[\n  {\n    "s": 1\n  },\n  {\n    "s": 1\n  }\n]');
  });

  it('writes deeply nested constructed input up to the depth cap without recursion', () => {
    let v: JsonInput = [];
    for (let i = 1; i < CANONICAL_MAX_DEPTH; i++) v = [v];
    const lines = canonicalJsonText(v, 'trov').split('\n');
    // N-1 opening lines, the innermost [] and N-1 closing lines, each indented by its depth.
    expect(lines).toHaveLength(2 * (CANONICAL_MAX_DEPTH - 1) + 1);
    expect(lines[CANONICAL_MAX_DEPTH - 1]).toBe(`${'  '.repeat(CANONICAL_MAX_DEPTH - 1)}[]`);
    expect(lines.at(-2)).toBe('  ]');
  });
});

describe('canonicalJsonText: unsupported values', () => {
  const cyclic: { x: unknown[] } = { x: [] };
  cyclic.x.push({ back: cyclic });
  let tooDeep: JsonInput = 1;
  for (let i = 0; i <= CANONICAL_MAX_DEPTH; i++) tooDeep = [tooDeep];

  const cases: readonly [string, unknown, string][] = [
    ['a function', { a: [1, { b: () => 1 }] }, '<input>#/a/1/b: cannot write a function as canonical JSON'],
    ['a symbol', [Symbol('s')], '<input>#/0: cannot write a symbol as canonical JSON'],
    ['undefined in an array', [1, undefined], '<input>#/1: cannot write undefined as canonical JSON'],
    ['a hole in an array', [1, , 3], '<input>#/1: cannot write undefined as canonical JSON'],
    ['a Date', { 'd/e~f': new Date(0) }, '<input>#/d~1e~0f: cannot write a Date object as canonical JSON'],
    ['a Map', new Map(), '<input>#: cannot write a Map object as canonical JSON'],
    ['a class instance', { x: new (class Thing {})() }, '<input>#/x: cannot write a Thing object as canonical JSON'],
    ['a cycle', cyclic, '<input>#/x/0/back: cannot write a cyclic structure as canonical JSON (this value contains itself)'],
    ['nesting over the cap', tooDeep, `nesting deeper than ${CANONICAL_MAX_DEPTH} levels`],
  ];

  it.each(cases)('rejects %s with CANON_UNSUPPORTED_VALUE at its JSON pointer', (_name, value, message) => {
    const e = canonError(value as JsonInput);
    expect(e.code).toBe('CANON_UNSUPPORTED_VALUE');
    expect(e.message).toContain(message);
    expect(e.message).not.toContain('\n');
  });
});

describe('canonicalJsonText: real files are canonical', () => {
  const py = join(FIXTURES, 'policyengine-py');
  const history = filesUnder(join(py, 'history'), (n) => n.endsWith('.trace.tro.jsonld'));
  const others = [
    join(py, 'shipped', 'manifest.json'),
    join(py, 'shipped', 'us.trace.tro.jsonld'),
    join(py, 'shipped', 'uk.trace.tro.jsonld'),
    ...filesUnder(join(py, 'generated'), (n) => n.endsWith('.trace.tro.jsonld')),
  ];

  it('finds the 219 historical TROs', () => {
    expect(history).toHaveLength(219);
  });

  it.each([...others, ...history].map((p) => [relative(FIXTURES, p), p]))('%s re-canonicalises to identical bytes (pe)', (_rel, path) => {
    const bytes = new Uint8Array(readFileSync(path));
    expect(Buffer.from(canonicalJsonBytes(parseJson(bytes, { label: path }), 'pe')).equals(Buffer.from(bytes))).toBe(true);
  });

  it('a tro-utils declaration re-canonicalises to identical bytes (trov: no final newline)', () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'trace', 'tro-utils', 'GENERATED__tro-utils-HEAD-95ec41b-models-example.jsonld')));
    expect(bytes[bytes.length - 1]).not.toBe(0x0a);
    expect(Buffer.from(canonicalJsonBytes(parseJson(bytes), 'trov')).equals(Buffer.from(bytes))).toBe(true);
  });

  it('the buggy results writer output (no sort_keys) is NOT canonical', () => {
    const bytes = new Uint8Array(readFileSync(join(py, 'generated', 'results-demo', 'results.json')));
    expect(Buffer.from(canonicalJsonBytes(parseJson(bytes))).equals(Buffer.from(bytes))).toBe(false);
  });

  it.skipIf(!HAVE_PYTHON)(`agrees with Python json.dumps on every JSON fixture, canonical or not${PYTHON_SKIP_REASON}`, () => {
    const paths = filesUnder(FIXTURES, (n) => n.endsWith('.json') || n.endsWith('.jsonld'));
    expect(paths.length).toBeGreaterThan(600);
    const docs = paths.map((p) => new Uint8Array(readFileSync(p)));
    const answers = pythonDumpsMany(docs);
    let compared = 0;
    docs.forEach((doc, i) => {
      const answer = answers[i];
      if (answer === undefined || !answer.ok) return; // Python could not read it either.
      expect(canonicalJsonText(parseJson(doc, { label: paths[i] ?? `document ${i}` }), 'trov'), paths[i]).toBe(answer.text);
      compared++;
    });
    expect(compared).toBe(docs.length);
  });
});
