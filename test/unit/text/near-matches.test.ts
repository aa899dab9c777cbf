// nearMatches / editDistance: did-you-mean suggestions for mistyped commands and ids.
import { describe, expect, it } from 'vitest';
import { editDistance, nearMatches } from '../../../src/index.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions', () => {
    expect(editDistance('verify', 'verify')).toBe(0);
    expect(editDistance('verfy', 'verify')).toBe(1);
    expect(editDistance('bundel', 'bundle')).toBe(1);
    expect(editDistance('adult', 'adults')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('nearMatches', () => {
  const ids = ['verify', 'validate', 'emit bundle', 'emit build', 'audit restricted-inputs'];
  it('suggests the closest candidates first, then substring matches', () => {
    expect(nearMatches('verfy', ids)).toEqual(['verify']);
    expect(nearMatches('emit bundel', ids)[0]).toBe('emit bundle');
    expect(nearMatches('bundle', ids)).toEqual(['emit bundle']);
    expect(nearMatches('restricted', ids)).toEqual(['audit restricted-inputs']);
  });
  it('suggests nothing far away, never the word itself, at most `limit`', () => {
    expect(nearMatches('zzzzzz', ids)).toEqual([]);
    expect(nearMatches('verify', ids)).not.toContain('verify');
    expect(nearMatches('a', ['ab', 'ac', 'ad', 'ae'], { limit: 2 })).toEqual(['ab', 'ac']);
  });
  it('finds ids that contain the word (frs_adult for adult)', () => {
    expect(nearMatches('adult', ['frs_adult', 'frs_household', 'cps_2024'])).toEqual(['frs_adult']);
  });
});
