// `pe-trace show`, `diff`, `cite` and `export` end to end: text, --json envelopes, exit codes, one-line errors.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { historyTro } from '../support/history.js';
import { envelope, expectOneLineError, runCli } from '../support/cli.js';

const PY = 'fixtures/policyengine-py';
const scratch = mkdtempSync(join(tmpdir(), 'pe-trace-human-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('pe-trace show', () => {
  it('prints one screen for a run record folder', () => {
    const r = runCli(['show', `${PY}/generated/run-record`]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('kind          run (dialect pe-0.1), run record folder');
    expect(lines).toContain('fingerprint   8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997');
    expect(lines).toContain('rules         policyengine-us 1.764.6 (wheel 2b2c5c02c26a)');
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(r.stderr).toBe('');
  });

  it('--json carries the summary and no absolute path', () => {
    const r = runCli(['show', join(process.cwd(), PY, 'shipped', 'us.trace.tro.jsonld'), '--json']);
    const env = envelope<{ kind: string; releases: { bundleId: string }[] }>(r);
    expect(env.status).toBe(0);
    expect(env.result?.kind).toBe('bundle');
    expect(env.result?.releases[0]?.bundleId).toBe('us-5.0.3');
    expect(r.stdout).not.toContain(process.cwd());
  });

  it('bad input: one line, exit 3', () => {
    const f = join(scratch, 'not-a-record.json');
    writeFileSync(f, '[1, 2]');
    expectOneLineError(runCli(['show', f]), 3, /not a TRO/);
    expectOneLineError(runCli(['show', join(scratch, 'missing.jsonld')]), 3, /no such file/);
  });
});

describe('pe-trace diff', () => {
  it('rules changed, data unchanged between two consecutive uk bundle TROs: exit 1', () => {
    const r = runCli(['diff', historyTro('2026-06-01-f2ead65254960ea4'), historyTro('2026-06-02-cbb79ef59b82f96b')]);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('rules changed, data unchanged, metadata changed');
  });

  it('--json: changed in the fixed order, per-category and per-artifact detail, status 1', () => {
    const r = runCli(['diff', historyTro('2026-05-16-c6a262f4e644dede'), historyTro('2026-05-17-f3992e21250467c3'), '--json']);
    expect(r.status).toBe(1);
    const env = envelope<{ changed: string[]; categories: Record<string, unknown[]>; artifacts: { id: string; status: string }[] }>(r);
    expect(env.status).toBe(1);
    expect(env.result?.changed).toEqual(['rules', 'data', 'metadata']);
    expect(Object.keys(env.result?.categories ?? {})).toEqual(['rules', 'data', 'reform', 'inputs', 'results', 'runtime', 'metadata']);
    expect(env.result?.artifacts.find((a) => a.id === 'data_release_manifest')?.status).toBe('removed');
  });

  it('identical in substance (metadata only): exit 0', () => {
    const r = runCli(['diff', `${PY}/generated/run-record`, `${PY}/generated/run-record-with-url`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('identical in substance: only metadata differs');
  });

  it('a bundle TRO and its TROv 0.1 conversion are identical in substance across dialects (exit 0)', () => {
    const out = join(scratch, 'us.trov.jsonld');
    expect(runCli(['convert', `${PY}/shipped/us.trace.tro.jsonld`, '--to', 'trov-0.1', '--out', out]).status).toBe(0);
    const r = runCli(['diff', `${PY}/shipped/us.trace.tro.jsonld`, out, '--json']);
    expect(r.status).toBe(0);
    const env = envelope<{ changed: string[]; categories: { metadata: { field: string }[] } }>(r);
    expect(env.result?.changed).toEqual(['metadata']);
    expect(env.result?.categories.metadata.map((c) => c.field)).toContain('dialect');
  });

  it('records of different kinds or bad input: exit 3, one line', () => {
    expectOneLineError(runCli(['diff', `${PY}/generated/run-record`, `${PY}/shipped/us.trace.tro.jsonld`]), 3, /cannot compare a run record/);
    expectOneLineError(runCli(['diff', `${PY}/generated/run-record`, join(scratch, 'nope')]), 3, /no such file/);
  });

  it('a missing argument is a usage error (exit 2)', () => {
    const r = runCli(['diff', `${PY}/generated/run-record`]);
    expect(r.status).toBe(2);
  });
});

describe('pe-trace cite', () => {
  it('prints a BibTeX entry keyed by the fingerprint; --json carries the same citation', () => {
    const r = runCli(['cite', `${PY}/generated/run-record`, '--format', 'bibtex']);
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('@misc{pe-8b68588a1b527c00,\n')).toBe(true);
    const j = envelope<{ citation: string; key: string; format: string }>(runCli(['cite', `${PY}/generated/run-record`, '--format', 'bibtex', '--json']));
    expect(j.result?.citation).toBe(r.stdout);
    expect(j.result?.key).toBe('pe-8b68588a1b527c00');
  });

  it('--doi appears in every format; a bad DOI is a usage error (exit 2)', () => {
    for (const format of ['text', 'bibtex', 'cff', 'ris', 'datacite', 'csl-json']) {
      const r = runCli(['cite', `${PY}/generated/run-record`, '--format', format, '--doi', '10.5281/zenodo.42']);
      expect(r.status, format).toBe(0);
      expect(r.stdout.toUpperCase(), format).toContain('10.5281/ZENODO.42');
    }
    expectOneLineError(runCli(['cite', `${PY}/generated/run-record`, '--doi', 'nonsense']), 2, /not a DOI/);
  });

  it('a bundle manifest cannot be cited (no fingerprint): exit 3', () => {
    expectOneLineError(runCli(['cite', `${PY}/shipped/manifest.json`]), 3, /no composition fingerprint/);
  });
});

describe('pe-trace export', () => {
  it('writes an RO-Crate folder; refuses a non-empty folder without --force (exit 2)', () => {
    const out = join(scratch, 'crate');
    const r = runCli(['export', `${PY}/generated/run-record`, '--format', 'ro-crate', '--out', out, '--json']);
    expect(r.status).toBe(0);
    const env = envelope<{ files: string[] }>(r);
    expect(env.result?.files[0]).toBe('ro-crate-metadata.json');
    expect(existsSync(join(out, 'results.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'ro-crate-metadata.json'), 'utf8'))['@context']).toBe('https://w3id.org/ro/crate/1.2/context');
    expectOneLineError(runCli(['export', `${PY}/generated/run-record`, '--format', 'ro-crate', '--out', out]), 2, /not empty/);
    expect(runCli(['export', `${PY}/generated/run-record`, '--format', 'ro-crate', '--out', out, '--force']).status).toBe(0);
  });

  it('--format is required (usage, exit 2)', () => {
    expect(runCli(['export', `${PY}/generated/run-record`, '--out', join(scratch, 'x')]).status).toBe(2);
  });
});
