// The one base class of every pe-trace command: --json envelope, one-line errors, exit codes from errors.ts.
import { Command, Flags } from '@oclif/core';
import { EXIT, type ExitCode, isPeTraceError } from '../errors.js';
import { escapeTerminalText } from '../text/terminal-escape.js';

/** What a command's `exec()` returns: the result (JSON-safe), its exit code, human text lines, warnings. */
export interface Outcome<R> {
  readonly result: R;
  readonly status: ExitCode;
  /** Lines for stdout in human mode, one line each (the renderer escapes control characters in them). */
  readonly text?: readonly string[];
  /** Lines for stderr in human mode (e.g. `error: X failed verification`), escaped like `text`. */
  readonly stderr?: readonly string[];
  /**
   * Raw bytes for stdout in human mode (takes precedence over `text`), written unescaped: data formats with
   * their own escaping (N-Quads, JSON, CSV). A human table built into bytes must escape its cells itself
   * (escapeTerminalText).
   */
  readonly bytes?: Uint8Array;
  readonly warnings?: readonly string[];
}

/** One piece of streamed stdout: `raw` text written as it is (a data format's own escaping), or human `lines` (escaped). */
export type StdoutChunk = { readonly raw: string } | { readonly lines: readonly string[] };

/**
 * An outcome whose stdout arrives while the command still works (e.g. query rows as the engine finds them). In
 * human mode the base command writes each yielded chunk at once, then renders the generator's returned Outcome
 * (its text/bytes follow the chunks). In `--json` mode the chunks are not written: the returned Outcome's result
 * carries everything, in the one envelope. An error thrown mid-stream is the usual one `error:` line and exit
 * code, after whatever chunks were already written (human mode), or the one error envelope (`--json`).
 */
export interface StreamedOutcome<R> {
  readonly stream: AsyncGenerator<StdoutChunk, Outcome<R>, void>;
}

/**
 * Commands implement `exec()`; this class renders. In `--json` mode stdout carries exactly one envelope
 * `{status, result | error, warnings}`; human mode writes the outcome's text. Any PeTraceError becomes one
 * line on stderr (`error: <message>`) and its exit code; anything else is an internal error (exit 1),
 * still one line, with the stack only when PE_TRACE_DEBUG is set. Every human line (text, stderr, warnings, the
 * error message) goes through escapeTerminalText, so input-derived text (a file name, a location, an IRI)
 * can never start a line of its own or send a terminal escape sequence.
 */
/** oclif's parse errors carry `oclif.exit`; `this.exit()` raises an ExitError we must not swallow. */
function isOclifUsageError(e: unknown): e is Error {
  if (!(e instanceof Error) || !('oclif' in e)) return false;
  const oclif = (e as { oclif?: { exit?: unknown } }).oclif;
  return typeof oclif?.exit === 'number' && oclif.exit !== 0 && e.constructor.name !== 'ExitError';
}

export abstract class BaseCommand<R> extends Command {
  static override baseFlags = {
    json: Flags.boolean({ description: 'Print one JSON envelope {status, result|error, warnings} on stdout.', default: false }),
  };

  protected abstract exec(): Promise<Outcome<R> | StreamedOutcome<R>>;

  /** Whether `--json` was given; read before parsing so errors raised during parsing are rendered right. */
  protected get wantsJson(): boolean {
    return this.argv.includes('--json');
  }

  /** oclif's warnings (e.g. a deprecated flag) are escaped like every other human line. */
  override warn(input: string | Error): string | Error {
    return super.warn(typeof input === 'string' ? escapeTerminalText(input) : new Error(escapeTerminalText(input.message)));
  }

  async run(): Promise<void> {
    let outcome: Outcome<R>;
    try {
      const done = await this.exec();
      outcome = 'stream' in done ? await this.drain(done.stream) : done;
    } catch (e) {
      this.renderError(e);
      return;
    }
    const warnings = outcome.warnings ?? [];
    if (this.wantsJson) {
      process.stdout.write(`${JSON.stringify({ status: outcome.status, result: outcome.result, warnings }, null, 2)}\n`);
    } else {
      if (outcome.bytes !== undefined) process.stdout.write(outcome.bytes);
      else if (outcome.text !== undefined && outcome.text.length > 0) process.stdout.write(terminalLines(outcome.text));
      if (warnings.length > 0) process.stderr.write(terminalLines(warnings.map((w) => `warning: ${w}`)));
      if (outcome.stderr !== undefined && outcome.stderr.length > 0) process.stderr.write(terminalLines(outcome.stderr));
    }
    process.exitCode = outcome.status;
  }

  /** Writes a streamed outcome's chunks as they come (human mode only) and returns its final Outcome. */
  private async drain(stream: AsyncGenerator<StdoutChunk, Outcome<R>, void>): Promise<Outcome<R>> {
    for (;;) {
      const next = await stream.next();
      if (next.done === true) return next.value;
      if (this.wantsJson) continue;
      const chunk = next.value;
      if ('raw' in chunk) process.stdout.write(chunk.raw);
      else if (chunk.lines.length > 0) process.stdout.write(terminalLines(chunk.lines));
    }
  }

  private renderError(e: unknown): void {
    let status: ExitCode = EXIT.INTERNAL;
    let code = 'INTERNAL';
    let message: string;
    if (isPeTraceError(e)) {
      status = e.exitCode;
      code = e.code;
      message = e.message;
    } else if (isOclifUsageError(e)) {
      // oclif's parser failed (unknown flag, missing argument, bad option value): a usage error.
      status = EXIT.USAGE;
      code = 'USAGE';
      // oclif wraps some parse errors in "The following error occurred:"; the line already says it is an error.
      message = e.message
        .replace(/\n\s*Note:[\s\S]*?(?=See more help|$)/, '\n')
        .replace(/^The following errors? occurred:\s*/, '')
        .replace(/\s*See more help with --help\s*$/, '; see --help')
        .trim();
      // The command did call parse(), which refused the argv: without this, oclif adds an "UnparsedCommand" process
      // warning on stderr when NODE_ENV is development or test (a second stderr line after the one error line).
      this.parsed = true;
    } else {
      message = `internal error: ${e instanceof Error ? e.message : String(e)}`;
      if (process.env['PE_TRACE_DEBUG'] && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    }
    // oclif's own messages wrap with newlines (collapsed); ours are one line, so a newline in them came from input.
    const oneLine = isPeTraceError(e) ? message : message.replace(/\s*\n\s*/g, ' ');
    if (this.wantsJson) {
      process.stdout.write(`${JSON.stringify({ status, error: { code, message: oneLine }, warnings: [] }, null, 2)}\n`);
    } else {
      process.stderr.write(`error: ${escapeTerminalText(oneLine)}\n`);
    }
    process.exitCode = status;
  }
}

/** Lines joined for the terminal, each escaped (escapeTerminalText), with a final newline. */
function terminalLines(lines: readonly string[]): string {
  return `${lines.map(escapeTerminalText).join('\n')}\n`;
}
