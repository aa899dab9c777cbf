// Curated restricted inputs (flags, inputs files) resolved against the registry into hash-bound, identified, located inputs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRestrictedInputFlag, readRestrictedInputsFile, resolveRestrictedInputs } from '../../../src/build-tro/restricted-inputs.js';
import { type RegistryInput, readSourceRegistry } from '../../../src/build-tro/sources.js';
import { InputError } from '../../../src/errors.js';
import { parseJson } from '../../../src/json/parse.js';

const DIR = 'fixtures/pe-data/microcosm/';
const file = (name: string): RegistryInput => ({ bytes: new Uint8Array(readFileSync(DIR + name)), label: name });
const UK_YAML = 'packages__microcosm-build__src__microcosm__build__uk__spec__sources.yaml';
const US_YAML = 'packages__microcosm-build__src__microcosm__build__us__spec__sources.yaml';
const uk = readSourceRegistry([file(UK_YAML)]);
const us = readSourceRegistry([file(US_YAML)]);
const SHA = 'c'.repeat(64);

describe('parseRestrictedInputFlag', () => {
  it('reads the fields under their flag spellings, keeping a comma inside a URL', () => {
    const spec = parseRestrictedInputFlag(`id=irs_puf_2015,sha256=${SHA},location=https://example.org/a,b?x=1,ukds-study=SN 9422,irs-agreement=TD-1,mime-type=text/csv`);
    expect(spec).toEqual({
      id: 'irs_puf_2015',
      fields: { sha256: SHA, location: 'https://example.org/a,b?x=1', ukds_study_number: 'SN 9422', irs_agreement_id: 'TD-1', mime_type: 'text/csv' },
      origin: 'command line',
    });
  });
  it.each([
    ['sha256=x', /an id is required/],
    ['id=a,colour=red', /unknown field "colour"/],
    ['id=a,doi=1,doi=2', /doi is given twice/],
    ['id=a b', /must be letters, digits/],
    ['novalue', /"novalue" is not name=value/],
  ])('%s is a usage error', (text, message) => {
    const attempt = () => parseRestrictedInputFlag(text);
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(message);
  });
});

