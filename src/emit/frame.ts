// Frames constructed TRO quads into policyengine.py's pe-0.1 JSON tree (interop §2.0), lists ordered by request hints.
import type { Literal, Quad, Term } from '@rdfjs/types';
import type { Store } from 'n3';
import { PeTraceError } from '../errors.js';
import { termKey } from '../rdf/sparql.js';
import { JsonNumber, type JsonObject, type JsonValue, newJsonObject } from '../json/value.js';
import { CONSTRUCT_BASE, PE_CONTEXT, RDF, REQ, TROV, XSD } from './vocab.js';

/** How a property is written under a node of a given type. Unlisted properties hold one literal. */
type Placement =
  /** The object node is written inline (its `@id` kept when it has one). */
  | 'embed'
  /** Every object node is written inline, in a list ordered by `req:order` hints. */
  | 'embed-list'
  /** The object node is written as `{"@id": …}`. */
  | 'ref'
  /** Literal values in a list ordered by hint nodes (`req:hintFor`, `req:property`, `req:value`, `req:order`). */
  | 'literal-list'
  /** One literal, written as `null` when absent (only `schema:softwareVersion`). */
  | 'nullable';

/**
 * The pe-0.1 layout, keyed by the subject's compact type. It is what makes the trs node appear inline under
 * `trov:wasAssembledBy` but as a reference under `trov:wasConductedBy`, and `trov:hasArrangement` a list.
 */
const LAYOUT: Readonly<Record<string, Readonly<Record<string, Placement>>>> = {
  'trov:TransparentResearchObject': {
    'schema:creator': 'embed',
    'trov:wasAssembledBy': 'embed',
    'trov:createdWith': 'embed',
    'trov:hasComposition': 'embed',
    'trov:hasArrangement': 'embed-list',
    'trov:hasPerformance': 'embed',
  },
  'schema:SoftwareApplication': { 'schema:softwareVersion': 'nullable' },
  'trov:ArtifactComposition': { 'trov:hasFingerprint': 'embed', 'trov:hasArtifact': 'embed-list' },
  'trov:ArtifactArrangement': { 'trov:hasArtifactLocation': 'embed-list' },
  'trov:ArtifactLocation': { 'trov:hasArtifact': 'ref' },
  'trov:TransparentResearchPerformance': {
    'trov:wasConductedBy': 'ref',
    'trov:accessedArrangement': 'ref',
    'pe:preservationDoi': 'literal-list',
  },
};

const RDF_TYPE = `${RDF}type`;
const REQ_ORDER = `${REQ}order`;
const REQ_HINT_FOR = `${REQ}hintFor`;
const REQ_PROPERTY = `${REQ}property`;
const REQ_VALUE = `${REQ}value`;
const TRO_CLASS = `${TROV}TransparentResearchObject`;

export interface FramedTro {
  /** `{"@context": [...], "@graph": [troNode]}`, ready for the canonical writer. */
  readonly document: JsonObject;
  /** The constructed TRO graph: what the document means as RDF. */
  readonly graph: readonly Quad[];
}

/**
 * Builds the pe-0.1 document from the quads a construct-*-tro.rq query returned, ordering list members by the
 * hints of the emission request (`request`, see request-graph.ts). Ids under CONSTRUCT_BASE become the relative
 * strings policyengine.py writes; every quad must land in the tree (a quad the layout cannot place is a bug in
 * our query or layout, reported as INTERNAL rather than silently dropped).
 */
export function framePeTro(quads: readonly Quad[], request: Store): FramedTro {
  const graph = [...quads];
  if (graph.some((q) => q.predicate.value.startsWith(REQ))) fail('request facts leaked into the constructed graph');
  const order = orderHints(request.getQuads(null, null, null, null).filter((q) => q.predicate.value.startsWith(REQ)));
  const bySubject = new Map<string, Quad[]>();
  for (const q of graph) {
    const key = termKey(q.subject);
    const list = bySubject.get(key);
    if (list === undefined) bySubject.set(key, [q]);
    else list.push(q);
  }
  const roots = graph.filter((q) => q.predicate.value === RDF_TYPE && q.object.value === TRO_CLASS);
  const root = roots[0];
  if (root === undefined || roots.length > 1) fail(`expected one ${TRO_CLASS} node, found ${roots.length}`);

  const framer = new Framer(bySubject, order);
  const troNode = framer.node(root.subject);
  if (framer.consumed !== graph.length) fail(`${graph.length - framer.consumed} constructed quads have no place in the pe-0.1 layout`);
  const context = newJsonObject();
  for (const [prefix, iri] of Object.entries(PE_CONTEXT)) context[prefix] = iri;
  const document = newJsonObject();
  document['@context'] = [context];
  document['@graph'] = [troNode];
  return { document, graph };
}

/** Ordering hints: `node req:order n`, and hint nodes that order the literal values of one property. */
interface OrderHints {
  readonly nodes: Map<string, number>;
  readonly literals: Map<string, number>;
}

function orderHints(hints: readonly Quad[]): OrderHints {
  const bySubject = new Map<string, Map<string, Term>>();
  for (const q of hints) {
    const key = termKey(q.subject);
    let props = bySubject.get(key);
    if (props === undefined) bySubject.set(key, (props = new Map()));
    props.set(q.predicate.value, q.object);
  }
  const nodes = new Map<string, number>();
  const literals = new Map<string, number>();
  for (const [subject, props] of bySubject) {
    if (!props.has(REQ_ORDER)) continue;
    const n = Number(props.get(REQ_ORDER)?.value);
    if (!Number.isInteger(n)) fail(`ordering hint on ${subject} has no integer req:order`);
    const target = props.get(REQ_HINT_FOR);
    const property = props.get(REQ_PROPERTY);
    const value = props.get(REQ_VALUE);
    if (target === undefined) nodes.set(subject, n);
    else if (property !== undefined && value !== undefined) literals.set(literalKey(termKey(target), property.value, value), n);
    else fail(`ordering hint ${subject} lacks req:property or req:value`);
  }
  return { nodes, literals };
}

