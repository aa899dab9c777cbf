// `pe-trace verify` end to end: the reference's CLI tests, the shipped TROs, tampering, and bad input handling.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, envelope, expectOneLineError, runCli } from '../support/cli.js';
import { runCliAsync } from '../support/loopback-hub.js';

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
    // A newcomer is told where relative locations were looked for and how to point elsewhere (a warning, stderr).
    expect(r.stderr).toMatch(/^warning: bundle_manifest: relative locations are looked up beside the TRO file; pass --base-dir DIR .* or --map LOCATION=PATH/m);
    expect(envelope(runCli(['verify', join(FIXTURES, 'policyengine-py', 'shipped', 'us.trace.tro.jsonld'), '--json'])).warnings).toHaveLength(1);
    // With --base-dir given the user already chose the folder: no hint, even when the file is missing there too.
    const based = runCli(['verify', join(FIXTURES, 'policyengine-py', 'shipped', 'us.trace.tro.jsonld'), '--base-dir', scratch]);
    expect(based.status).toBe(5);
    expect(based.stderr).not.toContain('warning:');
    // An artifact that is found raises no hint.
    expect(runCli(['verify', join(GEN, 'run-record', 'run.trace.tro.jsonld')]).stderr).toBe('');
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

describe('pe-trace verify: a referee checks offline (issue 9)', () => {
  const RUN = join(GEN, 'run-record', 'run.trace.tro.jsonld');
  const ROOT = join(GEN, 'package-root');
  const US = join(ROOT, 'data', 'bundle', 'us.trace.tro.jsonld');
  const HTTPS_IDS = ['--skip', 'data_release_manifest', '--skip', 'dataset', '--skip', 'model_wheel'];

  it('item 2: a location that is not valid Unicode (lone surrogate) is refused, not read as the U+FFFD file', () => {
    const dir = copyRecord('surrogate');
    const tro = join(dir, 'run.trace.tro.jsonld');
    // The file the substituted name would reach exists and holds the right bytes: the old code reported it ok.
    cpSync(join(dir, 'results.json'), join(dir, 'results\uFFFD.json'));
    writeFileSync(tro, readFileSync(tro, 'utf8').replace('"trov:hasLocation": "results.json"', '"trov:hasLocation": "results\\ud800.json"'));
    const r = runCli(['verify', tro]);
    expect(r.status).toBe(5);
    expect(r.stdout).toMatch(/^unfetchable: results \u2014 artifact location is not valid Unicode \(a lone surrogate\), refused: "results\\ud800\.json"$/m);
  });

  it('item 2: every location of an artifact is checked (an array of hasLocation values, both keys), not only the first', () => {
    const dir = copyRecord('several');
    const tro = join(dir, 'run.trace.tro.jsonld');
    const text = readFileSync(tro, 'utf8');
    writeFileSync(join(dir, 'copy.json'), readFileSync(join(dir, 'results.json')));
    writeFileSync(join(dir, 'forged.json'), '{"forged": true}');
    writeFileSync(tro, text.replace('"trov:hasLocation": "results.json"', '"trov:hasLocation": ["results.json", "copy.json"]'));
    const good = runCli(['verify', tro]);
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('ok: results (results.json, copy.json)\n');
    writeFileSync(tro, text.replace('"trov:hasLocation": "results.json"', '"trov:hasLocation": ["results.json", "forged.json"]'));
    const bad = runCli(['verify', tro]);
    expect(bad.status).toBe(5);
    expect(bad.stdout).toMatch(/^mismatch: results \u2014 forged\.json: sha256 [0-9a-f]{64} != claimed /m);
    writeFileSync(tro, text.replace('"trov:hasLocation": "results.json"', '"trov:hasLocation": "results.json", "trov:path": "forged.json"'));
    expect(runCli(['verify', tro]).status).toBe(5);
  });

  it('item 4: nothing is fetched by default; https artifacts are "not fetched" (own status, never mismatch), exit 5, verdict incomplete', () => {
    const r = runCli(['verify', US, '--base-dir', ROOT, '--json']);
    expect(r.status).toBe(5);
    const env = envelope<{ verified: boolean; verdict: string; artifacts: Array<{ id: string; status: string }> }>(r);
    expect(env.result?.verdict).toBe('incomplete');
    expect(env.result?.artifacts.map((a) => [a.id, a.status])).toEqual([
      ['bundle_manifest', 'ok'],
      ['data_release_manifest', 'not-fetched'],
      ['dataset', 'not-fetched'],
      ['model_wheel', 'not-fetched'],
    ]);
    const text = runCli(['verify', US, '--base-dir', ROOT]);
    expect(text.stdout).toMatch(/^not fetched: dataset \u2014 https:\/\/huggingface\.co\/.* not fetched \(pass --fetch/m);
    expect(text.stderr).toMatch(/^error: .*us\.trace\.tro\.jsonld not fully verified: 3 artifacts not fetched \(nothing failed\)$/m);
    // --no-fetch is still accepted (it is what already happens).
    expect(runCli(['verify', US, '--base-dir', ROOT, '--no-fetch', ...HTTPS_IDS]).status).toBe(0);
  });

  it('item 5: --map checks a downloaded copy offline, exact and by prefix; a --map that matches nothing is a usage error', () => {
    const dl = mkdtempSync(join(scratch, 'downloads-'));
    cpSync(join(ROOT, 'data', 'bundle', 'manifest.json'), join(dl, 'manifest.json'));
    const exact = runCli(['verify', US, '--map', `data/bundle/manifest.json=${join(dl, 'manifest.json')}`, ...HTTPS_IDS]);
    expect(exact.status).toBe(0);
    expect(exact.stdout).toContain('ok: bundle_manifest (data/bundle/manifest.json)\n');
    mkdirSync(join(dl, 'pkg', 'bundle'), { recursive: true });
    writeFileSync(join(dl, 'pkg', 'bundle', 'manifest.json'), '{"tampered": true}');
    const prefix = runCli(['verify', US, '--map', `data/=${join(dl, 'pkg')}`, ...HTTPS_IDS]);
    expect(prefix.status).toBe(5);
    expect(prefix.stdout).toMatch(/^mismatch: bundle_manifest \u2014 sha256 /m);
    const escape = runCli(['verify', US, '--map', `data/=${join(dl, 'pkg', 'bundle')}`, ...HTTPS_IDS]);
    expect(escape.stdout).toMatch(/^unfetchable: bundle_manifest \u2014 --map data\/=.*: no such file: bundle\/manifest\.json$/m);
    const typo = runCli(['verify', US, '--map', `data/bundle/manifest.jsn=${join(dl, 'manifest.json')}`, ...HTTPS_IDS]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/^error: --map data\/bundle\/manifest\.jsn=.*: no artifact has that location \(a prefix must end in \/\)\n$/);
  });

  it('item 7: several TROs and a folder in one run: a verdict line per TRO, a summary, the worst exit code', () => {
    const dir = copyRecord('multi');
    const tampered = copyRecord('multi-tampered');
    writeFileSync(join(tampered, 'results.json'), '{}');
    const r = runCli(['verify', join(dir, 'run.trace.tro.jsonld'), tampered]);
    expect(r.status).toBe(5);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^verified: .*multi\/run\.trace\.tro\.jsonld$/);
    expect(lines[1]).toMatch(/^failed: .*multi-tampered\/bundle\.trace\.tro\.jsonld \u2014 bundle_manifest unfetchable, data_release_manifest not fetched, dataset not fetched, model_wheel not fetched$/);
    expect(lines[2]).toMatch(/^failed: .*multi-tampered\/run\.trace\.tro\.jsonld \u2014 results mismatch$/);
    expect(lines[3]).toBe('3 TROs: 1 verified, 0 incomplete, 2 failed, 0 unreadable');
    expect(r.stderr).toBe('error: 2 of 3 TROs not verified\n');
    const ok = runCli(['verify', join(dir, 'run.trace.tro.jsonld'), join(dir, 'run.trace.tro.jsonld'), '--json']);
    expect(ok.status).toBe(0);
    expect(envelope<{ verdict: string; counts: Record<string, number> }>(ok).result).toMatchObject({ verdict: 'verified', counts: { verified: 2 } });
    writeFileSync(join(dir, 'broken.tro.jsonld'), '{');
    const unreadable = runCli(['verify', dir]);
    expect(unreadable.status).toBe(3);
    expect(unreadable.stdout).toMatch(/^unreadable: .*broken\.tro\.jsonld \u2014 .*broken\.tro\.jsonld:1:2: /m);
  });

  it('item 7: --recursive follows a run record to the bundle TRO it pins (local copy), which then verifies with --map', () => {
    const r = runCli(['verify', 'fixtures/policyengine-py/generated/run-record/run.trace.tro.jsonld', '--recursive', '--map', `data/bundle/manifest.json=${join(ROOT, 'data', 'bundle', 'manifest.json')}`, ...HTTPS_IDS]);
    expect(r.stdout.split('\n')).toEqual([
      'verified: fixtures/policyengine-py/generated/run-record/run.trace.tro.jsonld',
      'verified: fixtures/policyengine-py/generated/run-record/bundle.trace.tro.jsonld (pinned by fixtures/policyengine-py/generated/run-record/run.trace.tro.jsonld)',
      '2 TROs: 2 verified, 0 incomplete, 0 failed, 0 unreadable',
      '',
    ]);
    expect(r.status).toBe(0);
    const without = runCli(['verify', RUN, '--recursive', ...HTTPS_IDS]);
    expect(without.status).toBe(5);
    expect(without.stdout).toMatch(/^failed: .*bundle\.trace\.tro\.jsonld \(pinned by .*\) \u2014 bundle_manifest unfetchable$/m);
  });

  it('--skip-remote skips every artifact whose locations are all remote, in one flag; a missing local file still fails', () => {
    const map = ['--map', `data/bundle/manifest.json=${join(ROOT, 'data', 'bundle', 'manifest.json')}`];
    const r = runCli(['verify', RUN, '--recursive', '--skip-remote', ...map, '--json']);
    expect(r.status).toBe(0);
    const run = envelope<{ tros: { report: { artifacts: { id: string; status: string; detail?: string }[] } }[] }>(r).result;
    const bundle = run?.tros[1]?.report.artifacts ?? [];
    expect(bundle.filter((a) => a.status === 'skipped').map((a) => a.id).sort()).toEqual(['data_release_manifest', 'dataset', 'model_wheel']);
    expect(bundle.find((a) => a.id === 'dataset')?.detail).toBe('remote, not checked (--skip-remote)');
    expect(bundle.find((a) => a.id === 'bundle_manifest')?.status).toBe('ok');
    // Without the map the bundle manifest is a relative location that is not there: --skip-remote does not hide it.
    const without = runCli(['verify', RUN, '--recursive', '--skip-remote']);
    expect(without.status).toBe(5);
    expect(without.stdout).toMatch(/bundle_manifest unfetchable$/m);
    // A tampered local artifact still fails.
    const dir = copyRecord('skip-remote');
    writeFileSync(join(dir, 'results.json'), '{}\n');
    expect(runCli(['verify', join(dir, 'run.trace.tro.jsonld'), '--skip-remote']).status).toBe(5);
  });

  it('item 14: --skip with an id that matches nothing is a usage error naming it and listing the ids, nearest first', () => {
    const r = runCli(['verify', US, '--base-dir', ROOT, '--skip', 'datset']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: --skip datset matches no artifact (did you mean dataset?); the artifact ids are: dataset, model_wheel, bundle_manifest, data_release_manifest\n');
  });

  it('item 16: a FIFO as the TRO, a FIFO, /dev/zero or an oversized file as --ca: exit 3, one line, no hang', () => {
    const fifo = join(scratch, 'input.fifo');
    execFileSync('mkfifo', [fifo]);
    const big = join(scratch, 'big.pem');
    writeFileSync(big, Buffer.alloc(2 * 1024 * 1024, 0x41));
    expectOneLineError(runCli(['verify', fifo]), 3, /input\.fifo: is not a regular file$/);
    expectOneLineError(runCli(['verify', RUN, '--ca', fifo]), 3, /input\.fifo: is not a regular file$/);
    expectOneLineError(runCli(['verify', RUN, '--ca', '/dev/zero']), 3, /\/dev\/zero: is not a regular file$/);
    expectOneLineError(runCli(['verify', RUN, '--ca', big]), 3, /big\.pem: file is 2097152 bytes, over the 1048576-byte limit for a CA certificate$/);
  });

  describe('items 5 and 6: what emit bundle/results/build and record write verifies as written, with the command they print', () => {
    const DRM = JSON.stringify({
      schema_version: 1,
      data_package: { name: 'populace-data', version: '0.1.0' },
      default_datasets: { national: 'populace_us_2024' },
      build: { build_id: 'populace-us-2024-aaaaaaa-20260101', built_at: '2026-04-10T12:00:00Z' },
      artifacts: { populace_us_2024: { kind: 'microdata', path: 'populace_us_2024.h5', repo_id: 'policyengine/populace-us', revision: 'populace-us-2024-aaaaaaa-20260101', sha256: 'c'.repeat(64), size_bytes: 123 } },
    });
    const BUILD_MANIFEST = 'fixtures/pe-data/microcosm/packages__populace-data__build__us__release_manifest.json';
    const RECORD = 'fixtures/policyengine-py/generated/run-record';

    /** Runs an emit command with --json, then the verify command its result names; returns both. */
    function emitThenVerify(args: string[]): { command: string; verify: ReturnType<typeof runCli> } {
      const emitted = runCli([...args, '--json']);
      expect(emitted.status, emitted.stderr).toBe(0);
      const v = envelope<{ verify: { argv: string[]; command: string } }>(emitted).result?.verify;
      expect(v?.argv[0]).toBe('verify');
      // The same emission in human mode (into a sibling output) prints the command on stderr.
      const human = runCli(args.map((a) => (a.startsWith(scratch) ? a.replace(/(\.tro\.jsonld|-out)$/, '-human$1') : a)));
      expect(human.stderr).toMatch(/^verify with: pe-trace verify /m);
      return { command: v?.command ?? '', verify: runCli(v?.argv ?? []) };
    }

    it('emit bundle: the package-path manifest and the local release manifest are mapped; remote artifacts skipped', () => {
      const dir = mkdtempSync(join(scratch, 'emit-bundle-'));
      const drm = join(dir, 'drm.json');
      writeFileSync(drm, DRM);
      const { command, verify } = emitThenVerify(['emit', 'bundle', '--manifest', 'fixtures/policyengine-py/shipped/manifest.json', '--country', 'us', '--data-release-manifest', drm, '--emitted-in', 'local', '--out', join(dir, 'us.tro.jsonld')]);
      expect(command).toContain(' --map data/bundle/manifest.json=fixtures/policyengine-py/shipped/manifest.json ');
      expect(command).toMatch(/ --map https:\/\/huggingface\.co\/\S+release_manifest\.json=\S+drm\.json --skip dataset --skip model_wheel$/);
      expect(verify.status, verify.stdout).toBe(0);
      expect(verify.stdout).toContain('ok: data_release_manifest (https://huggingface.co/');
    });

    it('emit build: payload preimages checked through --payload-dir (a tampered one is a mismatch; none given is "not fetched")', () => {
      const dir = mkdtempSync(join(scratch, 'emit-build-'));
      const tro = join(dir, 'trace.tro.jsonld');
      const payloads = join(dir, 'payloads');
      const { command, verify } = emitThenVerify(['emit', 'build', '--release-manifest', BUILD_MANIFEST, '--emitted-in', 'local', '--out', tro, '--payload-dir', payloads]);
      expect(command).toContain(`--payload-dir ${payloads}`);
      expect(verify.status, verify.stdout).toBe(0);
      expect(verify.stdout).toMatch(/^ok: build_config \(urn:pop:payload:build_config:[0-9a-f]{64}\)$/m);
      const without = runCli(['verify', tro, '--skip', 'dataset', '--skip', 'calibration']);
      expect(without.status).toBe(5);
      expect(without.stdout).toMatch(/^not fetched: build_config \u2014 urn:pop:payload:build_config:[0-9a-f]{64} is a content-addressed payload \(pass --payload-dir DIR/m);
      writeFileSync(join(payloads, 'gate_report.json'), '{"forged": true}\n');
      const tampered = runCli(['verify', tro, '--skip', 'dataset', '--skip', 'calibration', '--payload-dir', payloads]);
      expect(tampered.status).toBe(5);
      expect(tampered.stdout).toMatch(/^mismatch: gate_report \u2014 sha256 /m);
      // A payload URN naming another hash than the artifact's is itself a mismatch, whatever the preimage.
      const text = readFileSync(tro, 'utf8');
      const urn = /urn:pop:payload:build_config:([0-9a-f]{64})/.exec(text)?.[1] ?? '';
      writeFileSync(tro, text.replace(`urn:pop:payload:build_config:${urn}`, `urn:pop:payload:build_config:${'0'.repeat(64)}`));
      const renamed = runCli(['verify', tro, '--skip', 'dataset', '--skip', 'calibration', '--skip', 'gate_report', '--payload-dir', payloads]);
      expect(renamed.stdout).toMatch(new RegExp(`^mismatch: build_config \u2014 payload location names sha256 0{64} != claimed ${urn}$`, 'm'));
    });

    it('emit results (bundle TRO at its URL) and record: the output folder verifies as written', () => {
      const dir = mkdtempSync(join(scratch, 'emit-results-'));
      const results = emitThenVerify(['emit', 'results', '--bundle-tro', `${RECORD}/bundle.trace.tro.jsonld`, '--results', `${RECORD}/results.json`, '--reform', `${RECORD}/reform.json`,
        '--simulation-id', 's1', '--created-at', '2026-04-18T12:05:00Z', '--bundle-tro-url', 'https://example.org/bundle.trace.tro.jsonld', '--out', join(dir, 'results-out')]);
      expect(results.command).toContain(`--map https://example.org/bundle.trace.tro.jsonld=${RECORD}/bundle.trace.tro.jsonld`);
      expect(results.verify.status, results.verify.stdout).toBe(0);
      const record = emitThenVerify(['record', '--bundle-tro', `${RECORD}/bundle.trace.tro.jsonld`, '--input', `${RECORD}/input.json`, '--results', `${RECORD}/results.json`,
        '--simulation-id', 'r1', '--created-at', '2026-06-12T00:00:00Z', '--out', join(dir, 'record-out')]);
      expect(record.command).toBe(`pe-trace verify ${join(dir, 'record-out')}/run.trace.tro.jsonld`);
      expect(record.verify.status, record.verify.stdout).toBe(0);
    });
  });

  it('item 17: --fetch --deadline ends an https artifact that trickles in forever (a loopback server that never completes)', async () => {
    const { createServer } = await import('node:https');
    const tls = 'test/fixtures-local/tls';
    const server = createServer({ cert: readFileSync(`${tls}/localhost.cert.pem`), key: readFileSync(`${tls}/localhost.key.pem`) }, (req, res) => {
      res.writeHead(200);
      const tick = setInterval(() => res.write('x'), 20);
      res.on('close', () => clearInterval(tick));
      req.on('close', () => clearInterval(tick));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const dir = copyRecord('deadline');
      const tro = join(dir, 'run.trace.tro.jsonld');
      writeFileSync(tro, readFileSync(tro, 'utf8').replace('"trov:hasLocation": "results.json"', `"trov:hasLocation": "https://127.0.0.1:${port}/results.json"`));
      const r = await runCliAsync(['verify', tro, '--fetch', '--deadline', '1', '--ca', `${tls}/localhost.cert.pem`]);
      expect(r.status).toBe(5);
      expect(r.stdout).toMatch(/^unfetchable: results \u2014 deadline of 1000 ms passed before the artifact was fully read$/m);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
