// Link derivation: hash, id, URI and fingerprint matches between the corpus documents, each with its method and ends.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Corpus, type EntityFact, type Link, type LinkableDocument, deriveLinks, loadCorpus } from '../../../src/index.js';

let corpus: Corpus;
beforeAll(async () => {
  corpus = await loadCorpus('fixtures/corpus');
});

const docOf = (path: string): string => corpus.documents.find((d) => d.paths.includes(path))?.graph ?? `missing ${path}`;
const find = (pred: (l: Link) => boolean): Link[] => corpus.links.filter(pred);

describe('deriveLinks on the corpus', () => {
  it('binds each run to the bundle TRO whose bytes it hashes, and by fingerprint', () => {
    const run = docOf('real/policyengine-py/run-record/run.trace.tro.jsonld');
    const bundle = docOf('real/policyengine-py/data/bundle/us.trace.tro.jsonld');
    const byHash = find((l) => l.relation === 'file-content' && l.source.document === run && l.target.document === bundle);
    expect(byHash.map((l) => [l.method, l.value, l.source.pointer])).toEqual([
      ['hash-match', '36bf1a053950d4fb8d89fec8b1ac02e953e60bfb12dcbbe6e5d21c7a99451e22', '/@graph/0/trov:hasComposition/trov:hasArtifact/0/trov:sha256'],
    ]);
    const byFp = find((l) => l.relation === 'binds-bundle' && l.source.document === run);
    expect(byFp.map((l) => [l.method, l.value, l.target.node])).toEqual([['fingerprint-match', '66ceaf4c12243f1f6ccb5b01e10fd1cd0a6e1e2fc6a9915ae5bde114353a4377', `${bundle}tro`]]);
  });

  it('joins build records by build id, and a bundle to the build it uses', () => {
    const tro = docOf('emitted/build/populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z.build.trace.tro.jsonld');
    const same = find((l) => l.relation === 'same-build' && (l.source.document === tro || l.target.document === tro));
    expect(same.map((l) => l.method)).toEqual(['id-match', 'id-match']);
    expect(new Set(same.flatMap((l) => [l.source.document, l.target.document]))).toEqual(
      new Set([tro, docOf('real/populace/uk-june-2023/build_manifest.json'), docOf('real/populace/uk-june-2023/release_manifest.json')]),
    );
    const uses = find((l) => l.relation === 'uses-build' && l.value === 'populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z');
    expect(uses).toEqual([]); // no bundle names that build as its data build: the uk entry reaches it through its overlay's hash
  });

  it('matches one file spelled as an https resolve URL and as hf://…@rev', () => {
    const tro = docOf('emitted/build/populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z.build.trace.tro.jsonld');
    const manifest = docOf('real/populace/uk-june-2023/release_manifest.json');
    const uri = find((l) => l.relation === 'same-location' && l.source.document === tro && l.target.document === manifest);
    expect(uri.map((l) => l.value).sort()).toEqual([
      'hf:policyengine/populace-uk-private@populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z/calibration_diagnostics.json',
      'hf:policyengine/populace-uk-private@populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z/populace_uk_2023.h5',
      'hf:policyengine/populace-uk-private@populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z/populace_uk_2023_calibration.npz',
    ]);
  });

  it('links producers to consumers by hash, but never two consumers of one content', () => {
    const wheel = find((l) => l.relation === 'same-content' && l.value === '2b2c5c02c26ab212270948db1f30129728b625fc6109fc9ca0c604b714546909');
    expect(wheel).toEqual([]); // the US wheel is pinned by the bundle manifest and the bundle TROs, produced by nobody here
    const listed = find((l) => l.relation === 'same-content' && l.value === 'f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833');
    expect(listed.length).toBeGreaterThan(0);
    for (const l of listed) {
      const source = corpus.documents.flatMap((d) => d.artifacts).find((a) => a.iri === l.source.node);
      expect(['output', 'listed']).toContain(source?.role);
    }
  });

  it('states every declared link of a document (consumed, produced, lists, pins)', () => {
    const tro = docOf('emitted/build/populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z.build.trace.tro.jsonld');
    const declared = find((l) => l.method === 'declared' && l.source.document === tro);
    expect(declared.map((l) => `${l.relation} ${l.value}`).sort()).toEqual([
      'consumed frs_spine.adult',
      'consumed frs_spine.househol',
      'consumed was_wealth.was_qrf_donor',
      'produced build_config',
      'produced calibration_diagnostics',
      'produced gate_report',
      'produced populace_uk_2023',
      'produced populace_uk_2023_calibration',
    ]);
  });

  it('gives every link a stable content-derived IRI', async () => {
    const again = await loadCorpus('fixtures/corpus');
    expect(again.links.map((l) => l.iri)).toEqual(corpus.links.map((l) => l.iri));
    expect(new Set(corpus.links.map((l) => l.iri)).size).toBe(corpus.links.length);
  });
});

