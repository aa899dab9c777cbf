// readTroModel and loadTroFile: artifacts, hashes, locations, performances and findings from real and hand-written TROs.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { loadTroFile } from '../../../src/tro/load.js';
import { artifactShortId, readTroModel } from '../../../src/tro/read.js';
import { REPO_ROOT } from '../../support/cli.js';
import { fixtureFiles, loadJson, parse } from './support.js';

const US = 'fixtures/policyengine-py/shipped/us.trace.tro.jsonld';
const TRO_UTILS = 'fixtures/trace/tro-utils/GENERATED__tro-utils-HEAD-95ec41b-models-example.jsonld';

function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('readTroModel on the shipped US bundle TRO (pe-0.1)', () => {
  const model = readTroModel(loadJson(US), { label: US });

  it('reads the four artifacts in composition order with their sha256 and pointers', () => {
    expect(model.dialect.id).toBe('pe-0.1');
    expect(model.troId).toBe('tro');
    expect(model.troPointer).toBe('/@graph/0');
    expect(model.compositionId).toBe('composition/1');
    expect(model.artifacts.map((a) => a.shortId)).toEqual(['bundle_manifest', 'data_release_manifest', 'dataset', 'model_wheel']);
    expect(model.artifacts.map((a) => a.hashes.map((h) => `${h.algorithm}:${h.value}`))).toEqual([
      ['sha256:6f113d9388d2b3dcc6a073a28ba3d0ae50b0cd32a317a574a38d6a673f96bfa6'],
      ['sha256:dd949ba3c4c7a56aff8442c6db5a031d2c84c3da59f5d14832f468c358604506'],
      ['sha256:48b9d479fb4fd1c3537f9383ce4697d130b6f618658409d74f6233c43b994c7e'],
      ['sha256:2b2c5c02c26ab212270948db1f30129728b625fc6109fc9ca0c604b714546909'],
    ]);
    expect(model.artifacts[2]).toMatchObject({
      id: 'composition/1/artifact/dataset',
      mimeType: 'application/x-hdf5',
      name: 'populace_us_2024',
      pointer: '/@graph/0/trov:hasComposition/trov:hasArtifact/2',
    });
    expect(model.artifacts[2]?.hashes[0]).toEqual({
      algorithm: 'sha256',
      value: '48b9d479fb4fd1c3537f9383ce4697d130b6f618658409d74f6233c43b994c7e',
      pointer: '/@graph/0/trov:hasComposition/trov:hasArtifact/2/trov:sha256',
      spelling: 'trov:sha256',
    });
  });

  it('reads the claimed fingerprint, the locations and the performance link', () => {
    expect(model.fingerprint).toEqual({
      algorithm: 'sha256',
      value: '66ceaf4c12243f1f6ccb5b01e10fd1cd0a6e1e2fc6a9915ae5bde114353a4377',
      pointer: '/@graph/0/trov:hasComposition/trov:hasFingerprint/trov:sha256',
      spelling: 'trov:sha256',
    });
    expect(model.arrangements).toHaveLength(1);
    const locations = model.arrangements[0]?.locations ?? [];
    expect(locations.map((l) => [l.artifactId, l.location])).toEqual([
      ['composition/1/artifact/bundle_manifest', 'data/bundle/manifest.json'],
      [
        'composition/1/artifact/data_release_manifest',
        'https://huggingface.co/datasets/policyengine/populace-us/resolve/populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z/releases/populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z/release_manifest.json',
      ],
      ['composition/1/artifact/dataset', 'https://huggingface.co/datasets/policyengine/populace-us/resolve/populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z/populace_us_2024.h5'],
      [
        'composition/1/artifact/model_wheel',
        'https://files.pythonhosted.org/packages/e2/5a/0566666f30ad06e416f0cf25b24bdee73acd71897fb2de3c0ac43b59e3e3/policyengine_us-1.764.6-py3-none-any.whl',
      ],
    ]);
    expect(model.performances).toHaveLength(1);
    expect(model.performances[0]).toMatchObject({
      id: 'trp/1',
      types: ['trov:TransparentResearchPerformance'],
      startedAtTime: '2026-07-28T03:56:03.415544+00:00',
      accessed: [{ arrangementId: 'arrangement/1', viaBinding: false, pointer: '/@graph/0/trov:hasPerformance/trov:accessedArrangement' }],
      contributed: [],
    });
    expect(model.findings).toEqual([]);
  });
});

