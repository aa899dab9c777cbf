// DisjointSets: the same partition as a naive set merge, whatever the order of unions; roots are each set's smallest element.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DisjointSets } from '../../../src/query/union-find.js';

describe('DisjointSets', () => {
  it('partitions as a naive merge does, with the smallest element as root', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g')), { maxLength: 12 }), (pairs) => {
        const sets = new DisjointSets();
        const naive: Set<string>[] = [];
        for (const [a, b] of pairs) {
          sets.union(a, b);
          const sa = naive.find((s) => s.has(a));
          const sb = naive.find((s) => s.has(b));
          if (sa === undefined && sb === undefined) naive.push(new Set([a, b]));
          else if (sa === undefined) sb?.add(a);
          else if (sb === undefined) sa.add(b);
          else if (sa !== sb) {
            for (const x of sb) sa.add(x);
            naive.splice(naive.indexOf(sb), 1);
          }
        }
        expect(new Set(sets.elements())).toEqual(new Set(naive.flatMap((s) => [...s])));
        for (const s of naive) {
          const root = [...s].sort()[0];
          for (const x of s) expect(sets.find(x)).toBe(root);
        }
        expect(sets.has('z')).toBe(false);
        expect(sets.find('z')).toBe('z');
      }),
    );
  });
});
