// PEP 440 versions and specifier sets, checked against a table whose verdicts come from Python's packaging 26.2.
import { describe, expect, it } from 'vitest';
import { compareVersions, formatVersion, parseSpecifier, parseSpecifierSet, parseVersion, specifierContains } from '../../../src/manifest/pep440.js';

/** [specifier set, version, `packaging.version.Version(v) in SpecifierSet(s)`]; invalid input counts as no match. */
const ORACLE: readonly (readonly [string, string, boolean])[] = [
  [">=1.724.0,<2", "1.730.0", true],
  [">=1.724.0,<2", "1.723.0", false],
  [">=1.724.0,<2", "2.0.0", false],
  [">=1.724.0,<2", "1.999.0", true],
  ["==2.89.2", "2.89.2", true],
  ["==2.89.2", "2.90.2", false],
  ["==2.89", "2.89.0", true],
  ["==2.89.0", "2.89", true],
  ["==1.2.*", "1.2.5", true],
  ["==1.2.*", "1.3.0", false],
  ["==1.2.*", "1.2", true],
  ["!=1.2.*", "1.2.9", false],
  ["!=1.2.*", "1.3", true],
  ["~=2.2", "2.3", true],
  ["~=2.2", "3.0", false],
  ["~=2.2.0", "2.2.9", true],
  ["~=2.2.0", "2.3.0", false],
  ["~=1", "1.5", false],
  [">1.0", "1.0.post1", false],
  [">1.0", "1.1", true],
  [">1.0.post1", "1.0.post2", true],
  ["<2.0", "2.0rc1", false],
  ["<2.0rc2", "2.0rc1", true],
  [">=1.0", "1.1a1", true],
  [">=1.0a1", "1.1a1", true],
  [">=1.0", "1.0.dev1", false],
  ["<=1.0", "1.0+local", true],
  ["==1.0", "1.0+local", true],
  ["==1.0+local", "1.0", false],
  ["==1.0+local", "1.0+local", true],
  [">1.0", "1.0+local", false],
  ["===1.0", "1.0", true],
  ["===1.0", "1.0.0", false],
  ["!=1.5", "1.5", false],
  ["!=1.5", "1.6", true],
  ["", "1.0", true],
  ["", "1.0a1", true],
  [">=1.0,!=1.3.4.*,<2.0", "1.3.4.1", false],
  [">=1.0,!=1.3.4.*,<2.0", "1.3.5", true],
  ["bogus", "1.0", false],
  [">=1.0", "not a version", false],
  [">=1.0.*", "1.0", false],
  ["==1.0.*+foo", "1.0", false],
  [">= 1.0 , < 2", "1.5", true],
  ["v1.0", "1.0", false],
  ["==v1.0", "1.0", true],
  ["==1.0", "V1.0", true],
  ["==1!1.0", "1.0", false],
  ["==1!1.0", "1!1.0", true],
  [">=1.0.post1", "1.0", false],
  ["<1.0", "1.0.dev0", false],
  ["<1.0.dev1", "1.0.dev0", true],
  ["==1.0rc1", "1.0c1", true],
  ["==1.0a1", "1.0alpha1", true],
  ["==1.0.post0", "1.0-0", true],
  ["==1.0.post1", "1.0r1", true],
  [">1.0.0", "1.0.1.dev1", true],
  ["==1.0.*", "1.0rc1", true],
  [">=2,<3", "2.5.1.post3", true],
  ["<2", "1.9.9+abc", true],
  [">=1.0a1,<1.0", "1.0b2", false],
  ["~=1.4.5a4", "1.4.5", true],
  ["~=1.4.5a4", "1.4.6a1", true],
  [">1.7", "1.7.0.post1", false],
  [">1.7.post2", "1.7.1", true],
  [">1.7.post2", "1.7.0.post3", true],
  ["<=1.0", "1.0.post1", false],
  ["==01.2", "1.2", true],
  ["== 1.0", "1.0", true],
  [">=1.0,,<2", "1.5", true],
  ["~=1.0.*", "1.0", false],
  [">=1.0+abc", "1.0", false],
];

