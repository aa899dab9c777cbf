// Differential: plain-record N-Quads text is byte for byte what quadsToNQuads (n3's Writer) writes, hostile strings included.
import { DataFactory, type Quad } from 'n3';
import { describe, expect, it } from 'vitest';
import { quadsToNQuads } from '../../../src/query/results.js';
import { toN3Quad } from '../../../src/rdf/lift.js';
import { type TextQuad, type TextTerm, blankTerm, literalTerm, namedTerm, quadsText, textQuadOf } from '../../../src/rdf/nquads-text.js';
import { HOSTILE_STRINGS } from '../../support/hostile-strings.js';

const { namedNode, literal, quad, blankNode, defaultGraph } = DataFactory;
const XSD = 'http://www.w3.org/2001/XMLSchema#';

const HOSTILE = HOSTILE_STRINGS;

describe('quadsText = quadsToNQuads', () => {
  it('writes every hostile literal, language tag and datatype the way n3 does', () => {
    const n3: Quad[] = [];
    const mine: TextQuad[] = [];
    const s = 'https://e.org/s';
    for (const [i, v] of HOSTILE.entries()) {
      const p = `https://e.org/p${i}`;
      n3.push(quad(namedNode(s), namedNode(p), literal(v), namedNode('https://e.org/g')));
      mine.push({ subject: namedTerm(s), predicate: namedTerm(p), object: literalTerm(v), graph: namedTerm('https://e.org/g') });
      n3.push(quad(blankNode('b1'), namedNode(p), literal(v, 'EN-gb'), defaultGraph()));
      mine.push({ subject: blankTerm('b1'), predicate: namedTerm(p), object: literalTerm(v, undefined, 'EN-gb'), graph: { termType: 'DefaultGraph', value: '' } });
      n3.push(quad(namedNode(s), namedNode(p), literal(v, namedNode(`${XSD}integer`)), namedNode('https://e.org/g')));
      mine.push({ subject: namedTerm(s), predicate: namedTerm(p), object: literalTerm(v, `${XSD}integer`), graph: namedTerm('https://e.org/g') });
      n3.push(quad(namedNode(s), namedNode(p), literal(v, namedNode(`${XSD}string`)), namedNode('https://e.org/g')));
      mine.push({ subject: namedTerm(s), predicate: namedTerm(p), object: literalTerm(v, `${XSD}string`), graph: namedTerm('https://e.org/g') });
      // IRIs are escaped with the same rule (n3 does not validate them).
      n3.push(quad(namedNode(`https://e.org/${v}`), namedNode(p), namedNode(`urn:x:${v}`), namedNode(`https://g.org/${v}`)));
      mine.push({ subject: namedTerm(`https://e.org/${v}`), predicate: namedTerm(p), object: namedTerm(`urn:x:${v}`), graph: namedTerm(`https://g.org/${v}`) });
      n3.push(quad(namedNode(s), namedNode(p), literal('x', namedNode(`https://dt.org/${v}`)), defaultGraph()));
      mine.push({ subject: namedTerm(s), predicate: namedTerm(p), object: literalTerm('x', `https://dt.org/${v}`), graph: { termType: 'DefaultGraph', value: '' } });
    }
    const expected = quadsToNQuads(n3);
    expect(quadsText(mine)).toBe(expected);
    // And both conversions between the two forms keep the bytes.
    expect(quadsToNQuads(mine.map(toN3Quad))).toBe(expected);
    expect(quadsText(n3.map(textQuadOf))).toBe(expected);
  });

  it('agrees on random strings over the whole UTF-16 range (seeded)', () => {
    let seed = 15;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    const randomString = (): string => {
      const n = next() % 12;
      let out = '';
      // Biased toward the characters that need care: C0, quote, backslash, DEL, surrogates, noncharacters.
      const pools = [[0, 0x20], [0x22, 0x23], [0x5c, 0x5d], [0x7f, 0x80], [0xd800, 0xe000], [0xfffe, 0x10000], [0x20, 0x7f], [0, 0x10000]];
      for (let i = 0; i < n; i++) {
        const [lo, hi] = pools[next() % pools.length] as [number, number];
        out += String.fromCharCode(lo + (next() % (hi - lo)));
      }
      return out;
    };
    const terms: TextTerm[] = [];
    for (let i = 0; i < 2000; i++) {
      const v = randomString();
      terms.push(i % 3 === 0 ? literalTerm(v) : i % 3 === 1 ? literalTerm(v, undefined, 'de') : namedTerm(`urn:r:${v}`));
    }
    const mine: TextQuad[] = terms.map((o) => ({ subject: namedTerm('urn:s'), predicate: namedTerm('urn:p'), object: o, graph: namedTerm('urn:g') }));
    expect(quadsText(mine)).toBe(quadsToNQuads(mine.map(toN3Quad)));
  });
});
