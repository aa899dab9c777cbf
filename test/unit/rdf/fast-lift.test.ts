// Differential: the fast lifter gives exactly jsonld.js's quads (same order, labels, bases) and warnings on every corpus we have.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../../bench/query.js';
import { parseJson } from '../../../src/json/parse.js';
import { type JsonValue, isJsonObject, toPlainJson } from '../../../src/json/value.js';
import { liftBundleManifest, liftDataReleaseManifest } from '../../../src/manifest/lift-manifest.js';
import { fastToRdf } from '../../../src/rdf/fast-lift.js';
import { type LiftedDocument, type LiftedTerms, documentBaseIri, liftJsonLd, liftJsonLdBytes, liftJsonLdTerms, toJsonLdInput, toN3Quad } from '../../../src/rdf/lift.js';
import { readForFastLift } from '../../../src/rdf/fast-lift-json.js';
import { quadsText } from '../../../src/rdf/nquads-text.js';
import { quadsToNQuads } from '../../../src/query/results.js';
import { FIXTURES } from '../../support/cli.js';
import { HISTORY_VERSIONS, historyTro } from '../../support/history.js';

type Outcome = { nquads: string; warnings: readonly string[]; graph: string } | { error: string };

async function outcome(run: () => Promise<LiftedDocument>): Promise<Outcome> {
  try {
    const l = await run();
    return { nquads: quadsToNQuads(l.quads), warnings: l.warnings, graph: l.graph };
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

/** Both lifts of one JSON document (as a TRO, or as both manifest kinds when it has no @context) must agree exactly. */
async function expectSameLift(json: JsonValue, bytes: Uint8Array, label: string): Promise<void> {
  if (isJsonObject(json) && json['@context'] !== undefined) {
    const fast = await outcome(() => liftJsonLd(json, { label, bytes }));
    const reference = await outcome(() => liftJsonLd(json, { label, bytes, jsonldOnly: true }));
    expect(fast, label).toEqual(reference);
    // The text path (plain records, no n3 terms) writes the same bytes as the reference serialised by n3.
    const text = await outcome(async () => {
      const l = await liftJsonLdTerms(json, { label, bytes });
      return { ...l, quads: l.quads.map(toN3Quad), text: quadsText(l.quads) };
    });
    expect(text, `${label} (text)`).toEqual(reference);
    if ('nquads' in text) expect((await liftJsonLdTerms(json, { label, bytes }).then((l) => quadsText(l.quads))), `${label} (text bytes)`).toBe(text.nquads);
    await expectSameBytesLift(bytes, label);
    return;
  }
  for (const lift of [liftDataReleaseManifest, liftBundleManifest]) {
    const fast = await outcome(() => lift(json, { label }));
    const reference = await outcome(() => lift(json, { label, jsonldOnly: true }));
    expect(fast, `${label} (${lift.name})`).toEqual(reference);
  }
}

/**
 * From the bytes (JSON.parse where it reads what parseJson reads, fast-lift-json.ts): the same records, warnings and
 * errors as parseJson + liftJsonLdTerms, and the text the fast lifter writes along the way is quadsText of its records.
 */
async function expectSameBytesLift(bytes: Uint8Array, label: string): Promise<void> {
  const settle = async (run: () => Promise<LiftedTerms>): Promise<unknown> => {
    try {
      const { text, ...rest } = await run();
      if (text !== undefined) expect(text, `${label} (text written by the walk)`).toBe(quadsText(rest.quads));
      return rest;
    } catch (e) {
      return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
  };
  const viaBytes = await settle(() => liftJsonLdBytes(bytes, { label }));
  const viaParse = await settle(async () => liftJsonLdTerms(parseJson(bytes, { label }), { label, bytes }));
  expect(viaBytes, `${label} (from bytes)`).toEqual(viaParse);
}

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...jsonFiles(path));
    else if (/\.(json|jsonld)$/.test(e.name)) out.push(path);
  }
  return out.sort();
}

function readJson(path: string): { json: JsonValue; bytes: Uint8Array } | undefined {
  const bytes = new Uint8Array(readFileSync(path));
  try {
    return { json: parseJson(bytes, { label: path }), bytes };
  } catch {
    return undefined;
  }
}

