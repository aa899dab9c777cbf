// `pe-trace audit restricted-inputs` on the example corpus, and scripts/make-corpus.sh regenerating it byte for byte.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, envelope, expectOneLineError, runCli } from '../support/cli.js';

interface AuditJson {
  documents: number;
  paths: { summary: string; steps: { evidence: unknown[] }[] }[];
  answer: { runs: { fingerprint?: string; label: string; documents: string[] }[]; bundles: { fingerprint?: string; label: string }[]; reaching: unknown[] };
  gaps: { kind: string; subject: string }[];
  inputs: { id: string; pathCount: number }[];
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('pe-trace audit restricted-inputs', () => {
  it('leads with the answer: runs and bundles reached, by fingerprint, with the inputs reaching them (exit 0)', () => {
    const r = runCli(['audit', 'restricted-inputs', '--dir', 'fixtures/corpus']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('fixtures/corpus: 19 restricted inputs reach 1 run and 3 bundles (24 documents read).');
    expect(lines.slice(2, 5)).toEqual([
      'runs reached (1):',
      '  b05d6754fdad  policyengine simulation TRO (uk-example-1)  emitted/run-record-uk/run.trace.tro.jsonld',
      '      by 13 restricted inputs: adult.tab, enhanced_frs_2023_24.h5, enhanced_frs_2024_25, enhanced_frs_2024_25_tiny.h5, and 9 more',
    ]);
    expect(r.stdout).toContain('  d60ee6f14475  policyengine uk certified bundle TRO  emitted/run-record-uk/bundle.trace.tro.jsonld (+1)');
    expect(r.stdout).toContain('country bundle 4.4.5 uk  real/policyengine-bundles/4.4.5/countries/uk.json');
    expect(r.stdout).toContain('restricted inputs reaching them (19):\n  adult.tab 4eaea0809a7c: 1 run, 2 bundles\n');
    // A screenful, not 200 lines; the evidence is not printed without --verbose.
    expect(lines.length).toBeLessThan(32);
    expect(r.stdout).not.toContain('hash match');
    expect(lines.at(-2)).toBe('20 other restricted inputs reach nothing; 26 gaps where the corpus cannot answer. For each path with its evidence, and the gaps: add --verbose (or --json).');
  });

  it('--verbose keeps every path with its evidence and the gaps after the answer', () => {
    const r = runCli(['audit', 'restricted-inputs', '--dir', 'fixtures/corpus', '--verbose']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('fixtures/corpus: 19 restricted inputs reach 1 run and 3 bundles (24 documents read).');
    expect(r.stdout).toContain('restricted-input audit of fixtures/corpus: 24 document(s), 209 link(s)');
    expect(r.stdout).toContain('restricted content: 39 (19 reach a bundle or run), 23 path(s), 26 gap(s)');
    expect(r.stdout).toContain('→ build populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z (fingerprint 0dac0e5b5869…): emitted/build/populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z.build.trace.tro.jsonld, real/populace/uk-june-2023/build_manifest.json');
    expect(r.stdout).toContain('fingerprint match (binds-bundle d60ee6f14475…)');
    expect(r.stdout).toContain('  build-without-inputs: real/populace/us/populace_us_2024.trace.tro.jsonld');
  });

  it('--input narrows to one input (by name or hash prefix); --fail-if-reaches run exits 4 with one error line', () => {
    const byName = runCli(['audit', 'restricted-inputs', '--dir', 'fixtures/corpus', '--input', 'adult.tab', '--fail-if-reaches', 'run']);
    expect(byName.status).toBe(4);
    expect(byName.stdout.split('\n')[0]).toBe('fixtures/corpus: 1 restricted input reaches 1 run and 2 bundles (24 documents read).');
    expect(byName.stderr).toBe('error: restricted content reaches 1 run(s) (--fail-if-reaches run)\n');
    const byHash = runCli(['audit', 'restricted-inputs', '--dir', 'fixtures/corpus', '--input', '4eaea0809a7c', '--json']);
    const e = envelope<{ answer: { runs: { fingerprint: string }[]; reaching: { name: string }[] } }>(byHash);
    expect(e.result?.answer.reaching.map((i) => i.name)).toEqual(['adult.tab']);
    expect(e.result?.answer.runs.map((n) => n.fingerprint)).toEqual(['b05d6754fdadc5663986798794566a8dca761fcbdd216392f0edb205d8c3a9a2']);
  });

  it('--bundle narrows to paths through that bundle; the run gate passes (exit 0) when only a bundle is reached', () => {
    const r = runCli(['audit', 'restricted-inputs', '--dir', 'fixtures/corpus', '--bundle', 'real/policyengine-bundles/4.4.5/countries/uk.json', '--fail-if-reaches', 'run']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('fixtures/corpus: 6 restricted inputs reach 0 runs and 1 bundle (24 documents read).');
    const gate = runCli(['audit', 'restricted-inputs', '--dir', 'fixtures/corpus', '--bundle', 'real/policyengine-bundles/4.4.5/countries/uk.json', '--fail-if-reaches', 'bundle']);
    expect(gate.status).toBe(4);
  });

  it('an --input that matches nothing is a usage error with near matches (a typo must never pass the CI gate)', () => {
    const r = runCli(['audit', 'restricted-inputs', '--dir', 'fixtures/corpus', '--input', 'adlt.tab', '--fail-if-reaches', 'run']);
    expectOneLineError(r, 2, /--input "adlt\.tab" matches no restricted input in the corpus \(did you mean "adult\.tab"/);
    const b = runCli(['audit', 'restricted-inputs', '--dir', 'fixtures/corpus', '--bundle', 'no-such-bundle']);
    expect(b.status).toBe(0);
    expect(b.stderr).toContain('warning: --bundle "no-such-bundle" matches no bundle that restricted content reaches');
    expect(runCli(['audit', 'restricted-inputs', '--dir', 'fixtures/corpus', '--fail-if-reaches', 'anything']).status).toBe(2);
  });

  it('gives the audit, its evidence and the answer (runs and bundles by fingerprint) as a --json envelope', () => {
    const r = runCli(['audit', 'restricted-inputs', '--dir', 'fixtures/corpus', '--json']);
    const e = envelope<AuditJson>(r);
    expect(e.status).toBe(0);
    expect(e.result?.documents).toBe(24);
    expect(e.result?.paths).toHaveLength(23);
    expect(e.result?.paths.every((p) => p.steps.every((s) => Array.isArray(s.evidence)))).toBe(true);
    expect(e.result?.answer.runs.map((n) => [n.fingerprint, n.documents])).toEqual([
      ['b05d6754fdadc5663986798794566a8dca761fcbdd216392f0edb205d8c3a9a2', ['emitted/run-record-uk/run.trace.tro.jsonld']],
    ]);
    expect(e.result?.answer.bundles.map((n) => n.fingerprint ?? n.label)).toEqual([
      'd60ee6f14475da3b8ed7ebff5ae03d7029f17d12c273de4faec6f9768ed0c5d4',
      'bundle manifest entry uk-5.0.3',
      'country bundle 4.4.5 uk',
    ]);
    expect(e.result?.answer.reaching).toHaveLength(19);
    expect(e.result?.gaps.filter((g) => g.kind === 'build-without-inputs').map((g) => g.subject)).toEqual([
      'real/populace/uk-june-2023/build_manifest.json',
      'real/populace/us/populace_us_2024.trace.tro.jsonld',
    ]);
  });

  it('fails with exit 3 on a missing directory and exit 2 without --dir', () => {
    const r = runCli(['audit', 'restricted-inputs', '--dir', 'no/such/dir']);
    expect([r.status, r.stderr]).toEqual([3, 'error: no/such/dir: no such directory\n']);
    expect(runCli(['audit', 'restricted-inputs']).status).toBe(2);
  });

  it('scripts/make-corpus.sh regenerates fixtures/corpus/emitted byte for byte', () => {
    const out = mkdtempSync(join(tmpdir(), 'pe-trace-make-corpus-'));
    try {
      const r = spawnSync('bash', ['scripts/make-corpus.sh', join(out, 'emitted')], { cwd: REPO_ROOT, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const committed = join(REPO_ROOT, 'fixtures/corpus/emitted');
      expect(files(join(out, 'emitted'))).toEqual(files(committed));
      for (const f of files(committed)) expect(readFileSync(join(out, 'emitted', f)).equals(readFileSync(join(committed, f))), f).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
