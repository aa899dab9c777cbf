// The partitioned directory index: answers equal the no-cache path, changed and removed files leave no old quads, a variable predicate sees everything.
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_CACHE_VERSION, findNamedQuery, loadCorpus, parseUserQuery, queryDirectory } from '../../../src/index.js';
import { PartitionIndex } from '../../../src/query/partitions.js';

const P = 'PREFIX trov: <https://w3id.org/trace/trov/0.1#> PREFIX ptq: <https://w3id.org/pe-trace/query#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> ';
const SHAPES: Record<string, string> = {
  'constant predicate': `${P}SELECT ?a ?h WHERE { ?a trov:sha256 ?h }`,
  'GRAPH ?g aggregate': `${P}SELECT ?g (COUNT(?a) AS ?n) WHERE { GRAPH ?g { ?c trov:hasArtifact ?a } } GROUP BY ?g`,
  '?p FILTER': `${P}SELECT ?s ?o WHERE { ?s ?p ?o FILTER(?p = trov:hasLocation) }`,
  'property path': `${P}SELECT ?tro ?a WHERE { ?tro trov:hasComposition/trov:hasArtifact ?a }`,
  'rdf:type class': `${P}SELECT ?t WHERE { ?t a trov:TransparentResearchObject }`,
  'rdf:type any class': `${P}SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c`,
  'variable predicate': `${P}SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g`,
  'index and documents': `${P}SELECT ?d ?k ?tro WHERE { ?d ptq:documentKind ?k . OPTIONAL { GRAPH ?d { ?tro a trov:TransparentResearchObject } } }`,
  CONSTRUCT: `${P}CONSTRUCT { ?a trov:sha256 ?h } WHERE { ?a trov:sha256 ?h }`,
  ASK: `${P}ASK { ?l trov:hasLocation ?x }`,
};

