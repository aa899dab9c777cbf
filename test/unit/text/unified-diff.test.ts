// unifiedDiff: the `diff -u` format, checked against GNU diff on a small case and by applying random diffs back.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../src/index.js';

/** Applies a unified diff's hunks to `before` (a tiny `patch`): checks every context and removed line on the way. */
function apply(before: string, diff: readonly string[]): string {
  const lines = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let at = 0;
  for (const line of diff.slice(2)) {
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(line);
    if (hunk !== null) {
      const start = Number(hunk[1]) - (hunk[2] === '0' ? 0 : 1);
      while (at < start) out.push(lines[at++] as string);
      continue;
    }
    const body = line.slice(1);
    if (line[0] === '+') out.push(body);
    else {
      expect(lines[at]).toBe(body);
      if (line[0] === ' ') out.push(body);
      at++;
    }
  }
  while (at < lines.length) out.push(lines[at++] as string);
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', { from: 'a', to: 'b' })).toEqual([]);
  });

  const hasDiff = spawnSync('diff', ['--version']).status === 0;
  it.skipIf(!hasDiff)('matches GNU diff -u on a JSON edit with two hunks', () => {
    const before = ['{', ...Array.from({ length: 20 }, (_, i) => `  "k${i}": ${i},`), '  "z": 0', '}', ''].join('\n');
    const after = before.replace('"k2": 2', '"k2": 20').replace('"k15": 15,', '"k15": 15,\n  "new": true,');
    const dir = mkdtempSync(join(tmpdir(), 'pe-trace-diff-'));
    try {
      writeFileSync(join(dir, 'a'), before);
      writeFileSync(join(dir, 'b'), after);
      const gnu = spawnSync('diff', ['-u', '--label', 'old', '--label', 'new', 'a', 'b'], { cwd: dir, encoding: 'utf8' }).stdout;
      expect(unifiedDiff(before, after, { from: 'old', to: 'new' })).toEqual(gnu.replace(/\n$/, '').split('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applied back to the old text, gives the new one (any texts)', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', '{', '}', '"x": 1,'), { maxLength: 40 }).map((ls) => (ls.length === 0 ? '' : `${ls.join('\n')}\n`));
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 4 }), (before, after, context) => {
        const diff = unifiedDiff(before, after, { from: 'a', to: 'b' }, context);
        if (before === after) expect(diff).toEqual([]);
        else expect(apply(before, diff)).toBe(after);
      }),
    );
  });
});