describe('readTroModel on TROv 0.1 documents', () => {
  it('reads the tro-utils example: 3 artifacts, 2 arrangements, 1 performance through ArrangementBindings', () => {
    const model = readTroModel(loadJson(TRO_UTILS), { label: TRO_UTILS });
    expect(model.dialect.id).toBe('trov-0.1');
    expect(model.vocabularyVersion).toBe('0.1');
    expect(model.artifacts.map((a) => [a.shortId, a.hashes[0]?.value, a.mimeType])).toEqual([
      ['0', '492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470', 'text/csv'],
      ['1', 'caf026f25d7140209f98072605307a438914b9ce6f3c14b23d15d9667241de52', 'text/x-python'],
      ['2', 'b5e412b1be5ce9e20d3e3fea70a65a7b50ec5d837f86f4310d76469934c25cda', 'text/csv'],
    ]);
    expect(model.artifacts[0]?.hashes[0]?.pointer).toBe('/@graph/0/trov:hasComposition/trov:hasArtifact/0/trov:hash/trov:hashValue');
    expect(model.fingerprint?.value).toBe('7090c60e67a49d85a82d0e089f5226b8929ea635c505dd38fce08abe826a0023');
    expect(model.arrangements.map((a) => [a.id, a.comment, a.locations.map((l) => l.location)])).toEqual([
      ['arrangement/0', 'Before execution', ['data/input.csv', 'scripts/analyze.py']],
      ['arrangement/1', 'After execution', ['data/input.csv', 'scripts/analyze.py', 'results/output.csv']],
    ]);
    expect(model.performances).toHaveLength(1);
    const trp = model.performances[0];
    expect(trp?.accessed).toEqual([
      { arrangementId: 'arrangement/0', viaBinding: true, bindingId: 'trp/0/binding/0', boundTo: '/mnt/input', pointer: '/@graph/0/trov:hasPerformance/0/trov:accessedArrangement' },
    ]);
    expect(trp?.contributed).toEqual([
      { arrangementId: 'arrangement/1', viaBinding: true, bindingId: 'trp/0/binding/1', pointer: '/@graph/0/trov:hasPerformance/0/trov:contributedToArrangement' },
    ]);
  });

  it('reads an artifact with an array of two hashes, and one with no hash at all (not an error)', () => {
    const doc = parse(`{"@context": [{"trov": "https://w3id.org/trace/trov/0.1#"}], "@graph": [{"@id": "tro", "@type": "trov:TransparentResearchObject",
      "trov:hasComposition": {"@id": "composition/1", "trov:hasArtifact": [
        {"@id": "composition/1/artifact/0", "trov:hash": [
          {"trov:hashAlgorithm": "sha256", "trov:hashValue": "${'a'.repeat(64)}"},
          {"trov:hashAlgorithm": "sha3-256", "trov:hashValue": "${'b'.repeat(64)}"}]},
        {"@id": "composition/1/artifact/1"}]}}]}`);
    const model = readTroModel(doc);
    expect(model.artifacts[0]?.hashes).toEqual([
      { algorithm: 'sha256', value: 'a'.repeat(64), pointer: '/@graph/0/trov:hasComposition/trov:hasArtifact/0/trov:hash/0/trov:hashValue', spelling: 'trov:hash' },
      { algorithm: 'sha3-256', value: 'b'.repeat(64), pointer: '/@graph/0/trov:hasComposition/trov:hasArtifact/0/trov:hash/1/trov:hashValue', spelling: 'trov:hash' },
    ]);
    expect(model.artifacts[1]?.hashes).toEqual([]);
    expect(model.fingerprint).toBeUndefined();
    expect(model.dialect.evidence).toContain('several hashes on 1 artifact');
  });

  it('follows bare {"@id"} references to other top-level nodes (a flattened document)', () => {
    const doc = parse(`{"@context": {"trov": "https://w3id.org/trace/trov/0.1#"}, "@graph": [
      {"@id": "tro", "@type": "trov:TransparentResearchObject", "trov:hasComposition": {"@id": "composition/1"}, "trov:hasArrangement": {"@id": "arrangement/1"}},
      {"@id": "composition/1", "trov:hasArtifact": [{"@id": "a"}]},
      {"@id": "a", "trov:hash": {"trov:hashAlgorithm": "sha256", "trov:hashValue": "abc"}},
      {"@id": "arrangement/1", "trov:hasArtifactLocation": {"trov:artifact": {"@id": "a"}, "trov:path": "in.csv"}}]}`);
    const model = readTroModel(doc);
    expect(model.artifacts).toEqual([{ id: 'a', shortId: 'a', hashes: [{ algorithm: 'sha256', value: 'abc', pointer: '/@graph/2/trov:hash/trov:hashValue', spelling: 'trov:hash' }], pointer: '/@graph/2' }]);
    expect(model.arrangements[0]?.locations).toEqual([{ artifactId: 'a', location: 'in.csv', pointer: '/@graph/3/trov:hasArtifactLocation' }]);
    expect(model.findings).toEqual([]);
  });
});

