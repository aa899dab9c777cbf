// The tolerant JSON scanner behind SAFE-JSON: it reports what a strict parser refuses, located, and reads the rest like parseJson.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCAN_MAX_DEPTH, scanJson } from '../../../src/conformance/scan.js';
import { canonicalJsonText } from '../../../src/json/canonical.js';
import { parseJson } from '../../../src/json/parse.js';
import { JsonNumber, isJsonObject } from '../../../src/json/value.js';
import { REPO_ROOT } from '../../support/cli.js';
import { checkText, expectation, fixtureFiles } from './support.js';

const scan = (text: string) => scanJson(new TextEncoder().encode(text));

describe('scanJson on well-formed JSON', () => {
  const files = [...fixtureFiles('trace', '.jsonld'), ...fixtureFiles('policyengine-py/shipped', '.jsonld')];

  it.each(files)('%s reads exactly as parseJson reads it', (file) => {
    const bytes = new Uint8Array(readFileSync(join(REPO_ROOT, file)));
    const r = scanJson(bytes);
    expect(r).toMatchObject({ utf8Error: null, syntaxError: null, duplicates: [], halfSurrogates: [], numbersOutOfRange: [] });
    if (r.value === undefined) throw new Error('no value');
    expect(canonicalJsonText(r.value)).toBe(canonicalJsonText(parseJson(bytes)));
  });

  it('keeps ints and floats apart, and big integers exactly', () => {
    const r = scan('[3000, 3000.0, 3e3, 9007199254740993, -0]');
    const v = r.value;
    if (!Array.isArray(v)) throw new Error('not an array');
    expect(v.map((n) => (n instanceof JsonNumber ? n.kind : typeof n))).toEqual(['int', 'float', 'float', 'int', 'int']);
    expect(v[3] instanceof JsonNumber ? v[3].int : undefined).toBe(9007199254740993n);
  });
});

describe('scanJson reports instead of refusing', () => {
  it('names the first byte that is not UTF-8, with its line and column', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{\n  "a": "caf'), 0xe9, ...new TextEncoder().encode('"\n}')]);
    const r = scanJson(bytes);
    expect(r.utf8Error).toEqual({ pointer: '', line: 2, column: 12, message: 'byte 13 (0xe9) does not start a valid UTF-8 sequence' });
    expect(r.value).toBeUndefined();
  });

  it.each([
    ['a byte-order mark', '\uFEFF{}', 1, 1, /byte-order mark/],
    ['a trailing comma', '{"a": 1,\n}', 2, 1, /expected a member name/],
    ['NaN', '{"a": NaN}', 1, 7, /NaN and Infinity/],
    ['two values', '{} {}', 1, 4, /after the JSON value/],
    ['a raw tab in a string', '["a\tb"]', 1, 4, /control character U\+0009/],
    ['a comment', '// c\n{}', 1, 1, /expected a JSON value/],
    ['leading zeros', '[01]', 1, 2, /leading zeros/],
    ['an incomplete number', '[1.]', 1, 2, /incomplete number/],
  ])('stops at %s', (_what, text, line, column, message) => {
    const r = scan(text);
    expect(r.syntaxError).toMatchObject({ line, column });
    expect(r.syntaxError?.message).toMatch(message);
    expect(r.value).toBeUndefined();
  });

  it(`stops beyond ${SCAN_MAX_DEPTH} levels of nesting without overflowing the stack`, () => {
    const r = scan(`${'['.repeat(SCAN_MAX_DEPTH + 1)}${']'.repeat(SCAN_MAX_DEPTH + 1)}`);
    expect(r.syntaxError?.message).toBe(`nesting deeper than ${SCAN_MAX_DEPTH} levels`);
    expect(scan(`${'['.repeat(SCAN_MAX_DEPTH)}${']'.repeat(SCAN_MAX_DEPTH)}`).syntaxError).toBeNull();
  });

  it('reports every repeated member name where it repeats, and keeps the last value', () => {
    const r = scan('{"a": 1, "b": {"c": 1,\n "c": 2}, "a": 3}');
    expect(r.duplicates).toEqual([
      { pointer: '/b/c', line: 2, column: 2, message: 'member name "c" appears again in the same object (first at line 1, column 16)' },
      { pointer: '/a', line: 2, column: 11, message: 'member name "a" appears again in the same object (first at line 1, column 2)' },
    ]);
    const v = r.value;
    expect(isJsonObject(v) && v['a'] instanceof JsonNumber ? v['a'].int : undefined).toBe(3n);
  });

  it.each([
    ['a high half alone', '["x\\ud800y"]', ['/0']],
    ['a low half alone', '["\\udc00"]', ['/0']],
    ['halves in the wrong order', '["\\udc00\\ud800"]', ['/0', '/0']],
    ['a high half at the end of a member name', '{"k\\uD800": 1}', ['']],
    ['a high half before another escape', '["\\ud800\\n"]', ['/0']],
  ])('reports %s', (_what, text, pointers) => {
    expect(scan(text).halfSurrogates.map((h) => h.pointer)).toEqual(pointers);
  });

  it.each([
    ['a whole pair', '["\\ud83d\\ude00"]'],
    ['an escaped backslash before u', '["\\\\ud800"]'],
    ['a noncharacter', '["\\uffff"]'],
  ])('accepts %s', (_what, text) => {
    expect(scan(text).halfSurrogates).toEqual([]);
  });

  it('reports integers beyond ±(2^53−1) and numbers beyond a double, not the ones within', () => {
    const r = scan('[9007199254740991, 9007199254740992, -9007199254740992, 1e400, -1e400, 1.5e300, 9007199254740993.0, 1e-400]');
    expect(r.numbersOutOfRange.map((n) => n.pointer)).toEqual(['/1', '/2', '/3', '/4']);
    expect(r.numbersOutOfRange[0]?.message).toBe('the integer 9007199254740992 is beyond ±(2^53−1), so some parsers round it');
    expect(r.numbersOutOfRange[2]?.message).toBe('the number 1e400 is beyond the range of a double');
  });
});

describe('SAFE-JSON from the scan', () => {
  it('bytes that are not UTF-8 meet no tier; nothing that needs a parse is assessed', () => {
    const report = checkText(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    expect(report.tierMet).toBeNull();
    expect(expectation(report, 'utf8-encoded')).toMatchObject({ status: 'unmet', findings: [{ pointer: '', line: 1, column: 3 }] });
    expect(expectation(report, 'json-parses')).toMatchObject({ status: 'not-assessed', notAssessedBecause: ['utf8-encoded'] });
    expect(expectation(report, 'numbers-within-range').notAssessedBecause).toEqual(['json-parses']);
  });

  it('a duplicate name fails SAFE-JSON with its location, and blocks everything above', () => {
    const report = checkText('{"@context": {}, "@context": {}, "@graph": []}');
    expect(report.tierMet).toBeNull();
    expect(expectation(report, 'duplicate-member-names-absent').findings).toEqual([
      { pointer: '/@context', line: 1, column: 18, message: 'member name "@context" appears again in the same object (first at line 1, column 2)' },
    ]);
    expect(report.tiers.slice(1).every((t) => !t.assessed)).toBe(true);
  });
});
