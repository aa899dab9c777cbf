// BaseCommand renders a StreamedOutcome: chunks written as they are yielded (lines escaped), --json keeps one envelope.
import { Config } from '@oclif/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BaseCommand, type Outcome, type StdoutChunk, type StreamedOutcome } from '../../../src/cli/base-command.js';
import { EXIT, InputError } from '../../../src/errors.js';
import { REPO_ROOT } from '../../support/cli.js';

let config: Config;
beforeAll(async () => {
  config = await Config.load(REPO_ROOT);
});

let out = '';
let err = '';
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

function capture(): void {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
}

/** A command streaming two chunks; `seen` records stdout as it was when the generator resumed after each yield. */
function streamingCommand(argv: string[], fail: boolean, seen: string[]): BaseCommand<{ n: number }> {
  class Streaming extends BaseCommand<{ n: number }> {
    protected async exec(): Promise<StreamedOutcome<{ n: number }>> {
      async function* stream(): AsyncGenerator<StdoutChunk, Outcome<{ n: number }>, void> {
        yield { raw: 'raw\tbytes\n' };
        seen.push(out);
        yield { lines: ['a line with \x1b[2J and\nforged'] };
        seen.push(out);
        if (fail) throw new InputError('QUERY_TIMEOUT', 'stopped');
        return { result: { n: 2 }, status: EXIT.OK, text: ['(2 rows)'], warnings: ['late'] };
      }
      return { stream: stream() };
    }
  }
  return new Streaming(argv, config);
}

describe('StreamedOutcome', () => {
  it('writes each chunk before the command goes on, escapes human lines, then renders the final outcome', async () => {
    const seen: string[] = [];
    capture();
    await streamingCommand([], false, seen).run();
    expect(seen[0]).toBe('raw\tbytes\n');
    expect(seen[1]).toBe('raw\tbytes\na line with \\x1b[2J and\\nforged\n');
    expect(out).toBe('raw\tbytes\na line with \\x1b[2J and\\nforged\n(2 rows)\n');
    expect(err).toBe('warning: late\n');
    expect(process.exitCode).toBe(0);
  });

  it('ends with one error line after the chunks already written', async () => {
    capture();
    await streamingCommand([], true, []).run();
    expect(out).toBe('raw\tbytes\na line with \\x1b[2J and\\nforged\n');
    expect(err).toBe('error: stopped\n');
    expect(process.exitCode).toBe(3);
  });

  it('writes no chunk in --json mode: one envelope, with the result or the error', async () => {
    capture();
    await streamingCommand(['--json'], false, []).run();
    expect(JSON.parse(out)).toEqual({ status: 0, result: { n: 2 }, warnings: ['late'] });
    capture();
    await streamingCommand(['--json'], true, []).run();
    expect(JSON.parse(out)).toEqual({ status: 3, error: { code: 'QUERY_TIMEOUT', message: 'stopped' }, warnings: [] });
    expect(err).toBe('');
  });
});
