// Escapes text for one terminal line: control, line-breaking and bidi characters become visible `\n`, `\x1b`, `\u2028` forms.

/**
 * Characters that can forge or disguise a terminal line when input-derived text (a file name, an artifact
 * location, an IRI, an @context URL) is printed: C0 controls except TAB (newline, carriage return, ESC starting
 * an ANSI sequence…), DEL, C1 controls (including NEL U+0085 and the 8-bit CSI U+009B), the Unicode line and
 * paragraph separators U+2028/U+2029, the bidi embedding/override/isolate controls U+202A–U+202E and
 * U+2066–U+2069 (which reorder what a reader sees), and lone surrogates (not text at all).
 */
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r' };

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Returns `text` with every character that could break, forge or disguise a terminal line replaced by a
 * visible escape: `\n`, `\r`, `\x1b` (other C0 controls and DEL as `\xHH`), `\u0085` (C1 controls, line/paragraph
 * separators, bidi controls and lone surrogates as `\uHHHH`). TAB and every other character are kept, and a
 * backslash is not doubled, so ordinary text (including Windows paths) prints unchanged. The result never
 * contains a line break, so one call per printed line keeps every line the program's own.
 */
export function escapeTerminalText(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Whether `text` would print unchanged by escapeTerminalText (no character to escape). */
export function isTerminalSafe(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return !found;
}
