// `pe-trace report`: same input, same bytes; self-contained; signature states; hostile text escaped; usage and input errors.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, lineageFromPaths, renderReportHtml } from '../../src/index.js';
import { REPO_ROOT, envelope, expectOneLineError, runCli } from '../support/cli.js';

const RECORD = 'fixtures/corpus/emitted/run-record-uk';
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'pe-trace-report-cmd-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function html(args: readonly string[], name: string): string {
  const out = join(scratch, name);
  const r = runCli(['report', ...args, '--out', out]);
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(out, 'utf8');
}

describe('pe-trace report', () => {
  it('gives the same bytes for the same input, and prints the verdict time only when asked', () => {
    const a = html([RECORD], 'a.html');
    const b = html([RECORD], 'b.html');
    expect(a).toBe(b);
    expect(a).not.toContain('verdict at');
    const stamped = html([RECORD, '--report-time', '2026-12-07T12:00:00Z'], 'c.html');
    expect(stamped).toContain('verdict at 2026-12-07T12:00:00Z');
    expect(runCli(['report', RECORD, '--report-time', 'yesterday', '--out', join(scratch, 'x.html')]).status).toBe(2);
  });

  it('is one self-contained page: a strict CSP, no external URL in src/href, no link or import', () => {
    const page = html(['--dir', 'fixtures/corpus'], 'dir.html');
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-`);
    expect(page).not.toMatch(/\s(src|href)="(?!#)[^"]*"/);
    expect(page).not.toMatch(/<link\b|@import|url\((?!#)/);
    expect(page.match(/<script>/g)).toHaveLength(1);
  });

  it('run record folder: every TRO verified, the citation keyed by the fingerprint, the badge, the lineage', () => {
    const page = html([RECORD], 'record.html');
    // The bundle TRO's wheel, dataset and release manifest are on https (not fetched offline) and its bundle manifest is a package path, so "partly verified".
    expect(page).toContain('<span class="verdict v-warn" id="overall-verdict">Partly verified: 4 artifact(s) not checked</span>');
    expect(page).toContain('<span class="verdict v-ok" data-record-verdict="verified">Verified</span> <code>fixtures/corpus/emitted/run-record-uk/run.trace.tro.jsonld</code>');
    expect(page).toContain('Composition fingerprint sha256:b05d6754fdadc5663986798794566a8dca761fcbdd216392f0edb205d8c3a9a2');
    expect(page).toMatch(/<h3>Rules \(model\)<\/h3><dl class="facts"><dt>package<\/dt><dd><code>policyengine-uk<\/code><\/dd><dt>version<\/dt><dd><code>2.90.2<\/code>/);
    expect(page).toContain('<dt>build</dt><dd><code>policyengine-uk-data-1.56.16</code></dd>');
    expect(page).toContain('<dt>bundle</dt><dd><code>uk-5.0.3</code></dd>');
    // bundle → run by fingerprint; release manifest → bundle by hash and URI; build → manifest by id.
    expect(page).toContain('<code>fingerprint d60ee6f14475…</code>');
    expect(page).toContain('<code>id policyengine-uk-data-1.56.16</code>');
    expect(page).toContain('<code>URI https://huggingface.co/policyengine/policyengine-uk-data-private/resolve/2966541fca275ab5ccb6cfb659b010b1db37ad49/releases/1.56.16/release_manifest.json</code>');
    // https artifacts are not fetched unless --fetch: the bundle TRO says so rather than calling them mismatches.
    expect(page).toContain('data-artifact="model_wheel" data-verdict="not fetched"');
  });

  it('a tampered artifact is a mismatch, and --json names each TRO with its fingerprint and verdict (exit 0: the report is written)', () => {
    const dir = join(scratch, 'tampered');
    cpSync(join(REPO_ROOT, RECORD), dir, { recursive: true });
    writeFileSync(join(dir, 'reform.json'), '{}\n');
    const out = join(scratch, 'tampered.html');
    const r = runCli(['report', dir, '--out', out, '--json']);
    const e = envelope<{ records: { label: string; fingerprint: string; verified: boolean }[] }>(r);
    expect(e.status).toBe(0);
    expect(e.result?.records.find((x) => x.label.endsWith('run.trace.tro.jsonld'))).toMatchObject({ verified: false, fingerprint: 'b05d6754fdadc5663986798794566a8dca761fcbdd216392f0edb205d8c3a9a2' });
    expect(readFileSync(out, 'utf8')).toContain('data-artifact="reform" data-verdict="mismatch"');
  });

  it('--map checks the bundle manifest a referee downloaded, so the run record\'s bundle TRO verifies too; a --map matching nothing is a usage error', () => {
    const PY = 'fixtures/policyengine-py/generated/run-record';
    const skips = ['--skip', 'dataset', '--skip', 'model_wheel', '--skip', 'data_release_manifest'];
    const verdicts = (extra: readonly string[], name: string): boolean[] => {
      const r = runCli(['report', PY, ...skips, ...extra, '--out', join(scratch, name), '--json']);
      expect(r.status, r.stderr).toBe(0);
      return (envelope<{ records: { verified: boolean }[] }>(r).result?.records ?? []).map((x) => x.verified);
    };
    // Without the manifest the bundle TRO's package-relative location is missing: not verified.
    expect(verdicts([], 'unmapped.html')).toEqual([true, false]);
    expect(verdicts(['--map', 'data/bundle/manifest.json=fixtures/policyengine-py/shipped/manifest.json'], 'mapped.html')).toEqual([true, true]);
    expect(readFileSync(join(scratch, 'mapped.html'), 'utf8')).toContain('data-artifact="bundle_manifest" data-verdict="ok"');
    // A copy with other bytes is a mismatch, never ok.
    const wrong = join(scratch, 'wrong-manifest.json');
    writeFileSync(wrong, '{}\n');
    expect(verdicts(['--map', `data/bundle/manifest.json=${wrong}`], 'wrong.html')).toEqual([true, false]);
    expect(readFileSync(join(scratch, 'wrong.html'), 'utf8')).toContain('data-artifact="bundle_manifest" data-verdict="mismatch"');
    const out = join(scratch, 'typo.html');
    expectOneLineError(runCli(['report', PY, '--map', 'data/bundel/manifest.json=x', '--out', out]), 2, /--map data\/bundel\/manifest\.json=x: no artifact has that location/);
    expect(existsSync(out)).toBe(false);
    expectOneLineError(runCli(['report', PY, '--skip', 'datset', '--out', out]), 2, /datset/);
    expect(existsSync(out)).toBe(false);
  });

  it('a signature beside the TRO: not checked without a trust anchor, verified with it, failed with the wrong root', () => {
    const dir = join(scratch, 'signed');
    cpSync(join(REPO_ROOT, RECORD), dir, { recursive: true });
    const key = (name: string): void => {
      const g = spawnSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', join(scratch, `${name}.pem`)]);
      expect(g.status).toBe(0);
    };
    key('root');
    key('signer');
    expect(spawnSync('openssl', ['pkey', '-in', join(scratch, 'signer.pem'), '-pubout', '-out', join(scratch, 'signer.pub')]).status).toBe(0);
    const kc = join(scratch, 'keychain.json');
    const init = envelope<{ root: string }>(runCli(['keychain', 'init', '--root-key', join(scratch, 'root.pem'), '--out', kc, '--json']));
    const root = JSON.stringify(init.result).match(/"root[A-Za-z]*":"([0-9a-f]{64})"/)?.[1] ?? '';
    expect(root).toMatch(/^[0-9a-f]{64}$/);
    expect(runCli(['keychain', 'add-key', kc, '--root-key', join(scratch, 'root.pem'), '--public-key', join(scratch, 'signer.pub'), '--name', 'release key']).status).toBe(0);
    expect(runCli(['sign', join(dir, 'run.trace.tro.jsonld'), '--key', join(scratch, 'signer.pem')]).status).toBe(0);
    expect(html([dir], 'sig-none.html')).toContain('id="record-0-signature">present, not checked</span>');
    const ok = html([dir, '--keychain', kc, '--root', root], 'sig-ok.html');
    expect(ok).toContain('id="record-0-signature">verified</span>');
    expect(ok).toContain('release key');
    const bad = html([dir, '--keychain', kc, '--root', 'a'.repeat(64)], 'sig-bad.html');
    expect(bad).toContain('id="record-0-signature">failed</span>');
    expect(bad).toContain('id="overall-verdict">Signature failed</span>');
    // The bundle TRO has no signature beside it.
    expect(ok).toContain('id="record-1-signature">none beside the TRO</span>');
  });

  it('usage and input errors: one line, documented codes, no file written', () => {
    const out = join(scratch, 'never.html');
    expectOneLineError(runCli(['report', RECORD, '--dir', 'fixtures/corpus', '--out', out]), 2, /one of them/);
    expectOneLineError(runCli(['report', '--out', out]), 2, /one of them/);
    expectOneLineError(runCli(['report', 'no/such/file.jsonld', '--out', out]), 3, /no\/such\/file.jsonld: no such file or folder/);
    expectOneLineError(runCli(['report', 'fixtures', '--out', out]), 3, /no \*\.trace\.tro\.jsonld file/);
    const notTro = join(scratch, 'not-a-tro.jsonld');
    writeFileSync(notTro, '{"a": 1, "a": 2}');
    expectOneLineError(runCli(['report', notTro, '--out', out]), 3, /not-a-tro.jsonld/);
    const fifo = join(scratch, 'fifo.jsonld');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expectOneLineError(runCli(['report', fifo, '--out', out]), 3, /fifo.jsonld: not a regular file or a folder/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(scratch).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('report library', () => {
  it('escapes markup, quotes and control characters in every input string', () => {
    expect(escapeHtml(`</style><script>"'&\u0007\ud800`)).toBe('&lt;/style&gt;&lt;script&gt;&quot;&#39;&amp;\ufffd\ufffd');
  });

  it('draws at most 40 nodes of a large audit and counts the paths left out', () => {
    const paths = Array.from({ length: 500 }, (_, i) => ({
      input: `sha256:${i.toString(16).padStart(64, '0')}`,
      inputName: `input-${i}`,
      summary: `input-${i} → run ${i}`,
      steps: [{ type: 'Run' as const, label: `run ${i}`, buildIds: [], fingerprint: i.toString(16).padStart(64, 'f'), documents: [`runs/${i}.jsonld`], evidence: [] }],
    }));
    const g = lineageFromPaths(paths);
    expect(g.nodes.length).toBeLessThanOrEqual(40);
    expect(g.omitted).toBe(500 - g.nodes.length / 2);
    const page = renderReportHtml({ subject: '<dir>', mode: 'dir', records: [], lineage: g, generator: 'pe-trace test' });
    expect(page).toContain(`${g.omitted} more path(s) are not drawn`);
    expect(page).toContain('&lt;dir&gt;');
  });
});