describe('specifierContains', () => {
  it.each(ORACLE)('%j contains %j → %s', (spec, version, expected) => {
    expect(specifierContains(spec, version)).toBe(expected);
  });

  it('has at least 30 cases, both verdicts well represented', () => {
    expect(ORACLE.length).toBeGreaterThanOrEqual(30);
    expect(ORACLE.filter((c) => c[2]).length).toBeGreaterThan(20);
    expect(ORACLE.filter((c) => !c[2]).length).toBeGreaterThan(20);
  });

  it('excludes unnamed pre-releases in the strict (packaging < 25) mode only', () => {
    expect(specifierContains('>=1.0', '1.1a1')).toBe(true);
    expect(specifierContains('>=1.0', '1.1a1', { prereleases: false })).toBe(false);
    expect(specifierContains('>=1.0a1', '1.1a1', { prereleases: false })).toBe(true);
  });

  it('compares === clauses as text, even for a non-PEP 440 version', () => {
    expect(specifierContains('===foobar', 'FooBar')).toBe(true);
    expect(specifierContains('===foobar', 'foobaz')).toBe(false);
  });
});

describe('parseVersion / formatVersion', () => {
  it.each([
    ['1.0', '1.0'],
    ['v1.0', '1.0'],
    ['1.0-alpha1', '1.0a1'],
    ['1.0.BETA.2', '1.0b2'],
    ['1.0c3', '1.0rc3'],
    ['1.0preview4', '1.0rc4'],
    ['1.0-1', '1.0.post1'],
    ['1.0.rev2', '1.0.post2'],
    ['1.0r', '1.0.post0'],
    ['1.0.dev', '1.0.dev0'],
    ['2!1.0', '2!1.0'],
    ['1.0+Ubuntu-1', '1.0+ubuntu.1'],
    ['  1.764.6  ', '1.764.6'],
    ['007.01', '7.1'],
  ])('%j normalises to %j', (input, normal) => {
    const v = parseVersion(input);
    expect(v).toBeDefined();
    if (v !== undefined) expect(formatVersion(v)).toBe(normal);
  });

  it.each(['', '1.0.', 'abc', '1..0', '1.0+', '1.0+a..b', '1.0 beta'])('rejects %j', (input) => {
    expect(parseVersion(input)).toBeUndefined();
  });

  it('orders dev < pre < final < post, local after public', () => {
    const order = ['1.0.dev0', '1.0a1.dev1', '1.0a1', '1.0b1', '1.0rc1', '1.0', '1.0+abc', '1.0+5', '1.0.post1.dev1', '1.0.post1', '1.1'];
    const parsed = order.map((s) => {
      const v = parseVersion(s);
      if (v === undefined) throw new Error(s);
      return v;
    });
    for (let i = 0; i + 1 < parsed.length; i++) {
      const a = parsed[i];
      const b = parsed[i + 1];
      if (a === undefined || b === undefined) throw new Error('index');
      expect(compareVersions(a, b), `${order[i]} < ${order[i + 1]}`).toBe(-1);
      expect(compareVersions(b, a)).toBe(1);
    }
  });

  it('treats trailing zeros as equal and compares long numbers exactly', () => {
    const a = parseVersion('1.0.0');
    const b = parseVersion('1');
    const big1 = parseVersion('1.99999999999999999999');
    const big2 = parseVersion('1.99999999999999999998');
    if (a === undefined || b === undefined || big1 === undefined || big2 === undefined) throw new Error('parse');
    expect(compareVersions(a, b)).toBe(0);
    expect(compareVersions(big1, big2)).toBe(1);
  });
});

describe('parseSpecifier', () => {
  it('accepts whitespace and normalised spellings, rejects misuse of wildcards and locals', () => {
    expect(parseSpecifier(' >= 1.724.0 ')?.operator).toBe('>=');
    expect(parseSpecifier('==1.2.*')?.wildcard).toBe(true);
    expect(parseSpecifier('<1.2.*')).toBeUndefined();
    expect(parseSpecifier('~=1')).toBeUndefined();
    expect(parseSpecifier('>=1.0+local')).toBeUndefined();
    expect(parseSpecifier('==1.0+local')?.version?.local).toEqual(['local']);
    expect(parseSpecifier('1.0')).toBeUndefined();
  });

  it('makes a set with one bad clause invalid as a whole', () => {
    expect(parseSpecifierSet('>=1.0,bogus').valid).toBe(false);
    expect(parseSpecifierSet('').specifiers).toEqual([]);
  });
});
