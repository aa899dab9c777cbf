// The restricted-input registry read from microcosm's sources.yaml and source-stage manifests.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type RegistryInput, readSourceRegistry } from '../../../src/build-tro/sources.js';
import { sha256Hex } from '../../../src/hash/digest.js';

const DIR = 'fixtures/pe-data/microcosm/';
const file = (name: string): RegistryInput => ({ bytes: new Uint8Array(readFileSync(DIR + name)), label: `${DIR}${name}` });
const UK_YAML = 'packages__microcosm-build__src__microcosm__build__uk__spec__sources.yaml';
const US_YAML = 'packages__microcosm-build__src__microcosm__build__us__spec__sources.yaml';
const UK_STAGES = 'packages__microcosm-build__src__microcosm__build__uk__source_stages.json';
const US_STAGES = 'packages__microcosm-build__src__microcosm__build__us__source_stages.json';
const HMRC = 'packages__microcosm-build__src__microcosm__build__uk__hmrc_income_source_stages.json';
const text = (s: string): RegistryInput => ({ bytes: new TextEncoder().encode(s), label: 'dir/reg.yaml' });

describe('readSourceRegistry on the UK registry', () => {
  const registry = readSourceRegistry([file(UK_YAML)]);
  const byId = (id: string) => registry.records.find((r) => r.id === id);

  it('reads an FRS table: hash, study number, edition from the DOI, licensed kind as a signal, its record', () => {
    expect(byId('frs_spine.adult')).toMatchObject({
      origin: 'stage-artifact',
      file: UK_YAML,
      fileSha256: sha256Hex(readFileSync(DIR + UK_YAML)),
      pointer: '/stages/0/artifacts/1',
      sha256: '4eaea0809a7ccca0fddeb98e358771e4a6e5ebb81b21c4fac4070fc9d227658d',
      sizeBytes: 34885825,
      name: 'adult.tab',
      kind: 'licensed_microdata',
      ukdsStudyNumber: '9563',
      ukdsEdition: 1,
      doi: '10.5255/UKDA-SN-9563-1',
      signals: [{ kind: 'source-kind', detail: 'source-stage kind licensed_microdata', record: `${UK_YAML}#/stages/0/artifacts/1/kind` }],
    });
  });

  it('normalises "SN 9422" and records the access signal of a private local input', () => {
    const spi = byId('hmrc_spi_income_spine.qrf_donor');
    expect(spi?.ukdsStudyNumber).toBe('9422');
    expect(spi?.ukdsEdition).toBe(1);
    expect(spi?.signals.map((s) => s.kind)).toEqual(['source-kind', 'access']);
    // The WAS donor: integer study number 7215, edition 20 from its DOI.
    expect(byId('was_wealth.was_qrf_donor')).toMatchObject({ ukdsStudyNumber: '7215', ukdsEdition: 20, name: 'was_round_8_hhold_eul_may_2025_230525.tab' });
  });

  it('reads the source pins without signals, and counts restricted records', () => {
    expect(byId('uk_national_candidate_2023')).toMatchObject({ origin: 'source-pin', pointer: '/sources/0', sizeBytes: 1315880118, signals: [] });
    const restricted = registry.records.filter((r) => r.signals.length > 0);
    // 21 licensed FRS tables and 8 private microdata artifacts (pe-data §5).
    expect(restricted.length).toBe(29);
    expect(restricted.every((r) => r.sha256 !== undefined)).toBe(true);
  });
});

