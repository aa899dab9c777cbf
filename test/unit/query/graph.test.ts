// The RDF dataset of a directory: originals kept, TROv 0.1 views by the shipped CONSTRUCT (batched), index, links, cache.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser, type Quad, type Store } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Corpus, GRAPH_CACHE_VERSION, buildDatasetNQuads, INDEX_GRAPH, LINKS_GRAPH, PTQ_NS, RDF_TYPE, answerQuery, loadCorpus, parseUserQuery, quadsToNQuads, viewGraphIri } from '../../../src/index.js';
import { datasetStore } from '../../support/dataset.js';

const FILES: Record<string, string> = {
  'pe.jsonld': 'fixtures/policyengine-py/shipped/us.trace.tro.jsonld',
  'trov.jsonld': 'fixtures/trace/tro-utils/GENERATED__tro-utils-HEAD-95ec41b-models-example.jsonld',
  'trov-base.jsonld': 'fixtures/trace/spec-tro-checks/candidates__02-spec-example-2026-04-08-with-base-and-hashes.jsonld',
  'old.jsonld': 'fixtures/trace/trov-demos/demo__02-tro-examples__02-three-artifacts-one-trp__tro__tro.jsonld',
  'manifest.json': 'fixtures/policyengine-py/shipped/manifest.json',
};

const MICROCOSM = JSON.stringify({
  '@context': [{ pop: 'https://microcosm.institute/trace/0.1#', trov: 'https://w3id.org/trace/trov/0.1#' }],
  '@graph': [
    {
      '@id': 'tro',
      '@type': 'trov:TransparentResearchObject',
      'trov:hasComposition': { '@id': 'composition/1', 'trov:hasArtifact': [{ '@id': 'composition/1/artifact/in', 'trov:sha256': 'a'.repeat(64) }] },
      'trov:hasArrangement': [
        { '@id': 'arrangement/1', 'trov:hasArtifactLocation': [{ '@id': 'arrangement/1/location/in', 'trov:hasArtifact': { '@id': 'composition/1/artifact/in' }, 'trov:hasLocation': 'https://doi.org/x', 'pop:accessRestricted': true }] },
      ],
      'trov:hasPerformance': { '@id': 'trp/1', '@type': 'trov:TransparentResearchPerformance', 'pop:buildId': 'm1' },
    },
  ],
});

let root: string;
let dir: string;
let corpus: Corpus;
let store: Store;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pe-trace-graph-'));
  dir = join(root, 'corpus');
  mkdirSync(dir);
  for (const [name, src] of Object.entries(FILES)) cpSync(src, join(dir, name));
  writeFileSync(join(dir, 'microcosm.jsonld'), MICROCOSM);
  corpus = await loadCorpus(dir);
  store = (await datasetStore(corpus, { dir, graphs: 'all' })).store;
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

const graphOf = (name: string): string => corpus.documents.find((d) => d.path === name)?.graph ?? '';
const viewOf = (name: string): string => viewGraphIri(corpus.documents.find((d) => d.path === name)?.sha256 ?? '');

async function select(text: string): Promise<string[][]> {
  const a = await answerQuery(store, parseUserQuery(text));
  if (a.form !== 'SELECT') throw new Error('not a select');
  return a.results.results.bindings.map((b) => a.results.head.vars.map((v) => b[v]?.value ?? ''));
}

/** N-Quads of a graph with blank-node labels blanked, sorted: comparable across runs. */
function graphText(s: Store, graph: string): string {
  const quads = s.getQuads(null, null, null, graph) as Quad[];
  return quadsToNQuads(quads).split('\n').map((l) => l.replace(/_:\S+/g, '_:b')).sort().join('\n');
}

