// Run records (interop §7, test_run_record.py record cases): byte-exact vectors, offline verification, atomic writes, refusals.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type RunRecordOptions,
  inputPayload,
  reformPayload,
  resultsPayload,
  writeDirectoryAtomically,
  writeRunRecord,
} from '../../../src/emit/index.js';
import { canonicalJsonBytes } from '../../../src/json/canonical.js';
import { parseJson } from '../../../src/json/parse.js';
import type { JsonObject } from '../../../src/json/value.js';
import { validateJsonSchema } from '../../../src/validate/json-schema.js';
import { verifyTroFile } from '../../../src/verify/verify.js';
import { GENERATED, fixtureJson, fixtureText, performanceOf, roundTrip } from './support.js';

const scratch = mkdtempSync(join(tmpdir(), 'pe-trace-record-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const fresh = (): string => join(scratch, `record-${++counter}`);

const INPUTS = join(GENERATED, 'run-record-inputs');
const URL = 'https://example.org/bundle.trace.tro.jsonld';

/** The fixture simulation of test_run_record.py, as payloads built by our helpers from the dataset files. */
async function fixtureRun(directory: string, overrides: Partial<RunRecordOptions> = {}): Promise<RunRecordOptions> {
  return {
    directory,
    bundleTro: fixtureJson('shipped', 'us.trace.tro.jsonld'),
    reform: reformPayload({
      name: 'ctc-base-3000',
      parameter_values: [
        { parameter: 'gov.irs.credits.ctc.amount.base[0].amount', value: 3000, start_date: '2026-01-01T00:00:00' },
        { parameter: 'gov.abolitions.snap', value: true, start_date: '2026-01-01T00:00:00' },
      ],
    }),
    input: await inputPayload({ dataset: { name: 'input_dataset', path: join(INPUTS, 'input_dataset.h5'), year: 2026 } }),
    results: await resultsPayload({
      outputDataset: { name: 'output_dataset', path: join(INPUTS, 'output_dataset.h5'), year: 2026, tables: { person: { rows: 2, columns: ['age', 'income_tax'] } } },
    }),
    simulationId: 'run-1',
    createdAt: '2026-06-12T00:00:00Z',
    emissionContext: { 'pe:emittedIn': 'local' },
    ...overrides,
  };
}

function sameFiles(dir: string, reference: string): void {
  expect(readdirSync(dir).sort()).toEqual(readdirSync(reference).sort());
  for (const f of readdirSync(reference)) expect(readFileSync(join(dir, f), 'utf8'), f).toBe(readFileSync(join(reference, f), 'utf8'));
}

describe('run record vectors', () => {
  it('reproduces generated/run-record byte for byte (fingerprint 8b68588a…2997)', async () => {
    const dir = fresh();
    const record = await writeRunRecord(await fixtureRun(dir));
    expect(record.fingerprint).toBe('8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997');
    sameFiles(dir, join(GENERATED, 'run-record'));
  });

  it('reproduces generated/run-record-with-url: same fingerprint, URL only on the performance', async () => {
    const dir = fresh();
    const record = await writeRunRecord(await fixtureRun(dir, { bundleTroUrl: URL }));
    expect(record.fingerprint).toBe('8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997');
    sameFiles(dir, join(GENERATED, 'run-record-with-url'));
  });

  it('reproduces the vector from the published payload files too', async () => {
    const dir = fresh();
    const g = (f: string): JsonObject => fixtureJson('generated', 'run-record', f) as JsonObject;
    await writeRunRecord(await fixtureRun(dir, { bundleTro: g('bundle.trace.tro.jsonld'), reform: g('reform.json'), input: g('input.json'), results: g('results.json') }));
    expect(readFileSync(join(dir, 'run.trace.tro.jsonld'), 'utf8')).toBe(fixtureText('generated', 'run-record', 'run.trace.tro.jsonld'));
  });
});

describe('run record (test_run_record.py)', () => {
  it('is a self-contained directory', async () => {
    const dir = fresh();
    const record = await writeRunRecord(await fixtureRun(dir));
    expect(record.files).toEqual(['bundle.trace.tro.jsonld', 'reform.json', 'input.json', 'results.json', 'run.trace.tro.jsonld']);
    expect(readdirSync(dir).sort()).toEqual([...record.files].sort());
  });

  it('has a citable, deterministic fingerprint: two records give identical bytes', async () => {
    const [a, b] = [fresh(), fresh()];
    const ra = await writeRunRecord(await fixtureRun(a));
    const rb = await writeRunRecord(await fixtureRun(b));
    expect(ra.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(rb.fingerprint).toBe(ra.fingerprint);
    expect(readFileSync(join(b, 'run.trace.tro.jsonld'))).toEqual(readFileSync(join(a, 'run.trace.tro.jsonld')));
  });

  it('verifies offline: every artifact ok, fingerprint ok', async () => {
    const dir = fresh();
    await writeRunRecord(await fixtureRun(dir));
    const report = await verifyTroFile(join(dir, 'run.trace.tro.jsonld'), { fetchHttps: false });
    expect(report.fingerprint.status).toBe('ok');
    expect(report.artifacts.map((a) => [a.id, a.status])).toEqual([
      ['bundle_tro', 'ok'],
      ['reform', 'ok'],
      ['input', 'ok'],
      ['results', 'ok'],
    ]);
    expect(report.verified).toBe(true);
  });

  it('reports a mismatch once results.json is edited (even rewritten canonically)', async () => {
    const dir = fresh();
    await writeRunRecord(await fixtureRun(dir));
    const results = parseJson(readFileSync(join(dir, 'results.json'))) as JsonObject;
    ((results['output_dataset'] as JsonObject)['name'] as unknown) = 'tampered';
    writeFileSync(join(dir, 'results.json'), canonicalJsonBytes(results));
    const report = await verifyTroFile(join(dir, 'run.trace.tro.jsonld'), { fetchHttps: false });
    expect(report.artifacts.find((a) => a.id === 'results')?.status).toBe('mismatch');
    expect(report.verified).toBe(false);
  });

  it('records the bundle TRO URL on the performance, keeping the local copy as location', async () => {
    const dir = fresh();
    const record = await writeRunRecord(await fixtureRun(dir, { bundleTroUrl: URL }));
    expect(performanceOf(record.tro.document)['pe:bundleTroUrl']).toBe(URL);
    expect(record.tro.locations.get('bundle_tro')).toBe('bundle.trace.tro.jsonld');
  });

  it('validates against the pe-0.1 JSON Schema and round-trips through RDF', async () => {
    const record = await writeRunRecord(await fixtureRun(fresh()));
    expect(validateJsonSchema(record.tro.document, { dialect: 'pe-0.1' }).errors).toEqual([]);
    const back = await roundTrip(record.tro);
    expect(back.liftedNq).toBe(back.constructedNq);
  });

  it('refuses a reform with a simulation_modifier before writing anything', async () => {
    const dir = fresh();
    const reform = { name: 'code', parameter_values: [], simulation_modifier: 'def modify(sim): ...' };
    await expect(writeRunRecord(await fixtureRun(dir, { reform }))).rejects.toMatchObject({ code: 'UNCERTIFIABLE' });
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(join(dir, 'run.trace.tro.jsonld'))).toBe(false);
  });

  it('refuses a naive created_at (fixes §11.15)', async () => {
    await expect(writeRunRecord(await fixtureRun(fresh(), { createdAt: '2026-06-12T00:00:00' }))).rejects.toThrow(/timezone/);
  });

  it('writes a record without a policy (no reform.json, no reform artifact)', async () => {
    const dir = fresh();
    const record = await writeRunRecord(await fixtureRun(dir, { reform: reformPayload(null) }));
    expect(record.files).toEqual(['bundle.trace.tro.jsonld', 'input.json', 'results.json', 'run.trace.tro.jsonld']);
    expect(record.tro.artifacts.map((a) => a.shortId)).toEqual(['bundle_tro', 'input', 'results']);
  });

  it('adds request.json and runtime.json when given', async () => {
    const dir = fresh();
    const record = await writeRunRecord(await fixtureRun(dir, { request: { path: '/us/economy/2/over/1' }, runtime: { cloud_region: 'us-central1' } }));
    expect(record.files).toEqual(['bundle.trace.tro.jsonld', 'reform.json', 'input.json', 'request.json', 'runtime.json', 'results.json', 'run.trace.tro.jsonld']);
    expect((await verifyTroFile(join(dir, 'run.trace.tro.jsonld'), { fetchHttps: false })).verified).toBe(true);
  });
});

describe('atomic record directories', () => {
  it('refuses an existing non-empty directory unless forced, and leaves it untouched', async () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    await expect(writeRunRecord(await fixtureRun(dir))).rejects.toMatchObject({ code: 'USAGE' });
    expect(readdirSync(dir)).toEqual(['keep.txt']);
    await writeRunRecord(await fixtureRun(dir, { force: true }));
    expect(readdirSync(dir)).not.toContain('keep.txt');
    expect(readdirSync(dir)).toContain('run.trace.tro.jsonld');
  });

  it('accepts an existing empty directory and creates missing parents', async () => {
    const empty = fresh();
    mkdirSync(empty);
    await writeRunRecord(await fixtureRun(empty));
    expect(readdirSync(empty)).toContain('run.trace.tro.jsonld');
    const nested = join(fresh(), 'a', 'b');
    await writeRunRecord(await fixtureRun(nested));
    expect(readdirSync(nested)).toContain('run.trace.tro.jsonld');
  });

  it('leaves neither the record nor a temp directory behind when a write fails midway', async () => {
    const parent = fresh();
    mkdirSync(parent);
    const target = join(parent, 'rec');
    const bytes = new Uint8Array([1]);
    // The second entry with the same name cannot be created: the failure happens after the first file is written.
    await expect(writeDirectoryAtomically(target, [{ name: 'a.json', bytes }, { name: 'a.json', bytes }])).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
    expect(readdirSync(parent)).toEqual([]);
  });

  it('refuses an output path that is a file', async () => {
    const file = fresh();
    writeFileSync(file, 'x');
    await expect(writeRunRecord(await fixtureRun(file))).rejects.toMatchObject({ code: 'USAGE' });
    expect(readFileSync(file, 'utf8')).toBe('x');
  });
});
