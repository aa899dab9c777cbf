// A deterministic pretty Turtle writer for vocabularies: ontology header first, then classes, properties and other nodes, each sorted.
import type { Quad, Term } from 'n3';
import { compareCodePoints as compare } from '../json/canonical.js';
import { OWL_NS, RDFS_NS, RDF_NS, XSD_NS } from './namespaces.js';

const RDF_TYPE = `${RDF_NS}type`;

/** Predicates written first, in this order; the rest follow sorted by IRI. */
const PREDICATE_ORDER: readonly string[] = [
  RDF_TYPE,
  `${RDFS_NS}subClassOf`,
  `${RDFS_NS}subPropertyOf`,
  `${RDFS_NS}label`,
  'http://purl.org/dc/terms/title',
  `${RDFS_NS}comment`,
  'http://purl.org/dc/terms/description',
  `${RDFS_NS}domain`,
  'https://schema.org/domainIncludes',
  `${RDFS_NS}range`,
  `${OWL_NS}equivalentProperty`,
  `${OWL_NS}equivalentClass`,
];

/** The order of node kinds in the file, by rdf:type. */
function rank(types: readonly string[]): number {
  if (types.includes(`${OWL_NS}Ontology`)) return 0;
  if (types.some((t) => t === `${OWL_NS}Class` || t === `${RDFS_NS}Class`)) return 1;
  if (types.some((t) => t === `${RDF_NS}Property` || t.startsWith(OWL_NS) && t.endsWith('Property'))) return 2;
  return 3;
}

export interface TurtleOptions {
  readonly prefixes: Readonly<Record<string, string>>;
  /** Comment lines written at the top (without the leading `# `). */
  readonly header?: readonly string[];
}

/**
 * Writes quads (graph names ignored) as Turtle. Only prefixes some term uses are declared. The output depends
 * on the set of triples only (not their order); blank node labels are written as given, so callers relabel
 * them canonically first (see `canonicalQuads`) when they need byte-stable output.
 */
export function writeTurtle(quads: readonly Quad[], options: TurtleOptions): string {
  const prefixes = Object.entries(options.prefixes);
  const used = new Set<string>();
  const term = (t: Term, predicatePosition = false): string => {
    if (predicatePosition && t.value === RDF_TYPE) return 'a';
    if (t.termType === 'BlankNode') return `_:${t.value}`;
    if (t.termType === 'Literal') return literal(t.value, t.language, t.datatype.value);
    return iri(t.value);
  };
  const iri = (value: string): string => {
    let best: [string, string] | undefined;
    for (const [p, ns] of prefixes) {
      const local = value.slice(ns.length);
      if (value.startsWith(ns) && isPlainLocal(local) && (best === undefined || ns.length > best[1].length)) best = [p, ns];
    }
    if (best === undefined) return `<${escapeIri(value)}>`;
    used.add(best[0]);
    return `${best[0]}:${value.slice(best[1].length)}`;
  };
  const literal = (value: string, language: string, datatype: string): string => {
    // Multi-line text (descriptions) stays readable as a long string.
    const body = value.includes('\n') ? `"""${escapeString(value, true)}"""` : `"${escapeString(value, false)}"`;
    if (language !== '') return `${body}@${language}`;
    if (datatype === `${XSD_NS}string`) return body;
    return `${body}^^${iri(datatype)}`;
  };

  const bySubject = new Map<string, { subject: Term; quads: Quad[] }>();
  for (const q of quads) {
    const key = `${q.subject.termType}:${q.subject.value}`;
    const entry = bySubject.get(key);
    if (entry === undefined) bySubject.set(key, { subject: q.subject, quads: [q] });
    else entry.quads.push(q);
  }
  const blocks = [...bySubject.values()].map(({ subject, quads: qs }) => {
    const types = qs.filter((q) => q.predicate.value === RDF_TYPE).map((q) => q.object.value);
    return { subject, quads: qs, rank: rank(types) + (subject.termType === 'BlankNode' ? 10 : 0), name: term(subject) };
  });
  blocks.sort((a, b) => a.rank - b.rank || compare(a.name, b.name));

  const body: string[] = [];
  for (const block of blocks) {
    const byPredicate = new Map<string, string[]>();
    for (const q of block.quads) {
      const list = byPredicate.get(q.predicate.value);
      const rendered = term(q.object);
      if (list === undefined) byPredicate.set(q.predicate.value, [rendered]);
      else if (!list.includes(rendered)) list.push(rendered);
    }
    const predicates = [...byPredicate.keys()].sort((a, b) => {
      const ia = PREDICATE_ORDER.indexOf(a);
      const ib = PREDICATE_ORDER.indexOf(b);
      if (ia !== ib) return (ia === -1 ? PREDICATE_ORDER.length : ia) - (ib === -1 ? PREDICATE_ORDER.length : ib);
      return compare(a, b);
    });
    const lines = predicates.map((p) => {
      const objects = (byPredicate.get(p) ?? []).sort(compare);
      return `  ${term({ termType: 'NamedNode', value: p } as Term, true)} ${objects.join(', ')}`;
    });
    body.push(`${block.name}\n${lines.join(' ;\n')} .`);
  }
  const head = (options.header ?? []).map((l) => (l === '' ? '#' : `# ${l}`));
  const prefixLines = prefixes.filter(([p]) => used.has(p)).map(([p, ns]) => `@prefix ${p}: <${escapeIri(ns)}> .`);
  return `${[...head, ...(head.length > 0 ? [''] : []), ...prefixLines, '', body.join('\n\n')].join('\n')}\n`;
}

/** A local name we can write after `prefix:` without escapes (a conservative subset of PN_LOCAL). */
function isPlainLocal(local: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/.test(local);
}

function escapeString(s: string, long: boolean): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += long ? '\n' : '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

function escapeIri(s: string): string {
  return s.replace(/[\u0000-\u0020<>"{}|^`\\]/g, (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
}
