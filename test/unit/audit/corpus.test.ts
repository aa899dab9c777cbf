// The restricted-input audit on the example corpus: every expected path, its evidence, and the gaps of the real TROs.
import { beforeAll, describe, expect, it } from 'vitest';
import { type RestrictedInputsAudit, auditDirectory, formatAuditText } from '../../../src/index.js';

const DIR = 'fixtures/corpus';
const UK_BUILD = 'populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z';
const RUN_FINGERPRINT = 'b05d6754fdadc5663986798794566a8dca761fcbdd216392f0edb205d8c3a9a2';
const RUN = 'run b05d6754fdad (policyengine simulation TRO (uk-example-1))';
const UK_TRO = 'policyengine uk certified bundle TRO d60ee6f14475';
const ENTRY = 'bundle manifest entry uk-5.0.3';
const VIA_BUILD = `build ${UK_BUILD} → release manifest real/populace/uk-june-2023/release_manifest.json`;

/** Every path the audit must report on the corpus, in its order (by summary). */
const EXPECTED_PATHS = [
  `adult.tab 4eaea0809a7c → ${VIA_BUILD} → ${ENTRY} → ${UK_TRO} → ${RUN}`,
  `adult.tab 4eaea0809a7c → ${VIA_BUILD} → run payload emitted/run-record-uk/input.json → ${RUN}`,
  'enhanced_frs_2023_24.h5 1e95dafde799 → country bundle 4.4.5 uk',
  `enhanced_frs_2023_24.h5 584ae33d80ca → ${ENTRY} → ${UK_TRO} → ${RUN}`,
  'enhanced_frs_2023_24_tiny.h5 0ee89bae05a1 → country bundle 4.4.5 uk',
  `enhanced_frs_2024_25 e433e532b17b → ${ENTRY} → ${UK_TRO} → ${RUN}`,
  `enhanced_frs_2024_25_tiny.h5 6cbbda7eef1b → ${ENTRY} → ${UK_TRO} → ${RUN}`,
  'frs_2023_24.h5 a6896c21a5b9 → country bundle 4.4.5 uk',
  `frs_2023_24.h5 df26d4d7af9d → ${ENTRY} → ${UK_TRO} → ${RUN}`,
  'frs_2023_24_tiny.h5 342ab1decbb6 → country bundle 4.4.5 uk',
  `frs_2024_25.h5 d4d29901d7ea → ${ENTRY} → ${UK_TRO} → ${RUN}`,
  `frs_2024_25_tiny.h5 74ca086be959 → ${ENTRY} → ${UK_TRO} → ${RUN}`,
  `househol.tab 2b93b6aed49e → ${VIA_BUILD} → ${ENTRY} → ${UK_TRO} → ${RUN}`,
  `househol.tab 2b93b6aed49e → ${VIA_BUILD} → run payload emitted/run-record-uk/input.json → ${RUN}`,
  'local_authority_weights.h5 06da23f9c50b → country bundle 4.4.5 uk',
  `local_authority_weights.h5 6d634d69fb47 → ${ENTRY} → ${UK_TRO} → ${RUN}`,
  `local_geography_weights.csv.gz 6f623e277089 → ${ENTRY} → ${UK_TRO} → ${RUN}`,
  'parliamentary_constituency_weights.h5 2ea0a8ff98b0 → country bundle 4.4.5 uk',
  `parliamentary_constituency_weights.h5 6870c36072a0 → ${ENTRY} → ${UK_TRO} → ${RUN}`,
  `populace_uk_2023.h5 f17306ccb2aa → ${ENTRY} → ${UK_TRO} → ${RUN}`,
  `populace_uk_2023.h5 f17306ccb2aa → run payload emitted/run-record-uk/input.json → ${RUN}`,
  `was_round_8_hhold_eul_may_2025_230525.tab 18b3eb980c02 → ${VIA_BUILD} → ${ENTRY} → ${UK_TRO} → ${RUN}`,
  `was_round_8_hhold_eul_may_2025_230525.tab 18b3eb980c02 → ${VIA_BUILD} → run payload emitted/run-record-uk/input.json → ${RUN}`,
];

let audit: RestrictedInputsAudit;
beforeAll(async () => {
  audit = await auditDirectory(DIR);
});

