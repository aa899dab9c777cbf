// Reading a large directory on worker threads gives byte-identical output to one thread, malformed files included.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/query.js';
import { envelope, runCli } from '../support/cli.js';

let root = '';
let dir = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pe-trace-threads-'));
  dir = join(root, 'corpus');
  generateCorpus(dir, 1200);
  // Sorted last, so it falls in a worker's share of the files.
  writeFileSync(join(dir, 'zz-broken.json'), '{"@context": {}, "a": 1,\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('audit restricted-inputs on worker threads', () => {
  it.skipIf(availableParallelism() < 2)('writes the same bytes with one thread and with several (needs 2 cores to use a worker)', () => {
    const one = runCli(['audit', 'restricted-inputs', '--dir', dir, '--json'], { env: { PE_TRACE_THREADS: '1' } });
    const many = runCli(['audit', 'restricted-inputs', '--dir', dir, '--json'], { env: { PE_TRACE_THREADS: '4' } });
    expect(one.status).toBe(0);
    expect(many.stdout).toBe(one.stdout);
    const e = envelope<{ documents: number; paths: unknown[] }>(one);
    expect(e.result?.documents).toBe(1200);
    expect(e.result?.paths.length).toBeGreaterThan(0);
    expect(e.warnings).toEqual(['skipped zz-broken.json:2:1: unexpected end of input']);
  });

  it.skipIf(availableParallelism() < 2)('fails a strict run on the same located error either way', () => {
    const one = runCli(['audit', 'restricted-inputs', '--dir', dir, '--strict'], { env: { PE_TRACE_THREADS: '1' } });
    const many = runCli(['audit', 'restricted-inputs', '--dir', dir, '--strict'], { env: { PE_TRACE_THREADS: '4' } });
    expect(one.status).toBe(3);
    expect(many.status).toBe(3);
    expect(many.stderr).toBe(one.stderr);
    expect(one.stderr).toMatch(/^error: zz-broken\.json:2:1: /);
  });
});
