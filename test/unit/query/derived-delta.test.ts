// The index and links graphs' line difference computed from the changed documents (derived-delta.ts) equals the difference between two fresh computations, over seeded random sequences of changes on a generated corpus and on fixtures/.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../../bench/query.js';
import { type Corpus, loadCorpus } from '../../../src/query/corpus.js';
import { uriKey } from '../../../src/query/uri.js';
import { derivedDelta, flowLines } from '../../../src/query/derived-delta.js';
import { buildDatasetNQuads, indexAndLinkLines } from '../../../src/query/graph.js';
import { buildFlow } from '../../../src/query/flow.js';
import { deriveLinks, flowLinks } from '../../../src/query/links.js';
import { REPO_ROOT } from '../../support/cli.js';

let work = '';
let cache = '';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'pe-trace-delta-'));
  cache = join(work, 'cache');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const freshLines = (c: Corpus): Set<string> => new Set([...indexAndLinkLines(c).values()].flat());

/** Checks one step: the delta from `before` to the directory now equals the difference of two fresh computations. */
async function step(dir: string, before: Corpus, label: string): Promise<Corpus> {
  const after = await loadCorpus(dir, { cacheDir: cache });
  // The flow from its region always (share 1): the region path is the one under test; the whole one is flowLines.
  const delta = derivedDelta(before.documents, flowLines(before), after, 1);
  const old = freshLines(before);
  const now = freshLines(after);
  expect([...delta.flow].sort(), `${label}: the flow after`).toEqual([...flowLines(after)].sort());
  expect(new Set(delta.removed).size, `${label}: a line removed twice`).toBe(delta.removed.length);
  expect(new Set(delta.added).size, `${label}: a line added twice`).toBe(delta.added.length);
  expect([...delta.removed].sort(), `${label}: removed`).toEqual([...old].filter((l) => !now.has(l)).sort());
  expect([...delta.added].sort(), `${label}: added`).toEqual([...now].filter((l) => !old.has(l)).sort());
  return after;
}

/** A small LCG: the same sequence on every run. */
function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
}

function filesUnder(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const r = rel === '' ? name : `${rel}/${name}`;
    if (statSync(join(dir, r)).isDirectory()) out.push(...filesUnder(dir, r));
    else if (/\.(json|jsonld|ttl|nt)$/.test(name)) out.push(r);
  }
  return out;
}

/** A TRO whose artifact has an absolute `@id`: two such documents state the same index triples about it. */
function sharedIdTro(name: string, sha: string): string {
  return `${JSON.stringify({
    '@context': [{ trov: 'https://w3id.org/trace/trov/0.1#', schema: 'https://schema.org/' }],
    '@graph': [
      {
        '@id': 'tro',
        '@type': 'trov:TransparentResearchObject',
        'schema:name': name,
        'trov:hasComposition': {
          '@id': 'composition/1',
          '@type': 'trov:ArtifactComposition',
          'trov:hasArtifact': [{ '@id': 'https://example.org/shared/artifact', '@type': 'trov:ResearchArtifact', 'trov:sha256': sha, 'trov:mimeType': 'text/plain' }],
        },
        'trov:hasArrangement': [
          {
            '@id': 'arrangement/0',
            '@type': 'trov:ArtifactArrangement',
            'trov:hasArtifactLocation': [{ '@id': 'arrangement/0/location/0', '@type': 'trov:ArtifactLocation', 'trov:hasArtifact': { '@id': 'https://example.org/shared/artifact' }, 'trov:hasLocation': 'https://example.org/shared/file.csv' }],
          },
        ],
      },
    ],
  })}\n`;
}

