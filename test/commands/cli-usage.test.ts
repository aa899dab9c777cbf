// The CLI as a whole: unknown commands and topics (exit 2, did-you-mean), help, -h, shell completion, empty queries.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, envelope, expectOneLineError, runCli } from '../support/cli.js';

describe('unknown commands and topics', () => {
  it('a mistyped command: exit 2, one error line, a did-you-mean, no colon notation', () => {
    const r = runCli(['verfy', 'x.jsonld']);
    expectOneLineError(r, 2, /^error: unknown command "pe-trace verfy" \(did you mean "pe-trace verify"\?\); see pe-trace --help$/);
  });

  it('a mistyped command under a topic suggests the command and points at the topic help', () => {
    const r = runCli(['emit', 'bundel']);
    expectOneLineError(r, 2, /did you mean "pe-trace emit bundle"\?\); see pe-trace emit --help$/);
    expect(r.stderr).not.toMatch(/emit:/);
  });

  it('a command name without its topic is found by substring', () => {
    expectOneLineError(runCli(['bundle']), 2, /did you mean "pe-trace emit bundle"/);
  });

  it('a known command given a word it does not take: its own usage error (exit 2), not "command not found"', () => {
    const r = runCli(['audit', 'restricted-inputs', 'fixtures/corpus']);
    expectOneLineError(r, 2, /Unexpected argument: fixtures\/corpus/);
    expect(r.stderr).not.toMatch(/audit:restricted-inputs|not found/);
  });

  it('--json gives the usage envelope', () => {
    const r = runCli(['verfy', '--json']);
    expect(r.status).toBe(2);
    expect(envelope(r)).toEqual({ status: 2, error: { code: 'USAGE', message: expect.stringMatching(/did you mean "pe-trace verify"/) }, warnings: [] });
  });

  it('an unknown command holding control characters is escaped', () => {
    const r = runCli(['ver\nFORGED: fingerprint: ok\x1b[2K']);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/^FORGED/m);
    expect(r.stderr).not.toContain('\x1b');
    expect(r.stderr).toContain('ver\\nFORGED');
  });
});

describe('help', () => {
  it('`help CMD`, `CMD -h` and `CMD --help` print the same command help', () => {
    const viaHelp = runCli(['help', 'emit', 'build']);
    const viaShort = runCli(['emit', 'build', '-h']);
    const viaLong = runCli(['emit', 'build', '--help']);
    expect(viaHelp.status).toBe(0);
    expect(viaShort.status).toBe(0);
    expect(viaHelp.stdout).toContain('$ pe-trace emit build');
    expect(viaHelp.stdout).toBe(viaShort.stdout);
    expect(viaHelp.stdout).toBe(viaLong.stdout);
  });

  it('`help` alone lists the commands in space notation; `help TOPIC` shows the topic', () => {
    const root = runCli(['help']);
    expect(root.status).toBe(0);
    expect(root.stdout).toMatch(/^ {2}audit +Lineage audits/m);
    expect(root.stdout).not.toMatch(/\w:\w/);
    const topic = runCli(['help', 'emit']);
    expect(topic.stdout).toMatch(/emit bundle/);
    expect(topic.stdout).not.toMatch(/emit:/);
  });

  it('prose descriptions are paragraphs oclif wraps, not hard-wrapped source lines (no ragged help text)', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, { description?: string }> };
    // diff's category and exit-code tables and query's (another area) keep deliberate line breaks.
    const tabular = new Set(['diff', 'query']);
    const ragged = Object.entries(manifest.commands)
      .filter(([id, c]) => !tabular.has(id) && /(?<!\n)\n(?!\n)/.test(c.description ?? ''))
      .map(([id]) => id);
    expect(ragged).toEqual([]);
    // What a user sees: the store put description wraps as one paragraph (a hard break left a 10-character line).
    const help = runCli(['store', 'put', '--help']).stdout;
    const paragraphs = help.slice(help.indexOf('DESCRIPTION'), help.indexOf('EXAMPLES')).split('\n\n');
    const prose = (paragraphs[1] ?? '').split('\n');
    expect(prose.length).toBeGreaterThan(3);
    expect(prose.slice(0, -1).filter((line) => line.trim().length < 50)).toEqual([]);
  });

  it('`help` of an unknown command: exit 2 with a suggestion', () => {
    expectOneLineError(runCli(['help', 'verfy']), 2, /did you mean "verify"/);
  });
});

describe('shell completion', () => {
  const bash = spawnSync('bash', ['--version']).status === 0;
  const script = runCli(['completion', 'bash']).stdout;

  /** Runs the completion function for a command line (the words before the cursor, then the current word). */
  function complete(words: string[]): string[] {
    const body = `${script}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_pe_trace_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', body], { encoding: 'utf8', cwd: '/' });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  }

  it.skipIf(!bash)('completes command names, topic subcommands, flags and flag values (bash)', () => {
    expect(complete(['pe-trace', 've'])).toEqual(['verify']);
    expect(complete(['pe-trace', 'emit', 'bu'])).toEqual(['build', 'bundle']);
    expect(complete(['pe-trace', 'verify', '--j'])).toEqual(['--json']);
    expect(complete(['pe-trace', 'lift', '--format', 'n'])).toEqual(expect.arrayContaining(['nquads']));
    expect(complete(['pe-trace', 'emit', 'build', '--restricted-in'])).toEqual(['--restricted-input']);
  });

  it('zsh: the script loads bashcompinit; --json wraps the script', () => {
    const zsh = runCli(['completion', 'zsh']);
    expect(zsh.status).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef pe-trace\nautoload -U \+X bashcompinit && bashcompinit\n/);
    const json = envelope<{ shell: string; script: string }>(runCli(['completion', 'bash', '--json']));
    expect(json.result?.script).toBe(script);
  });

  it('an unknown shell is a usage error', () => {
    expectOneLineError(runCli(['completion', 'tcsh']), 2, /tcsh/);
  });
});

describe('query usage', () => {
  it.each([[''], ['  \n\t']])('--sparql %j is a usage error (exit 2)', (text) => {
    expectOneLineError(runCli(['query', '--sparql', text, '--dir', 'fixtures/corpus']), 2, /--sparql is empty/);
  });
});