let root: string;
let dir: string;
let cache: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pe-trace-partitions-'));
  dir = join(root, 'corpus');
  cache = join(root, 'cache');
  cpSync('fixtures/corpus', dir, { recursive: true });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An answer as sorted lines (row order is the engine's, not part of the answer unless the query orders it). */
async function answer(text: string, cacheDir: string | undefined): Promise<{ rows: string[]; warnings: readonly string[] }> {
  const r = await queryDirectory(dir, parseUserQuery(text), cacheDir === undefined ? {} : { cacheDir });
  const a = r.answer;
  const rows =
    a.form === 'SELECT'
      ? a.results.results.bindings.map((b) => JSON.stringify(a.results.head.vars.map((v) => b[v] ?? null)))
      : a.form === 'ASK'
        ? [String(a.boolean)]
        : a.nquads.split('\n').filter((l) => l !== '');
  return { rows: rows.sort(), warnings: r.warnings };
}

/** Every line the index holds for the directory, read as a variable-predicate query would. */
function indexLines(): string[] {
  const index = PartitionIndex.open(cache, realpathSync(dir), GRAPH_CACHE_VERSION);
  return (index.read(undefined) ?? []).join('').split('\n').filter((l) => l !== '');
}

async function expectSameAnswers(names: readonly string[] = Object.keys(SHAPES)): Promise<void> {
  for (const name of names) {
    const text = SHAPES[name] ?? '';
    // A fresh cache directory for the answers would hide nothing: the answer cache is keyed by the corpus digest,
    // and every call here follows a change. The no-cache path is the reference.
    const indexed = await answer(text, cache);
    const reference = await answer(text, undefined);
    expect(indexed.rows, name).toEqual(reference.rows);
    expect(indexed.warnings, name).toEqual(reference.warnings);
  }
}

const docSha = async (path: string): Promise<string> => (await loadCorpus(dir)).documents.find((d) => d.paths.includes(path))?.sha256 ?? '';

describe('partitioned directory index', () => {
  it('gives the same answers as the no-cache path on the example corpus, for every query shape', async () => {
    await expectSameAnswers();
    const named = findNamedQuery('runs-of-bundle') ?? findNamedQuery('builds');
    expect(named).toBeDefined();
    const text = named?.text ?? '';
    const indexed = await answer(text, cache);
    expect(indexed.rows).toEqual((await answer(text, undefined)).rows);
    // Every document's graph and view lines are in the index, each in the partition of its predicate.
    expect(indexLines().length).toBeGreaterThan(1000);
  }, 300_000);

  it('reads only the partitions a constant-predicate question can match', () => {
    const index = PartitionIndex.open(cache, realpathSync(dir), GRAPH_CACHE_VERSION);
    const lines = (index.read({ predicates: new Set(['https://w3id.org/trace/trov/0.1#hasLocation']) }) ?? []).join('').split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.includes(' <https://w3id.org/trace/trov/0.1#hasLocation> '))).toBe(true);
    const types = (index.read({ predicates: new Set(['http://www.w3.org/1999/02/22-rdf-syntax-ns#type']), typeClasses: new Set(['https://w3id.org/trace/trov/0.1#TransparentResearchObject']) }) ?? []).join('');
    expect(types).toContain('#TransparentResearchObject> ');
    expect(types).not.toContain('#ArtifactComposition> ');
  });

  it("drops a changed file's old quads and adds its new ones; answers still equal the no-cache path", async () => {
    const file = 'real/policyengine-py/run-record/run.trace.tro.jsonld';
    const before = await docSha(file);
    expect(indexLines().some((l) => l.includes(before))).toBe(true);
    const text = readFileSync(join(dir, file), 'utf8');
    const changed = text.replace(/"trov:hasLocation"\s*:\s*"([^"]*)"/, '"trov:hasLocation": "$1-moved"');
    expect(changed).not.toBe(text);
    writeFileSync(join(dir, file), changed);
    await expectSameAnswers(['?p FILTER', 'variable predicate', 'rdf:type class']);
    const after = await docSha(file);
    expect(after).not.toBe(before);
    const lines = indexLines();
    expect(lines.some((l) => l.includes(before))).toBe(false);
    expect(lines.some((l) => l.includes(after) && l.includes('-moved"'))).toBe(true);
  }, 300_000);

  it("drops a removed file's quads, and takes them back when the file returns", async () => {
    const file = 'real/policyengine-py/web-run/simulation.trace.tro.jsonld';
    const sha = await docSha(file);
    const kept = readFileSync(join(dir, file));
    rmSync(join(dir, file));
    await expectSameAnswers(['GRAPH ?g aggregate', 'variable predicate']);
    expect(indexLines().some((l) => l.includes(sha))).toBe(false);
    writeFileSync(join(dir, file), kept);
    await expectSameAnswers(['GRAPH ?g aggregate', 'variable predicate', 'CONSTRUCT']);
    expect(indexLines().some((l) => l.includes(sha))).toBe(true);
  }, 300_000);

  it("keeps the lines another document wrote into a removed document's graph (JSON-LD names its own graphs)", async () => {
    const file = 'real/policyengine-py/web-run/simulation.trace.tro.jsonld';
    const sha = await docSha(file);
    // A TRO whose top-level node names the removed document's graph: its quads live there, under that sha256.
    const claiming = {
      '@context': [{ trov: 'https://w3id.org/trace/trov/0.1#', schema: 'https://schema.org/' }],
      '@id': `https://pe-trace.invalid/doc/${sha}/`,
      '@graph': [{ '@id': 'claimed', '@type': 'trov:TransparentResearchObject', 'schema:name': 'written into another graph' }],
    };
    writeFileSync(join(dir, 'claims.trace.tro.jsonld'), JSON.stringify(claiming));
    await expectSameAnswers(['variable predicate']);
    const kept = readFileSync(join(dir, file));
    rmSync(join(dir, file));
    // The index cannot drop the removed document's lines by the sha256 in their graph without dropping these too.
    await expectSameAnswers(['GRAPH ?g aggregate', 'variable predicate', 'rdf:type class']);
    expect(indexLines().some((l) => l.includes('written into another graph'))).toBe(true);
    writeFileSync(join(dir, file), kept);
    rmSync(join(dir, 'claims.trace.tro.jsonld'));
    await expectSameAnswers(['variable predicate']);
    // Both in one update: the document goes (its sha256 on the dead lists) while the one writing into its graph comes.
    rmSync(join(dir, file));
    writeFileSync(join(dir, 'claims.trace.tro.jsonld'), JSON.stringify(claiming));
    await expectSameAnswers(['GRAPH ?g aggregate', 'variable predicate']);
    expect(indexLines().some((l) => l.includes('written into another graph'))).toBe(true);
    writeFileSync(join(dir, file), kept);
    rmSync(join(dir, 'claims.trace.tro.jsonld'));
    await expectSameAnswers(['variable predicate']);
  }, 300_000);

  it('rebuilds from the per-file graphs when a partition file is gone', async () => {
    const root1 = join(cache, 'index-v1');
    const [key] = readdirSync(root1);
    const nq = readdirSync(join(root1, key ?? '')).filter((f) => f.endsWith('.nq'));
    expect(nq.length).toBeGreaterThan(0);
    for (const f of nq) rmSync(join(root1, key ?? '', f));
    // A new question (no stored answer) over the unchanged directory.
    const text = `${SHAPES['variable predicate'] ?? ''} ORDER BY ?g`;
    expect((await answer(text, cache)).rows).toEqual((await answer(text, undefined)).rows);
  }, 300_000);
});

