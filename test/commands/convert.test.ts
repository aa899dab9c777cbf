// `pe-trace convert` end to end: the document on stdout and the report on stderr, --out with --json, and one-line usage / input errors.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
