// Plain RDF terms (no n3 objects) and their N-Quads text, byte for byte as n3's Writer writes N-Quads (quadsToNQuads).
//
// The query index stores and oxigraph loads N-Quads text; building n3 term objects only to serialise them again was
// a large share of a cold query's time and garbage (issue 15). These plain records carry the same fields the n3
// terms expose (`termType`, `value`), so code that reads only those works on both.

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';

/** A term as a plain record. `datatype` is absent for xsd:string; `language` (lower case) only on language-tagged strings. */
export interface TextTerm {
  readonly termType: 'NamedNode' | 'BlankNode' | 'Literal' | 'DefaultGraph';
  readonly value: string;
  readonly datatype?: string;
  readonly language?: string;
}
export interface TextQuad {
  readonly subject: TextTerm;
  readonly predicate: TextTerm;
  readonly object: TextTerm;
  readonly graph: TextTerm;
}

export const DEFAULT_GRAPH: TextTerm = { termType: 'DefaultGraph', value: '' };
export const namedTerm = (value: string): TextTerm => ({ termType: 'NamedNode', value });
export const blankTerm = (value: string): TextTerm => ({ termType: 'BlankNode', value });

/** A literal as n3's `literal(value, languageOrDatatype)` makes it: language tags lower-cased, xsd:string implicit. */
export function literalTerm(value: string, datatype?: string, language?: string): TextTerm {
  if (language !== undefined && language !== '') {
    return language.includes('"') ? asN3Reads(`"${value}"@${language.toLowerCase()}`) : { termType: 'Literal', value, language: language.toLowerCase() };
  }
  if (datatype === undefined || datatype === XSD_STRING) return { termType: 'Literal', value };
  return datatype.includes('"') ? asN3Reads(`"${value}"^^${datatype}`) : { termType: 'Literal', value, datatype };
}

/**
 * The literal n3 reads back from its own id for a language tag or datatype IRI holding a `"` (a hostile input):
 * n3 splits the id at its last quote, so part of the datatype becomes the value. Mirrored so that the text, the
 * view input and the n3 quads of such a literal stay what they were when every lift went through n3 terms.
 */
function asN3Reads(id: string): TextTerm {
  const quote = id.lastIndexOf('"');
  const value = id.substring(1, quote);
  const marker = id[quote + 1];
  if (marker === '@') return { termType: 'Literal', value, language: id.slice(quote + 2).toLowerCase() };
  if (marker === '^') return literalTerm(value, id.slice(quote + 3));
  return { termType: 'Literal', value };
}

// n3's canonical N-Triples/N-Quads escaping: everything outside space, `!`, `#`–`[`, `]`–`~` and U+0080–U+FFFD
// (so U+0000–U+001F, `"`, `\`, U+007F, U+FFFE, U+FFFF). Surrogates, paired or lone, and U+2028 are written as they are.
const NEEDS_ESCAPE = /[^ !#-[\]-~\u0080-\uFFFD]/;
const ESCAPE_ALL = /[^ !#-[\]-~\u0080-\uFFFD]/g;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\b': '\\b', '\f': '\\f' };

function escapeChar(c: string): string {
  const short = SHORT_ESCAPES[c];
  if (short !== undefined) return short;
  const hex = c.charCodeAt(0).toString(16).toUpperCase();
  return `\\u${'0000'.slice(hex.length)}${hex}`;
}

/** A string as n3 writes it inside `<…>` or `"…"` in N-Quads. */
export function escapeNQuadsText(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE_ALL, escapeChar) : s;
}

/** One term in N-Quads syntax (n3's `_encodeIriOrBlank` / `_encodeLiteral` in line mode). */
export function termText(t: TextTerm): string {
  switch (t.termType) {
    case 'NamedNode':
      return `<${escapeNQuadsText(t.value)}>`;
    case 'BlankNode':
      return `_:${t.value}`;
    case 'Literal': {
      const text = `"${escapeNQuadsText(t.value)}"`;
      if (t.language !== undefined && t.language !== '') return `${text}@${t.language}`;
      return t.datatype === undefined || t.datatype === XSD_STRING ? text : `${text}^^<${escapeNQuadsText(t.datatype)}>`;
    }
    case 'DefaultGraph':
      return '';
  }
}

/** One N-Quads line, newline included. */
export function quadText(q: TextQuad): string {
  const g = q.graph.termType === 'DefaultGraph' ? '' : ` ${termText(q.graph)}`;
  return `${termText(q.subject)} ${termText(q.predicate)} ${termText(q.object)}${g} .\n`;
}

/**
 * N-Quads text of `quads`, in order: the same bytes as `quadsToNQuads` of the equal n3 quads. Joined, not
 * appended: `+=` builds a rope of every piece, which a caller holding thousands of documents' text pays for in heap.
 */
export function quadsText(quads: readonly TextQuad[]): string {
  // Subjects, predicates and graphs repeat on many lines (the lift shares one record per term): written once each.
  const written = new Map<TextTerm, string>();
  const text = (t: TextTerm): string => {
    let out = written.get(t);
    if (out === undefined) written.set(t, (out = termText(t)));
    return out;
  };
  const lines: string[] = new Array<string>(quads.length);
  for (let i = 0; i < quads.length; i++) {
    const q = quads[i] as TextQuad;
    const o = q.object.termType === 'Literal' ? termText(q.object) : text(q.object);
    lines[i] = q.graph.termType === 'DefaultGraph' ? `${text(q.subject)} ${text(q.predicate)} ${o} .\n` : `${text(q.subject)} ${text(q.predicate)} ${o} ${text(q.graph)} .\n`;
  }
  return lines.join('');
}

/** The plain record of an RDF/JS term (n3's or any other library's). */
export function textTermOf(t: { readonly termType: string; readonly value: string; readonly language?: string; readonly datatype?: { readonly value: string } }): TextTerm {
  switch (t.termType) {
    case 'NamedNode':
      return namedTerm(t.value);
    case 'BlankNode':
      return blankTerm(t.value);
    case 'Literal':
      return literalTerm(t.value, t.datatype?.value, t.language);
    case 'DefaultGraph':
      return DEFAULT_GRAPH;
    default:
      throw new TypeError(`a ${t.termType} term has no plain form`);
  }
}

/** The plain record of an RDF/JS quad. */
export function textQuadOf(q: { readonly subject: Parameters<typeof textTermOf>[0]; readonly predicate: Parameters<typeof textTermOf>[0]; readonly object: Parameters<typeof textTermOf>[0]; readonly graph: Parameters<typeof textTermOf>[0] }): TextQuad {
  return { subject: textTermOf(q.subject), predicate: textTermOf(q.predicate), object: textTermOf(q.object), graph: textTermOf(q.graph) };
}