describe('PartitionIndex updates', () => {
  const sha = (i: number): string => i.toString(16).padStart(64, '0');
  const graphs = (i: number, label = 'v'): string =>
    `<https://pe-trace.invalid/doc/${sha(i)}/#a> <urn:p> "${label}${i}" <https://pe-trace.invalid/doc/${sha(i)}/> .\n` +
    `<https://pe-trace.invalid/doc/${sha(i)}/#a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:C${i % 2}> <https://pe-trace.invalid/view/${sha(i)}/> .\n`;
  async function* lift(keys: readonly number[]): AsyncGenerator<{ key: string; sha256: string; nquads: string; warnings: string[] }> {
    for (const i of keys) yield { key: `${sha(i)}.json-ld`, sha256: sha(i), nquads: graphs(i), warnings: i === 3 ? ['w3'] : [] };
  }
  const docs = (keys: readonly number[]): Map<string, string> => new Map(keys.map((i) => [`${sha(i)}.json-ld`, sha(i)]));
  const lines = (index: PartitionIndex, needs?: Parameters<PartitionIndex['read']>[0]): string[] =>
    (index.read(needs) ?? []).join('').split('\n').filter((l) => l !== '').sort();

  it('stays equal to a fresh build through many small updates (segments and dead lists compacted past their bounds)', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'pe-trace-partitions-unit-'));
    try {
      let live: number[] = [];
      // 100 rounds: each adds two documents and removes the oldest when more than 5 live (dead lists grow past 64).
      for (let round = 0; round < 100; round++) {
        const before = new Set(live);
        live = [...live, 2 * round, 2 * round + 1];
        if (live.length > 5) live = live.slice(2);
        const index = PartitionIndex.open(cacheDir, '/virtual/dir', '2');
        const plan = index.plan(docs(live));
        expect(plan.add.length).toBe(live.filter((i) => !before.has(i)).length);
        expect(await index.update(docs(live), lift(live.filter((i) => !before.has(i))))).toBe(true);
      }
      const index = PartitionIndex.open(cacheDir, '/virtual/dir', '2');
      const expected = live.flatMap((i) => graphs(i).split('\n')).filter((l) => l !== '').sort();
      expect(lines(index)).toEqual(expected);
      expect(lines(index, { predicates: new Set(['urn:p']) })).toEqual(expected.filter((l) => l.includes('<urn:p>')));
      expect(lines(index, { predicates: new Set(['http://www.w3.org/1999/02/22-rdf-syntax-ns#type']), typeClasses: new Set(['urn:C1']) })).toEqual(expected.filter((l) => l.includes('<urn:C1>')));
      // Bounded: no partition keeps more than its file bound, and replaced files are deleted.
      const files = readdirSync(join(cacheDir, 'index-v1'), { recursive: true }).filter((f) => String(f).endsWith('.nq'));
      expect(files.length).toBeLessThanOrEqual(3 * 9);
      // A removed document's lines are gone even though the old files held them.
      expect(lines(index).some((l) => l.includes(sha(0)))).toBe(false);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('keeps warnings per document, and a removed document comes back with its lines', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'pe-trace-partitions-unit-'));
    try {
      const open = (): PartitionIndex => PartitionIndex.open(cacheDir, '/virtual/dir', '2');
      expect(await open().update(docs([1, 2, 3]), lift([1, 2, 3]))).toBe(true);
      expect(open().warnings(`${sha(3)}.json-ld`)).toEqual(['w3']);
      expect(await open().update(docs([1, 2]), lift([]))).toBe(true);
      expect(open().warnings(`${sha(3)}.json-ld`)).toBeUndefined();
      expect(lines(open()).some((l) => l.includes(sha(3)))).toBe(false);
      expect(await open().update(docs([1, 2, 3]), lift([3]))).toBe(true);
      expect(lines(open()).filter((l) => l.includes(sha(3)))).toHaveLength(2);
      // Files no manifest names (a concurrent run's lost race, a crash) are swept once old; young ones may be in flight.
      const [key] = readdirSync(join(cacheDir, 'index-v1'));
      const orphan = (name: string, ageMs: number): string => {
        const path = join(cacheDir, 'index-v1', key ?? '', name);
        writeFileSync(path, '<urn:s> <urn:p> <urn:o> .\n');
        const at = new Date(Date.now() - ageMs);
        utimesSync(path, at, at);
        return path;
      };
      const old = orphan('0-orphan.nq', 3_600_000);
      const young = orphan('0-young.nq', 0);
      expect(await open().update(docs([1, 2]), lift([]))).toBe(true);
      expect(existsSync(old)).toBe(false);
      expect(existsSync(young)).toBe(true);
      expect(lines(open()).some((l) => l.includes('urn:s'))).toBe(false);
      // A different graph-rule version is a different index: nothing is covered.
      expect(PartitionIndex.open(cacheDir, '/virtual/dir', '3').plan(docs([1, 2])).add).toHaveLength(2);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
