// Ajv errors become located, readable issues: pointer escaping, subjects, combinator noise removed.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { describeAjvErrors, jsonPointer, pointerSegments, preview, subjectOf } from '../../../src/validate/report.js';

function issues(schema: object, data: unknown) {
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, logger: false });
  const validate = ajv.compile(schema);
  expect(validate(data)).toBe(false);
  return describeAjvErrors(validate.errors ?? [], schema);
}

describe('JSON pointers', () => {
  it('escapes ~ as ~0 and / as ~1, and round-trips', () => {
    const p = jsonPointer(['@graph', 0, 'a/b~c', '~1']);
    expect(p).toBe('/@graph/0/a~1b~0c/~01');
    expect(pointerSegments(p)).toEqual(['@graph', '0', 'a/b~c', '~1']);
    expect(jsonPointer([])).toBe('');
    expect(pointerSegments('')).toEqual([]);
  });

  it('names the subject of a pointer', () => {
    expect(subjectOf('')).toBe('the document');
    expect(subjectOf('/@graph/0/trov:hasComposition')).toBe('trov:hasComposition');
    expect(subjectOf('/@graph/10')).toBe('@graph[10]');
    expect(subjectOf('/0')).toBe('item 0');
    expect(subjectOf('/a~1b')).toBe('a/b');
  });

  it('previews found values briefly', () => {
    expect(preview('abc')).toBe('"abc"');
    expect(preview([])).toBe('an empty array');
    expect(preview([1, 2])).toBe('an array of 2');
    expect(preview({})).toBe('an object');
    expect(preview('x'.repeat(200))).toHaveLength(72);
  });
});

describe('describeAjvErrors', () => {
  it('keeps Ajv\'s escaped instance pointer and names the unescaped key', () => {
    const r = issues({ type: 'object', properties: { 'a/b~c': { type: 'string' } } }, { 'a/b~c': true });
    expect(r).toEqual([{ pointer: '/a~1b~0c', keyword: 'type', message: 'a/b~c must be a string, got a boolean (true)' }]);
  });

  it('replaces the branch errors of a failed anyOf with one line', () => {
    const r = issues({ type: 'object', properties: { v: { anyOf: [{ type: 'string' }, { type: 'array', minItems: 2 }] } } }, { v: [1] });
    expect(r).toEqual([{ pointer: '/v', keyword: 'anyOf', message: 'v does not match any of its allowed forms' }]);
  });

  it('drops if/then summaries and reports the then-branch error', () => {
    const schema = { type: 'object', if: { type: 'object', required: ['a'] }, then: { type: 'object', required: ['b'] } };
    const r = issues(schema, { a: 1 });
    expect(r).toEqual([{ pointer: '', keyword: 'required', message: 'the document is missing required key "b"' }]);
  });

  it('says what an enum or a contains expected', () => {
    expect(issues({ enum: ['x', 'y'] }, 'z')).toEqual([{ pointer: '', keyword: 'enum', message: 'the document must be one of "x", "y", got "z"' }]);
    expect(issues({ type: 'array', contains: { const: 'k' } }, ['j'])).toEqual([{ pointer: '', keyword: 'contains', message: 'the document must contain "k"' }]);
  });

  it('drops the per-item errors a failed contains leaves behind, also through $ref', () => {
    const schema = {
      type: 'array',
      contains: { $ref: '#/$defs/k' },
      $defs: { k: { type: 'object', required: ['t'], properties: { t: { const: 'k' } } } },
    };
    expect(issues(schema, [{ t: 'j' }, 'x', {}])).toEqual([{ pointer: '', keyword: 'contains', message: 'the document must contain a matching item' }]);
  });

  it('keeps errors from outside a failed composite', () => {
    const schema = { type: 'object', required: ['z'], properties: { v: { anyOf: [{ type: 'string' }, { type: 'number' }] } } };
    expect(issues(schema, { v: true }).map((i) => `${i.pointer} ${i.keyword}`)).toEqual([' required', '/v anyOf']);
  });

  it('does not repeat a contains failure for an array already reported empty', () => {
    const r = issues({ type: 'array', minItems: 1, contains: { const: 'k' } }, []);
    expect(r.map((i) => i.keyword)).toEqual(['minItems']);
  });

  it('describes minItems above one with counts', () => {
    expect(issues({ type: 'array', minItems: 3 }, [1])).toEqual([{ pointer: '', keyword: 'minItems', message: 'the document must have at least 3 items, got 1' }]);
  });
});
