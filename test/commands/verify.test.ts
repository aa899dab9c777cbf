// `pe-trace verify` end to end: the reference's CLI tests, the shipped TROs, tampering, and bad input handling.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, envelope, runCli } from '../support/cli.js';

const GEN = join(FIXTURES, 'policyengine-py', 'generated');
const scratch = mkdtempSync(join(tmpdir(), 'pe-trace-verify-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function copyRecord(name: string): string {
  const dir = join(scratch, name);
  cpSync(join(GEN, 'run-record'), dir, { recursive: true });
  return dir;
}

describe('pe-trace verify', () => {
  it('verifies the generated run record offline: reference lines, exit 0', () => {
    const r = runCli(['verify', 'fixtures/policyengine-py/generated/run-record/run.trace.tro.jsonld']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'ok: bundle_tro (bundle.trace.tro.jsonld)',
      'ok: reform (reform.json)',
      'ok: input (input.json)',
      'ok: results (results.json)',
      'fingerprint: ok',
      'ok: fixtures/policyengine-py/generated/run-record/run.trace.tro.jsonld',
      '',
    ]);
    expect(r.stderr).toBe('');
  });

  it('prints the path as Python would (./x → x)', () => {
    const r = runCli(['verify', './fixtures//policyengine-py/generated/run-record/run.trace.tro.jsonld']);
    expect(r.stdout).toContain('\nok: fixtures/policyengine-py/generated/run-record/run.trace.tro.jsonld\n');
  });

  it('--json gives the documented result shape', () => {
    const r = runCli(['verify', join(GEN, 'run-record', 'run.trace.tro.jsonld'), '--json']);
    expect(r.status).toBe(0);
    const env = envelope<{ verified: boolean; dialect: string; fingerprint: Record<string, unknown>; artifacts: Record<string, unknown>[] }>(r);
    expect(env.status).toBe(0);
    expect(env.result?.verified).toBe(true);
    expect(env.result?.dialect).toBe('pe-0.1');
    expect(env.result?.fingerprint).toMatchObject({
      algorithm: 'sha256-newline',
      claimed: '8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997',
      computed: '8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997',
      status: 'ok',
    });
    expect(env.result?.artifacts.map((a) => a['status'])).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(r.stdout).not.toContain(scratch);
    expect(r.stdout).not.toContain(FIXTURES);
  });

  it('a tampered record: mismatch and exit 5, error line on stderr', () => {
    const dir = copyRecord('tampered');
    const results = join(dir, 'results.json');
    writeFileSync(results, readFileSync(results, 'utf8').replace('"year"', '"yeaR"'));
    const r = runCli(['verify', join(dir, 'run.trace.tro.jsonld')]);
    expect(r.status).toBe(5);
    expect(r.stdout).toMatch(/^mismatch: results \u2014 sha256 [0-9a-f]{64} != claimed 2a2e1105[0-9a-f]{56}$/m);
    expect(r.stdout).toContain('fingerprint: ok');
    expect(r.stderr).toMatch(/^error: .*run\.trace\.tro\.jsonld failed verification$/m);
  });

  it('a forged fingerprint: exit 5 even when every artifact is ok', () => {
    const dir = copyRecord('forged');
    const tro = join(dir, 'run.trace.tro.jsonld');
    writeFileSync(tro, readFileSync(tro, 'utf8').replace('8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997', 'f'.repeat(64)));
    const r = runCli(['verify', tro]);
    expect(r.status).toBe(5);
    expect(r.stdout).toContain('fingerprint: mismatch');
  });

  it('--skip with an unreachable https location: skipped, exit 0, nothing fetched', () => {
    const dir = copyRecord('skip');
    const tro = join(dir, 'run.trace.tro.jsonld');
    // Point the results artifact at a closed loopback port: it must not even be tried when skipped.
    writeFileSync(tro, readFileSync(tro, 'utf8').replace('"trov:hasLocation": "results.json"', '"trov:hasLocation": "https://127.0.0.1:9/results.json"'));
    const skipped = runCli(['verify', tro, '--skip', 'results']);
    expect(skipped.status).toBe(0);
    expect(skipped.stdout).toContain('skipped: results\n');
    const notFetched = runCli(['verify', tro]);
    expect(notFetched.status).toBe(5);
    expect(notFetched.stdout).toMatch(/^not fetched: results \u2014 https:\/\/127\.0\.0\.1:9\/results\.json not fetched \(pass --fetch/m);
    expect(notFetched.stderr).toMatch(/not fully verified: 1 artifact not fetched \(nothing failed\)\n$/);
    const fetched = runCli(['verify', tro, '--fetch', '--timeout', '5']);
    expect(fetched.status).toBe(5);
    expect(fetched.stdout).toMatch(/^unfetchable: results \u2014 /m);
  });

  it.each(['us', 'uk'])('verifies the shipped %s bundle TRO in a package-root layout, https artifacts skipped', (cc) => {
    const root = join(GEN, 'package-root');
    const r = runCli(['verify', join(root, 'data', 'bundle', `${cc}.trace.tro.jsonld`), '--base-dir', root, '--skip', 'data_release_manifest', '--skip', 'dataset', '--skip', 'model_wheel']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ok: bundle_manifest (data/bundle/manifest.json)\n');
    expect(r.stdout).toContain('fingerprint: ok\n');
  });

  it('the shipped TRO from its own folder: bundle_manifest unfetchable (location is package-root relative), exit 5', () => {
    const r = runCli(['verify', join(FIXTURES, 'policyengine-py', 'shipped', 'us.trace.tro.jsonld'), '--no-fetch']);
    expect(r.status).toBe(5);
    expect(r.stdout).toMatch(/^unfetchable: bundle_manifest \u2014 /m);
  });

  it('the buggy results-demo output of the reference fails verification (results mismatch, reform unfetchable)', () => {
    const r = runCli(['verify', join(GEN, 'results-demo', 'results.trace.tro.jsonld'), '--skip', 'bundle_tro']);
    expect(r.status).toBe(5);
    expect(r.stdout).toMatch(/^mismatch: results \u2014 /m);
    expect(r.stdout).toMatch(/^unfetchable: reform \u2014 /m);
  });

  describe('bad input: one line on stderr, exit 3, no stack trace', () => {
    const cases: [string, string | Buffer][] = [
      ['truncated.jsonld', '{"@context": [{"trov": "https://w3id.org/trace/trov/0.1#"}], "@graph": ['],
      ['duplicate.jsonld', '{"@graph": [], "@graph": []}'],
      ['deep.jsonld', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
      ['nan.jsonld', '{"a": NaN}'],
      ['latin1.jsonld', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d])],
      ['remote-context.jsonld', '{"@context": "https://w3id.org/trace/trov/0.1/context.jsonld", "@graph": [{"@id": "tro", "@type": "trov:TransparentResearchObject"}]}'],
      ['not-a-tro.jsonld', '{"@context": [{"x": "https://example.org/"}], "@graph": [{"@id": "a"}]}'],
    ];
    it.each(cases)('%s', (name, content) => {
      const file = join(scratch, name);
      writeFileSync(file, content);
      const r = runCli(['verify', file]);
      expect(r.status).toBe(3);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: .*\.jsonld/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });

    it('a folder with no TRO in it', () => {
      const empty = join(scratch, 'no-tros');
      mkdirSync(empty, { recursive: true });
      writeFileSync(join(empty, 'x.jsonld'), '{}');
      const r = runCli(['verify', empty]);
      expect(r.status).toBe(3);
      expect(r.stderr).toMatch(/^error: .*no-tros: is a folder with no \*\.tro\.jsonld file under it\n$/);
    });

    it('a missing file, as --json', () => {
      const r = runCli(['verify', join(scratch, 'nope.jsonld'), '--json']);
      expect(r.status).toBe(3);
      expect(envelope(r)).toMatchObject({ status: 3, error: { code: 'INPUT_UNREADABLE' } });
    });
  });

  it('an unknown flag is a usage error (exit 2)', () => {
    const r = runCli(['verify', '--frobnicate', 'x']);
    expect(r.status).toBe(2);
  });
});