describe('audit restricted-inputs on fixtures/corpus', () => {
  it('loads every document without problems', () => {
    expect(audit.problems).toEqual([]);
    expect(audit.documents).toBe(24);
  });

  it('finds exactly the expected paths', () => {
    expect(audit.paths.map((p) => p.summary)).toEqual(EXPECTED_PATHS);
  });

  it('gives each step of the FRS path the evidence that establishes it', () => {
    const path = audit.paths.find((p) => p.summary === EXPECTED_PATHS[0]);
    expect(path?.steps.map((s) => s.type)).toEqual(['Build', 'ReleaseManifest', 'Bundle', 'Bundle', 'Run']);
    const methods = (i: number): string[] => [...new Set(path?.steps[i]?.evidence.map((e) => `${e.method}/${e.relation}`))].sort();
    // input → build: the emitted build TRO declares it (consumed, at a pop:accessRestricted location)
    expect(methods(0)).toEqual(['declared/consumed']);
    expect(path?.steps[0]?.evidence[0]?.from).toMatch(/^emitted\/build\/populace-uk-2023-dd68c73-.*\.build\.trace\.tro\.jsonld#\/@graph\/0$/);
    // the emitted build TRO and the real build manifest are one build (id match), listed by the release manifest
    expect(path?.steps[0]?.documents).toEqual([`emitted/build/${UK_BUILD}.build.trace.tro.jsonld`, 'real/populace/uk-june-2023/build_manifest.json']);
    expect(methods(1)).toEqual(['hash-match/same-content', 'id-match/same-build', 'uri-match/same-location']);
    expect(path?.steps[1]?.evidence.filter((e) => e.method === 'hash-match').map((e) => e.value)).toContain('f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833');
    // release manifest → bundle manifest entry: its uk overlay pins the released dataset by hash
    expect(path?.steps[2]?.evidence).toContainEqual(
      expect.objectContaining({ method: 'hash-match', relation: 'same-content', to: 'real/policyengine-py/data/bundle/manifest.json#/dataset_overlays/uk/populace_uk_2023/sha256' }),
    );
    // entry → bundle TRO: the TRO binds the bundle manifest's bytes
    expect(path?.steps[3]?.evidence).toContainEqual(expect.objectContaining({ method: 'hash-match', relation: 'file-content', value: '6f113d9388d2b3dcc6a073a28ba3d0ae50b0cd32a317a574a38d6a673f96bfa6' }));
    // bundle TRO → run: by the bundle TRO's bytes and by its fingerprint
    expect(methods(4)).toEqual(['fingerprint-match/binds-bundle', 'hash-match/file-content']);
    expect(path?.steps[4]?.fingerprint).toBe(RUN_FINGERPRINT);
    expect(path?.steps[4]?.documents).toEqual(['emitted/run-record-uk/run.trace.tro.jsonld']);
  });

  it('records every restriction signal of an input with where it is stated', () => {
    const adult = audit.inputs.find((i) => i.sha256 === '4eaea0809a7ccca0fddeb98e358771e4a6e5ebb81b21c4fac4070fc9d227658d');
    expect(adult?.signals.map((s) => s.kind)).toContain('access-restricted-flag');
    expect(adult?.signals).toContainEqual({ kind: 'source-kind', value: 'licensed_microdata', at: 'real/microcosm/source-stages/uk_source_stages.json#/stages/0/artifacts/1/kind' });
    expect(adult?.externalIds).toEqual(expect.arrayContaining(['pop:ukdsStudyNumber=9563', 'ukds_study_number=9563', 'doi=10.5255/UKDA-SN-9563-1']));
    const f173 = audit.inputs.find((i) => i.sha256?.startsWith('f17306cc') === true);
    expect(new Set(f173?.signals.map((s) => s.kind))).toEqual(new Set(['private-repo', 'free-text']));
  });

  it('reports the IRS PUF as reaching no bundle or run (the US bundle certifies another build)', () => {
    const puf = audit.inputs.find((i) => i.sha256 === '7669f5b5281f20080e77204f9bd4aabfad0aa101fa283e22caf9ba8d61d4d6df');
    expect(puf?.pathCount).toBe(0);
    expect(puf?.reaches).toEqual([]);
    expect(puf?.signals[0]?.value).toMatch(/^true \(curator: the IRS SOI Public Use File/);
  });

  it('lists as gaps the real TROs and records that carry no input edges', () => {
    const byKind = (kind: string): typeof audit.gaps => audit.gaps.filter((g) => g.kind === kind);
    expect(byKind('build-without-inputs').map((g) => g.subject)).toEqual(['real/populace/uk-june-2023/build_manifest.json', 'real/populace/us/populace_us_2024.trace.tro.jsonld']);
    const unknown = byKind('dataset-inputs-unknown');
    expect(unknown.map((g) => g.subject)).toEqual([
      'build policyengine-uk-data-1.55.5',
      'build policyengine-uk-data-1.56.16',
      'build populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z',
      'real/policyengine-py/data/bundle/manifest.json',
    ]);
    const us = unknown.find((g) => g.subject.includes('buildp'));
    expect(us?.documents).toContain('real/policyengine-py/data/bundle/us.trace.tro.jsonld');
    // the three real US runs depend on that bundle, so on inputs nobody recorded
    expect(us?.affects).toEqual(
      expect.arrayContaining([
        'real/policyengine-py/run-record/run.trace.tro.jsonld',
        'real/policyengine-py/run-record-with-url/run.trace.tro.jsonld',
        'real/policyengine-py/web-run/simulation.trace.tro.jsonld',
      ]),
    );
    expect(unknown.find((g) => g.subject === 'build policyengine-uk-data-1.56.16')?.documents).toContain('real/policyengine-py/data/bundle/uk.trace.tro.jsonld');
    expect(byKind('release-manifest-missing')).toHaveLength(3);
    expect(byKind('restricted-without-hash').map((g) => g.subject)).toEqual(['source-pin at real/microcosm/source-stages/us_source_stages.json#/stages/0/artifacts/2']);
    // every registry pin the emitted build does not bind is reported, not dropped
    expect(byKind('restricted-input-unlinked')).toHaveLength(16);
  });

  it('is deterministic and path-free (same JSON twice, no absolute paths)', async () => {
    const again = await auditDirectory(DIR);
    const json = JSON.stringify(again);
    expect(json).toBe(JSON.stringify(audit));
    expect(json).not.toContain(process.cwd());
  });

  it('renders the paths grouped, with evidence, and the gaps in text', () => {
    const text = formatAuditText(audit, DIR).join('\n');
    expect(text).toContain('restricted-input audit of fixtures/corpus: 24 document(s)');
    expect(text).toContain('input adult.tab sha256 4eaea0809a7c…');
    expect(text).toContain('id match (same-build populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z)');
    expect(text).toContain('build-without-inputs: real/populace/us/populace_us_2024.trace.tro.jsonld');
    expect(text).toContain('restricted content reaching no bundle or run');
  });
});
