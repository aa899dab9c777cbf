// Verifying real TRO files from disk (offline): the generated run record and the shipped bundle TROs.
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyTroFile } from '../../../src/verify/verify.js';
import { formatVerifyText } from '../../../src/verify/report.js';

const RUN = 'fixtures/policyengine-py/generated/run-record/run.trace.tro.jsonld';
const PACKAGE_ROOT = 'fixtures/policyengine-py/generated/package-root';
const US = `${PACKAGE_ROOT}/data/bundle/us.trace.tro.jsonld`;

describe('verifyTroFile', () => {
  it('given the path helper then the base directory defaults to the file\'s directory (generated run record: 4 × ok)', async () => {
    const report = await verifyTroFile(RUN);
    expect(report.artifacts.map((a) => [a.id, a.status, a.location])).toEqual([
      ['bundle_tro', 'ok', 'bundle.trace.tro.jsonld'],
      ['reform', 'ok', 'reform.json'],
      ['input', 'ok', 'input.json'],
      ['results', 'ok', 'results.json'],
    ]);
    expect(report.fingerprint).toMatchObject({ status: 'ok', computed: '8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997' });
    expect(report.verified).toBe(true);
    expect(report.notes).toEqual([]);
    const text = formatVerifyText(report, 'run.trace.tro.jsonld');
    expect(text.stdout).toEqual([
      'ok: bundle_tro (bundle.trace.tro.jsonld)',
      'ok: reform (reform.json)',
      'ok: input (input.json)',
      'ok: results (results.json)',
      'fingerprint: ok',
      'ok: run.trace.tro.jsonld',
    ]);
    expect(text.stderr).toEqual([]);
  });

  it('fails a copied record once one artifact is tampered with', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pe-trace-run-'));
    try {
      for (const f of ['run.trace.tro.jsonld', 'bundle.trace.tro.jsonld', 'reform.json', 'input.json', 'results.json']) {
        await copyFile(`fixtures/policyengine-py/generated/run-record/${f}`, join(dir, f));
      }
      expect((await verifyTroFile(join(dir, 'run.trace.tro.jsonld'))).verified).toBe(true);
      await writeFile(join(dir, 'results.json'), '{}\n');
      const report = await verifyTroFile(join(dir, 'run.trace.tro.jsonld'));
      expect(report.verified).toBe(false);
      expect(report.artifacts.find((a) => a.id === 'results')?.status).toBe('mismatch');
      expect(JSON.stringify(report)).not.toContain(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('resolves the shipped bundle TRO\'s manifest location only against the package root', async () => {
    const inPlace = await verifyTroFile(US, { fetchHttps: false });
    expect(inPlace.artifacts[0]).toMatchObject({ id: 'bundle_manifest', status: 'unfetchable', detail: 'no such file: data/bundle/manifest.json' });
    const rooted = await verifyTroFile(US, { baseDir: PACKAGE_ROOT, fetchHttps: false });
    expect(rooted.artifacts.map((a) => [a.id, a.status])).toEqual([
      ['bundle_manifest', 'ok'],
      ['data_release_manifest', 'not-fetched'],
      ['dataset', 'not-fetched'],
      ['model_wheel', 'not-fetched'],
    ]);
    expect(rooted.verdict).toBe('incomplete');
    expect(rooted.fingerprint).toMatchObject({ status: 'ok', computed: '66ceaf4c12243f1f6ccb5b01e10fd1cd0a6e1e2fc6a9915ae5bde114353a4377' });
    const skipped = await verifyTroFile(US, { baseDir: PACKAGE_ROOT, skip: ['data_release_manifest', 'dataset', 'model_wheel'] });
    expect(skipped.verified).toBe(true);
  });

  it('raises a coded input error for a missing TRO file', async () => {
    await expect(verifyTroFile('fixtures/does-not-exist.jsonld')).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
  });
});
