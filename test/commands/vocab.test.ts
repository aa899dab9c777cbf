// `pe-trace vocab export` end to end: a dry run lists the package, --out writes exactly the listed bytes, --format narrows it.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTurtle, sha256Hex } from '../../src/index.js';
import { envelope, runCli } from '../support/cli.js';

interface ExportJson {
  out: string | null;
  written: boolean;
  files: { path: string; bytes: number; sha256: string }[];
}

const tmp = mkdtempSync(join(tmpdir(), 'pe-trace-vocab-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('pe-trace vocab export', () => {
  it('without --out lists what it would write and writes nothing', () => {
    const r = runCli(['vocab', 'export'], { cwd: tmp });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^would write \d+ files \(dry run: pass --out DIR to write them\)$/);
    expect(r.stdout).toMatch(/^[0-9a-f]{64} +\d+ {2}pe\.ttl$/m);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('with --out writes every listed file with the listed sha256; a second export gives the same hashes', () => {
    const out = join(tmp, 'package');
    const first = envelope<ExportJson>(runCli(['vocab', 'export', '--out', out, '--json']));
    expect(first.status).toBe(0);
    expect(first.result?.written).toBe(true);
    const paths = first.result?.files.map((f) => f.path) ?? [];
    for (const p of ['pe.ttl', 'pe.jsonld', 'pe.html', 'pop.ttl', 'pop.html', 'term-map.ttl', 'contexts/pe-0.1.context.jsonld', 'contexts/trov-0.1.context.jsonld']) expect(paths).toContain(p);
    for (const f of first.result?.files ?? []) expect(sha256Hex(readFileSync(join(out, f.path)))).toBe(f.sha256);
    expect(parseTurtle(readFileSync(join(out, 'pe.ttl'), 'utf8'), 'pe.ttl').quads.length).toBeGreaterThan(500);
    const second = envelope<ExportJson>(runCli(['vocab', 'export', '--json']));
    expect(second.result?.files).toEqual(first.result?.files);
    expect(second.result?.written).toBe(false);
  });

  it('--format html keeps the pages and the contexts only; an unknown format is a usage error', () => {
    const env = envelope<ExportJson>(runCli(['vocab', 'export', '--format', 'html', '--json']));
    expect(env.result?.files.every((f) => f.path.endsWith('.html') || f.path.startsWith('contexts/'))).toBe(true);
    expect(runCli(['vocab', 'export', '--format', 'rdfxml']).status).toBe(2);
  });
});
