// The README's Walkthroughs stay true: every fixture path they name exists, every `pe-trace` command and flag they use is real.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli.js';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, { flags: Record<string, { char?: string }> }>;
};

/** The shell text of the Walkthroughs section's sh blocks, with `\`-continued lines joined. */
function walkthroughBlocks(): string[] {
  const start = readme.indexOf('\n## Walkthroughs\n');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').replace(/\\\n\s*/g, ' '));
}

/** Each `pe-trace …` invocation (npx pe-trace or node bin/run.js) as its words, up to a shell separator. */
function invocations(block: string): string[][] {
  const found: string[][] = [];
  for (const m of block.matchAll(/(?:npx pe-trace|node bin\/run\.js) ([^;&|\n#]*)/g)) found.push((m[1] ?? '').trim().split(/\s+/));
  return found;
}

/** The command id a word list starts with (topic commands take two words), and the words left. */
function commandOf(words: readonly string[]): { id: string | undefined; rest: readonly string[] } {
  const two = `${words[0]}:${words[1]}`;
  if (manifest.commands[two] !== undefined) return { id: two, rest: words.slice(2) };
  if (manifest.commands[words[0] ?? ''] !== undefined) return { id: words[0], rest: words.slice(1) };
  return { id: undefined, rest: words };
}

describe('README walkthroughs', () => {
  const blocks = walkthroughBlocks();

  it('there is one walkthrough per user (referee, release, data build, web service, auditor, TRACE, archivist)', () => {
    expect(blocks).toHaveLength(7);
    for (const block of blocks) expect(invocations(block).length).toBeGreaterThanOrEqual(3);
  });

  it('every fixture path they name exists in the repository', () => {
    const paths = blocks.flatMap((b) => [...b.matchAll(/fixtures\/[A-Za-z0-9._/-]+/g)].map((m) => m[0]));
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((p) => !existsSync(join(REPO_ROOT, p)))).toEqual([]);
  });

  it('every command and flag they use exists (a renamed flag breaks the README before it breaks a user)', () => {
    const problems: string[] = [];
    for (const words of blocks.flatMap(invocations)) {
      const { id, rest } = commandOf(words);
      if (id === undefined) {
        problems.push(`unknown command: pe-trace ${words.slice(0, 2).join(' ')}`);
        continue;
      }
      const flags = manifest.commands[id]?.flags ?? {};
      for (const word of rest) {
        const flag = /^--([a-z0-9-]+)/.exec(word)?.[1];
        if (flag !== undefined && flags[flag] === undefined) problems.push(`pe-trace ${id.replace(':', ' ')}: no flag --${flag}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
