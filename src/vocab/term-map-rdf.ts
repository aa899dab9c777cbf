// Converts the term registry to and from its RDF form (the ptm: mapping vocabulary of vocab/term-map.ttl).
import { DataFactory, type Quad } from 'n3';
import { PeTraceError } from '../errors.js';
import type { DialectId } from '../tro/model.js';
import { PTM_MAPPING_NS, PTM_NS, RDFS_NS, RDF_NS, VOCAB_PREFIXES } from './namespaces.js';
import type { ConversionRule, NamespaceMapping, TermChange, TermKind, TermMap, TermMapping, TrovSource } from './term-registry.js';
import { writeTurtle } from './turtle-writer.js';

const { namedNode, literal, quad } = DataFactory;

const RDF_TYPE = `${RDF_NS}type`;
const RDFS_COMMENT = `${RDFS_NS}comment`;
const P = (local: string): string => PTM_NS + local;

/** The change kinds as individuals of ptm:Change. */
export const CHANGE_IRIS: Readonly<Record<TermChange, string>> = {
  unchanged: P('Unchanged'),
  'namespace-moved': P('NamespaceMoved'),
  renamed: P('Renamed'),
  restructured: P('Restructured'),
  generalised: P('Generalised'),
  dropped: P('Dropped'),
  'kept-as-extension': P('KeptAsExtension'),
};

const KIND_IRIS: Readonly<Record<TermKind, string>> = { class: `${RDFS_NS}Class`, property: `${RDF_NS}Property` };

/** The mappings of a term map as quads (default graph); the ptm: vocabulary itself is written in term-map.ttl. */
export function termMapQuads(map: TermMap): Quad[] {
  const out: Quad[] = [];
  const add = (s: string, p: string, o: string, isLiteral = false): void => {
    out.push(quad(namedNode(s), namedNode(p), isLiteral ? literal(o) : namedNode(o)));
  };
  for (const t of map.terms) {
    const s = PTM_MAPPING_NS + t.id;
    add(s, RDF_TYPE, P('TermMapping'));
    add(s, P('fromTerm'), t.from);
    for (const to of t.to) add(s, P('toTerm'), to);
    add(s, P('change'), CHANGE_IRIS[t.change]);
    add(s, P('termKind'), KIND_IRIS[t.kind]);
    for (const d of t.dialects) add(s, P('dialect'), d, true);
    if (t.subjectClass !== undefined) add(s, P('subjectClass'), t.subjectClass);
    for (const src of t.definedBy ?? []) add(s, P('definedBy'), src, true);
    if (t.note !== undefined) add(s, RDFS_COMMENT, t.note, true);
  }
  for (const n of map.namespaces) {
    const s = PTM_MAPPING_NS + n.id;
    add(s, RDF_TYPE, P('NamespaceMapping'));
    add(s, P('fromNamespace'), n.from);
    if (n.to !== undefined) add(s, P('toNamespace'), n.to);
    add(s, P('change'), CHANGE_IRIS[n.change]);
    for (const d of n.dialects) add(s, P('dialect'), d, true);
    add(s, RDFS_COMMENT, n.note, true);
  }
  for (const r of map.rules) {
    const s = PTM_MAPPING_NS + r.id;
    add(s, RDF_TYPE, P('ConversionRule'));
    add(s, RDFS_COMMENT, r.note, true);
  }
  return out;
}