function literalKey(subject: string, property: string, value: Term): string {
  return `${subject} ${property} ${termKey(value)}`;
}

class Framer {
  consumed = 0;
  constructor(
    private readonly bySubject: ReadonlyMap<string, readonly Quad[]>,
    private readonly order: OrderHints,
  ) {}

  node(subject: Term): JsonObject {
    const out = newJsonObject();
    if (subject.termType === 'NamedNode') out['@id'] = relativeId(subject.value);
    const subjectId = termKey(subject);
    const quads = this.bySubject.get(subjectId) ?? [];
    const types = quads.filter((q) => q.predicate.value === RDF_TYPE).map((q) => compact(q.object.value));
    const type = types[0];
    if (type === undefined || types.length > 1) fail(`node ${subjectId} must have exactly one rdf:type, has ${types.length}`);
    out['@type'] = type;
    this.consumed += 1;
    const layout = LAYOUT[type] ?? {};

    const byProperty = new Map<string, Quad[]>();
    for (const q of quads) {
      if (q.predicate.value === RDF_TYPE) continue;
      const key = compact(q.predicate.value);
      const list = byProperty.get(key);
      if (list === undefined) byProperty.set(key, [q]);
      else list.push(q);
    }
    for (const [property, placement] of Object.entries(layout)) {
      if (placement === 'nullable' && !byProperty.has(property)) out[property] = null;
    }
    for (const [property, values] of byProperty) {
      out[property] = this.property(subjectId, property, layout[property], values);
      this.consumed += values.length;
    }
    return out;
  }

  private property(subjectId: string, property: string, placement: Placement | undefined, values: readonly Quad[]): JsonValue {
    const objects = values.map((q) => q.object);
    switch (placement) {
      case 'embed':
        return this.node(single(subjectId, property, objects));
      case 'ref': {
        const target = single(subjectId, property, objects);
        if (target.termType !== 'NamedNode') fail(`${property} of ${subjectId} must reference a named node`);
        const ref = newJsonObject();
        ref['@id'] = relativeId(target.value);
        return ref;
      }
      case 'embed-list':
        return this.sorted(objects, (o) => this.order.nodes.get(termKey(o)), `${property} of ${subjectId}`).map((o) => this.node(o));
      case 'literal-list':
        return this.sorted(objects, (o) => this.order.literals.get(literalKey(subjectId, expandCurie(property), o)), `${property} of ${subjectId}`).map(
          (o) => literalValue(o),
        );
      case 'nullable':
      case undefined:
        return literalValue(single(subjectId, property, objects));
    }
  }

  private sorted(objects: readonly Term[], rank: (o: Term) => number | undefined, what: string): Term[] {
    // A one-element list has nothing to order (e.g. `trov:hasArrangement`), so it needs no hint.
    if (objects.length === 1) return [...objects];
    const ranked = objects.map((o) => {
      const r = rank(o);
      if (r === undefined) fail(`${what}: value ${termKey(o)} has no ordering hint`);
      return { o, r };
    });
    return ranked.sort((a, b) => a.r - b.r).map((x) => x.o);
  }
}

function single(subjectId: string, property: string, objects: readonly Term[]): Term {
  const first = objects[0];
  if (first === undefined || objects.length > 1) fail(`${property} of ${subjectId} must have one value, has ${objects.length}`);
  return first;
}

/** A literal as the JSON value policyengine.py would have written: strings, ints, floats, booleans. */
function literalValue(term: Term): JsonValue {
  if (term.termType !== 'Literal') fail(`expected a literal, got ${termKey(term)}`);
  const lit = term as Literal;
  switch (lit.datatype.value) {
    case `${XSD}string`:
      return lit.value;
    case `${XSD}integer`:
      return JsonNumber.ofInt(BigInt(lit.value));
    case `${XSD}double`:
      return JsonNumber.ofFloat(Number(lit.value));
    case `${XSD}boolean`:
      return lit.value === 'true' || lit.value === '1';
    default:
      return fail(`literal ${termKey(term)} has a datatype the pe-0.1 layout does not write`);
  }
}

/** `https://pe-trace.invalid/emitted/composition/1` → `composition/1`; other IRIs stay absolute. */
function relativeId(iri: string): string {
  return iri.startsWith(CONSTRUCT_BASE) ? iri.slice(CONSTRUCT_BASE.length) : iri;
}

/** A predicate or class IRI as a CURIE of the pe-0.1 context; an IRI outside it cannot be written. */
function compact(iri: string): string {
  for (const [prefix, ns] of Object.entries(PE_CONTEXT)) {
    if (iri.startsWith(ns) && iri.length > ns.length) return `${prefix}:${iri.slice(ns.length)}`;
  }
  return fail(`IRI ${iri} is outside the pe-0.1 context`);
}

function expandCurie(curie: string): string {
  const colon = curie.indexOf(':');
  return `${PE_CONTEXT[curie.slice(0, colon)] ?? ''}${curie.slice(colon + 1)}`;
}

function fail(message: string): never {
  throw new PeTraceError('INTERNAL', `framing the pe-0.1 TRO: ${message}`);
}
