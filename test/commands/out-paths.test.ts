// One rule for every --out: missing parent folders are created and the file is written atomically (no temp file left).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'pe-trace-out-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('--out FILE into a folder that does not exist yet', () => {
  it('convert creates the parents and writes the document', () => {
    const out = join(tmp, 'convert', 'a', 'b', 'us.trov.jsonld');
    const r = runCli(['convert', 'fixtures/policyengine-py/shipped/us.trace.tro.jsonld', '--to', 'trov-0.1', '--out', out]);
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toHaveProperty('@context');
    expect(readdirSync(join(tmp, 'convert', 'a', 'b'))).toEqual(['us.trov.jsonld']);
  });

  it('emit bundle does the same (the same helper)', () => {
    const out = join(tmp, 'bundle', 'x', 'us.trace.tro.jsonld');
    const r = runCli(['emit', 'bundle', '--manifest', 'fixtures/policyengine-py/shipped/manifest.json', '--country', 'us', '--offline', '--out', out]);
    expect(r.status).toBe(0);
    expect(readdirSync(join(tmp, 'bundle', 'x'))).toEqual(['us.trace.tro.jsonld']);
  });

  it('a parent that is a file: exit 3, one error line, nothing written', () => {
    const out = join('fixtures', 'policyengine-py', 'shipped', 'manifest.json', 'x.jsonld');
    const r = runCli(['convert', 'fixtures/policyengine-py/shipped/us.trace.tro.jsonld', '--to', 'trov-0.1', '--out', out]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^error: fixtures\/policyengine-py\/shipped\/manifest\.json\/x\.jsonld: cannot create the output folder/);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
