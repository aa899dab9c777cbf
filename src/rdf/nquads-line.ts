// N-Quads terms written as text, exactly as n3's Writer writes them in N-Quads mode (canonical escapes), without term objects.

// n3 (N-Quads mode) escapes, in IRIs and literals alike, every character outside these ranges: controls, `"`, `\`,
// U+007F, U+FFFE and U+FFFF; with a short escape where N-Triples has one, else an upper-case \uXXXX.
const NEEDS_ESCAPE = /[^ !#-[\]-~\u0080-\uFFFD]/;
const ESCAPE_ALL = /[^ !#-[\]-~\u0080-\uFFFD]/g;
const SHORT: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\b': '\\b', '\f': '\\f' };

function escaped(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(ESCAPE_ALL, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';

/** `<iri>` */
export function iriText(iri: string): string {
  return `<${escaped(iri)}>`;
}

/** `"value"`, `"value"@lang` or `"value"^^<datatype>` (xsd:string written plain, as n3 does). */
export function literalText(value: string, datatype: string = XSD_STRING, language = ''): string {
  if (language !== '') return `"${escaped(value)}"@${language}`;
  return datatype === XSD_STRING ? `"${escaped(value)}"` : `"${escaped(value)}"^^${iriText(datatype)}`;
}