describe('readSourceRegistry across files', () => {
  it('keeps one record per id when sources.yaml and the stage manifest repeat the same stages', () => {
    const both = readSourceRegistry([file(UK_YAML), file(UK_STAGES)]);
    const yamlOnly = readSourceRegistry([file(UK_YAML)]);
    expect(both.records.length).toBe(yamlOnly.records.length);
    expect(both.files.map((f) => [f.format, f.country, f.records])).toEqual([
      ['sources-yaml', 'uk', 47],
      ['source-stages', 'uk', 46],
    ]);
  });

  it('checks the stage manifest against the stage asset sources.yaml pins', () => {
    const us = readSourceRegistry([file(US_YAML), file(US_STAGES)]);
    expect(us.notes).toEqual([`${US_STAGES} is byte-for-byte the stage asset ${US_YAML} pins (sha256 a3e9ca87f43d74b3d83320ca77559f28452036cf60dfc16bee10a22d4784f672)`]);
  });

  it('sees the IRS PUF only as an unhashed release:// locator in a private repo', () => {
    const us = readSourceRegistry([file(US_YAML)]);
    const puf = us.records.filter((r) => r.signals.length > 0);
    expect(puf.map((r) => [r.id, r.sha256, r.signals.map((s) => s.detail)])).toEqual([
      ['puf_tax_detail.versioned_derived_microdata', undefined, ['private repo policyengine/irs-soi-puf named in locator']],
    ]);
    expect(us.records.find((r) => r.id === 'processed_puf')).toMatchObject({ sha256: '7669f5b5281f20080e77204f9bd4aabfad0aa101fa283e22caf9ba8d61d4d6df', signals: [] });
  });

  it('finds a private repo named in reviewed_source', () => {
    const hmrc = readSourceRegistry([file(HMRC)]);
    expect(hmrc.records.find((r) => r.kind === 'private_microdata')?.signals.map((s) => s.detail)).toEqual([
      'source-stage kind private_microdata',
      'source-stage access private_local_input',
      'private repo policyengine/policyengine-uk-data-private named in reviewed_source',
    ]);
  });
});

describe('readSourceRegistry errors and notes', () => {
  it('locates a YAML syntax error by line and column', () => {
    expect(() => readSourceRegistry([text('sources:\n  - id: a\n  id: b\n   bad')])).toThrow(/dir\/reg\.yaml:\d+:\d+: invalid YAML/);
    expect(() => readSourceRegistry([text('sources: []\nsources: []\n')])).toThrow(/invalid YAML: Map keys must be unique/);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(() => readSourceRegistry([{ bytes: new Uint8Array([0x73, 0x3a, 0xff]), label: 'bad.yaml' }])).toThrow('bad.yaml: not valid UTF-8');
  });

  it('refuses a document that is not a registry', () => {
    expect(() => readSourceRegistry([text('name: x\n')])).toThrow(/dir\/reg\.yaml#: not a sources\.yaml or source-stage manifest/);
  });

  it('notes identifiers that do not parse or disagree, and never guesses', () => {
    const registry = readSourceRegistry([
      text(
        'stages:\n- stage: s\n  artifacts:\n' +
          '  - {kind: licensed_microdata, table: a, sha256: "' + 'a'.repeat(64) + '", ukds_study_number: "study nine", doi: "10.5255/UKDA-SN-1-2"}\n' +
          '  - {kind: licensed_microdata, table: b, sha256: "' + 'b'.repeat(64) + '", ukds_study_number: 7, doi: "10.5255/UKDA-SN-8-3"}\n' +
          '  - {kind: public_microdata, table: b, sha256: "nothex"}\n',
      ),
    ]);
    const [a, b, b2] = registry.records;
    expect(a).toMatchObject({ id: 's.a', ukdsStudyNumber: '1', ukdsEdition: 2 });
    expect(b).toMatchObject({ id: 's.b', ukdsStudyNumber: '7', doi: '10.5255/UKDA-SN-8-3' });
    expect(b?.ukdsEdition).toBeUndefined();
    expect(b2).toMatchObject({ id: 's.b-2', signals: [] });
    expect(b2?.sha256).toBeUndefined();
    expect(registry.notes).toEqual([
      'reg.yaml#/stages/0/artifacts/0/ukds_study_number: "study nine" is not a UK Data Service study number (expected digits, optionally written "SN 9422")',
      'reg.yaml#/stages/0/artifacts/1: the DOI 10.5255/UKDA-SN-8-3 names UKDS study 8, not the study number 7; the study number is kept and the DOI\'s edition is not used',
      'reg.yaml#/stages/0/artifacts/2/sha256: "nothex" is not a sha256 (64 hex digits)',
    ]);
  });
});
