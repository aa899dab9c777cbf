// `sync --strict` and `query --load --strict`: a malformed file ends the run before any request leaves (the server here is a port nothing listens on).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCli } from '../support/cli.js';

let dir = '';
let state = '';
// Port 9 (discard) on loopback: nothing listens in the test sandbox, so any request would fail with ECONNREFUSED.
const DEAD = 'http://127.0.0.1:9/sparql';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pe-trace-sync-strict-'));
  state = join(mkdtempSync(join(tmpdir(), 'pe-trace-sync-strict-state-')), 'state.json');
  writeFileSync(join(dir, 'good.json'), '{"a": 1}\n');
  writeFileSync(join(dir, 'bad.jsonld'), '{"@context": {"x": "https://example.org/"}, "x": \n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--strict on the writes to a server', () => {
  it('sync --strict names the malformed file and sends nothing', () => {
    const r = runCli(['sync', '--dir', dir, '--endpoint', DEAD, '--state', state, '--no-cache', '--strict']);
    expectOneLineError(r, 3, /bad\.jsonld/);
    expect(r.stderr).not.toContain('ECONNREFUSED');
  });

  it('without --strict the malformed file is reported and the writes are tried (and fail on the dead port)', () => {
    const r = runCli(['sync', '--dir', dir, '--endpoint', DEAD, '--state', state, '--no-cache']);
    expect(r.status).toBe(3);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines.at(-1)).toMatch(/^error: sync: .*ECONNREFUSED/);
  });

  it('query --load --strict does the same', () => {
    const r = runCli(['query', 'builds', '--dir', dir, '--endpoint', DEAD, '--load', '--strict']);
    expectOneLineError(r, 3, /bad\.jsonld/);
    expect(r.stderr).not.toContain('ECONNREFUSED');
  });
});