/** One random change: content, removal, duplicate, rename, re-pointed build, a new document linking elsewhere. */
function mutate(dir: string, next: (n: number) => number, round: number): string {
  const present = filesUnder(dir);
  const pick = (): string => present[next(present.length)] ?? present[0] ?? '';
  const f = pick();
  const path = join(dir, f);
  switch (next(7)) {
    case 0:
      writeFileSync(path, `${readFileSync(path, 'utf8')} `);
      return `touched ${f}`;
    case 1:
      rmSync(path);
      return `removed ${f}`;
    case 2:
      cpSync(path, join(dirname(path), `copy-${round}-${basename(f)}`));
      return `duplicated ${f}`;
    case 3:
      renameSync(path, join(dirname(path), `renamed-${round}-${basename(f)}`));
      return `renamed ${f}`;
    case 4: {
      // re-points a build id or a location at another chain: the document's links move to that chain's groups
      const text = readFileSync(path, 'utf8');
      const other = next(30);
      writeFileSync(path, text.replace(/bench-build-\d+/g, `bench-build-${other}`));
      return `re-pointed ${f} at chain ${other}`;
    }
    case 5: {
      // a copy of another document, changed: a new member of every group the original is in
      const text = readFileSync(path, 'utf8');
      writeFileSync(join(dirname(path), `variant-${round}-${basename(f)}`), text.replace(/"schema:name": "/, `"schema:name": "variant ${round} `));
      return `variant of ${f}`;
    }
    default: {
      const target = join(dir, `shared-${next(3)}.trace.tro.jsonld`);
      writeFileSync(target, sharedIdTro(`shared ${round}`, next(2) === 0 ? 'ab'.repeat(32) : 'cd'.repeat(32)));
      return `wrote ${basename(target)} (an artifact IRI another document states too)`;
    }
  }
}

/** A TRO with one artifact stated at every location of `locations` (one ArtifactLocation each). */
function locatedTro(name: string, locations: readonly string[]): string {
  return `${JSON.stringify({
    '@context': [{ trov: 'https://w3id.org/trace/trov/0.1#', schema: 'https://schema.org/' }],
    '@graph': [
      {
        '@id': 'tro',
        '@type': 'trov:TransparentResearchObject',
        'schema:name': name,
        'trov:hasComposition': { '@id': 'composition/1', '@type': 'trov:ArtifactComposition', 'trov:hasArtifact': [{ '@id': 'composition/1/artifact/0', '@type': 'trov:ResearchArtifact', 'trov:sha256': 'ef'.repeat(32), 'trov:mimeType': 'text/plain' }] },
        'trov:hasArrangement': [
          {
            '@id': 'arrangement/0',
            '@type': 'trov:ArtifactArrangement',
            'trov:hasArtifactLocation': locations.map((l, i) => ({ '@id': `arrangement/0/location/${i}`, '@type': 'trov:ArtifactLocation', 'trov:hasArtifact': { '@id': 'composition/1/artifact/0' }, 'trov:hasLocation': l })),
          },
        ],
      },
    ],
  })}\n`;
}

/** The node every same-location link of `location`'s group names (the hub of its star), if there is one. */
function hubOf(c: Corpus, location: string): string | undefined {
  const links = c.links.filter((l) => l.relation === 'same-location' && l.value === uriKey(location));
  const [first] = links;
  if (first === undefined) return undefined;
  return [first.source.node, first.target.node].find((n) => links.every((l) => l.source.node === n || l.target.node === n));
}

describe('derivedDelta equals the difference of two fresh computations', () => {
  it('on a generated corpus with star groups: hostile steps, then seeded random sequences', async () => {
    const dir = join(work, 'generated');
    generateCorpus(dir, 300);
    let corpus = await loadCorpus(dir, { cacheDir: cache });
    // an artifact IRI stated by two documents, then one of them removed: the shared triples must stay
    writeFileSync(join(dir, 'shared-a.trace.tro.jsonld'), sharedIdTro('a', 'ab'.repeat(32)));
    writeFileSync(join(dir, 'shared-b.trace.tro.jsonld'), sharedIdTro('b', 'ab'.repeat(32)));
    corpus = await step(dir, corpus, 'two documents sharing an artifact IRI');
    rmSync(join(dir, 'shared-a.trace.tro.jsonld'));
    corpus = await step(dir, corpus, 'one of them removed');
    // a changed document now linking to another chain; a removed document that was the only end of links
    const manifest = join(dir, 'chain-3', 'release_manifest.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replaceAll('bench-build-3', 'bench-build-4'));
    rmSync(join(dir, 'chain-5', 'bundle.trace.tro.jsonld'));
    corpus = await step(dir, corpus, 'a manifest re-pointed, a bundle removed');
    // one content under two paths, then one path removed
    cpSync(join(dir, 'chain-6', 'build.trace.tro.jsonld'), join(dir, 'chain-6', 'build-copy.trace.tro.jsonld'));
    corpus = await step(dir, corpus, 'a duplicate');
    rmSync(join(dir, 'chain-6', 'build.trace.tro.jsonld'));
    corpus = await step(dir, corpus, 'the first path of the duplicate removed');
    // chain 0's ten files changed (the bench's step)
    for (const f of filesUnder(dir, 'chain-0')) writeFileSync(join(dir, f), `${readFileSync(join(dir, f), 'utf8')} `);
    corpus = await step(dir, corpus, "chain 0's files changed");
    for (const seed of [1, 15, 99]) {
      const next = random(seed);
      for (let round = 0; round < 6; round++) {
        const done = [mutate(dir, next, round), ...(next(2) === 0 ? [mutate(dir, next, round + 100)] : [])];
        corpus = await step(dir, corpus, `seed ${seed} round ${round}: ${done.join(', ')}`);
      }
    }
  }, 240_000);

  it('on the fixtures corpus: seeded random sequences, and back to where it started', async () => {
    const dir = join(work, 'fixtures');
    cpSync(join(REPO_ROOT, 'fixtures', 'corpus'), dir, { recursive: true });
    const start = await loadCorpus(dir, { cacheDir: cache });
    let corpus = start;
    for (const seed of [3, 7]) {
      const next = random(seed);
      for (let round = 0; round < 8; round++) corpus = await step(dir, corpus, `seed ${seed} round ${round}: ${mutate(dir, next, round)}`);
    }
    // the whole way back in one step: every change at once
    rmSync(dir, { recursive: true });
    cpSync(join(REPO_ROOT, 'fixtures', 'corpus'), dir, { recursive: true });
    await step(dir, corpus, 'back to the fixtures');
    expect(start.documents.length).toBeGreaterThan(10);
  }, 240_000);

  it('the kept pack, advanced by each difference (segments, dead lines, compaction), reads as a fresh computation', async () => {
    const dir = join(work, 'kept');
    const packCache = join(work, 'kept-cache');
    generateCorpus(dir, 150);
    const next = random(42);
    let advanced = 0;
    const restored = join(dir, 'chain-2', 'run-0.trace.tro.jsonld');
    const text = readFileSync(restored, 'utf8');
    // a removed document's lines come back when it does (they are on the dead list until then)
    const scripted: Record<number, () => string> = {
      3: () => (rmSync(restored), 'chain-2/run-0 removed'),
      4: () => (writeFileSync(restored, text), 'chain-2/run-0 back'),
    };
    for (let round = 0; round < 14; round++) {
      const done = round === 0 ? 'first' : (scripted[round]?.() ?? mutate(dir, next, round));
      const corpus = await loadCorpus(dir, { cacheDir: packCache });
      const { parts, derived } = await buildDatasetNQuads(corpus, { dir, cacheDir: packCache, keepDerived: true, graphs: 'index' });
      const read = new Set(parts.slice(0, derived).join('').split('\n').filter((l) => l !== ''));
      expect([...read].sort(), `round ${round}: ${done}`).toEqual([...freshLines(corpus)].sort());
      const [key] = readdirSync(join(packCache, 'derived-v2'));
      const manifest = JSON.parse(readFileSync(join(packCache, 'derived-v2', key ?? '', 'manifest.json'), 'utf8')) as { partitions: { files: string[]; dead?: string }[] };
      if (manifest.partitions.some((p) => p.files.length > 1 || p.dead !== undefined)) advanced++;
    }
    // the difference path was taken (not a whole rewrite every time)
    expect(advanced).toBeGreaterThan(5);
  }, 240_000);

  it('keeps a direct triple a group untouched by the change still states when a star re-wires around a new hub', async () => {
    // H and Y share two locations: a star of 20 (L1, H its hub) and a pair (L2). Both state `H ptq:sameLocation Y`.
    // A new member of the star with a lower rank becomes its hub: the star no longer states that triple, the pair does.
    const dir = join(work, 'two-groups');
    const L1 = 'https://example.org/star/file.csv';
    const L2 = 'https://example.org/pair/file.csv';
    mkdirSync(dir);
    for (let i = 0; i < 18; i++) writeFileSync(join(dir, `s-${String(i).padStart(2, '0')}.trace.tro.jsonld`), locatedTro(`star ${i}`, [L1]));
    writeFileSync(join(dir, 'b-y.trace.tro.jsonld'), locatedTro('y', [L1, L2]));
    const node = (c: Corpus, path: string): string | undefined => c.documents.find((d) => d.path === path)?.artifacts[0]?.iri;
    let corpus: Corpus | undefined;
    for (let i = 0; i < 400; i++) {
      writeFileSync(join(dir, 'a-h.trace.tro.jsonld'), locatedTro(`h ${i}`, [L1, L2]));
      const c = await loadCorpus(dir, { cacheDir: cache });
      if (hubOf(c, L1) === node(c, 'a-h.trace.tro.jsonld')) {
        corpus = c;
        break;
      }
    }
    if (corpus === undefined) throw new Error('no variant of H was the hub of the star');
    const direct = [...freshLines(corpus)].filter((l) => l.includes('#sameLocation>') && l.startsWith(`<${node(corpus as Corpus, 'a-h.trace.tro.jsonld') ?? ''}> `));
    expect(direct.some((l) => l.includes(node(corpus as Corpus, 'b-y.trace.tro.jsonld') ?? 'missing'))).toBe(true);
    for (let i = 0; i < 400; i++) {
      writeFileSync(join(dir, 'c-new.trace.tro.jsonld'), locatedTro(`c ${i}`, [L1]));
      const c = await loadCorpus(dir, { cacheDir: cache });
      if (hubOf(c, L1) === node(c, 'c-new.trace.tro.jsonld')) break;
    }
    const after = await step(dir, corpus, 'a new hub for the star');
    expect(hubOf(after, L1)).toBe(node(after, 'c-new.trace.tro.jsonld'));
    expect(freshLines(after).has(direct.find((l) => l.includes(node(after, 'b-y.trace.tro.jsonld') ?? 'missing')) ?? '')).toBe(true);
  }, 240_000);
});

describe('the flow from flowLinks equals the flow from every link', () => {
  /** The corpus with only its full links (no flowLinks): what buildFlow read before flowLinks existed. */
  const withAllLinks = (c: Corpus): Corpus => ({ documents: c.documents, links: deriveLinks(c.documents), problems: c.problems, skipped: c.skipped, cacheHits: c.cacheHits });
  const plain = (c: Corpus): unknown => {
    const f = buildFlow(c);
    // Maps as sorted-free arrays in their own order: the transitive reduction depends on edge order, so order is compared too.
    return { groups: [...f.groups], groupOf: [...f.groupOf], edges: [...f.edges].map(([k, v]) => [k, [...v]]), merges: f.merges };
  };

  it('on a generated corpus, the fixtures corpus and a star corpus, evidence, merges and edge order included', async () => {
    const dirs: string[] = [];
    const gen = join(work, 'flow-gen');
    generateCorpus(gen, 300);
    dirs.push(gen);
    const fx = join(work, 'flow-fixtures');
    cpSync(join(REPO_ROOT, 'fixtures', 'corpus'), fx, { recursive: true });
    dirs.push(fx);
    for (const dir of dirs) {
      const c = await loadCorpus(dir, { cacheDir: cache });
      const cheap = flowLinks(c.documents);
      const all = deriveLinks(c.documents);
      expect(cheap.length, dir).toBeGreaterThan(0);
      // The same derived links in the same order; only the IRI differs (its unhashed statement).
      expect(cheap.map((l) => ({ ...l, iri: '' })), dir).toEqual(all.filter((l) => l.method !== 'declared').map((l) => ({ ...l, iri: '' })));
      expect(c.flowLinks, 'the loaded corpus reads flowLinks before links are derived').toEqual(cheap);
      const edges = [...buildFlow(c).edges.values()].reduce((n, m) => n + m.size, 0);
      expect(edges, dir).toBeGreaterThan(0);
      expect(plain(c), dir).toEqual(plain(withAllLinks(c)));
    }
  });
});

describe('the flow from its region falls back to the whole flow', () => {
  it('when a kept flow line cannot be split into its two ends unambiguously (an IRI holding a predicate text)', async () => {
    const dir = join(work, 'ambiguous');
    generateCorpus(dir, 40);
    const before = await loadCorpus(dir, { cacheDir: cache });
    const flow = flowLines(before);
    const [first] = [...flow];
    expect(first).toBeDefined();
    // A line whose subject IRI contains " <…#feeds> ": a split at the first predicate text would name the wrong ends.
    const feeds = ' <https://w3id.org/pe-trace/query#feeds> ';
    const hostile = (first as string).replace(feeds, `${feeds}y${feeds}`);
    expect(hostile.split(feeds).length).toBe(3);
    const beforeFlow = new Set([...flow, hostile]);
    const file = join(dir, 'chain-0', 'run-0.trace.tro.jsonld');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"trov:hasLocation": "input.json"', '"trov:hasLocation": "input-edited.json"'));
    const after = await loadCorpus(dir, { cacheDir: cache });
    const delta = derivedDelta(before.documents, beforeFlow, after, 1);
    // The region path would keep the hostile line (its "subject" names no document of the change); the whole flow drops it.
    expect([...delta.flow].sort()).toEqual([...flowLines(after)].sort());
    expect(delta.removed).toContain(hostile);
  });
});