describe('buildDatasetNQuads', () => {
  it('normalises every dialect to trov:hash / trov:hashValue in the view, matching the extracted hashes', async () => {
    for (const name of ['pe.jsonld', 'trov.jsonld', 'trov-base.jsonld', 'old.jsonld', 'microcosm.jsonld']) {
      const rows = await select(`PREFIX trov: <https://w3id.org/trace/trov/0.1#> SELECT DISTINCT ?v WHERE { GRAPH <${viewOf(name)}> { ?c trov:hasArtifact ?a . ?a trov:hash ?h . ?h trov:hashValue ?v } } ORDER BY ?v`);
      const doc = corpus.documents.find((d) => d.path === name);
      const expected = [...new Set(doc?.artifacts.flatMap((a) => a.sha256.map((h) => h.value)))].sort();
      expect({ name, hashes: rows.map((r) => r[0]) }).toEqual({ name, hashes: expected });
      expect(expected.length).toBeGreaterThan(0);
    }
  });

  it('writes locations as trov:artifact + trov:path whatever the dialect spelled', async () => {
    const rows = await select(`PREFIX trov: <https://w3id.org/trace/trov/0.1#> SELECT ?p WHERE { GRAPH <${viewOf('pe.jsonld')}> { ?l trov:artifact ?a ; trov:path ?p } } ORDER BY ?p`);
    expect(rows.map((r) => r[0])).toEqual([
      'data/bundle/manifest.json',
      'https://files.pythonhosted.org/packages/e2/5a/0566666f30ad06e416f0cf25b24bdee73acd71897fb2de3c0ac43b59e3e3/policyengine_us-1.764.6-py3-none-any.whl',
      'https://huggingface.co/datasets/policyengine/populace-us/resolve/populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z/populace_us_2024.h5',
      'https://huggingface.co/datasets/policyengine/populace-us/resolve/populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z/releases/populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z/release_manifest.json',
    ]);
    const old = await select(`PREFIX trov: <https://w3id.org/trace/trov/0.1#> SELECT (COUNT(*) AS ?n) WHERE { GRAPH <${viewOf('old.jsonld')}> { ?t a trov:TransparentResearchObject } }`);
    expect(old).toEqual([['1']]);
  });

  it('rewrites pop: terms from microcosm.institute to populace.dev in the view, and keeps the original', async () => {
    const view = await select(`SELECT ?p WHERE { GRAPH <${viewOf('microcosm.jsonld')}> { ?s ?p ?o FILTER(CONTAINS(STR(?p), "/trace/0.1#")) } } ORDER BY ?p`);
    expect(view.map((r) => r[0])).toEqual(['https://populace.dev/trace/0.1#accessRestricted', 'https://populace.dev/trace/0.1#buildId']);
    const original = await select(`SELECT ?p WHERE { GRAPH <${graphOf('microcosm.jsonld')}> { ?s ?p ?o FILTER(CONTAINS(STR(?p), "microcosm.institute")) } } ORDER BY ?p`);
    expect(original.map((r) => r[0])).toEqual(['https://microcosm.institute/trace/0.1#accessRestricted', 'https://microcosm.institute/trace/0.1#buildId']);
  });

  it('gives each view the same triples whether computed in a batch or alone', async () => {
    for (const name of ['pe.jsonld', 'trov.jsonld', 'trov-base.jsonld', 'microcosm.jsonld']) {
      const single = join(root, `single-${name}`);
      mkdirSync(single);
      cpSync(join(dir, name), join(single, name));
      const alone = (await datasetStore(await loadCorpus(single), { dir: single, graphs: 'all' })).store;
      expect(graphText(alone, viewOf(name))).toBe(graphText(store, viewOf(name)));
    }
  });

  it('lifts manifests into their own graph and indexes every document', async () => {
    const manifestTriples = await select(`SELECT (COUNT(*) AS ?n) WHERE { GRAPH <${graphOf('manifest.json')}> { ?s ?p ?o } }`);
    expect(Number(manifestTriples[0]?.[0])).toBeGreaterThan(100);
    const docs = await select(`PREFIX ptq: <https://w3id.org/pe-trace/query#> SELECT ?path ?kind WHERE { GRAPH <${INDEX_GRAPH}> { ?d ptq:path ?path ; ptq:documentKind ?kind } } ORDER BY ?path`);
    expect(docs).toEqual([
      ['manifest.json', 'bundle-manifest'],
      ['microcosm.jsonld', 'tro'],
      ['old.jsonld', 'tro'],
      ['pe.jsonld', 'tro'],
      ['trov-base.jsonld', 'tro'],
      ['trov.jsonld', 'tro'],
    ]);
    const links = await select(`PREFIX ptq: <https://w3id.org/pe-trace/query#> SELECT ?v WHERE { GRAPH <${LINKS_GRAPH}> { ?l a ptq:HashMatch ; ptq:relation ptq:fileContent ; ptq:matchedValue ?v } }`);
    expect(links).toEqual([['6f113d9388d2b3dcc6a073a28ba3d0ae50b0cd32a317a574a38d6a673f96bfa6']]);
  });

  it('uses only ptq: terms vocab/links.ttl defines', async () => {
    const vocab = new Parser().parse(readFileSync('vocab/links.ttl', 'utf8'));
    const defined = new Set(vocab.filter((q) => q.predicate.value === RDF_TYPE).map((q) => q.subject.value));
    const used = new Set<string>();
    for (const g of [INDEX_GRAPH, LINKS_GRAPH]) {
      for (const q of store.getQuads(null, null, null, g)) {
        if (q.predicate.value.startsWith(PTQ_NS)) used.add(q.predicate.value);
        if (q.predicate.value === RDF_TYPE && q.object.value.startsWith(PTQ_NS)) used.add(q.object.value);
      }
    }
    expect(used.size).toBeGreaterThan(30);
    expect([...used].filter((t) => !defined.has(t))).toEqual([]);
  });

  it('builds views with the same bytes every time (blank nodes the view mints are labelled by document and order)', async () => {
    const a = (await datasetStore(corpus, { dir, graphs: 'all' })).store;
    const b = (await datasetStore(corpus, { dir, graphs: 'all' })).store;
    for (const d of corpus.documents) expect(graphText(b, viewGraphIri(d.sha256))).toBe(graphText(a, viewGraphIri(d.sha256)));
    const minted = a.getQuads(null, null, null, null).filter((q) => q.object.termType === 'BlankNode' && q.object.value.startsWith('view'));
    for (const q of minted) expect(q.object.value).toMatch(/^view[0-9a-f]{16}_\d+$/);
  });

  it('gives the view of a TRO with its own @base the same bytes on every build (minted blank nodes not labelled by the engine)', async () => {
    // The dataset's own N-Quads lines (no parser in between, which would relabel blank nodes itself).
    const lines = async (): Promise<string[]> => (await buildDatasetNQuads(corpus, { dir, graphs: 'all' })).parts.join('').split('\n');
    const raw = (all: readonly string[], graph: string): string => all.filter((l) => l.endsWith(` <${graph}> .`)).join('\n');
    const a = await lines();
    const b = await lines();
    for (const d of corpus.documents) expect(raw(b, viewGraphIri(d.sha256)), d.paths[0]).toBe(raw(a, viewGraphIri(d.sha256)));
    const own = viewOf('trov-base.jsonld');
    const blanks = raw(a, own).match(/_:\S+/g) ?? [];
    expect(blanks.length).toBeGreaterThan(0);
    for (const t of blanks) expect(t.slice(2)).toMatch(/^view[0-9a-f]{16}_\d+$/);
  });

  it("builds the same graphs from the directory's index, without lifting again", async () => {
    const cache = join(root, 'cache');
    const built = await datasetStore(corpus, { dir, graphs: 'all', cacheDir: cache });
    const first = built.store;
    const entries = readdirSync(join(cache, 'index-v1'), { recursive: true }).filter((f) => String(f).endsWith('.nq'));
    expect(entries.length).toBeGreaterThan(6);
    expect(existsSync(join(cache, `graph-v${GRAPH_CACHE_VERSION}`))).toBe(false);
    // The second build reads the index: it succeeds even with the source files gone.
    const moved = join(root, 'gone');
    cpSync(dir, moved, { recursive: true });
    rmSync(dir, { recursive: true });
    const rebuilt = await datasetStore(corpus, { dir, graphs: 'all', cacheDir: cache });
    const second = rebuilt.store;
    cpSync(moved, dir, { recursive: true });
    expect(rebuilt.warnings).toEqual(built.warnings);
    expect(built.warnings.length).toBeGreaterThan(0); // trov-base.jsonld sets its own @base: the lift says so
    expect(second.size).toBe(first.size);
    for (const d of corpus.documents) {
      expect(graphText(second, d.graph)).toBe(graphText(first, d.graph));
      expect(graphText(second, viewGraphIri(d.sha256))).toBe(graphText(first, viewGraphIri(d.sha256)));
    }
    expect(existsSync(join(cache, 'facts-v1'))).toBe(false);
  });
});
