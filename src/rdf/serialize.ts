// Writes quads as N-Quads, TriG, Turtle or N-Triples (one graph) with n3's Writer, or as expanded JSON-LD.
import { type Quad, type Term, Writer } from 'n3';
import { PeTraceError } from '../errors.js';

/** N-Quads, one quad per line in the order given. The format must be named: n3's Writer defaults to Turtle shorthand. */
export function toNQuads(quads: Iterable<Quad>): string {
  return new Writer({ format: 'N-Quads' }).quadsToString([...quads]);
}

/** The distinct graph names of the quads (`''` for the default graph), in order of first appearance. */
export function graphNames(quads: Iterable<Quad>): string[] {
  return [...new Set([...quads].map((q) => (q.graph.termType === 'DefaultGraph' ? '' : q.graph.value)))];
}

/** Refuses quads from several graphs for a format that has no graphs: their names would be lost and their triples merged. */
function singleGraph(list: readonly Quad[], format: string): void {
  const graphs = graphNames(list);
  if (graphs.length > 1) {
    throw new PeTraceError('USAGE', `${format} holds one graph, and these quads are in ${graphs.length} (one per document): use trig, nquads or jsonld, or convert one document at a time`);
  }
}

function write(list: readonly Quad[], format: string, prefixes: Readonly<Record<string, string>>, withGraphs: boolean): string {
  const writer = new Writer({ format, prefixes: { ...prefixes } });
  for (const q of list) {
    if (withGraphs) writer.addQuad(q);
    else writer.addQuad(q.subject, q.predicate, q.object);
  }
  let out: string | undefined;
  let failure: unknown;
  // With no output stream n3's Writer finishes synchronously; the guard below makes that assumption explicit.
  writer.end((error, result: string) => {
    failure = error;
    out = result;
  });
  if (failure !== null && failure !== undefined) throw new PeTraceError('INTERNAL', `${format} writer failed: ${String(failure)}`);
  if (out === undefined) throw new PeTraceError('INTERNAL', `${format} writer did not finish synchronously`);
  return out;
}

/**
 * Turtle of quads in one graph (the graph name is dropped: Turtle has no graphs). Quads from several graphs are
 * refused (USAGE), never written as TriG under the Turtle name: use toTrig.
 */
export function toTurtle(quads: Iterable<Quad>, prefixes: Readonly<Record<string, string>> = {}): string {
  const list = [...quads];
  singleGraph(list, 'Turtle');
  return write(list, 'text/turtle', prefixes, false);
}

/** TriG: every quad in its named graph (default-graph triples outside any graph block). */
export function toTrig(quads: Iterable<Quad>, prefixes: Readonly<Record<string, string>> = {}): string {
  return write([...quads], 'application/trig', prefixes, true);
}

/** N-Triples of quads in one graph (the graph name dropped); several graphs are refused (USAGE) like toTurtle. */
export function toNTriples(quads: Iterable<Quad>): string {
  const list = [...quads];
  singleGraph(list, 'N-Triples');
  return write(list, 'N-Triples', {}, false);
}

type JsonLdObject = { [key: string]: string | string[] | JsonLdObject | JsonLdObject[] };

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';

function nodeId(t: Term): string {
  return t.termType === 'BlankNode' ? `_:${t.value}` : t.value;
}

function valueObject(t: Term): JsonLdObject {
  if (t.termType !== 'Literal') return { '@id': nodeId(t) };
  if (t.language !== '') return { '@value': t.value, '@language': t.language };
  return t.datatype.value === XSD_STRING ? { '@value': t.value } : { '@value': t.value, '@type': t.datatype.value };
}

/**
 * Expanded, flattened JSON-LD (the JSON-LD 1.1 RDF-to-JSON-LD shape, without native types or lists): default-graph
 * nodes at the top level, each named graph as `{"@id": graph, "@graph": [nodes]}`; nodes, properties and values in the
 * order of the quads, so the same quads always give the same bytes. Two-space indented, with a final newline.
 */
export function toJsonLd(quads: Iterable<Quad>): string {
  const graphs = new Map<string, Map<string, JsonLdObject>>();
  for (const q of quads) {
    const g = q.graph.termType === 'DefaultGraph' ? '' : nodeId(q.graph);
    let nodes = graphs.get(g);
    if (nodes === undefined) graphs.set(g, (nodes = new Map()));
    const s = nodeId(q.subject);
    let node = nodes.get(s);
    if (node === undefined) nodes.set(s, (node = { '@id': s }));
    const isType = q.predicate.value === RDF_TYPE && q.object.termType !== 'Literal';
    const key = isType ? '@type' : q.predicate.value;
    const values = (node[key] ??= []) as (JsonLdObject | string)[];
    if (isType) (values as string[]).push(nodeId(q.object));
    else (values as JsonLdObject[]).push(valueObject(q.object));
  }
  const top: JsonLdObject[] = [...(graphs.get('')?.values() ?? [])];
  for (const [g, nodes] of graphs) if (g !== '') top.push({ '@id': g, '@graph': [...nodes.values()] });
  return `${JSON.stringify(top, null, 2)}\n`;
}
