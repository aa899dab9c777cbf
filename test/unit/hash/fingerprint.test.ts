// Composition fingerprint vectors: interop §3 (newline-joined) and trace-trov §3 (concatenated), from real shipped files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compositionFingerprint, compositionFingerprintWith, fingerprintText } from '../../../src/hash/fingerprint.js';
import { compareCodePoints } from '../../../src/json/canonical.js';
import { hashBytes } from '../../../src/hash/digest.js';

const a64 = 'a'.repeat(64);
const b64 = 'b'.repeat(64);
const c64 = 'c'.repeat(64);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Artifact hash values and the claimed fingerprint of a fixture, read with plain JSON (independent of our reader). */
function fixture(path: string): { values: string[]; claimed: string } {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { '@graph': Array<Record<string, Json>> };
  const comp = doc['@graph'][0]?.['trov:hasComposition'] as Record<string, Json>;
  const valuesOf = (node: Record<string, Json>): string[] => {
    if (typeof node['trov:sha256'] === 'string') return [node['trov:sha256']];
    const h = node['trov:hash'];
    const list = (Array.isArray(h) ? h : [h]) as Array<Record<string, Json>>;
    return list.map((x) => String(x['trov:hashValue']));
  };
  const values = (comp['trov:hasArtifact'] as Array<Record<string, Json>>).flatMap(valuesOf);
  const [claimed] = valuesOf(comp['trov:hasFingerprint'] as Record<string, Json>);
  return { values, claimed: claimed ?? '' };
}

describe('sha256-newline (policyengine.py, interop §3)', () => {
  it('matches the published vectors', () => {
    expect(compositionFingerprint([c64, a64, b64], 'sha256-newline')).toBe('3a9126ada7449a9ae43078e666cc5105bcd9700245277275a7a95ab954d338df');
    expect(compositionFingerprint([a64, a64], 'sha256-newline')).toBe('00f0a93d0cff3d2493ccda34e7d59328230be7a1834154085cf1b468c3c3528f');
    expect(compositionFingerprint([a64], 'sha256-newline')).toBe('ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb');
    expect(compositionFingerprint([], 'sha256-newline')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
  it('keeps the separator between short values (no concatenation collision)', () => {
    const x = compositionFingerprint(['ab', 'cdef'], 'sha256-newline');
    const y = compositionFingerprint(['abcd', 'ef'], 'sha256-newline');
    expect(x.startsWith('b3bc60b8') && x.endsWith('9764')).toBe(true);
    expect(y.startsWith('03a9f2ce') && y.endsWith('f9f7')).toBe(true);
  });
  it.each([
    ['us', '66ceaf4c12243f1f6ccb5b01e10fd1cd0a6e1e2fc6a9915ae5bde114353a4377'],
    ['uk', 'd60ee6f14475da3b8ed7ebff5ae03d7029f17d12c273de4faec6f9768ed0c5d4'],
  ])('reproduces the shipped %s bundle TRO fingerprint', (country, expected) => {
    const { values, claimed } = fixture(`fixtures/policyengine-py/shipped/${country}.trace.tro.jsonld`);
    expect(values).toHaveLength(4);
    expect(claimed).toBe(expected);
    expect(compositionFingerprint(values, 'sha256-newline')).toBe(expected);
    expect(compositionFingerprint(values, 'sha256-concat')).not.toBe(expected);
  });
  it('reproduces the generated run-record fingerprint', () => {
    const { values, claimed } = fixture('fixtures/policyengine-py/generated/run-record/run.trace.tro.jsonld');
    expect(claimed).toBe('8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997');
    expect(compositionFingerprint(values, 'sha256-newline')).toBe(claimed);
  });
});

describe('sha256-concat (TROv 0.1 spec, tro-utils; trace-trov §3)', () => {
  it('reproduces the tro-utils generated example (a real, self-consistent fingerprint)', () => {
    const { values, claimed } = fixture('fixtures/trace/tro-utils/GENERATED__tro-utils-HEAD-95ec41b-models-example.jsonld');
    expect(claimed).toBe('7090c60e67a49d85a82d0e089f5226b8929ea635c505dd38fce08abe826a0023');
    expect(compositionFingerprint(values, 'sha256-concat')).toBe(claimed);
  });
  it('gives the trace-trov vectors for the trace-model examples (whose declared values are placeholders)', () => {
    const one = fixture('fixtures/trace/trace-model/demo__02-tro-examples__01-two-artifacts-no-trp__tro__tro.jsonld');
    expect(compositionFingerprint(one.values, 'sha256-concat')).toBe('a2a88b91598c4264109f61067abed42de9ac7225a7e08bd1a9a0cc2b3aac1e1b');
    expect(compositionFingerprint(one.values, 'sha256-newline').startsWith('45694d7b')).toBe(true);
    expect(one.claimed.startsWith('218d9c33')).toBe(true);
    const two = fixture('fixtures/trace/trace-model/demo__02-tro-examples__02-three-artifacts-one-trp__tro__tro.jsonld');
    expect(two.values).toHaveLength(3);
    expect(compositionFingerprint(two.values, 'sha256-concat')).toBe('37f857afd3e37a9cdcb05c2192507b8ddb689ec8897a61930838743401c2d847');
  });
  it('gives the correct value for the spec-tro-checks candidates, whose declared one is fake', () => {
    for (const n of ['02-spec-example-2026-04-08-with-base-and-hashes', '03-spec-example-2026-04-08-with-node-ids']) {
      const { values, claimed } = fixture(`fixtures/trace/spec-tro-checks/candidates__${n}.jsonld`);
      expect(compositionFingerprint(values, 'sha256-concat')).toBe('0dfa6508d3840c1972433ca95f84c2dd2eb75282ca6e3d3b25506b2e5bf0e07d');
      expect(claimed.startsWith('44863b03')).toBe(true);
    }
  });
});

describe('ordering and other hash functions', () => {
  it('sorts by code point, not by UTF-16 unit', () => {
    // U+FF5E (one unit 0xFF5E) sorts before U+1F600 (surrogates 0xD83D…) by code point, after it by UTF-16 unit.
    const high = '\u{1F600}';
    const bmp = '\uFF5E';
    expect(Math.sign(compareCodePoints(bmp, high))).toBe(-1);
    expect(bmp < high).toBe(false);
    expect(fingerprintText([high, bmp], 'sha256-newline')).toBe(`${bmp}\n${high}`);
    expect(Math.sign(compareCodePoints('ab', 'abc'))).toBe(-1);
    expect(Math.sign(compareCodePoints('abc', 'abc'))).toBe(0);
  });
  it('applies the same join rule with a declared non-sha256 fingerprint algorithm', async () => {
    expect(await compositionFingerprintWith([b64, a64], 'sha256-concat', 'sha512')).toBe(await hashBytes(a64 + b64, 'sha512'));
    expect(await compositionFingerprintWith([b64, a64], 'sha256-newline', 'sha256')).toBe(compositionFingerprint([a64, b64], 'sha256-newline'));
  });
});
