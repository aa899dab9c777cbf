// Property tests of the JSON reader: it agrees with JSON.parse on valid JSON and fails only with located InputErrors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { parseJson } from '../../../src/json/parse.js';
import { toPlainJson } from '../../../src/json/value.js';
import type { JsonValue } from '../../../src/json/value.js';

/** parseJson's value, or its error (anything other than a located InputError fails the property). */
function attempt(input: string | Uint8Array): { ok: true; value: JsonValue } | { ok: false } {
  try {
    return { ok: true, value: parseJson(input, { label: 'p.json' }) };
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const err = e as InputError;
    expect(['JSON_SYNTAX', 'JSON_LIMIT']).toContain(err.code);
    expect(err.message).toMatch(/^p\.json:\d+:\d+: \S/);
    expect(err.message).not.toMatch(/[\n\r]/);
    return { ok: false };
  }
}

function jsonParseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

describe('parseJson properties', () => {
  it('reads every JSON text JSON.parse reads to the same value (fc.json, pretty or compact, bytes or string)', () => {
    fc.assert(
      fc.property(fc.json(), fc.boolean(), (text, asBytes) => {
        const r = attempt(asBytes ? new TextEncoder().encode(text) : text);
        expect(r.ok).toBe(true);
        if (r.ok) expect(JSON.stringify(toPlainJson(r.value))).toBe(JSON.stringify(JSON.parse(text)));
        const pretty = JSON.stringify(JSON.parse(text), null, 2);
        const p = attempt(pretty);
        if (p.ok) expect(JSON.stringify(toPlainJson(p.value))).toBe(JSON.stringify(JSON.parse(pretty)));
        else expect.unreachable(`rejected ${pretty}`);
      }),
      { numRuns: 500 },
    );
  });

  it('is never more lenient than JSON.parse, and fails on garbage only with located InputErrors', () => {
    const jsonish = fc
      .array(fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'u', '0', '1', '-', '.', 'e', 'E', '+', ' ', '\n', 't', 'rue', 'null', '"a"', 'NaN', '\u0001', 'é', '😀', '\ud800'), {
        maxLength: 30,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.string({ unit: 'binary', maxLength: 30 })), (text) => {
        const r = attempt(text);
        if (r.ok) expect(JSON.stringify(toPlainJson(r.value))).toBe(JSON.stringify(jsonParseOrUndefined(text)));
      }),
      { numRuns: 1000 },
    );
  });

  it('fails on corrupted bytes (truncated, bit-flipped, spliced) only with located InputErrors', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('truncate', 'replace', 'insert'), (text, at, byte, how) => {
        const bytes = new TextEncoder().encode(text);
        const i = bytes.length === 0 ? 0 : at % bytes.length;
        let mutated: Uint8Array;
        if (how === 'truncate') mutated = bytes.subarray(0, i);
        else if (how === 'replace') {
          mutated = bytes.slice();
          mutated[i] = byte;
        } else mutated = new Uint8Array([...bytes.subarray(0, i), byte, ...bytes.subarray(i)]);
        attempt(mutated);
      }),
      { numRuns: 1000 },
    );
  });
});