/** Reads the mappings back from quads (e.g. a parsed term-map.ttl); lists are sorted so two readings compare equal. */
export function termMapFromQuads(quads: readonly Quad[]): TermMap {
  const bySubject = new Map<string, Map<string, string[]>>();
  for (const q of quads) {
    if (q.subject.termType !== 'NamedNode' || !q.subject.value.startsWith(PTM_MAPPING_NS)) continue;
    let props = bySubject.get(q.subject.value);
    if (props === undefined) bySubject.set(q.subject.value, (props = new Map()));
    const list = props.get(q.predicate.value);
    if (list === undefined) props.set(q.predicate.value, [q.object.value]);
    else list.push(q.object.value);
  }
  const terms: TermMapping[] = [];
  const namespaces: NamespaceMapping[] = [];
  const rules: ConversionRule[] = [];
  for (const [s, props] of [...bySubject].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const id = s.slice(PTM_MAPPING_NS.length);
    const all = (p: string): string[] => [...(props.get(p) ?? [])].sort();
    const one = (p: string): string | undefined => {
      const v = props.get(p);
      if (v !== undefined && v.length > 1) throw new PeTraceError('ASSET_BROKEN', `term map: ${id} has ${v.length} values of ${p}`);
      return v?.[0];
    };
    const type = one(RDF_TYPE);
    const note = one(RDFS_COMMENT);
    const dialects = all(P('dialect')) as DialectId[];
    if (type === P('ConversionRule')) {
      rules.push({ id, note: required(note, id, 'rdfs:comment') });
      continue;
    }
    const change = changeOf(one(P('change')), id);
    if (type === P('TermMapping')) {
      const from = required(one(P('fromTerm')), id, 'ptm:fromTerm');
      const kindIri = one(P('termKind'));
      const kind = (Object.keys(KIND_IRIS) as TermKind[]).find((k) => KIND_IRIS[k] === kindIri);
      if (kind === undefined) throw new PeTraceError('ASSET_BROKEN', `term map: ${id} has no ptm:termKind rdfs:Class / rdf:Property`);
      const subjectClass = one(P('subjectClass'));
      const definedBy = all(P('definedBy')) as TrovSource[];
      terms.push({
        id,
        from,
        to: all(P('toTerm')),
        change,
        kind,
        dialects,
        ...(subjectClass === undefined ? {} : { subjectClass }),
        ...(definedBy.length === 0 ? {} : { definedBy }),
        ...(note === undefined ? {} : { note }),
      });
    } else if (type === P('NamespaceMapping')) {
      const to = one(P('toNamespace'));
      namespaces.push({
        id,
        from: required(one(P('fromNamespace')), id, 'ptm:fromNamespace'),
        ...(to === undefined ? {} : { to }),
        change,
        dialects,
        note: required(note, id, 'rdfs:comment'),
      });
    } else {
      throw new PeTraceError('ASSET_BROKEN', `term map: ${id} has no known rdf:type (got ${type ?? 'none'})`);
    }
  }
  return { terms, namespaces, rules };
}

/** A term map with every list sorted and entries ordered by id, for comparing two sources. */
export function normaliseTermMap(map: TermMap): TermMap {
  const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    terms: map.terms
      .map((t) => ({
        ...t,
        to: [...t.to].sort(),
        dialects: [...t.dialects].sort(),
        ...(t.definedBy === undefined ? {} : { definedBy: [...t.definedBy].sort() }),
      }))
      .sort(byId),
    namespaces: map.namespaces.map((n) => ({ ...n, dialects: [...n.dialects].sort() })).sort(byId),
    rules: [...map.rules].sort(byId),
  };
}

function changeOf(iri: string | undefined, id: string): TermChange {
  const change = (Object.keys(CHANGE_IRIS) as TermChange[]).find((c) => CHANGE_IRIS[c] === iri);
  if (change === undefined) throw new PeTraceError('ASSET_BROKEN', `term map: ${id} has no known ptm:change (got ${iri ?? 'none'})`);
  return change;
}

function required(v: string | undefined, id: string, what: string): string {
  if (v === undefined) throw new PeTraceError('ASSET_BROKEN', `term map: ${id} lacks ${what}`);
  return v;
}

/** The comment at the top of vocab/term-map.ttl. */
export const TERM_MAP_HEADER: readonly string[] = [
  'The dialect term map: each spelling pe-trace reads (pe-0.1, pe-0.1-hash, trov-2023-05, trov-0.1) and the TROv 0.1 term it becomes, in the ptm: mapping vocabulary defined here.',
  '',
  'The mappings (map:) say exactly what TERM_MAP in src/vocab/term-registry.ts says, and this file is exactly what',
  'termMapTurtle() writes from it (test/unit/vocab/term-map.test.ts checks both). To change a mapping, edit TERM_MAP and',
  'rewrite this file with termMapTurtle(); to change the ptm: vocabulary or the header, edit the statements here.',
];

/**
 * vocab/term-map.ttl as pe-trace writes it: the file's own statements about the ptm: vocabulary and the ontology
 * (`vocabularyQuads`: every statement not about a map: mapping) plus the mappings of `map`.
 */
export function termMapTurtle(vocabularyQuads: readonly Quad[], map: TermMap): string {
  const own = vocabularyQuads.filter((q) => !q.subject.value.startsWith(PTM_MAPPING_NS));
  return writeTurtle([...own, ...termMapQuads(map)], { prefixes: VOCAB_PREFIXES, header: TERM_MAP_HEADER });
}