describe('readTroModel on pre-release (2023/05) documents', () => {
  it('reads trov-demos 02 and maps trov:modifiedArrangement to contributed, with an info finding', () => {
    const file = 'fixtures/trace/trov-demos/demo__02-tro-examples__02-three-artifacts-one-trp__tro__tro.jsonld';
    const model = readTroModel(loadJson(file), { label: file });
    expect(model.dialect.id).toBe('trov-2023-05');
    expect(model.artifacts.map((a) => a.hashes[0]?.value.slice(0, 8))).toEqual(['b5bb9d80', '7d865e95', '7d865e95']);
    expect(model.arrangements.map((a) => a.locations.length)).toEqual([2, 2]);
    expect(model.performances[0]?.accessed?.map((l) => l.arrangementId)).toEqual(['arrangement/1']);
    expect(model.performances[0]?.contributed?.map((l) => l.arrangementId)).toEqual(['arrangement/2']);
    expect(model.findings).toContainEqual({
      severity: 'info',
      message: 'trov:modifiedArrangement (a pre-release spelling) read as trov:contributedToArrangement',
      pointer: '/@graph/0/trov:hasPerformance/trov:modifiedArrangement',
    });
  });

  it('reads locations given as trov:hasLocus / ArtifactLocus', () => {
    const doc = parse(`{"@context": {"trov": "https://w3id.org/trace/2023/05/trov#"}, "@graph": [{"@id": "tro", "@type": "trov:TransparentResearchObject",
      "trov:hasComposition": {"trov:hasArtifact": {"@id": "composition/1/artifact/1", "trov:sha256": "abc"}},
      "trov:hasArrangement": {"@id": "arrangement/1", "trov:hasLocus": [{"@type": "trov:ArtifactLocus", "trov:hasArtifact": {"@id": "composition/1/artifact/1"}, "trov:hasLocation": "file1"}]}}]}`);
    const model = readTroModel(doc);
    expect(model.arrangements[0]?.locations).toEqual([{ artifactId: 'composition/1/artifact/1', location: 'file1', pointer: '/@graph/0/trov:hasArrangement/trov:hasLocus/0' }]);
    expect(model.dialect.evidence).toContain('trov:hasLocus on 1 location');
  });

  it('reports extra @graph nodes, noting one that merges with a TRO node in RDF (trace-model tro5)', () => {
    const file = 'fixtures/trace/trace-model/demo__03-trace-explorations__05-validate-tro-declaration__data__tro5.jsonld';
    const model = readTroModel(loadJson(file), { label: file });
    expect(model.findings).toContainEqual({
      severity: 'warning',
      message: 'extra @graph entry (node "fp1") is not part of the TRO; it shares its @id with the node at /@graph/0/trov:hasComposition/0/trov:hasFingerprint, so in RDF their properties merge',
      pointer: '/@graph/1',
    });
    expect(model.fingerprint?.value).toBe('sha256.fp1');
  });

  it('reads the first of several compositions and says so (trace-model tro3)', () => {
    const file = 'fixtures/trace/trace-model/demo__03-trace-explorations__05-validate-tro-declaration__data__tro3.jsonld';
    const model = readTroModel(loadJson(file), { label: file });
    expect(model.compositionId).toBe('composition/1');
    expect(model.artifacts).toHaveLength(2);
    expect(model.findings.some((f) => f.message.startsWith('2 compositions on the TRO node; reading the first'))).toBe(true);
    expect(model.findings.filter((f) => f.message.startsWith('extra @graph entry'))).toHaveLength(3);
  });
});

