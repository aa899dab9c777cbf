// `pe-trace emit build` end to end: the shipped populace TRO byte for byte, restricted inputs written with payloads, refusals.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/hash/digest.js';
import { loadTroFile } from '../../src/tro/load.js';
import { verifyTro } from '../../src/verify/verify.js';
import { envelope, runCli } from '../support/cli.js';

const DIR = 'fixtures/pe-data/microcosm/';
const MANIFEST = `${DIR}packages__populace-data__build__us__release_manifest.json`;
const SHIPPED = `${DIR}packages__populace-data__build__us__populace_us_2024.trace.tro.jsonld`;
const UK_YAML = `${DIR}packages__microcosm-build__src__microcosm__build__uk__spec__sources.yaml`;
const US_YAML = `${DIR}packages__microcosm-build__src__microcosm__build__us__spec__sources.yaml`;
const PUF_PAGE = 'https://www.irs.gov/statistics/soi-tax-stats-individual-public-use-microdata-files';
// CI sets GITHUB_ACTIONS; pop:emittedIn must not depend on where the tests run.
const env = { GITHUB_ACTIONS: '' };

interface Result {
  buildId: string;
  fingerprint: string;
  artifacts: { id: string; role: string; accessRestricted: boolean }[];
  inputs: { id: string; sha256: string; location: string; identifiers: Record<string, string | number>; basis: string[] }[];
  payloads: { name: string; sha256: string; preimage: boolean }[];
  gates: { names: string[]; passed: boolean | null } | null;
  out: string | null;
  payloadFiles: string[];
}

describe('pe-trace emit build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pe-trace-emit-build-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reproduces the shipped populace build TRO on stdout, warning that stage_records has no preimage', () => {
    const r = runCli(
      [
        'emit',
        'build',
        '--release-manifest',
        MANIFEST,
        '--hf-revision',
        '4a8e7d39eb9e282397d186b4550107b1955eddc5',
        '--self-url',
        'https://huggingface.co/datasets/policyengine/populace-us/resolve/main/releases/populace-us-2024-9f1260b-20260611/populace_us_2024.trace.tro.jsonld',
        '--payload-sha256',
        'stage_records=dd89da5f4d3ec47b674fdcaec676de589264198554e4099d91334d57ed0448a3',
        '--created-with',
        'populace-build@0.1.0',
      ],
      { env },
    );
    expect(r.status).toBe(0);
    expect(r.stdoutBytes.equals(readFileSync(SHIPPED))).toBe(true);
    expect(r.stderr).toMatch(/^warning: payload stage_records is bound by a declared sha256 dd89da5f.*nobody can recompute it$/m);
  });

  it('binds the IRS PUF and a UKDS FRS table from sources.yaml, writes payload preimages, and the TRO verifies its fingerprint', async () => {
    const out = join(dir, 'nested', 'build.trace.tro.jsonld');
    const r = runCli(
      [
        'emit',
        'build',
        '--release-manifest',
        MANIFEST,
        '--sources',
        US_YAML,
        '--sources',
        UK_YAML,
        '--restricted-input',
        `id=processed_puf,location=${PUF_PAGE},irs-agreement=TD-2015-PUF`,
        '--restricted-input',
        'id=frs_spine.adult',
        '--emitted-in',
        'local',
        '--out',
        out,
        '--payload-dir',
        join(dir, 'payloads'),
        '--json',
      ],
      { env },
    );
    expect(r.status).toBe(0);
    const e = envelope<Result>(r);
    const result = e.result;
    if (result === undefined) throw new Error('no result');
    expect(result.inputs.map((i) => [i.id, i.location, i.identifiers])).toEqual([
      ['processed_puf', PUF_PAGE, { irsAgreementId: 'TD-2015-PUF' }],
      ['frs_spine.adult', 'https://doi.org/10.5255/UKDA-SN-9563-1', { ukdsStudyNumber: '9563', ukdsEdition: 1, doi: '10.5255/UKDA-SN-9563-1' }],
    ]);
    expect(result.artifacts.filter((a) => a.accessRestricted).map((a) => a.id)).toEqual(['processed_puf', 'frs_spine.adult']);
    expect(result.gates).toEqual({ names: ['calibration', 'exported_nonzero', 'parity_gaps', 'smoke'], passed: true });
    expect(result.payloadFiles).toEqual(['build_config.json', 'gate_report.json']);
    for (const p of result.payloads) expect(sha256Hex(readFileSync(join(dir, 'payloads', `${p.name}.json`)))).toBe(p.sha256);

    const { model } = await loadTroFile(out);
    const report = await verifyTro(model, { fetchHttps: false });
    expect(report.fingerprint).toMatchObject({ status: 'ok', claimed: result.fingerprint });
    expect(model.artifacts.map((a) => a.shortId)).toEqual(result.artifacts.map((a) => a.id));
  });

  it('binds every restricted input of the UK registry plus an inputs file, printing a summary and the warnings', () => {
    const UK = `${DIR}packages__microcosm-data__tests__fixtures__uk_june_2023__populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z__`;
    const inputs = join(dir, 'inputs.json');
    writeFileSync(inputs, JSON.stringify([{ id: 'irs_puf_2015', sha256: 'A'.repeat(64), location: PUF_PAGE, irs_agreement_id: 'TD-2015-PUF' }]));
    const out = join(dir, 'uk.trace.tro.jsonld');
    const r = runCli(
      [
        'emit', 'build',
        '--release-manifest', `${UK}release_manifest.json`,
        '--build-manifest', `${UK}build_manifest.json`,
        '--sources', UK_YAML,
        '--restricted-from-sources',
        '--inputs', inputs,
        '--emitted-in', 'local',
        '--out', out,
      ],
      { env },
    );
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`wrote ${out}`);
    expect(lines[1]).toMatch(/^fingerprint: [0-9a-f]{64}$/);
    // 3 outputs + 1 curated input + the restricted registry inputs (one per hash) + build_config + gate_report.
    expect(lines[2]).toMatch(/^artifacts: (\d+) \((\d+) restricted inputs, 2 payloads, \2 restricted locations\)$/);
    // LCFS and ETB tables have neither DOI nor source page: located by content URN, with a warning each.
    expect(r.stderr.match(/^warning: restricted input \S+ has no known access URL/gm)?.length).toBe(3);
    const tro = readFileSync(out, 'utf8');
    expect(tro).toContain('"pop:irsAgreementId": "TD-2015-PUF"');
    expect(tro).toContain(`"trov:sha256": "${'a'.repeat(64)}"`);
  });

  it('refuses a restricted input without a sha256 and writes nothing', () => {
    const out = join(dir, 'refused.trace.tro.jsonld');
    const r = runCli(['emit', 'build', '--release-manifest', MANIFEST, '--restricted-input', `id=irs_puf_2015,location=${PUF_PAGE}`, '--emitted-in', 'local', '--out', out], { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'error: restricted input irs_puf_2015 has no sha256 and no sources file has a record with that id: provenance without a hash is not provenance\n',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('locates a release manifest output without a sha256 (exit 3)', () => {
    const bad = join(dir, 'bad_manifest.json');
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { dataset: { sha256?: string } };
    delete manifest.dataset.sha256;
    writeFileSync(bad, JSON.stringify(manifest));
    const r = runCli(['emit', 'build', '--release-manifest', bad, '--emitted-in', 'local', '--json'], { env });
    expect(r.status).toBe(3);
    expect(envelope(r).error).toEqual({
      code: 'MANIFEST_INVALID',
      message: `${bad}#/dataset/sha256: output artifact 'dataset' has no sha256: provenance without a hash is not provenance`,
    });
  });
});
