// The kept index/links graphs of a directory: the same lines as the quads path, questions over an unchanged directory answered without loading the corpus, and every miss falling back to the right answer.
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { DataFactory, Writer } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_CACHE_VERSION, indexQuads, linkQuads, loadCorpus, parseUserQuery, queryDirectory } from '../../../src/index.js';
import { indexAndLinkLines, mayBeDerived } from '../../../src/query/graph.js';
import { lineTerms } from '../../../src/query/partitions.js';
import { storedDirectoryAnswer } from '../../../src/query/run.js';
import { quadsToNQuads } from '../../../src/query/results.js';
import { escapeNQuadsText, literalTerm, termText } from '../../../src/rdf/nquads-text.js';

const iriText = (v: string): string => `<${escapeNQuadsText(v)}>`;
const literalText = (v: string, datatype?: string, language?: string): string => termText(literalTerm(v, datatype, language));

const P = 'PREFIX trov: <https://w3id.org/trace/trov/0.1#> PREFIX ptq: <https://w3id.org/pe-trace/query#> ';
const SHAPES: Record<string, string> = {
  'constant predicate': `${P}SELECT ?a ?h WHERE { ?a trov:sha256 ?h }`,
  'GRAPH ?g aggregate': `${P}SELECT ?g (COUNT(?a) AS ?n) WHERE { GRAPH ?g { ?c trov:hasArtifact ?a } } GROUP BY ?g`,
  '?p FILTER': `${P}SELECT ?s ?o WHERE { ?s ?p ?o FILTER(?p = trov:hasLocation) }`,
  'property path': `${P}SELECT ?tro ?a WHERE { ?tro trov:hasComposition/trov:hasArtifact ?a }`,
  'index only': `${P}SELECT ?d ?p ?k WHERE { ?d ptq:path ?p ; ptq:documentKind ?k }`,
  'links and flow': `${P}SELECT ?a ?b WHERE { { ?a ptq:feeds ?b } UNION { ?l a ptq:HashMatch ; ptq:source ?a ; ptq:target ?b } }`,
  'variable predicate over the index': `${P}SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH ptq:index { ?s ?p ?o } } GROUP BY ?p`,
};

// A location, a name and a file path full of characters the N-Quads writer must escape.
const HOSTILE_TEXT = 'a"b\\c\nd\te\rf\bg\fh\u0001i\u007fj\u2028k\ufffel\uffffm\ud83d\ude00n é';
const HOSTILE_TRO = JSON.stringify({
  '@context': [{ trov: 'https://w3id.org/trace/trov/0.1#', schema: 'https://schema.org/' }],
  '@graph': [
    {
      '@id': 'tro',
      '@type': ['trov:TransparentResearchObject', 'schema:CreativeWork'],
      'schema:name': HOSTILE_TEXT,
      'trov:hasComposition': {
        '@id': 'composition/1',
        '@type': 'trov:ArtifactComposition',
        'trov:hasArtifact': [{ '@id': 'composition/1/artifact/0', '@type': 'trov:ResearchArtifact', 'trov:sha256': 'ab'.repeat(32), 'trov:mimeType': 'text/plain' }],
      },
      'trov:hasArrangement': [
        {
          '@id': 'arrangement/0',
          '@type': 'trov:ArtifactArrangement',
          'trov:hasLocus': [{ '@id': 'arrangement/0/locus/0', '@type': 'trov:ArtifactLocus', 'trov:hasArtifact': { '@id': 'composition/1/artifact/0' }, 'trov:hasLocation': HOSTILE_TEXT }],
        },
      ],
    },
  ],
});

let root: string;
let dir: string;
let cache: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pe-trace-derived-'));
  dir = join(root, 'corpus');
  cache = join(root, 'cache');
  cpSync('fixtures/corpus', dir, { recursive: true });
  writeFileSync(join(dir, 'hostile "name"\\.trace.tro.jsonld'), HOSTILE_TRO);
  // A malformed file: a problem the kept summary must report as the full load does.
  writeFileSync(join(dir, 'broken.trace.tro.jsonld'), '{"@context": ');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Seen {
  readonly rows: string[];
  readonly warnings: readonly string[];
  readonly problems: readonly string[];
  readonly documents: number;
}