describe('readTroModel errors and helpers', () => {
  it('is TRO_MALFORMED when the TRO node has no composition', () => {
    const doc = parse('{"@context": {"trov": "https://w3id.org/trace/trov/0.1#"}, "@graph": [{"@id": "tro", "@type": "trov:TransparentResearchObject"}]}', 'm.jsonld');
    const e = thrown(() => readTroModel(doc, { label: 'm.jsonld' }));
    expect(e.code).toBe('TRO_MALFORMED');
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe('m.jsonld#/@graph/0: the TRO node has no composition (trov:hasComposition), so there are no artifacts to read');
  });

  it('warns about several TRO nodes and reads the first', () => {
    const doc = parse(`{"@context": {"trov": "https://w3id.org/trace/trov/0.1#"}, "@graph": [
      {"@id": "t1", "@type": "trov:TransparentResearchObject", "trov:hasComposition": {"trov:hasArtifact": []}},
      {"@id": "t2", "@type": "trov:TransparentResearchObject", "trov:hasComposition": {"trov:hasArtifact": []}}]}`);
    const model = readTroModel(doc);
    expect(model.troId).toBe('t1');
    expect(model.findings[0]?.message).toBe('2 TRO nodes in the document; reading the first (/@graph/0), ignoring /@graph/1');
  });

  it('takes the text after the FIRST /artifact/ as the short id', () => {
    expect(artifactShortId('composition/1/artifact/dataset')).toBe('dataset');
    expect(artifactShortId('composition/1/artifact/a/artifact/b')).toBe('a/artifact/b');
    expect(artifactShortId('urn:x:dataset')).toBe('urn:x:dataset');
  });

  it('reads every policyengine.py TRO with no findings and a fingerprint', () => {
    for (const file of fixtureFiles('policyengine-py', '.tro.jsonld')) {
      const model = readTroModel(loadJson(file), { label: file });
      expect(model.findings, file).toEqual([]);
      expect(model.fingerprint?.value, file).toMatch(/^[0-9a-f]{64}$/);
      expect(model.artifacts.length, file).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('loadTroFile', () => {
  it('returns the bytes, the lossless JSON and the model', async () => {
    const { bytes, model } = await loadTroFile(join(REPO_ROOT, US), { label: US });
    expect(bytes.length).toBeGreaterThan(1000);
    expect(model.artifacts).toHaveLength(4);
  });

  it('raises coded, located errors for a missing file and for bad JSON', async () => {
    await expect(loadTroFile(join(REPO_ROOT, 'fixtures/nope.jsonld'), { label: 'nope.jsonld' })).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', message: 'nope.jsonld: no such file' });
    await expect(loadTroFile(join(REPO_ROOT, 'package.json'), { label: 'package.json' })).rejects.toMatchObject({ code: 'TRO_UNKNOWN_DIALECT' });
  });
});
