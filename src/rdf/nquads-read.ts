// Reads back one N-Quads line as our own writer (nquads-text.ts termText/quadText) writes it, into plain term records.
//
// The query index holds lines this project wrote; a question that is one quad pattern is answered by reading them
// (src/query/scan.ts) instead of loading them into oxigraph. So this reader pairs with termText, byte for byte:
// read(termText(t)) = t, for hostile strings too (test/unit/rdf/nquads-read.test.ts). It reads what oxigraph's
// lenient loader reads from the same bytes: an IRI ends at the first `>`, a literal at the first unescaped `"`.
import { type TextQuad, type TextTerm, DEFAULT_GRAPH } from './nquads-text.js';

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const ESCAPE = /\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([\s\S]))/g;
const SHORT: Readonly<Record<string, string>> = { t: '\t', b: '\b', n: '\n', r: '\r', f: '\f', '"': '"', "'": "'", '\\': '\\' };

/** The text between `<…>` or `"…"` with N-Quads escapes (`\t`, `\"`, `\\`, `\uXXXX`, `\UXXXXXXXX`, …) undone. */
export function unescapeNQuadsText(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(ESCAPE, (all, u4: string | undefined, u8: string | undefined, c: string | undefined) => {
    if (u4 !== undefined) return String.fromCharCode(Number.parseInt(u4, 16));
    if (u8 !== undefined) {
      const cp = Number.parseInt(u8, 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
    }
    return SHORT[c ?? ''] ?? all;
  });
}

/** A cursor over one line: each reader advances `at` past what it read. */
interface Cursor {
  readonly s: string;
  at: number;
}

/** One term at the cursor (IRI, blank node or literal), or undefined when the text there is not one. */
function readTerm(c: Cursor): TextTerm | undefined {
  const { s } = c;
  const first = s.charCodeAt(c.at);
  if (first === 0x3c /* < */) {
    const end = s.indexOf('>', c.at + 1);
    if (end < 0) return undefined;
    const value = unescapeNQuadsText(s.slice(c.at + 1, end));
    c.at = end + 1;
    return { termType: 'NamedNode', value };
  }
  if (first === 0x5f /* _ */ && s.charCodeAt(c.at + 1) === 0x3a /* : */) {
    let end = s.indexOf(' ', c.at);
    if (end < 0) end = s.length;
    const value = s.slice(c.at + 2, end);
    c.at = end;
    return { termType: 'BlankNode', value };
  }
  if (first !== 0x22 /* " */) return undefined;
  // The closing quote is the first one not escaped, i.e. preceded by an even number of backslashes.
  let close = c.at;
  for (let from = c.at + 1; ; from = close + 1) {
    close = s.indexOf('"', from);
    if (close < 0) return undefined;
    let slashes = 0;
    while (s.charCodeAt(close - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) break;
  }
  const value = unescapeNQuadsText(s.slice(c.at + 1, close));
  c.at = close + 1;
  if (s.charCodeAt(c.at) === 0x40 /* @ */) {
    let end = s.indexOf(' ', c.at);
    if (end < 0) end = s.length;
    const language = s.slice(c.at + 1, end);
    c.at = end;
    return { termType: 'Literal', value, language };
  }
  if (s.startsWith('^^<', c.at)) {
    const end = s.indexOf('>', c.at + 3);
    if (end < 0) return undefined;
    const datatype = unescapeNQuadsText(s.slice(c.at + 3, end));
    c.at = end + 1;
    return datatype === XSD_STRING ? { termType: 'Literal', value } : { termType: 'Literal', value, datatype };
  }
  return { termType: 'Literal', value };
}

/** Reads the term the cursor stands on and the single space after it. */
function termThenSpace(c: Cursor): TextTerm | undefined {
  const t = readTerm(c);
  if (t === undefined || c.s.charCodeAt(c.at) !== 0x20) return undefined;
  c.at++;
  return t;
}

/**
 * One N-Quads line (without its newline) as written by quadText: `S P O [G] .`; undefined for a line that is not
 * one (a comment, an empty line, or text no writer of ours produces).
 */
export function readNQuadsLine(line: string): TextQuad | undefined {
  const c: Cursor = { s: line, at: 0 };
  const subject = termThenSpace(c);
  const predicate = subject === undefined ? undefined : termThenSpace(c);
  const object = predicate === undefined ? undefined : termThenSpace(c);
  if (subject === undefined || predicate === undefined || object === undefined) return undefined;
  if (line.charCodeAt(c.at) === 0x2e /* . */ && c.at === line.length - 1) return { subject, predicate, object, graph: DEFAULT_GRAPH };
  const graph = termThenSpace(c);
  if (graph === undefined || graph.termType === 'Literal' || c.at !== line.length - 1 || line.charCodeAt(c.at) !== 0x2e) return undefined;
  return { subject, predicate, object, graph };
}

/** One term as written by termText (`<iri>`, `_:label`, a literal), or undefined when the text is not exactly one. */
export function readNQuadsTerm(text: string): TextTerm | undefined {
  const c: Cursor = { s: text, at: 0 };
  const t = readTerm(c);
  return t !== undefined && c.at === text.length ? t : undefined;
}
