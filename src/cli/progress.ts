// Progress lines on stderr for long work, shown only when stderr is a terminal (never in pipes, CI logs or --json).
import { escapeTerminalText } from '../text/terminal-escape.js';

/** Returns a throttled progress printer, or undefined when stderr is not a TTY. */
export function ttyProgress(enabled: boolean): { update(text: string): void; done(): void } | undefined {
  if (!enabled || !process.stderr.isTTY) return undefined;
  let last = 0;
  let shown = false;
  return {
    update(text: string): void {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      process.stderr.write(`\r\x1b[K${escapeTerminalText(text)}`); // the text may name input files
    },
    done(): void {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
