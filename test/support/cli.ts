// Runs the built pe-trace CLI (dist/, via bin/run.js) as a real child process and captures its output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(REPO_ROOT, 'fixtures');

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutBytes: Buffer;
}

/**
 * The XDG cache home of every CLI run under test unless the test passes its own: `query` caches by default,
 * and a test must never write into the user's home. Removed when the test process exits.
 */
const TEST_CACHE_HOME = mkdtempSync(join(tmpdir(), 'pe-trace-test-cache-'));
process.on('exit', () => rmSync(TEST_CACHE_HOME, { recursive: true, force: true }));

/** Runs `pe-trace ...args`. Requires `npm run build` (the test script builds first). */
export function runCli(args: readonly string[], options: { cwd?: string; input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'run.js'), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    input: options.input,
    env: { ...process.env, XDG_CACHE_HOME: TEST_CACHE_HOME, ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: r.status ?? -1,
    stdout: r.stdout.toString('utf8'),
    stderr: r.stderr.toString('utf8'),
    stdoutBytes: r.stdout,
  };
}

/** Parses a `--json` envelope from stdout. */
export function envelope<T = unknown>(r: CliResult): { status: number; result?: T; error?: { code: string; message: string }; warnings: string[] } {
  return JSON.parse(r.stdout) as { status: number; result?: T; error?: { code: string; message: string }; warnings: string[] };
}

/** A failed run: the given exit status, nothing on stdout, and exactly one `error: …` line on stderr (no stack). */
export function expectOneLineError(r: CliResult, status: number, pattern: RegExp): void {
  expect(r.status).toBe(status);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}