describe('fast lifter = jsonld.js', () => {
  it('on all 219 historical TROs, every one on the fast path', async () => {
    expect(HISTORY_VERSIONS).toHaveLength(219);
    for (const version of HISTORY_VERSIONS) {
      const file = historyTro(version);
      const doc = readJson(file);
      if (doc === undefined) throw new Error(`${file}: not JSON`);
      expect(fastToRdf(doc.json, documentBaseIri(doc.bytes)), `${version} leaves the fast path`).toBeDefined();
      expect(readForFastLift(doc.bytes), `${version} is not read by JSON.parse`).toBeDefined();
      expect((await liftJsonLdBytes(doc.bytes, { label: version })).text, `${version}: the bytes path fell back`).toBeDefined();
      await expectSameLift(doc.json, doc.bytes, version);
    }
  });

  it('on every JSON fixture (TROs, manifests, hostile inputs), fast path or fallback', async () => {
    let fast = 0;
    let checked = 0;
    for (const file of jsonFiles(FIXTURES)) {
      if (file.includes(`${join('policyengine-py', 'history')}`)) continue;
      const doc = readJson(file);
      // Files parseJson refuses must fail the same way from the bytes.
      await expectSameBytesLift(new Uint8Array(readFileSync(file)), file.slice(FIXTURES.length + 1));
      if (doc === undefined) continue;
      checked++;
      if (isJsonObject(doc.json) && doc.json['@context'] !== undefined && fastToRdf(doc.json, documentBaseIri(doc.bytes)) !== undefined) fast++;
      await expectSameLift(doc.json, doc.bytes, file.slice(FIXTURES.length + 1));
    }
    expect(checked).toBeGreaterThan(50);
    expect(fast).toBeGreaterThan(20);
  });

  const benchDir = mkdtempSync(join(tmpdir(), 'pe-trace-fast-lift-'));
  afterAll(() => rmSync(benchDir, { recursive: true, force: true }));

  it('on the generated benchmark corpus (TROs and release manifests)', async () => {
    const n = generateCorpus(benchDir, 120);
    const files = jsonFiles(benchDir);
    expect(files).toHaveLength(n);
    for (const file of files) {
      const doc = readJson(file);
      if (doc === undefined) throw new Error(`${file}: not JSON`);
      if (file.endsWith('.jsonld')) {
        expect(fastToRdf(doc.json, documentBaseIri(doc.bytes)), file).toBeDefined();
        expect((await liftJsonLdBytes(doc.bytes, { label: file })).text, `${file}: the bytes path fell back`).toBeDefined();
      }
      await expectSameLift(doc.json, doc.bytes, file.slice(benchDir.length + 1));
    }
  });
});

