// `pe-trace convert` end to end: the document on stdout and the report on stderr, --out with --json, and one-line usage / input errors.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConformance, sha256Hex } from '../../src/index.js';
import { envelope, runCli, expectOneLineError } from '../support/cli.js';

const US = 'fixtures/policyengine-py/shipped/us.trace.tro.jsonld';
const BASE = 'https://policyengine.org/trace/tro/us-5.0.3/';

interface ConvertJson {
  file: string;
  out: string | null;
  from: string;
  to: string;
  base: string;
  baseSource: string;
  fingerprint: string;
  sha256: string;
  bytes: number;
  report: { changes: { change: string; from: string; count: number; pointers: string[] }[]; structural: { rule: string }[] };
  findings: { severity: string; message: string }[];
  document?: unknown;
}

const tmp = mkdtempSync(join(tmpdir(), 'pe-trace-convert-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('pe-trace convert', () => {
  it('writes the TROv 0.1 document to stdout (LINKABLE-TRO with --base) and the mapping report to stderr', () => {
    const r = runCli(['convert', US, '--to', 'trov-0.1', '--base', BASE]);
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('{\n  "@context": [')).toBe(true);
    expect(r.stdout.endsWith('}')).toBe(true);
    expect(checkConformance(new Uint8Array(r.stdoutBytes)).tierMet).toBe('LINKABLE-TRO');
    expect(r.stderr).toContain(`converted ${US} from pe-0.1 to trov-0.1`);
    expect(r.stderr).toMatch(/restructured +trov:sha256 -> trov:hash, trov:hashAlgorithm, trov:hashValue {2}x5/);
    expect(r.stderr).toContain('direct arrangement links wrapped in trov:ArrangementBinding nodes');
    expect(r.stderr).not.toMatch(/^warning:/m);
  });

  it('with --out writes the file atomically and --json lists the result with the report and the file hash', () => {
    const out = join(tmp, 'us.trov.jsonld');
    const r = runCli(['convert', US, '--to', 'trov-0.1', '--base', BASE, '--out', out, '--json']);
    const env = envelope<ConvertJson>(r);
    expect(env.status).toBe(0);
    const bytes = readFileSync(out);
    expect(env.result?.sha256).toBe(sha256Hex(bytes));
    expect(env.result?.bytes).toBe(bytes.length);
    expect(env.result).toMatchObject({ file: US, out, from: 'pe-0.1', to: 'trov-0.1', base: BASE, baseSource: 'option' });
    expect(env.result?.document).toBeUndefined();
    expect(env.result?.report.changes.find((c) => c.from === 'trov:hasLocation')).toMatchObject({ change: 'renamed', count: 4 });
    expect(env.warnings).toEqual([]);
  });

  it('without --base warns that the placeholder base is not linkable (a warning, exit 0)', () => {
    const r = runCli(['convert', US, '--to', 'trov-0.1', '--json']);
    const env = envelope<ConvertJson>(r);
    expect(env.status).toBe(0);
    expect(env.result?.baseSource).toBe('placeholder');
    expect(env.warnings.some((w) => /can never be LINKABLE-TRO; pass --base/.test(w))).toBe(true);
    expect(env.result?.document).toBeDefined();
  });

  it('refuses usage errors with exit 2: no --to, a base that is not a base, --out onto the input', () => {
    expect(runCli(['convert', US]).status).toBe(2);
    expectOneLineError(runCli(['convert', US, '--to', 'trov-0.1', '--base', 'https://policyengine.org/tro']), 2, /--base must end with \//);
    expectOneLineError(runCli(['convert', US, '--to', 'trov-0.1', '--out', US]), 2, /is the input file/);
  });

  it('refuses a document that is not a TRO with exit 3 and its location', () => {
    expectOneLineError(runCli(['convert', 'fixtures/trace/trov-demos/exports__trs.jsonld', '--to', 'trov-0.1']), 3, /exports__trs\.jsonld#\/@graph: not a TRO/);
  });
});

describe('no pe-trace write command turns a failing TRO into a passing one (issue 9 item 1)', () => {
  const RECORD = join('fixtures', 'policyengine-py', 'generated', 'run-record');
  const FP = '8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997';

  /** A copy of the generated run record with one thing tampered; returns its folder. */
  function tampered(name: string, edit: (tro: string) => string, files: Record<string, string> = {}): string {
    const dir = join(tmp, `hostile-${name}`);
    cpSync(RECORD, dir, { recursive: true });
    const tro = join(dir, 'run.trace.tro.jsonld');
    writeFileSync(tro, edit(readFileSync(tro, 'utf8')));
    for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
    return dir;
  }

  /** The pe-0.1 composition of the record, re-fingerprinted with the TROv rule: fails the pe rule, would pass TROv's. */
  function trovRuleFingerprint(text: string): string {
    const hashes = [...text.matchAll(/"trov:sha256": "([0-9a-f]{64})"/g)].map((m) => m[1] ?? '').filter((h) => h !== FP);
    return sha256Hex([...hashes].sort().join(''));
  }

  const cases: Array<[string, () => string]> = [
    ['forged fingerprint', () => tampered('forged', (t) => t.replace(FP, 'f'.repeat(64)))],
    ['no fingerprint', () => tampered('missing', (t) => t.replace(/,\s*"trov:hasFingerprint": \{[^}]*\}/, ''))],
    ['fingerprint by the other dialect\'s rule', () => tampered('other-rule', (t) => t.replace(FP, trovRuleFingerprint(t)))],
    ['tampered artifact', () => tampered('artifact', (t) => t, { 'results.json': '{"forged": true}\n' })],
    ['lone-surrogate location', () => tampered('surrogate', (t) => t.replace('"trov:hasLocation": "results.json"', '"trov:hasLocation": "results\\ud800.json"'), { 'results\uFFFD.json': readFileSync(join(RECORD, 'results.json'), 'utf8') })],
  ];

  async function verdicts(file: string): Promise<{ verify: boolean; shacl: boolean }> {
    const verify = runCli(['verify', file]).status === 0;
    const shacl = runCli(['shacl-validate', file]).status === 0;
    return { verify, shacl };
  }

  it.each(cases)('%s: every write path keeps it failing', async (_name, make) => {
    const dir = make();
    const tro = join(dir, 'run.trace.tro.jsonld');
    const before = await verdicts(tro);
    expect(before.verify).toBe(false);
    const outputs: string[] = [];

    const converted = join(dir, 'converted.tro.jsonld');
    const convert = runCli(['convert', tro, '--to', 'trov-0.1', '--base', BASE, '--out', converted]);
    if (convert.status === 0) outputs.push(converted);
    else if (convert.status === 3) expectOneLineError(convert, 3, /not valid Unicode \(a lone surrogate\)/);
    else expectOneLineError(convert, 4, /does not match|has no composition fingerprint/);

    const allowed = join(dir, 'allowed.tro.jsonld');
    const allow = runCli(['convert', tro, '--to', 'trov-0.1', '--base', BASE, '--allow-unverified', '--out', allowed]);
    if (allow.status === 0) outputs.push(allowed);
    else if (allow.status === 3) expectOneLineError(allow, 3, /not valid Unicode \(a lone surrogate\)/);
    else expectOneLineError(allow, 4, /has no composition fingerprint|equals the TROv 0\.1 rule's value/);

    const canon = runCli(['canon', tro]);
    expect(canon.status).toBe(0);
    writeFileSync(join(dir, 'canon.tro.jsonld'), canon.stdoutBytes);
    outputs.push(join(dir, 'canon.tro.jsonld'));

    // Pinning it as the bundle TRO of a new run record is refused when its own fingerprint fails.
    const record = runCli(['record', '--bundle-tro', tro, '--input', join(dir, 'input.json'), '--results', join(dir, 'input.json'), '--simulation-id', 'x', '--created-at', '2026-06-12T00:00:00Z', '--out', join(dir, 'rec')]);
    if (record.status === 0) expect((await verdicts(join(dir, 'rec', 'bundle.trace.tro.jsonld'))).verify).toBe(false);
    else if (record.status === 3) expectOneLineError(record, 3, /fingerprint/);
    else expectOneLineError(record, 4, /refusing to pin a TRO that fails verify/);

    for (const out of outputs) {
      const after = await verdicts(out);
      expect(after.verify, `${out} passes verify`).toBe(false);
      if (!before.shacl) expect(after.shacl, `${out} passes shacl-validate`).toBe(false);
    }
  });

  it('convert rehashes the artifacts at hand: one whose bytes do not match is named and refused (exit 4), like verify', () => {
    const dir = tampered('artifact-named', (t) => t, { 'reform.json': '{"forged": true}\n' });
    const tro = join(dir, 'run.trace.tro.jsonld');
    expectOneLineError(runCli(['convert', tro, '--to', 'trov-0.1', '--base', BASE]), 4, /1 artifact does not match its claimed hash: reform \(reform\.json\); refusing to convert/);
    // The same TRO with its artifacts looked up elsewhere (a folder holding the true bytes) converts.
    expect(runCli(['convert', tro, '--to', 'trov-0.1', '--base', BASE, '--base-dir', RECORD]).status).toBe(0);
  });

  it('convert refuses by default with one line naming what does not match (exit 4), and --allow-unverified keeps the claimed value', () => {
    const dir = tampered('named', (t) => t.replace(FP, 'f'.repeat(64)));
    const tro = join(dir, 'run.trace.tro.jsonld');
    expectOneLineError(
      runCli(['convert', tro, '--to', 'trov-0.1', '--base', BASE]),
      4,
      new RegExp(`run\\.trace\\.tro\\.jsonld#/@graph/0/trov:hasComposition/trov:hasFingerprint/trov:sha256: the claimed fingerprint f{64} does not match the artifact hashes by the pe-0\\.1 rule \\(${FP}\\): refusing to convert`),
    );
    const r = runCli(['convert', tro, '--to', 'trov-0.1', '--base', BASE, '--allow-unverified', '--json']);
    expect(r.status).toBe(0);
    const env = envelope<ConvertJson & { fingerprintVerified: boolean }>(r);
    expect(env.result?.fingerprint).toBe('f'.repeat(64));
    expect(env.result?.fingerprintVerified).toBe(false);
    expect(env.warnings.some((w) => /carrying the claimed value/.test(w))).toBe(true);
  });
});
