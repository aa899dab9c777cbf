// Run-record payload builders (interop §7, test_run_record.py payload cases): content only, datasets by hash and basename.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type PolicyLike, assertCertifiable, inputPayload, reformPayload, resultsPayload } from '../../../src/emit/index.js';
import { sha256Hex } from '../../../src/hash/digest.js';
import { canonicalJsonText } from '../../../src/json/canonical.js';
import { JsonNumber } from '../../../src/json/value.js';
import { GENERATED, fixtureText } from './support.js';

const INPUTS = join(GENERATED, 'run-record-inputs');
const scratch = mkdtempSync(join(tmpdir(), 'pe-trace-payloads-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The fixture policy of test_run_record.py: two values starting 2026-01-01, listed out of order, with ids and timestamps. */
function ctcPolicy(): PolicyLike & { id: string; created_at: string } {
  return {
    id: 'policy-uuid',
    created_at: '2026-06-12T00:00:00',
    name: 'ctc-base-3000',
    parameter_values: [
      { parameter: { name: 'gov.irs.credits.ctc.amount.base[0].amount' }, value: 3000, start_date: '2026-01-01T00:00:00', end_date: null },
      { parameter: { name: 'gov.abolitions.snap' }, value: true, start_date: '2026-01-01T00:00:00' },
    ],
  };
}

const personTable = { person: { rows: 2, columns: ['income_tax', 'age'] } };

describe('reformPayload', () => {
  it('gives null without a policy', () => {
    expect(reformPayload(null)).toBeNull();
    expect(reformPayload(undefined)).toBeNull();
  });

  it('is content only: sorted by parameter, ISO start dates, null end dates, exactly four keys per value', () => {
    const payload = reformPayload(ctcPolicy());
    const view = payload as { name: string; parameter_values: Record<string, unknown>[] };
    expect(Object.keys(view).sort()).toEqual(['name', 'parameter_values']);
    expect(view.parameter_values.map((v) => v['parameter'])).toEqual(['gov.abolitions.snap', 'gov.irs.credits.ctc.amount.base[0].amount']);
    for (const v of view.parameter_values) {
      expect(Object.keys(v).sort()).toEqual(['end_date', 'parameter', 'start_date', 'value']);
      expect(v['start_date']).toBe('2026-01-01T00:00:00');
      expect(v['end_date']).toBeNull();
    }
    expect(canonicalJsonText(payload)).not.toMatch(/policy-uuid|created_at/);
  });

  it('reproduces generated/run-record/reform.json byte for byte', () => {
    expect(canonicalJsonText(reformPayload(ctcPolicy()))).toBe(fixtureText('generated', 'run-record', 'reform.json'));
  });

  it('gives identical bytes for two constructions, whatever the input order', () => {
    const reversed = { ...ctcPolicy(), parameter_values: [...ctcPolicy().parameter_values].reverse() };
    expect(canonicalJsonText(reformPayload(reversed))).toBe(canonicalJsonText(reformPayload(ctcPolicy())));
  });

  it('sorts by start date within a parameter, stably, and takes a plain parameter path (a dict reform)', () => {
    const policy: PolicyLike = {
      name: 'dict',
      parameter_values: [
        { parameter: 'gov.irs.credits.ctc.amount.base[0].amount', value: 3000, start_date: '2027-01-01' },
        { parameter: 'gov.irs.credits.ctc.amount.base[0].amount', value: 2500, start_date: '2026-01-01' },
      ],
    };
    const payload = reformPayload(policy) as { parameter_values: { parameter: string; value: number }[] };
    expect(payload.parameter_values.map((v) => [v.parameter, v.value])).toEqual([
      ['gov.irs.credits.ctc.amount.base[0].amount', 2500],
      ['gov.irs.credits.ctc.amount.base[0].amount', 3000],
    ]);
  });

  it('refuses a policy carrying a simulation_modifier (UNCERTIFIABLE)', () => {
    expect(() => reformPayload({ ...ctcPolicy(), simulation_modifier: () => undefined })).toThrow(expect.objectContaining({ code: 'UNCERTIFIABLE' }));
    expect(() => reformPayload({ ...ctcPolicy(), simulation_modifier: () => undefined })).toThrow(/simulation_modifier/);
  });

  it('refuses parameter values that are not plain JSON data', () => {
    const policy: PolicyLike = { name: 'x', parameter_values: [{ parameter: 'p', value: new Date(0) as never }] };
    expect(() => reformPayload(policy)).toThrow(/reform.parameter_values\[0\].value: a Date is not plain JSON data/);
  });
});

describe('inputPayload / resultsPayload', () => {
  it('binds the input dataset by content hash and basename, never the path', async () => {
    const payload = (await inputPayload({ dataset: { name: 'input_dataset', path: join(INPUTS, 'input_dataset.h5'), year: 2026 } })) as {
      dataset: { file: string; sha256: string };
    };
    expect(payload.dataset.sha256).toBe(sha256Hex('input bytes'));
    expect(payload.dataset.file).toBe('input_dataset.h5');
    expect(payload.dataset.file).not.toContain('/');
    expect(canonicalJsonText(payload)).toBe(fixtureText('generated', 'run-record', 'input.json'));
  });

  it('binds the output file hash and the table shapes, columns sorted', async () => {
    const payload = await resultsPayload({ outputDataset: { name: 'output_dataset', path: join(INPUTS, 'output_dataset.h5'), year: 2026, tables: personTable } });
    const view = payload as { output_dataset: { file: string; sha256: string; tables: unknown } };
    expect(view.output_dataset.sha256).toBe(sha256Hex('output bytes'));
    expect(view.output_dataset.file).toBe('output_dataset.h5');
    expect(view.output_dataset.tables).toEqual({ person: { rows: JsonNumber.ofInt(2), columns: ['age', 'income_tax'] } });
    expect(canonicalJsonText(payload)).toBe(fixtureText('generated', 'run-record', 'results.json'));
  });

  it('records the dynamic like a reform, drops the scoping id, defaults extra_variables to {}', async () => {
    const payload = (await inputPayload({
      dataset: { name: 'input_dataset', path: join(INPUTS, 'input_dataset.h5'), year: 2026 },
      dynamic: { name: 'dyn', parameter_values: [{ parameter: 'gov.x', value: 0.5, start_date: '2026-01-01' }] },
      scopingStrategy: { type: 'RowFilterStrategy', parameters: { id: 'uuid', variable: 'state', value: 'CA' } },
    })) as Record<string, unknown>;
    expect(payload['scoping_strategy']).toEqual({ type: 'RowFilterStrategy', parameters: { variable: 'state', value: 'CA' } });
    expect(payload['extra_variables']).toEqual({});
    expect(payload['dynamic']).toMatchObject({ name: 'dyn' });
    await expect(
      inputPayload({ dataset: { name: 'i', path: join(INPUTS, 'input_dataset.h5'), year: 2026 }, dynamic: { name: 'd', parameter_values: [], simulation_modifier: 'code' } }),
    ).rejects.toThrow(/dynamic carries a simulation_modifier/);
  });

  it('refuses a run without an output dataset, pointing at ensure()', async () => {
    await expect(resultsPayload({ outputDataset: undefined })).rejects.toThrow(/ensure\(\)/);
  });

  it('names only the basename when the output file is missing', async () => {
    const dir = join(scratch, 'private', 'deep');
    const path = join(dir, 'output_dataset.h5');
    const run = resultsPayload({ outputDataset: { name: 'o', path, year: 2026, tables: null } });
    await expect(run).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
    await expect(run).rejects.toThrow(/^output_dataset\.h5: no such file$/);
  });

  it('hashes the file bytes whatever its name or folder', async () => {
    const copy = join(scratch, 'renamed.h5');
    copyFileSync(join(INPUTS, 'output_dataset.h5'), copy);
    const payload = (await resultsPayload({ outputDataset: { name: 'o', path: copy, year: 2026 } })) as { output_dataset: { sha256: string; file: string; tables: unknown } };
    expect(payload.output_dataset).toMatchObject({ sha256: sha256Hex('output bytes'), file: 'renamed.h5', tables: null });
  });
});

describe('assertCertifiable', () => {
  it('refuses a simulation_modifier key anywhere, functions, symbols, class instances, NaN and cycles', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    for (const [value, pattern] of [
      [{ a: [{ simulation_modifier: null }] }, /at \/a\/0\/simulation_modifier: a simulation_modifier/],
      [{ f: () => 1 }, /at \/f: a function is not JSON data/],
      [{ s: Symbol('x') }, /a symbol/],
      [{ m: new Map() }, /a Map is not plain JSON data/],
      [[1, undefined], /undefined is not JSON data/],
      [{ n: Number.NaN }, /non-finite/],
      [cyclic, /cyclic/],
    ] as const) {
      expect(() => assertCertifiable(value, 'reform')).toThrow(pattern);
    }
  });

  it('accepts plain JSON data', () => {
    expect(() => assertCertifiable({ a: [1, 2.5, 'x', true, null, { b: 10n }], c: Object.create(null) as object }, 'reform')).not.toThrow();
  });
});
