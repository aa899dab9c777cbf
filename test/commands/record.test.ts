// `pe-trace record` end to end: the generated run records byte for byte, offline verification, refusals, atomic output.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, envelope, runCli } from '../support/cli.js';

const GEN = join(FIXTURES, 'policyengine-py', 'generated');
const RUN = join(GEN, 'run-record');
const scratch = mkdtempSync(join(tmpdir(), 'pe-trace-record-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const fresh = (): string => join(scratch, `rec-${++counter}`);

/** `record` on the payloads of generated/run-record, as test_run_record.py's fixture simulation produced them. */
function recordArgs(out: string, extra: readonly string[] = [], reform: string | null = join(RUN, 'reform.json')): string[] {
  return [
    'record',
    '--bundle-tro',
    join(RUN, 'bundle.trace.tro.jsonld'),
    ...(reform === null ? [] : ['--reform', reform]),
    '--input',
    join(RUN, 'input.json'),
    '--results',
    join(RUN, 'results.json'),
    '--simulation-id',
    'run-1',
    '--created-at',
    '2026-06-12T00:00:00Z',
    '--out',
    out,
    ...extra,
  ];
}

function sameFiles(dir: string, reference: string): void {
  expect(readdirSync(dir).sort()).toEqual(readdirSync(reference).sort());
  for (const f of readdirSync(reference)) expect(readFileSync(join(dir, f)).equals(readFileSync(join(reference, f))), f).toBe(true);
}

describe('pe-trace record', () => {
  it('reproduces generated/run-record byte for byte (emittedIn local, fingerprint 8b68588a…2997)', () => {
    const out = fresh();
    const r = runCli(recordArgs(out, ['--emitted-in', 'local']));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`wrote ${out} (bundle.trace.tro.jsonld, reform.json, input.json, results.json, run.trace.tro.jsonld)\nfingerprint: 8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997\n`);
    sameFiles(out, RUN);
  });

  it('with --bundle-tro-url reproduces generated/run-record-with-url (same fingerprint)', () => {
    const url = (JSON.parse(readFileSync(join(GEN, 'run-record-with-url', 'run.trace.tro.jsonld'), 'utf8')) as { '@graph': { 'trov:hasPerformance': Record<string, string> }[] })['@graph'][0]?.[
      'trov:hasPerformance'
    ]['pe:bundleTroUrl'];
    expect(url).toBe('https://example.org/bundle.trace.tro.jsonld');
    const out = fresh();
    const r = runCli(recordArgs(out, ['--emitted-in', 'local', '--bundle-tro-url', url ?? '', '--json']));
    expect(r.status).toBe(0);
    expect(envelope<{ fingerprint: string; files: string[] }>(r).result?.fingerprint).toBe('8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997');
    sameFiles(out, join(GEN, 'run-record-with-url'));
  });

  it('writes a record that verify passes offline and validate accepts', () => {
    const out = fresh();
    expect(runCli(recordArgs(out, ['--emitted-in', 'local'])).status).toBe(0);
    const verified = runCli(['verify', join(out, 'run.trace.tro.jsonld'), '--no-fetch']);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toContain('ok: results (results.json)');
    expect(verified.stdout).toContain('fingerprint: ok');
    expect(runCli(['validate', join(out, 'run.trace.tro.jsonld')]).status).toBe(0);
  });

  it('takes pe:emittedIn from the CI variables of its environment without changing the fingerprint', () => {
    const out = fresh();
    const r = runCli(recordArgs(out, ['--json']), {
      env: { GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '7', GITHUB_SHA: 'abc123' },
    });
    expect(envelope<{ fingerprint: string }>(r).result?.fingerprint).toBe('8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997');
    const tro = readFileSync(join(out, 'run.trace.tro.jsonld'), 'utf8');
    expect(tro).toContain('"pe:emittedIn": "github-actions"');
    expect(tro).toContain('"pe:ciRunUrl": "https://github.com/o/r/actions/runs/7"');
  });

  it('writes no reform.json without --reform', () => {
    const out = fresh();
    expect(runCli(recordArgs(out, ['--emitted-in', 'local'], null)).status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['bundle.trace.tro.jsonld', 'input.json', 'results.json', 'run.trace.tro.jsonld']);
  });

  it('refuses a reform carrying a simulation_modifier (exit 3, UNCERTIFIABLE) before writing anything', () => {
    const reform = join(scratch, 'modifier.json');
    writeFileSync(reform, '{"name": "x", "parameter_values": [], "simulation_modifier": "def f(sim): sim.x = 1"}');
    const out = fresh();
    const r = runCli(recordArgs(out, ['--json'], reform));
    expect(r.status).toBe(3);
    expect(envelope(r).error).toMatchObject({ code: 'UNCERTIFIABLE' });
    expect(envelope(r).error?.message).toMatch(/reform at \/simulation_modifier: a simulation_modifier \(code\) cannot be bound by hash/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(scratch).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('refuses an existing non-empty directory (exit 2) unless --force', () => {
    const out = fresh();
    mkdirSync(out);
    writeFileSync(join(out, 'old.txt'), 'old');
    const refused = runCli(recordArgs(out));
    expect(refused.status).toBe(2);
    expect(readdirSync(out)).toEqual(['old.txt']);
    expect(runCli(recordArgs(out, ['--force', '--emitted-in', 'local'])).status).toBe(0);
    sameFiles(out, RUN);
  });

  it('refuses a naive --created-at (exit 2) and requires the run identity flags', () => {
    const naive = runCli(recordArgs(fresh()).map((a) => (a === '2026-06-12T00:00:00Z' ? '2026-06-12T00:00:00' : a)));
    expect(naive.status).toBe(2);
    expect(naive.stderr).toMatch(/not an ISO 8601 date-time with a timezone/);
    const missing = runCli(['record', '--bundle-tro', join(RUN, 'bundle.trace.tro.jsonld'), '--input', join(RUN, 'input.json'), '--results', join(RUN, 'results.json'), '--out', fresh()]);
    expect(missing.status).toBe(2);
  });

  it('names a malformed payload file with its location (exit 3)', () => {
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, '{"a": 1,}');
    const r = runCli(recordArgs(fresh(), [], bad));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^error: .*bad\.json:1:\d+: /);
  });
});