async function ask(text: string, cacheDir: string | undefined): Promise<Seen> {
  const r = await queryDirectory(dir, parseUserQuery(text), cacheDir === undefined ? {} : { cacheDir });
  const a = r.answer;
  const rows = a.form === 'SELECT' ? a.results.results.bindings.map((b) => JSON.stringify(a.results.head.vars.map((v) => b[v] ?? null))) : [JSON.stringify(a)];
  return { rows: rows.sort(), warnings: r.warnings, problems: r.problems.map((p) => p.message), documents: r.documents };
}

const derivedRoot = (): string => join(cache, 'derived-v2');
const packFiles = (): string[] => {
  const [key] = existsSync(derivedRoot()) ? readdirSync(derivedRoot()) : [];
  return key === undefined ? [] : readdirSync(join(derivedRoot(), key)).map((f) => join(derivedRoot(), key, f));
};

async function expectReference(names: readonly string[] = Object.keys(SHAPES), suffix = ''): Promise<void> {
  for (const name of names) {
    const text = `${SHAPES[name] ?? ''}${suffix}`;
    expect(await ask(text, cache), name).toEqual(await ask(text, undefined));
  }
}

describe('index and links graphs as lines', () => {
  it('are exactly the lines quadsToNQuads writes for indexQuads and linkQuads, hostile strings included', async () => {
    const corpus = await loadCorpus(dir);
    const lines = [...indexAndLinkLines(corpus).values()].flat().sort();
    const reference = `${quadsToNQuads(indexQuads(corpus))}${quadsToNQuads(linkQuads(corpus))}`.split('\n').filter((l) => l !== '').sort();
    expect(lines).toEqual(reference);
    expect(lines.some((l) => l.includes('\\"') && l.includes('\\n') && l.includes('\\u007F'))).toBe(true);
  });

  it('hold only triples mayBeDerived accepts (so a question that can match none skips both graphs and the links)', async () => {
    const corpus = await loadCorpus(dir);
    const lines = [...indexAndLinkLines(corpus).values()].flat();
    expect(lines.length).toBeGreaterThan(1000);
    for (const line of lines) {
      const terms = lineTerms(line);
      expect(terms, line).toBeDefined();
      expect(mayBeDerived(terms?.predicate ?? '', (terms?.object ?? '').replace(/^<|>$/g, '')), line).toBe(true);
    }
    expect(mayBeDerived('https://w3id.org/trace/trov/0.1#hasLocation', '')).toBe(false);
    expect(mayBeDerived('http://www.w3.org/1999/02/22-rdf-syntax-ns#type', 'https://w3id.org/trace/trov/0.1#TransparentResearchObject')).toBe(false);
  });

  it('writes any IRI and literal as n3 writes it in N-Quads mode (property test)', () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u007f', '\ufffe', '\uffff', '\u2028'), fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)), fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), fc.constantFrom('a', 'é', '/', ':')) });
    fc.assert(
      fc.property(text, text, fc.constantFrom(undefined, 'http://www.w3.org/2001/XMLSchema#integer', 'http://x/dt#é'), fc.constantFrom('', 'en', 'fr-be'), (iri, value, datatype, language) => {
        const object = language !== '' ? DataFactory.literal(value, language) : DataFactory.literal(value, datatype === undefined ? undefined : DataFactory.namedNode(datatype));
        const expected = new Writer({ format: 'N-Quads' }).quadToString(DataFactory.namedNode(iri), DataFactory.namedNode(iri), object, DataFactory.namedNode(iri));
        expect(`${iriText(iri)} ${iriText(iri)} ${literalText(value, datatype, language)} ${iriText(iri)} .\n`).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('questions over a directory whose graphs are kept', () => {
  it('answers as the no-cache path does, and a new question over the unchanged directory reads no facts', async () => {
    await expectReference(['constant predicate']);
    expect(packFiles().some((f) => f.endsWith('manifest.json'))).toBe(true);
    // Without the per-file facts and with no stored answers, a question can only be answered from the kept pack.
    rmSync(join(cache, 'facts-v1'), { recursive: true, force: true });
    rmSync(join(cache, `answers-v${ANSWER_CACHE_VERSION}`), { recursive: true, force: true });
    await expectReference(Object.keys(SHAPES), ' LIMIT 100000');
    expect(existsSync(join(cache, 'facts-v1'))).toBe(false);
  }, 300_000);

  it('answers from a stored answer without a worker, and names no scan once a file changed', async () => {
    const q = parseUserQuery(`${SHAPES['?p FILTER'] ?? ''} LIMIT 7`);
    // Files younger than the snapshot's racy margin (3 s) are always read again, so no stat alone could vouch for them.
    const past = new Date(Date.now() - 60_000);
    for (const f of readdirSync(dir, { recursive: true, withFileTypes: true })) if (f.isFile()) utimesSync(join(f.parentPath, f.name), past, past);
    await queryDirectory(dir, q, { cacheDir: cache });
    const stored = await storedDirectoryAnswer(dir, q, { cacheDir: cache });
    expect(stored.answer?.cached).toBe(true);
    expect(stored.scan?.digest).toMatch(/^[0-9a-f]{64}$/);
    const path = join(dir, 'broken.trace.tro.jsonld');
    writeFileSync(path, `${readFileSync(path, 'utf8')} `);
    const after = await storedDirectoryAnswer(dir, q, { cacheDir: cache });
    expect(after).toEqual({ answer: undefined, scan: undefined });
  }, 120_000);

  it('replaces the pack when a file changes, is added or removed', async () => {
    const tro = join(dir, 'hostile "name"\\.trace.tro.jsonld');
    writeFileSync(tro, HOSTILE_TRO.replace('text/plain', 'text/csv'));
    await expectReference(Object.keys(SHAPES), ' LIMIT 200000');
    writeFileSync(join(dir, 'copy.trace.tro.jsonld'), HOSTILE_TRO.replace('ab', 'cd'));
    await expectReference(Object.keys(SHAPES), ' LIMIT 200001');
    rmSync(join(dir, 'copy.trace.tro.jsonld'));
    await expectReference(Object.keys(SHAPES), ' LIMIT 200002');
    // One pack per directory: the files of packs for earlier digests are gone.
    expect(packFiles().length).toBeLessThan(200);
  }, 300_000);

  it('keeps the whole pack even when the question reads only the documents, so the next question loads no corpus', async () => {
    const manifest = (): string => readFileSync(packFiles().find((f) => f.endsWith('manifest.json')) ?? '', 'utf8');
    const tro = join(dir, 'hostile "name"\\.trace.tro.jsonld');
    writeFileSync(tro, HOSTILE_TRO.replace('text/plain', 'application/x-docs-only'));
    const before = manifest();
    await expectReference(['?p FILTER'], ' LIMIT 300001');
    expect(manifest()).not.toBe(before);
    expect((JSON.parse(manifest()) as { partitions: unknown[] }).partitions.length).toBeGreaterThan(10);
    rmSync(join(cache, 'facts-v1'), { recursive: true, force: true });
    await expectReference(['index only', 'links and flow'], ' LIMIT 300002');
    expect(existsSync(join(cache, 'facts-v1'))).toBe(false);
  }, 300_000);

  it('brings a document index a few documents behind up to date from their cached facts, without loading the corpus', async () => {
    const tro = join(dir, 'hostile "name"\\.trace.tro.jsonld');
    const text = HOSTILE_TRO.replace('text/plain', 'application/x-behind');
    writeFileSync(tro, text);
    // A question that reads only the index and links graphs: the pack is kept for the new digest, the document index is not updated.
    await queryDirectory(dir, parseUserQuery(`${SHAPES['index only'] ?? ''} LIMIT 400000`), { cacheDir: cache, graphs: 'index' });
    // Only the changed document's facts are left: loading the corpus would read and extract every other file again.
    const sha = createHash('sha256').update(text).digest('hex');
    const factsDir = join(cache, 'facts-v1');
    const kept = readdirSync(factsDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    for (const f of kept) if (!f.name.startsWith(sha)) rmSync(join(f.parentPath, f.name));
    const left = (): number => readdirSync(factsDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile()).length;
    expect(left()).toBe(1);
    await expectReference(['constant predicate', '?p FILTER'], ' LIMIT 400001');
    // The reference run (no cache) writes nothing there; the cached run read the one entry and wrote none.
    expect(left()).toBe(1);
  }, 300_000);

  it('falls back to loading the corpus when the pack is damaged or a partition is missing, and writes it again', async () => {
    const manifest = packFiles().find((f) => f.endsWith('manifest.json')) ?? '';
    writeFileSync(manifest, '{"version": 1, "digest": ');
    await expectReference(['index only'], ' LIMIT 300000');
    const partitions = packFiles().filter((f) => f.endsWith('.nq'));
    expect(partitions.length).toBeGreaterThan(10);
    for (const f of partitions) rmSync(f);
    await expectReference(['links and flow', 'variable predicate over the index'], ' LIMIT 300001');
    expect(packFiles().filter((f) => f.endsWith('.nq')).length).toBe(partitions.length);
    await expectReference(['index only'], ' LIMIT 300002');
  }, 300_000);
});
