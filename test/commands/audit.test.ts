// `pe-trace audit restricted-inputs` on the example corpus, and scripts/make-corpus.sh regenerating it byte for byte.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, envelope, runCli } from '../support/cli.js';

interface AuditJson {
  documents: number;
  paths: { summary: string }[];
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
  it('prints the paths with their evidence and the gaps (exit 0)', () => {
    const r = runCli(['audit', 'restricted-inputs', '--dir', 'fixtures/corpus']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('restricted-input audit of fixtures/corpus: 24 document(s), 209 link(s)');
    expect(lines[1]).toBe('restricted content: 39 (19 reach a bundle or run), 23 path(s), 26 gap(s)');
    expect(r.stdout).toContain('→ build populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z (fingerprint 0dac0e5b5869…): emitted/build/populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z.build.trace.tro.jsonld, real/populace/uk-june-2023/build_manifest.json');
    expect(r.stdout).toContain('fingerprint match (binds-bundle d60ee6f14475…)');
    expect(r.stdout).toContain('  build-without-inputs: real/populace/us/populace_us_2024.trace.tro.jsonld');
  });

  it('gives the same audit as a --json envelope', () => {
    const r = runCli(['audit', 'restricted-inputs', '--dir', 'fixtures/corpus', '--json']);
    const e = envelope<AuditJson>(r);
    expect(e.status).toBe(0);
    expect(e.result?.documents).toBe(24);
    expect(e.result?.paths).toHaveLength(23);
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
