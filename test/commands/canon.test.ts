// `pe-trace canon` end to end: canonical bytes from a file or stdin, the --json summary, one-line errors with exit 3.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, envelope, runCli } from '../support/cli.js';

const SHIPPED_TRO = join(FIXTURES, 'policyengine-py', 'shipped', 'us.trace.tro.jsonld');
const MANIFEST = join(FIXTURES, 'policyengine-py', 'shipped', 'manifest.json');
const TRO_UTILS = join(FIXTURES, 'trace', 'tro-utils', 'GENERATED__tro-utils-HEAD-95ec41b-models-example.jsonld');
const tmp = mkdtempSync(join(tmpdir(), 'pe-trace-canon-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('pe-trace canon', () => {
  it('canonicalises a shipped TRO file to itself, byte for byte', () => {
    const r = runCli(['canon', SHIPPED_TRO]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdoutBytes.equals(readFileSync(SHIPPED_TRO))).toBe(true);
  });

  it('reads stdin when the argument is - or absent', () => {
    const input = '{"b": [1, 2.50, 3e3], "a": "é/😀", "c": 100000000000000000000}';
    const expected = '{\n  "a": "\\u00e9/\\ud83d\\ude00",\n  "b": [\n    1,\n    2.5,\n    3000.0\n  ],\n  "c": 100000000000000000000\n}\n';
    for (const args of [['canon', '-'], ['canon']]) {
      const r = runCli(args, { input });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe(expected);
    }
  });

  it("reads multi-line stdin byte-exactly (not through oclif's line-based stdin reader)", () => {
    const r = runCli(['canon'], { input: readFileSync(MANIFEST) });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdoutBytes.equals(readFileSync(MANIFEST))).toBe(true);
  });

  it('writes the trov flavour without the final newline (a tro-utils file canonicalises to itself)', () => {
    const r = runCli(['canon', TRO_UTILS, '--flavour', 'trov']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdoutBytes.equals(readFileSync(TRO_UTILS))).toBe(true);
    const pe = runCli(['canon', TRO_UTILS]);
    expect(pe.stdout).toBe(`${r.stdout}\n`);
  });

  it('--json reports the flavour, sha256 and length of the canonical bytes', () => {
    const bytes = readFileSync(MANIFEST);
    const r = runCli(['canon', MANIFEST, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const env = envelope<{ flavour: string; sha256: string; bytes: number }>(r);
    expect(env.status).toBe(0);
    expect(env.result).toEqual({ flavour: 'pe', sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
    const trov = envelope<{ flavour: string; bytes: number }>(runCli(['canon', MANIFEST, '--json', '--flavour', 'trov']));
    expect(trov.result?.flavour).toBe('trov');
    expect(trov.result?.bytes).toBe(bytes.length - 1);
  });

  it('rejects a broken file with one located error line and exit 3', () => {
    const bad = join(tmp, 'broken.json');
    writeFileSync(bad, '{\n  "a": 1,\n  "a": 2\n}\n');
    const r = runCli(['canon', bad]);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: ${bad}:3:3: duplicate key "a" (first at 2:3)\n`);
  });

  it('rejects truncated stdin with exit 3 and a JSON error envelope under --json', () => {
    const r = runCli(['canon', '--json'], { input: '{"a": [1, 2' });
    expect(r.status).toBe(3);
    const env = envelope(r);
    expect(env.error).toEqual({ code: 'JSON_SYNTAX', message: '<stdin>:1:12: unexpected end of input' });
    expect(r.stderr).not.toMatch(/\bat \S+:\d+:\d+/); // no stack
  });

  it('rejects invalid UTF-8 and a missing file with exit 3', () => {
    const bin = join(tmp, 'latin1.json');
    writeFileSync(bin, Buffer.from([0x5b, 0x22, 0xe9, 0x22, 0x5d]));
    const r = runCli(['canon', bin]);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe(`error: ${bin}:1:3: invalid UTF-8 at byte 2 (0xe9)\n`);
    const missing = runCli(['canon', join(tmp, 'nope.json')]);
    expect(missing.status).toBe(3);
    expect(missing.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^error: .*nope\.json: no such file\n$/);
  });
});
