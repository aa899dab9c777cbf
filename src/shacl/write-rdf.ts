// Writes SHACL reports as W3C validation reports: RDF quads, Turtle, and JSON-LD (one sh:ValidationReport per document).
import type { Term } from '@rdfjs/types';
import { DataFactory, Writer } from 'n3';
import type { Quad as N3Quad } from 'n3';
import { DISPLAY_PREFIXES, PTC, RDF_FIRST, RDF_NIL, RDF_REST, RDF_TYPE, SH, XSD } from './namespaces.js';
import type { ShaclPath, ShaclReport } from './report.js';

const { namedNode, blankNode, literal, quad } = DataFactory;

/** A report to write, with the document it is about (both optional: a bare ShaclReport writes fine). */
export interface NamedReport extends ShaclReport {
  /** How the document was named on the command line (ptc:document). */
  readonly file?: string;
  /** The graph the document's triples were validated in (ptc:dataGraph). */
  readonly graph?: string;
}

/** The display prefixes a report declares, in this order (the order is the order of the Turtle `@prefix` lines). */
const REPORT_PREFIX_NAMES = ['sh', 'xsd', 'rdf', 'rdfs', 'schema', 'trov', 'pe', 'ptc', 'trovsh', 'pesh', 'trov05sh', 'pexsh', 'bundlesh', 'runsh', 'buildsh'] as const;
const REPORT_PREFIXES: Readonly<Record<string, string>> = Object.fromEntries(REPORT_PREFIX_NAMES.map((name) => [name, DISPLAY_PREFIXES[name] ?? '']));

/**
 * The reports as RDF. Blank nodes are labelled by position (`report0`, `report0_result3`, `report0_result3_path1`)
 * so the same reports always give the same quads.
 */
export function reportQuads(reports: readonly NamedReport[]): N3Quad[] {
  const out: N3Quad[] = [];
  const add = (s: Term, p: string, o: Term): void => {
    out.push(quad(s as N3Quad['subject'], namedNode(p), o as N3Quad['object']));
  };
  reports.forEach((report, i) => {
    const node = blankNode(`report${i}`);
    add(node, RDF_TYPE, namedNode(`${SH}ValidationReport`));
    add(node, `${SH}conforms`, literal(String(report.conforms), namedNode(`${XSD}boolean`)));
    if (report.file !== undefined) add(node, `${PTC}document`, literal(report.file));
    if (report.graph !== undefined) add(node, `${PTC}dataGraph`, namedNode(report.graph));
    report.results.forEach((r, j) => {
      const rn = blankNode(`report${i}_result${j}`);
      add(node, `${SH}result`, rn);
      add(rn, RDF_TYPE, namedNode(`${SH}ValidationResult`));
      add(rn, `${SH}focusNode`, r.focusNode);
      if (r.resultPath !== undefined) {
        let n = 0;
        const fresh = (): Term => blankNode(`report${i}_result${j}_path${n++}`);
        add(rn, `${SH}resultPath`, pathTerm(r.resultPath, fresh, add));
      }
      if (r.value !== undefined) add(rn, `${SH}value`, r.value);
      add(rn, `${SH}resultSeverity`, namedNode(`${SH}${r.severity}`));
      add(rn, `${SH}sourceConstraintComponent`, namedNode(r.sourceConstraintComponent));
      if (r.sourceShape !== undefined) add(rn, `${SH}sourceShape`, r.sourceShape);
      for (const m of r.messages) add(rn, `${SH}resultMessage`, literal(m));
    });
  });
  return out;
}

/** A SHACL path as RDF: an IRI, an RDF list (sequence) or a blank node with sh:alternativePath / sh:inversePath / …. */
function pathTerm(path: ShaclPath, fresh: () => Term, add: (s: Term, p: string, o: Term) => void): Term {
  const list = (items: readonly ShaclPath[]): Term => {
    const heads = items.map(() => fresh());
    items.forEach((item, k) => {
      const head = heads[k] as Term;
      add(head, RDF_FIRST, pathTerm(item, fresh, add));
      add(head, RDF_REST, heads[k + 1] ?? namedNode(RDF_NIL));
    });
    return heads[0] ?? namedNode(RDF_NIL);
  };
  switch (path.kind) {
    case 'predicate':
      return namedNode(path.iri);
    case 'sequence':
      return list(path.items);
    case 'alternative': {
      const node = fresh();
      add(node, `${SH}alternativePath`, list(path.items));
      return node;
    }
    default: {
      const node = fresh();
      add(node, `${SH}${path.kind === 'inverse' ? 'inversePath' : `${path.kind}Path`}`, pathTerm(path.path, fresh, add));
      return node;
    }
  }
}

/** The reports as Turtle (deterministic: quads in report order, fixed prefixes). */
export function reportTurtle(reports: readonly NamedReport[]): string {
  const writer = new Writer({ prefixes: REPORT_PREFIXES });
  writer.addQuads(reportQuads(reports));
  let text = '';
  writer.end((error, result) => {
    if (error) throw error;
    text = result;
  });
  return text;
}

type JsonLdNode = { [key: string]: JsonLdValue };
type JsonLdValue = string | boolean | JsonLdNode | JsonLdValue[];

/**
 * The reports as JSON-LD: one node object per report in `@graph`, results nested, paths as `@list`s. Written by
 * hand rather than by jsonld.js's fromRDF, so key order and nesting are fixed; it converts to the same RDF as
 * `reportQuads` (tested).
 */
export function reportJsonLd(reports: readonly NamedReport[]): JsonLdNode {
  const ref = (t: Term): JsonLdNode => {
    if (t.termType === 'Literal') {
      if (t.language) return { '@value': t.value, '@language': t.language };
      return t.datatype.value === `${XSD}string` ? { '@value': t.value } : { '@value': t.value, '@type': t.datatype.value };
    }
    return { '@id': t.termType === 'BlankNode' ? `_:${t.value}` : t.value };
  };
  const path = (p: ShaclPath): JsonLdNode => {
    switch (p.kind) {
      case 'predicate':
        return { '@id': p.iri };
      case 'sequence':
        return { '@list': p.items.map(path) };
      case 'alternative':
        return { 'sh:alternativePath': { '@list': p.items.map(path) } };
      case 'inverse':
        return { 'sh:inversePath': path(p.path) };
      default:
        return { [`sh:${p.kind}Path`]: path(p.path) };
    }
  };
  const graph = reports.map((report): JsonLdNode => {
    const node: JsonLdNode = { '@type': 'sh:ValidationReport', 'sh:conforms': report.conforms };
    if (report.file !== undefined) node['ptc:document'] = report.file;
    if (report.graph !== undefined) node['ptc:dataGraph'] = { '@id': report.graph };
    node['sh:result'] = report.results.map((r): JsonLdNode => {
      const out: JsonLdNode = { '@type': 'sh:ValidationResult', 'sh:focusNode': ref(r.focusNode) };
      if (r.resultPath !== undefined) out['sh:resultPath'] = path(r.resultPath);
      if (r.value !== undefined) out['sh:value'] = ref(r.value);
      out['sh:resultSeverity'] = { '@id': `sh:${r.severity}` };
      out['sh:sourceConstraintComponent'] = { '@id': r.sourceConstraintComponent };
      if (r.sourceShape !== undefined) out['sh:sourceShape'] = ref(r.sourceShape);
      out['sh:resultMessage'] = [...r.messages];
      return out;
    });
    return node;
  });
  return { '@context': { sh: SH, xsd: XSD, ptc: PTC }, '@graph': graph };
}
