// Build facts from release manifests: the shipped TRO's payload hashes recompute from its manifest; outputs, signals, build manifests.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { payloadFromValue } from '../../../src/build-tro/payloads.js';
import { readBuildFacts } from '../../../src/build-tro/release-manifest.js';
import { parseJson } from '../../../src/json/parse.js';
import type { JsonValue } from '../../../src/json/value.js';
import { readTroModel } from '../../../src/tro/read.js';

const DIR = 'fixtures/pe-data/microcosm/';
const SHIPPED_TRO = `${DIR}packages__populace-data__build__us__populace_us_2024.trace.tro.jsonld`;
const US_MANIFEST = `${DIR}packages__populace-data__build__us__release_manifest.json`;
const UK = `${DIR}packages__microcosm-data__tests__fixtures__uk_june_2023__populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z__`;
const load = (path: string): JsonValue => parseJson(readFileSync(path), { label: path });

/** The sha256 the shipped TRO binds for one artifact. */
function shippedHash(shortId: string): string {
  const model = readTroModel(load(SHIPPED_TRO));
  const artifact = model.artifacts.find((a) => a.shortId === shortId);
  const hash = artifact?.hashes[0]?.value;
  if (hash === undefined) throw new Error(`no ${shortId} in the shipped TRO`);
  return hash;
}

describe('the shipped populace build TRO against its release manifest', () => {
  const facts = readBuildFacts(load(US_MANIFEST), { label: 'release_manifest.json' });

  it('recomputes build_config = canonical({"construction": …}) and gate_report = the gates block', () => {
    if (facts.buildConfig === undefined || facts.gateReport === undefined) throw new Error('payload sources missing');
    const buildConfig = payloadFromValue('build_config', facts.buildConfig.value, facts.buildConfig.origin);
    const gateReport = payloadFromValue('gate_report', facts.gateReport.value, facts.gateReport.origin);
    expect(buildConfig.sha256).toBe(shippedHash('build_config'));
    expect(gateReport.sha256).toBe(shippedHash('gate_report'));
    expect(buildConfig.location).toBe(`urn:pop:payload:build_config:${shippedHash('build_config')}`);
    // The preimage is the canonical JSON text: sorted keys, indent 2, trailing newline.
    expect(new TextDecoder().decode(buildConfig.bytes).startsWith('{\n  "construction": "eCPS-free')).toBe(true);
  });

  it('has no preimage for the shipped stage_records hash', () => {
    expect(facts.stageRecords).toBeUndefined();
    expect(shippedHash('stage_records')).toBe('dd89da5f4d3ec47b674fdcaec676de589264198554e4099d91334d57ed0448a3');
  });

  it('reads the flat shape: build identity and the two outputs with the output hashes the TRO binds', () => {
    expect(facts.shape).toBe('populace-unversioned');
    expect(facts.buildId).toBe('populace-us-2024-9f1260b-20260611');
    expect([facts.builder, facts.buildSha, facts.buildDate]).toEqual(['populace', '9f1260b', '2026-06-11']);
    expect(facts.outputs.map((o) => [o.id, o.path, o.sha256, o.repoId])).toEqual([
      ['dataset', 'populace_us_2024.h5', shippedHash('dataset'), 'policyengine/populace-us'],
      ['calibration', 'populace_us_2024_calibration.npz', shippedHash('calibration'), 'policyengine/populace-us'],
    ]);
    expect(facts.notes.join(' ')).toContain('policyengine/populace-us');
  });
});

describe('readBuildFacts', () => {
  it('refuses an output without a sha256, located by JSON pointer', () => {
    const doc = parseJson('{"build_id": "b", "dataset": {"filename": "d.h5"}}');
    expect(() => readBuildFacts(doc, { label: 'm.json' })).toThrow(/m\.json#\/dataset\/sha256: output artifact 'dataset' has no sha256: provenance without a hash is not provenance/);
  });

  it('refuses a malformed sha256 and a non-object gates block', () => {
    expect(() => readBuildFacts(parseJson('{"build_id": "b", "dataset": {"filename": "d.h5", "sha256": "xyz"}}'), { label: 'm.json' })).toThrow(/#\/dataset\/sha256/);
    expect(() => readBuildFacts(parseJson('{"build_id": "b", "gates": [1]}'), { label: 'm.json' })).toThrow(/#\/gates: expected an object/);
  });

  it('reads the schema-v1 UK release: artifacts in their repo at their revision, the private-repo and free-text signals', () => {
    const facts = readBuildFacts(load(`${UK}release_manifest.json`), { label: 'release_manifest.json' });
    expect(facts.shape).toBe('schema-v1');
    expect(facts.buildId).toBe('populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z');
    expect(facts.buildDate).toBe('2026-06-19');
    expect(facts.builder).toBe('populace');
    expect(facts.buildSha).toBeUndefined();
    expect(facts.gateReport).toBeUndefined();
    expect(facts.outputs.map((o) => o.id)).toEqual(['calibration_diagnostics', 'populace_uk_2023', 'populace_uk_2023_calibration']);
    for (const o of facts.outputs) {
      expect([o.repoId, o.repoType, o.revision]).toEqual(['policyengine/populace-uk-private', 'dataset', facts.buildId]);
      expect(o.signals.map((s) => s.kind)).toEqual(['private-repo']);
    }
    expect(facts.releaseSignals).toEqual([
      { kind: 'free-text', detail: 'release says "UK Data Service licence: private dataset repo."', record: 'release_manifest.json#/build/metadata/private' },
    ]);
    expect(facts.buildConfig?.value).toEqual({ construction: expect.stringContaining('FRS 2023-24 base') as unknown });
  });

  it('takes gates and the build sha from the build manifest of the same release, and refuses another build', () => {
    const facts = readBuildFacts(load(`${UK}release_manifest.json`), {
      label: 'release_manifest.json',
      buildManifest: { doc: load(`${UK}build_manifest.json`), label: 'build_manifest.json' },
    });
    expect(facts.buildSha).toBe('dd68c73');
    expect(facts.gateReport?.origin).toBe('build manifest #/gates');
    // The build manifest's dataset and calibration hashes are outputs of the release: no cross-check note.
    expect(facts.notes.filter((n) => n.includes('not the hash of any output'))).toEqual([]);
    const other = parseJson('{"build_id": "another-build", "gates": {}}');
    expect(() => readBuildFacts(load(`${UK}release_manifest.json`), { label: 'r.json', buildManifest: { doc: other, label: 'b.json' } })).toThrow(
      /b\.json#\/build_id: build_id "another-build" is not the release manifest's build id/,
    );
  });
});
