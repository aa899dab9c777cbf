// The text rendering reproduces policyengine.py trace-tro-verify's lines exactly.
import { describe, expect, it } from 'vitest';
import { type VerifyReport, formatVerifyText } from '../../../src/verify/report.js';

const base: VerifyReport = {
  verified: false,
  verdict: 'failed',
  dialect: 'pe-0.1',
  fingerprint: { algorithm: 'sha256-newline', claimed: 'f'.repeat(64), computed: 'a'.repeat(64), status: 'mismatch' },
  artifacts: [
    { id: 'results', location: 'results.json', status: 'ok', expected: 'a'.repeat(64), actual: 'a'.repeat(64) },
    { id: 'dataset', location: 'https://x/d.h5', status: 'skipped', expected: 'b'.repeat(64) },
    { id: 'reform', location: 'reform.json', status: 'mismatch', expected: 'c'.repeat(64), actual: 'd'.repeat(64), detail: `sha256 ${'d'.repeat(64)} != claimed ${'c'.repeat(64)}` },
    { id: 'input', location: '../x', status: 'unfetchable', expected: 'e'.repeat(64), detail: 'artifact location escapes the record directory: ../x' },
    { id: 'odd', location: null, status: 'unverifiable', expected: null, detail: 'artifact has no hash' },
  ],
  notes: ['odd: artifact has no hash, so it contributes nothing to the recomputed fingerprint'],
};

describe('formatVerifyText', () => {
  it('renders each status, the fingerprint and the failure line on stderr', () => {
    expect(formatVerifyText(base, 'run.trace.tro.jsonld')).toEqual({
      stdout: [
        'ok: results (results.json)',
        'skipped: dataset',
        `mismatch: reform \u2014 sha256 ${'d'.repeat(64)} != claimed ${'c'.repeat(64)}`,
        'unfetchable: input \u2014 artifact location escapes the record directory: ../x',
        'unverifiable: odd \u2014 artifact has no hash',
        'fingerprint: mismatch',
      ],
      stderr: ['note: odd: artifact has no hash, so it contributes nothing to the recomputed fingerprint', 'error: run.trace.tro.jsonld failed verification'],
    });
  });
  it('ends with ok: PATH on stdout when verified', () => {
    const ok: VerifyReport = { ...base, verified: true, verdict: 'verified', artifacts: [], notes: [], fingerprint: { ...base.fingerprint, status: 'ok' } };
    expect(formatVerifyText(ok, 'x/run.jsonld')).toEqual({ stdout: ['fingerprint: ok', 'ok: x/run.jsonld'], stderr: [] });
  });
  it('prints a missing fingerprint', () => {
    const missing: VerifyReport = { ...base, artifacts: [], notes: [], fingerprint: { ...base.fingerprint, claimed: null, status: 'missing' } };
    expect(formatVerifyText(missing, 'a').stdout).toEqual(['fingerprint: missing']);
  });
});