describe('deriveLinks at scale', () => {
  function doc(i: number, hash: string, role: 'output' | 'dataset'): LinkableDocument {
    const iri = `https://pe-trace.invalid/doc/${String(i).padStart(64, '0')}/`;
    const entity: EntityFact = {
      iri: `${iri}tro`, type: role === 'output' ? 'Build' : 'Bundle', label: `d${i}`, pointer: '', buildIds: [], dataBuildIds: [],
      bundleFingerprints: [], bundleTroUrls: [], selfUrls: [], notes: [],
    };
    return {
      graph: iri,
      sha256: String(i).padStart(64, 'f'),
      entities: [entity],
      artifacts: [{ iri: `${iri}a`, entity: entity.iri, pointer: '/a', key: 'a', role, sha256: [{ value: hash, pointer: '/a/sha256' }], locations: [], externalIds: [] }],
    };
  }

  it('links one producer to a thousand consumers linearly, and the consumers not to each other', () => {
    const h = 'a'.repeat(64);
    const docs = [doc(0, h, 'output'), ...Array.from({ length: 1000 }, (_, i) => doc(i + 1, h, 'dataset'))];
    const links = deriveLinks(docs).filter((l) => l.relation === 'same-content');
    expect(links).toHaveLength(1000);
    expect(new Set(links.map((l) => l.source.node))).toEqual(new Set([`${docs[0]?.graph ?? ''}a`]));
  });

  it('links a large group of producers as a star, not pairwise', () => {
    const h = 'b'.repeat(64);
    const docs = Array.from({ length: 200 }, (_, i) => doc(i, h, 'output'));
    expect(deriveLinks(docs).filter((l) => l.relation === 'same-content')).toHaveLength(199);
  });

  // A star's hub is ranked by each member's own content, so which member it is does not depend on the corpus order,
  // and a changed member that is not the hub changes only its own link (issue 15: proportional sync).
  const star = (docs: readonly LinkableDocument[]): string[] =>
    deriveLinks(docs)
      .filter((l) => l.relation === 'same-content')
      .map((l) => `${l.source.node} ${l.target.node} ${l.iri}`)
      .sort();
  const changed = (d: LinkableDocument, i: number): LinkableDocument => {
    const moved = doc(10_000 + i, 'b'.repeat(64), 'output');
    return { ...moved, sha256: `${d.sha256.slice(0, 60)}beef` };
  };

  it('picks the same hub whatever the order of the documents', () => {
    const docs = Array.from({ length: 200 }, (_, i) => doc(i, 'b'.repeat(64), 'output'));
    const hubs = new Set(deriveLinks(docs).filter((l) => l.relation === 'same-content').map((l) => l.source.node));
    expect(hubs.size).toBe(1);
    // the hub is not the first document (the old rule), for this data
    expect([...hubs]).not.toEqual([docs[0]?.entities[0]?.iri.replace(/tro$/, 'a')]);
    expect(star([...docs].reverse())).toEqual(star(docs));
    expect(star([...docs.slice(77), ...docs.slice(0, 77)])).toEqual(star(docs));
  });

  it('changes only the changed members\' links when they are not the hub, and the whole star when the hub changes', () => {
    const docs = Array.from({ length: 200 }, (_, i) => doc(i, 'b'.repeat(64), 'output'));
    const before = new Set(star(docs));
    const hubNode = deriveLinks(docs).find((l) => l.relation === 'same-content')?.source.node;
    const hubIndex = docs.findIndex((d) => `${d.graph}a` === hubNode);
    expect(hubIndex).toBeGreaterThanOrEqual(0);
    // ten members that are not the hub change (the first ten, as in the benchmark's chain 0)
    const targets = Array.from({ length: 200 }, (_, i) => i).filter((i) => i !== hubIndex).slice(0, 10);
    const edited = docs.map((d, i) => (targets.includes(i) ? changed(d, i) : d));
    const after = new Set(star(edited));
    const removed = [...before].filter((l) => !after.has(l));
    const added = [...after].filter((l) => !before.has(l));
    // none of the changed members outranks the hub here (the ranks are fixed by the data), so each changed
    // member's one link went and one came: 20 of 398 lines, not 398 as with the first-in-order hub
    expect(deriveLinks(edited).find((l) => l.relation === 'same-content')?.source.node).toBe(hubNode);
    expect(removed).toHaveLength(10);
    expect(added).toHaveLength(10);
    // the hub itself changing re-wires its star: every link names it
    const hubEdited = docs.map((d, i) => (i === hubIndex ? changed(d, i) : d));
    expect([...before].filter((l) => !new Set(star(hubEdited)).has(l))).toHaveLength(199);
  });
});
