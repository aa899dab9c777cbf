// Hostile cases for the fast lifter's shortcuts (round 3): the folded remote-context check, per-context caches shared
// across documents, the walk straight into the node map, and the regex-free IRI test. Each must equal jsonld.js or fall back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPeTraceError } from '../../../src/errors.js';
import { parseJson } from '../../../src/json/parse.js';
import type { PlainJson } from '../../../src/json/value.js';
import { fastToRdf, isAbsoluteIri } from '../../../src/rdf/fast-lift.js';
import { type LiftOptions, documentBaseIri, liftJsonLd, liftJsonLdTerms } from '../../../src/rdf/lift.js';
import { quadsText } from '../../../src/rdf/nquads-text.js';
import { quadsToNQuads } from '../../../src/query/results.js';

type Outcome = { nquads: string; warnings: readonly string[] } | { error: string; code?: string; pointer?: string };

async function outcome(run: () => Promise<{ nquads: string; warnings: readonly string[] }>): Promise<Outcome> {
  try {
    return await run();
  } catch (e) {
    if (isPeTraceError(e)) return { error: e.message, code: e.code, ...(e.location?.pointer === undefined ? {} : { pointer: e.location.pointer }) };
    return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

/** The Quad API and the text path of the default lift, and jsonld.js's lift; all three must agree. */
async function lifts(doc: unknown, options: LiftOptions = {}): Promise<{ fast: Outcome; text: Outcome; reference: Outcome }> {
  const text = JSON.stringify(doc);
  const json = parseJson(text);
  const bytes = new TextEncoder().encode(text);
  const opts = { label: 'doc', bytes, ...options };
  const fast = await outcome(async () => {
    const l = await liftJsonLd(json, opts);
    return { nquads: quadsToNQuads(l.quads), warnings: l.warnings };
  });
  const viaText = await outcome(async () => {
    const l = await liftJsonLdTerms(json, opts);
    return { nquads: quadsText(l.quads), warnings: l.warnings };
  });
  const reference = await outcome(async () => {
    const l = await liftJsonLd(json, { ...opts, jsonldOnly: true });
    return { nquads: quadsToNQuads(l.quads), warnings: l.warnings };
  });
  return { fast, text: viaText, reference };
}

async function expectSame(doc: unknown, options: LiftOptions = {}): Promise<Outcome> {
  const { fast, text, reference } = await lifts(doc, options);
  expect(fast).toEqual(reference);
  expect(text).toEqual(reference);
  return reference;
}

const onFastPath = (doc: unknown): boolean => {
  const text = JSON.stringify(doc);
  return fastToRdf(parseJson(text), documentBaseIri(new TextEncoder().encode(text))) !== undefined;
};

const P = { s: 'https://schema.org/', trov: 'https://w3id.org/trace/trov/0.1#' };

describe('the remote-context check folded into the fast walk', () => {
  const refused: Record<string, unknown> = {
    'a scoped context URL on a term the document never uses': { '@context': { ...P, unused: { '@id': 's:unused', '@context': 'https://remote.example/a.jsonld' } }, '@id': 'x', 's:name': 'n' },
    'a scoped context URL two levels down': { '@context': { ...P, t: { '@id': 's:t', '@context': { u: { '@id': 's:u', '@context': ['https://remote.example/b.jsonld'] } } } }, '@id': 'x', 's:name': 'n' },
    'an @import in a scoped context': { '@context': { ...P, t: { '@id': 's:t', '@context': { '@import': 'https://remote.example/c.jsonld' } } }, '@id': 'x', 's:name': 'n' },
    'a context URL inside an @json value': { '@context': { ...P, blob: { '@id': 's:blob', '@type': '@json' } }, '@id': 'x', blob: { nested: { '@context': 'https://remote.example/d.jsonld' } } },
    'a context URL in an embedded node': { '@context': P, '@id': 'x', 's:p': { '@context': ['https://remote.example/e.jsonld'], 's:name': 'n' } },
    'a context URL at the top, after an inline one': { '@context': [P, 'https://remote.example/f.jsonld'], '@id': 'x', 's:name': 'n' },
  };
  for (const [name, doc] of Object.entries(refused)) {
    it(`${name}: refused with the pointer, as before, on every path`, async () => {
      expect(onFastPath(doc)).toBe(false);
      const reference = await expectSame(doc);
      expect(reference).toMatchObject({ code: 'JSONLD_INVALID', error: expect.stringContaining('remote JSON-LD context refused: https://remote.example/') });
      expect((reference as { pointer?: string }).pointer).toMatch(/@context/);
      // Without bytes or a base (the base comes from the canonical JSON), the refusal still comes first.
      const json = parseJson(JSON.stringify(doc));
      await expect(liftJsonLd(json, { label: 'doc' })).rejects.toMatchObject({ code: 'JSONLD_INVALID' });
    });
  }

  it('an @json value holding an inline @context object is lifted by jsonld.js, with the same quads', async () => {
    const doc = { '@context': { ...P, blob: { '@id': 's:blob', '@type': '@json' } }, '@id': 'x', blob: { '@context': { a: 'https://a.example/' } } };
    expect(onFastPath(doc)).toBe(false);
    expect(await expectSame(doc)).toHaveProperty('nquads');
  });

  it('a pinned context URL goes to jsonld.js, which reads the pinned copy', async () => {
    const url = 'https://pinned.example/ctx.jsonld';
    const contexts = new Map<string, PlainJson>([[url, { '@context': P }]]);
    const doc = { '@context': url, '@id': 'x', 's:name': 'n' };
    expect(onFastPath(doc)).toBe(false);
    const reference = await expectSame(doc, { contexts });
    expect(reference).toMatchObject({ nquads: expect.stringContaining('<https://schema.org/name> "n"') });
  });
});

describe('caches shared across documents', () => {
  it('a type resolved against the base is not memoised with the keys (two documents, one context)', async () => {
    const context = { ...P };
    const a = await expectSame({ '@context': context, '@graph': [{ '@id': 'x', '@type': 'Unmapped', 's:name': 'a' }] });
    const b = await expectSame({ '@context': context, '@graph': [{ '@id': 'y', '@type': 'Unmapped', 's:name': 'b' }] });
    const typeOf = (o: Outcome): string | undefined => ('nquads' in o ? /rdf-syntax-ns#type> <([^>]+)>/.exec(o.nquads)?.[1] : undefined);
    expect(typeOf(a)).toBeDefined();
    expect(typeOf(a)).not.toBe(typeOf(b));
  });

  it('the same context with and without @vocab or @base are different contexts', async () => {
    for (const extra of [{}, { '@vocab': 'https://v.example/' }, { '@base': 'https://b.example/dir/doc' }, {}]) {
      await expectSame({ '@context': { ...P, ...extra }, '@id': 'thing', '@type': 'Kind', 's:name': 'n', other: 'o' });
    }
  });

  it('contexts whose naive concatenations collide are kept apart', async () => {
    // "a" + "https://x.example/bc" and "ab"... would read alike without length prefixes.
    await expectSame({ '@context': { a: 'https://x.example/b', ab: 'https://y.example/' }, '@id': 'https://h.example/1', 'a:c': 1, 'ab:c': 2 });
    await expectSame({ '@context': { ab: 'https://x.example/b', a: 'https://y.example/' }, '@id': 'https://h.example/1', 'a:c': 1, 'ab:c': 2 });
    await expectSame({ '@context': [{ a: 'https://x.example/' }, { b: 'https://y.example/' }], '@id': 'https://h.example/1', 'a:c': 1, 'b:c': 2 });
    await expectSame({ '@context': [{ a: 'https://x.example/', b: 'https://y.example/' }], '@id': 'https://h.example/1', 'a:c': 1, 'b:c': 2 });
  });

  it('an integer in a context is no crash (the old cache key was JSON.stringify, which throws on a bigint)', async () => {
    const reference = await expectSame({ '@context': { '@version': 1, ...P }, '@id': 'x', 's:name': 'n' });
    expect(reference).toMatchObject({ code: 'JSONLD_INVALID' });
    await expectSame({ '@context': { ...P, n: { '@id': 's:n', '@type': 'http://www.w3.org/2001/XMLSchema#integer' } }, '@id': 'x', n: [1, 12345678901234567890] });
  });

  it('a term-scoped context is applied per active context, not reused across different embedded contexts', async () => {
    const doc = {
      '@context': { ...P, name: 's:name', part: { '@id': 's:hasPart', '@context': { label: 's:alternateName' } } },
      '@graph': [
        { '@id': 'a', part: { label: 'x', name: 'n1' } },
        { '@context': { name: 'trov:name' }, '@id': 'b', part: { label: 'y', name: 'n2' } },
        { '@id': 'c', part: [{ label: 'z', name: 'n3' }, { label: 'w' }] },
      ],
    };
    expect(onFastPath(doc)).toBe(true);
    await expectSame(doc);
  });
});

describe('the walk straight into the node map', () => {
  const cases: Record<string, unknown> = {
    'a top-level node (no @graph) with an array context whose later item defines a prefix an earlier term uses': { '@context': [{ x: { '@id': 'y:z' } }, { y: 'https://y.example/' }], '@id': 'https://h.example/1', x: 'v', 'y:w': 'w' },
    'a node embedding itself: properties merged out of order': { '@context': P, '@id': 'https://h.example/a', 's:z': 'last', 's:b': { '@id': 'https://h.example/a', 's:a': 'first', 's:y': { '@id': 'https://h.example/a', 's:c': 'mid' } } },
    'keys mapping to the same IRI, values merged in key order': { '@context': { ...P, name: 's:name', label: 's:name' }, '@id': 'x', label: ['l', 'n'], name: ['n', 'm'], 's:name': 'z' },
    'one literal from a string and from a number: two values, as jsonld.js keeps them': { '@context': { ...P, n: { '@id': 's:n', '@type': 'http://www.w3.org/2001/XMLSchema#integer' } }, '@id': 'x', n: [5, '5', 5] },
    'index maps: the index literal first, merged with an equal own value, @id-coerced entries': {
      '@context': { '@version': 1.1, ...P, k: 's:key', arts: { '@id': 's:art', '@container': '@index', '@index': 's:key' }, refs: { '@id': 's:ref', '@type': '@id', '@container': '@index', '@index': 's:key' } },
      '@id': 'https://h.example/m',
      arts: { b: { '@id': 'https://h.example/m#b', k: 'b' }, a: [{ k: ['zz', 'a'] }, { '@id': 'https://h.example/m#b', 's:key': 'aa' }] },
      refs: { r2: 'https://h.example/r', r1: ['_:q', 'https://h.example/r'] },
    },
    'blank ids, relabelled in first-seen order across references and embeddings': { '@context': { ...P, r: { '@id': 's:r', '@type': '@id' } }, '@graph': [{ '@id': '_:z', r: ['_:y', '_:x'], 's:p': { '@id': '_:x', 's:name': 'x' } }, { '@id': '_:y', r: '_:z', 's:name': 'y' }] },
    'white space in a prefixed id, a blank id, a vocab type, a @vocab key': { '@context': { ...P, '@vocab': 'https://v.example/' }, '@graph': [{ '@id': 's:a b', 's:name': 'n' }, { '@id': '_:a b', 's:name': 'n' }, { '@id': 'x', '@type': 'A Type' }, { '@id': 'y', 'a key': 'v' }] },
    'a // suffix and odd schemes': { '@context': P, '@id': 'weird+scheme-1.0://host/p', 's:url': { '@id': 's://double' }, 's:u2': { '@id': '1bad:x' } },
    'relative references: fragment, empty, dotted, query': { '@context': P, '@graph': [{ '@id': '#frag', 's:name': 'a' }, { '@id': '', 's:name': 'b' }, { '@id': 'dir/./x', 's:name': 'c' }, { '@id': 'p?q', 's:name': 'd' }] },
    'a document @base with a fragment': { '@context': { ...P, '@base': 'https://b.example/dir/doc#top' }, '@id': 'x', 's:a': { '@id': '#f' }, 's:b': { '@id': 'sub/y' } },
  };
  for (const [name, doc] of Object.entries(cases)) it(name, async () => expect(await expectSame(doc)).toBeDefined());

  it('the shapes above that the fast path takes (it does not step aside for all of them)', () => {
    for (const name of ['a node embedding itself: properties merged out of order', 'keys mapping to the same IRI, values merged in key order', 'one literal from a string and from a number: two values, as jsonld.js keeps them', 'index maps: the index literal first, merged with an equal own value, @id-coerced entries', 'blank ids, relabelled in first-seen order across references and embeddings', 'a document @base with a fragment']) {
      expect(onFastPath(cases[name]), name).toBe(true);
    }
    expect(onFastPath(cases['white space in a prefixed id, a blank id, a vocab type, a @vocab key'])).toBe(false);
  });
});

describe('isAbsoluteIri = the regex it replaced', () => {
  const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+\-.]*|_):[^\s]*$/;
  const chars = ['a', 'Z', '0', '9', '+', '-', '.', ':', '_', '/', '#', ' ', '\t', '\n', '\v', '\f', '\r', '\u00a0', '\u1680', '\u2000', '\u200a', '\u200b', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', '\ud800', 'é'];
  it('on 5,000 strings built from scheme characters, colons and every white-space code point', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 12 }), (parts) => {
        const s = parts.join('');
        expect(isAbsoluteIri(s), JSON.stringify(s)).toBe(ABSOLUTE.test(s));
      }),
      { numRuns: 5000, seed: 15 },
    );
  });
  it('on every code unit after a scheme', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const s = `https://h/${String.fromCharCode(c)}`;
      if (isAbsoluteIri(s) !== ABSOLUTE.test(s)) throw new Error(`U+${c.toString(16)}`);
    }
  });
});
