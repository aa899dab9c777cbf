// Property tests of the composition fingerprint: order independence, multiset semantics, separator framing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/hash/digest.js';
import { compositionFingerprint } from '../../../src/hash/fingerprint.js';

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const algorithms = fc.constantFrom('sha256-newline' as const, 'sha256-concat' as const);

describe('compositionFingerprint properties', () => {
  it('does not depend on the order of the values', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' })), algorithms, fc.infiniteStream(fc.nat()), (values, alg, seeds) => {
        const shuffled = [...values];
        for (let i = shuffled.length - 1; i > 0; i -= 1) {
          const j = (seeds.next().value as number) % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j] as string, shuffled[i] as string];
        }
        expect(compositionFingerprint(shuffled, alg)).toBe(compositionFingerprint(values, alg));
      }),
    );
  });
  it('counts duplicates (a multiset, not a set)', () => {
    fc.assert(
      fc.property(fc.array(hex64, { minLength: 1 }), algorithms, (values, alg) => {
        const doubled = [...values, values[0] as string];
        expect(compositionFingerprint(doubled, alg)).not.toBe(compositionFingerprint(values, alg));
      }),
    );
  });
  it('equals sha256 of the sorted hex joined by the separator', () => {
    fc.assert(
      fc.property(fc.array(hex64), (values) => {
        const sorted = [...values].sort();
        expect(compositionFingerprint(values, 'sha256-newline')).toBe(sha256Hex(sorted.join('\n')));
        expect(compositionFingerprint(values, 'sha256-concat')).toBe(sha256Hex(sorted.join('')));
      }),
    );
  });
  it('newline framing separates splits of the same text that concatenation confuses', () => {
    expect(compositionFingerprint(['ab', 'cdef'], 'sha256-concat')).toBe(compositionFingerprint(['abcd', 'ef'], 'sha256-concat'));
    expect(compositionFingerprint(['ab', 'cdef'], 'sha256-newline')).not.toBe(compositionFingerprint(['abcd', 'ef'], 'sha256-newline'));
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{2,40}$/), fc.nat(), fc.nat(), (text, i, j) => {
        const cut1 = 1 + (i % (text.length - 1));
        const cut2 = 1 + (j % (text.length - 1));
        const split = (c: number): string[] => [text.slice(0, c), text.slice(c)];
        // Concatenation collides when both splits are already in sorted order and are different multisets.
        const ordered = (c: number): boolean => text.slice(0, c) <= text.slice(c);
        fc.pre(cut1 !== cut2 && ordered(cut1) && ordered(cut2));
        expect(compositionFingerprint(split(cut1), 'sha256-concat')).toBe(compositionFingerprint(split(cut2), 'sha256-concat'));
        expect(compositionFingerprint(split(cut1), 'sha256-newline')).not.toBe(compositionFingerprint(split(cut2), 'sha256-newline'));
      }),
    );
  });
});