describe('fast lifter on hostile and edge-case documents (equal to jsonld.js, or it steps aside)', () => {
  const P = { trov: 'https://w3id.org/trace/trov/0.1#', schema: 'https://schema.org/', xsd: 'http://www.w3.org/2001/XMLSchema#' };
  const cases: Record<string, unknown> = {
    'merged ids, duplicate values, blank ids': { '@context': P, '@graph': [{ '@id': 'a', 'schema:name': ['x', 'x', 'y'], 'trov:r': [{ '@id': '_:n' }, { '@id': '_:n' }] }, { '@id': 'a', 'schema:name': 'x', '@type': ['trov:T', 'trov:T'] }, { '@id': '_:n', 'schema:name': 'n' }] },
    'numbers, booleans, doubles, big ints': { '@context': P, '@id': 'x', 'schema:a': [1, 1.5, 3000.0, -0, 1e21, 12345678901234567890, true, false, 0.1] },
    'coercions and value objects': { '@context': [P, { when: { '@id': 'schema:date', '@type': 'xsd:dateTime' }, n: { '@id': 'schema:n', '@type': 'xsd:integer' }, ref: { '@id': 'schema:ref', '@type': '@id' }, voc: { '@id': 'schema:voc', '@type': '@vocab' }, d: { '@id': 'schema:d', '@type': 'xsd:double' } }], '@id': 'x', when: '2026-01-01', n: [5, '007', 2.5], ref: ['b', 'trov:c', '_:z', '#f'], voc: 'schema:Thing', d: ['3', 4], 'schema:v': { '@value': '1', '@type': 'xsd:integer' } },
    'vocab and base': { '@context': { '@vocab': 'https://example.org/v#', '@base': 'https://example.org/base/doc' }, '@id': 'thing', '@type': 'Kind', prop: 'v', other: { '@id': '#frag' } },
    'nulls and empty arrays': { '@context': P, '@id': 'x', 'schema:a': null, 'schema:b': [], 'schema:c': [null, 'c'], 'schema:d': 'd' },
    'unmapped key (jsonld.js warns)': { '@context': P, '@id': 'x', unmapped: 1, 'schema:a': 'a' },
    'only @id at the top (dropped with an event)': { '@context': P, '@graph': [{ '@id': 'x' }, { '@id': 'y', 'schema:a': 'a' }] },
    'relative refs with dots and queries': { '@context': P, '@id': '../up', 'schema:a': { '@id': './here?q=1' }, 'schema:b': { '@id': 'a b' } },
    'language, lists, reverse': { '@context': [P, { '@language': 'en', l: { '@id': 'schema:l', '@container': '@list' } }], '@id': 'x', 'schema:a': 'hello', l: [1, 2], '@reverse': { 'schema:p': { '@id': 'y' } } },
    'term chains and non-prefix expanded terms': { '@context': { s: 'https://schema.org/', name: 's:name', e: { '@id': 'https://e.org/' }, 'x': 'name' }, '@id': 'https://h.org/1', name: 'n', x: 'x', 'e:y': 'ey' },
    'index maps with a property index, scoped contexts, @json': {
      '@context': { '@version': 1.1, pe: 'https://policyengine.org/trace/0.1#', arts: { '@id': 'pe:artifact', '@container': '@index', '@index': 'pe:key', '@context': { name: { '@id': 'pe:artName' } } }, name: 'pe:name', blob: { '@id': 'pe:blob', '@type': '@json' } },
      '@id': 'https://h.org/m',
      name: 'top',
      blob: { z: [1, 2.5, 'x'], a: null },
      arts: { b: { '@id': 'https://h.org/m#b', name: 'bee' }, a: [{ name: 'ay' }, { name: 'ay2', 'pe:key': 'own' }] },
    },
    'remote and null contexts': { '@context': [null, P], '@id': 'x', 'schema:a': 'a' },
    'blank node types and predicates': { '@context': P, '@id': 'x', '@type': '_:t', '_:p': 'v' },
    'embedded contexts': { '@context': P, '@id': 'x', 'schema:a': { '@context': { q: 'https://q.org/' }, 'q:b': 'c' } },
    'hostile strings in literals and IRIs (N-Quads escaping)': {
      '@context': P,
      '@id': 'https://h.org/a%22b',
      'schema:q': ['say "hi"', 'back\\slash', 'line\nbreak\r\t', 'sep \u2028 para \u2029', 'lone \ud800 high', 'lone \udc00 low', 'astral \ud83d\ude00', 'c0 \u0001\u001f del \u007f nonchar \uffff'],
      'schema:t': { '@value': 'typed "x"', '@type': 'https://dt.org/a"b' },
      'schema:u': { '@value': 'typed', '@type': 'https://dt.org/"@en' },
      'schema:r': { '@id': 'https://h.org/with space' },
    },
    'hostile language tags (jsonld.js path)': { '@context': [P, { '@language': 'EN-GB' }], '@id': 'x', 'schema:a': ['tagged "x"\n', { '@value': 'v', '@language': 'De-"x' }] },
  };
  for (const [name, doc] of Object.entries(cases)) {
    it(name, async () => {
      const json = parseJson(JSON.stringify(doc), { label: name });
      await expectSameLift(json, new TextEncoder().encode(JSON.stringify(doc)), name);
      // toPlain round trip keeps the JSON as given (no accidental mutation by either lifter).
      expect(toPlainJson(json)).toEqual(toPlainJson(parseJson(JSON.stringify(doc))));
    });
  }

  it('the fast path covers plain TRO shapes and steps aside for constructs it does not model', () => {
    const base = 'https://pe-trace.invalid/doc/x/';
    const plain = (doc: unknown) => fastToRdf(toJsonLdInput(parseJson(JSON.stringify(doc))), base);
    expect(plain(cases['merged ids, duplicate values, blank ids'])).toBeDefined();
    expect(plain(cases['index maps with a property index, scoped contexts, @json'])).toBeDefined();
    for (const name of ['numbers, booleans, doubles, big ints', 'coercions and value objects', 'vocab and base', 'nulls and empty arrays', 'term chains and non-prefix expanded terms', 'embedded contexts']) {
      expect(plain(cases[name]), name).toBeDefined();
    }
    expect(plain(cases['remote and null contexts'])).toBeUndefined();
    expect(plain(cases['blank node types and predicates'])).toBeUndefined();
    expect(plain(cases['language, lists, reverse'])).toBeUndefined();
    expect(plain(cases['unmapped key (jsonld.js warns)'])).toBeUndefined();
    expect(plain(cases['only @id at the top (dropped with an event)'])).toBeUndefined();
    expect(plain(cases['relative refs with dots and queries'])).toBeUndefined();
  });
});
