// ttyProgress: progress lines name input files, so they are escaped like every other terminal line.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ttyProgress } from '../../../src/cli/progress.js';

const wasTty = process.stderr.isTTY;
afterEach(() => {
  process.stderr.isTTY = wasTty;
  vi.restoreAllMocks();
});

describe('ttyProgress', () => {
  it('escapes control characters in the text it draws', () => {
    process.stderr.isTTY = true;
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const progress = ttyProgress(true);
    expect(progress).toBeDefined();
    progress?.update('reading evil\nFORGED: fingerprint: ok\x1b[2J');
    progress?.done();
    expect(written[0]).toBe('\r\x1b[Kreading evil\\nFORGED: fingerprint: ok\\x1b[2J');
    expect(written.join('')).not.toMatch(/\nFORGED/);
  });

  it('draws nothing when stderr is not a terminal', () => {
    process.stderr.isTTY = false;
    expect(ttyProgress(true)).toBeUndefined();
  });
});
