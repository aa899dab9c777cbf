// `pe-trace conformance` end to end: tier line and findings, exit 0/4/3/2, the --json result, --min-tier.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { envelope, runCli } from '../support/cli.js';

const C01 = 'fixtures/trace/spec-tro-checks/candidates__01-spec-example-2026-04-08.jsonld';
const C02 = 'fixtures/trace/spec-tro-checks/candidates__02-spec-example-2026-04-08-with-base-and-hashes.jsonld';
const C03 = 'fixtures/trace/spec-tro-checks/candidates__03-spec-example-2026-04-08-with-node-ids.jsonld';

interface Result {
  file: string;
  traceVersion: string;
  tierMet: string | null;
  requiredTier: string;
  meetsRequiredTier: boolean;
  tiers: { id: string; met: boolean; assessed: boolean; expectations: { id: string; met: boolean; status: string; findings: { pointer: string; message: string }[] }[] }[];
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pe-trace-conformance-'));
  writeFileSync(join(dir, 'broken.jsonld'), '{"@context": [');
});

describe('pe-trace conformance', () => {
  it('exits 0 with one line when the document meets the top tier of the default version', () => {
    const r = runCli(['conformance', C03]);
    expect(r.stdout).toBe(`${C03}: meets LINKABLE-TRO (tier 7 of 7) under trace-2026-04-19\n`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('exits 4 and lists each unmet expectation with its location under another version', () => {
    const r = runCli(['conformance', C03, '--trace-version', 'trace-main']);
    expect(r.stdout.split('\n')).toEqual([
      `${C03}: meets USES-TROV-CORRECTLY (tier 4 of 7) under trace-main`,
      '  ✗ DEFINES-TRS trs-id-absolute: the TRS @id "trs" is relative to the document; name the TRS by an IRI it owns, e.g. "https://trs.example.org/" at /@graph/0/trov:wasAssembledBy/@id',
      '  ✗ STANDALONE-TRO performance-attribute-warrants-absolute: the warrant "trs/capability/0" is relative to the document; refer to the capability by IRI, e.g. "trov:CanProvideInternetIsolation" at /@graph/0/trov:hasPerformance/0/trov:hasPerformanceAttribute/0/trov:warrantedBy/@id',
      '',
    ]);
    expect(r.status).toBe(4);
  });

  it('--json gives the whole report, deterministically', () => {
    const r = runCli(['conformance', C01, '--json']);
    const env = envelope<Result>(r);
    expect(env.status).toBe(4);
    expect(r.status).toBe(4);
    const res = env.result;
    expect(res).toMatchObject({ file: C01, traceVersion: 'trace-2026-04-19', tierMet: 'TRACE-PERMISSIBLE-JSON-LD', requiredTier: 'LINKABLE-TRO', meetsRequiredTier: false });
    expect(res?.tiers.map((t) => [t.id, t.met])).toEqual([
      ['SAFE-JSON', true],
      ['SAFE-JSON-LD', true],
      ['TRACE-PERMISSIBLE-JSON-LD', true],
      ['USES-TROV-CORRECTLY', false],
      ['DEFINES-TRS', true],
      ['STANDALONE-TRO', true],
      ['LINKABLE-TRO', false],
    ]);
    const hashes = res?.tiers[3]?.expectations.find((e) => e.id === 'hash-values-correct-form');
    expect(hashes).toMatchObject({ met: false, status: 'unmet' });
    expect(hashes?.findings[1]).toEqual({
      pointer: '/@graph/0/trov:hasComposition/trov:hasArtifact/0/trov:hash/trov:hashValue',
      message: 'a sha256 value must be 64 lowercase hex digits, found "aaa1..."',
    });
    expect(runCli(['conformance', C01, '--json']).stdout).toBe(r.stdout);
  });

  it('--min-tier sets the tier needed for exit 0', () => {
    expect(runCli(['conformance', C02, '--min-tier', 'STANDALONE-TRO']).status).toBe(0);
    const r = runCli(['conformance', C01, '--min-tier', 'STANDALONE-TRO']);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('required: STANDALONE-TRO (tier 6 of 7)');
    expect(r.status).toBe(4);
  });

  it('exits 4 for bytes that are not JSON (they meet no tier), and 3 for a file it cannot read', () => {
    const broken = runCli(['conformance', 'broken.jsonld'], { cwd: dir });
    expect(broken.stdout.split('\n')[0]).toBe('broken.jsonld: meets no tier (not even SAFE-JSON) under trace-2026-04-19');
    expect(broken.stdout).toContain('  ✗ SAFE-JSON json-parses: expected a JSON value, found end of input at line 1, column 15');
    expect(broken.status).toBe(4);
    const missing = runCli(['conformance', 'missing.jsonld'], { cwd: dir });
    expect(missing.stderr).toBe('error: missing.jsonld: no such file\n');
    expect(missing.status).toBe(3);
  });

  it('refuses an unknown TRACE version as a usage error', () => {
    const r = runCli(['conformance', C03, '--trace-version', 'trace-9']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: Expected --trace-version=trace-9 to be one of: trace-2026-04-19, trace-0\.1, trace-main\b.*$/m);
  });
});
