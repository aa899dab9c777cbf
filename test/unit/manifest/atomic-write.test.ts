// Atomic replacement: the new bytes or the old ones, never a temp file left behind, permissions kept.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPeTraceError } from '../../../src/errors.js';
import { writeFileAtomic } from '../../../src/manifest/atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pe-trace-atomic-'));
});
afterEach(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces a file, keeping its mode, leaving only the file', async () => {
    const path = join(dir, 'manifest.json');
    writeFileSync(path, 'old');
    chmodSync(path, 0o640);
    await writeFileAtomic(path, new TextEncoder().encode('new'));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['manifest.json']);
  });

  it('creates a new file', async () => {
    const path = join(dir, 'fresh.json');
    await writeFileAtomic(path, new TextEncoder().encode('{}'));
    expect(readFileSync(path, 'utf8')).toBe('{}');
  });

  // root ignores directory permissions, so this case only exists for other users.
  it.skipIf(process.getuid?.() === 0)('fails with a located error and changes nothing when the directory is not writable', async () => {
    const path = join(dir, 'manifest.json');
    writeFileSync(path, 'old');
    chmodSync(dir, 0o555);
    let error: unknown;
    try {
      await writeFileAtomic(path, new TextEncoder().encode('new'), { label: 'manifest.json' });
    } catch (e) {
      error = e;
    }
    expect(isPeTraceError(error) && error.message).toBe('manifest.json: cannot write the file: permission denied');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['manifest.json']);
  });

  it('does not replace a directory, leaves no temp file, and names the file without its path', async () => {
    const path = join(dir, 'sub');
    mkdirSync(join(path, 'x'), { recursive: true });
    await expect(writeFileAtomic(path, new TextEncoder().encode('x'), { label: 'sub' })).rejects.toThrow(/^sub: cannot write the file: /);
    expect(readdirSync(dir)).toEqual(['sub']);
  });
});
