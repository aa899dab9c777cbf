// escapeTerminalText: every character that can break, forge or disguise a terminal line becomes a visible escape.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeTerminalText, isTerminalSafe } from '../../../src/index.js';

describe('escapeTerminalText', () => {
  it('escapes line breaks, ESC and other C0 controls, DEL; keeps TAB', () => {
    expect(escapeTerminalText('a\nFORGED: fingerprint: ok')).toBe('a\\nFORGED: fingerprint: ok');
    expect(escapeTerminalText('x\r\x1b[2Ky\x00\x07\x7f')).toBe('x\\r\\x1b[2Ky\\x00\\x07\\x7f');
    expect(escapeTerminalText('col\tcol')).toBe('col\tcol');
  });

  it('escapes C1 controls (NEL, 8-bit CSI), line/paragraph separators and bidi controls', () => {
    expect(escapeTerminalText('a\u0085b\u009b31m')).toBe('a\\u0085b\\u009b31m');
    expect(escapeTerminalText('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c');
    expect(escapeTerminalText('\u202aA\u202bB\u202cC\u202dD\u202eE\u2066F\u2067G\u2068H\u2069')).toBe(
      '\\u202aA\\u202bB\\u202cC\\u202dD\\u202eE\\u2066F\\u2067G\\u2068H\\u2069',
    );
  });

  it('escapes lone surrogates and keeps surrogate pairs', () => {
    expect(escapeTerminalText('a\ud800b')).toBe('a\\ud800b');
    expect(escapeTerminalText('a\udc00')).toBe('a\\udc00');
    expect(escapeTerminalText('\udc00\ud800')).toBe('\\udc00\\ud800');
    expect(escapeTerminalText('pair: \ud83d\ude00')).toBe('pair: \ud83d\ude00');
  });

  it('leaves ordinary text, including non-ASCII letters and backslashes, unchanged', () => {
    for (const s of ['fingerprint: ok', 'C:\\data\\x.json', 'Zürich — 北京', 'https://example.org/a?b=c#d']) {
      expect(escapeTerminalText(s)).toBe(s);
      expect(isTerminalSafe(s)).toBe(true);
    }
    expect(isTerminalSafe('a\nb')).toBe(false);
    expect(isTerminalSafe('a\nb')).toBe(false); // the shared regex keeps no state between calls
  });

  it('never leaves a line break or control character, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = escapeTerminalText(s);
        expect(out).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
        expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
        expect(isTerminalSafe(out)).toBe(true);
      }),
    );
  });
});