describe('readRestrictedInputsFile', () => {
  it('reads an array (or {"inputs": [...]}) with integers as text', () => {
    const specs = readRestrictedInputsFile(parseJson(`{"inputs": [{"id": "frs", "ukds_study_number": 9563, "ukds_edition": 1, "sha256": "${SHA}"}]}`), 'in.json');
    expect(specs).toEqual([{ id: 'frs', fields: { ukds_study_number: '9563', ukds_edition: '1', sha256: SHA }, origin: 'in.json#/inputs/0' }]);
  });
  it('locates bad entries by JSON pointer', () => {
    expect(() => readRestrictedInputsFile(parseJson('[{"id": "a", "colour": "red"}]'), 'in.json')).toThrow(/in\.json#\/0\/colour: unknown field/);
    expect(() => readRestrictedInputsFile(parseJson('[{"sha256": "x"}]'), 'in.json')).toThrow(/in\.json#\/0\/id: an id/);
    expect(() => readRestrictedInputsFile(parseJson('{"a": 1}'), 'in.json')).toThrow(/in\.json#: expected a JSON array/);
  });
});

describe('resolveRestrictedInputs', () => {
  it('takes hash, identifiers and signals from the registry record an id names, adding the curator\'s own signal', () => {
    const { inputs } = resolveRestrictedInputs([parseRestrictedInputFlag('id=frs_spine.adult')], uk);
    expect(inputs).toHaveLength(1);
    const [frs] = inputs;
    expect(frs).toMatchObject({
      id: 'frs_spine.adult',
      sha256: '4eaea0809a7ccca0fddeb98e358771e4a6e5ebb81b21c4fac4070fc9d227658d',
      location: 'https://doi.org/10.5255/UKDA-SN-9563-1',
      locationSource: 'doi',
      name: 'adult.tab',
      mimeType: 'text/tab-separated-values',
      ukdsStudyNumber: '9563',
      ukdsEdition: 1,
      doi: '10.5255/UKDA-SN-9563-1',
      sourceKind: 'licensed_microdata',
      sourceRecord: `${UK_YAML}#/stages/0/artifacts/1`,
    });
    // One signal per distinct reason: the table is listed by five stages but restricted for one reason.
    expect(frs?.signals.map((s) => [s.kind, s.record])).toEqual([
      ['curated', 'command line'],
      ['source-kind', `${UK_YAML}#/stages/0/artifacts/1/kind`],
    ]);
  });

  it('lets curated values win over the registry, noting each disagreement', () => {
    const spec = parseRestrictedInputFlag('id=frs_spine.adult,location=https://ukds.example/9563,ukds-edition=2,basis=UKDS End User Licence');
    const { inputs, findings } = resolveRestrictedInputs([spec], uk);
    expect(inputs[0]).toMatchObject({ location: 'https://ukds.example/9563', locationSource: 'given', ukdsEdition: 2 });
    expect(inputs[0]?.signals[0]).toEqual({ kind: 'curated', detail: 'UKDS End User Licence', record: 'command line' });
    expect(findings.map((f) => f.code)).toEqual(['IDENTIFIER_CONFLICT']);
  });

  it('binds a registry pin the registry does not call restricted when a curator does (the IRS PUF)', () => {
    const spec = parseRestrictedInputFlag('id=processed_puf,location=https://www.irs.gov/statistics/soi-tax-stats-individual-public-use-microdata-files,irs-agreement=TD-2015');
    const { inputs } = resolveRestrictedInputs([spec], us);
    expect(inputs[0]).toMatchObject({
      sha256: '7669f5b5281f20080e77204f9bd4aabfad0aa101fa283e22caf9ba8d61d4d6df',
      irsAgreementId: 'TD-2015',
      sourceRecord: `${US_YAML}#/sources/4`,
      signals: [{ kind: 'curated', detail: 'named a restricted input by a curator', record: 'command line' }],
    });
  });

  it('refuses an input without a sha256: provenance without a hash is not provenance', () => {
    expect(() => resolveRestrictedInputs([parseRestrictedInputFlag('id=irs_puf_2015,location=https://www.irs.gov/')], undefined)).toThrow(
      'restricted input irs_puf_2015 has no sha256 and no sources file has a record with that id: provenance without a hash is not provenance',
    );
    expect(() => resolveRestrictedInputs([parseRestrictedInputFlag('id=puf_tax_detail.versioned_derived_microdata')], us)).toThrow(/its registry record has none/);
    const specs = readRestrictedInputsFile(parseJson('[{"id": "x"}]'), 'in.json');
    expect(() => resolveRestrictedInputs(specs, undefined)).toThrow(/in\.json#\/0: restricted input x has no sha256/);
  });

  it('an id matching no record lists the near matches among the sources files\' ids (edit distance, substring)', () => {
    expect(() => resolveRestrictedInputs([parseRestrictedInputFlag('id=adult')], uk)).toThrow(
      /^restricted input adult has no sha256 and no sources file has a record with that id \(did you mean [^)]*frs_spine\.adult[^)]*\?\): provenance without a hash/,
    );
    expect(() => resolveRestrictedInputs([parseRestrictedInputFlag('id=frs_spine.adlut')], uk)).toThrow(/\(did you mean frs_spine\.adult\?\)/);
    expect(() => resolveRestrictedInputs([parseRestrictedInputFlag('id=zzzzzzzzzzzz')], uk)).toThrow(/\(none of its \d+ record ids is close\)/);
    // With a curated hash the input is still bound, and the unmatched id is a warning naming the near matches.
    const { findings } = resolveRestrictedInputs([parseRestrictedInputFlag(`id=frs_spine.adlut,sha256=${SHA}`)], uk);
    expect(findings).toContainEqual({ severity: 'warning', code: 'INPUT_NOT_IN_SOURCES', message: expect.stringMatching(/matches no record of the sources files \(did you mean frs_spine\.adult\?\)/) });
  });

  it('refuses a curated hash that contradicts the registry, a bad identifier, a relative location and a repeated id', () => {
    expect(() => resolveRestrictedInputs([parseRestrictedInputFlag(`id=frs_spine.adult,sha256=${SHA}`)], uk)).toThrow(/differs from the registry's 4eaea080/);
    expect(() => resolveRestrictedInputs([parseRestrictedInputFlag(`id=a,sha256=${SHA},doi=nope`)], undefined)).toThrow(/"nope" is not a DOI/);
    expect(() => resolveRestrictedInputs([parseRestrictedInputFlag(`id=a,sha256=${SHA},location=data/a.tab`)], undefined)).toThrow(/not an absolute URL or URN/);
    const twice = parseRestrictedInputFlag(`id=a,sha256=${SHA}`);
    expect(() => resolveRestrictedInputs([twice, twice], undefined)).toThrow(/given twice/);
  });

  it('falls back to a content URN when no access URL is known, and says so', () => {
    const { inputs, findings } = resolveRestrictedInputs([parseRestrictedInputFlag(`id=local_tab,sha256=${SHA},name=x.tab`)], undefined);
    expect(inputs[0]).toMatchObject({ location: `urn:pop:input:local_tab:${SHA}`, locationSource: 'content-urn' });
    expect(findings.map((f) => f.code)).toEqual(['INPUT_NO_ACCESS_URL']);
  });

  it('selects every restricted registry input once per hash, and reports the unhashed ones as gaps', () => {
    const all = resolveRestrictedInputs([], uk, { allRestricted: true });
    // 29 restricted records, but FRS tables repeat across stages and WAS/SPI/ETB repeat too: one input per distinct hash.
    const restricted = uk.records.filter((r) => r.signals.length > 0);
    expect(restricted.length).toBe(29);
    expect(all.inputs.length).toBe(new Set(restricted.map((r) => r.sha256)).size);
    expect(all.inputs.length).toBeLessThan(restricted.length);
    expect(new Set(all.inputs.map((i) => i.sha256)).size).toBe(all.inputs.length);
    const gaps = resolveRestrictedInputs([], us, { allRestricted: true });
    expect(gaps.inputs).toEqual([]);
    expect(gaps.findings.map((f) => f.code)).toEqual(['INPUT_UNHASHED']);
    expect(() => resolveRestrictedInputs([], undefined, { allRestricted: true })).toThrow(/needs at least one sources file/);
  });

  it('does not bind a curated input twice when selecting all restricted inputs', () => {
    const { inputs } = resolveRestrictedInputs([parseRestrictedInputFlag('id=frs_spine.adult')], uk, { allRestricted: true });
    expect(inputs.filter((i) => i.sha256 === '4eaea0809a7ccca0fddeb98e358771e4a6e5ebb81b21c4fac4070fc9d227658d').map((i) => i.id)).toEqual(['frs_spine.adult']);
  });
});
