// Frames constructed build-TRO quads into populace's JSON tree (pe-data §2.3): one @graph node, lists ordered by the request.
import type { Literal, Quad, Term } from '@rdfjs/types';
import type { Store } from 'n3';
import { PeTraceError } from '../errors.js';
import { compareCodePoints } from '../json/canonical.js';
import { JsonNumber, type JsonObject, type JsonValue, newJsonObject } from '../json/value.js';
import { termKey } from '../rdf/sparql.js';
import { BREQ, CONSTRUCT_BASE, RDF, TROV, XSD, buildContext } from './vocab.js';

/** How a property is written under a node of a given type. Unlisted properties hold one literal. */
type Placement = 'embed' | 'embed-list' | 'ref' | 'literal-set' | 'nullable';

/**
 * populace's layout, keyed by the subject's (trov/schema) type: the trs inline under `trov:wasAssembledBy` but a
 * reference under `trov:wasConductedBy`, `trov:hasArrangement` a list of one, `trov:hasPerformance` an object, and
 * multi-valued pop: literals (gate names, restriction bases) as sorted arrays.
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
  'trov:ArtifactLocation': { 'trov:hasArtifact': 'ref', 'pop:restrictionBasis': 'literal-set' },
  'trov:TransparentResearchPerformance': { 'trov:wasConductedBy': 'ref', 'trov:accessedArrangement': 'ref', 'pop:gateNames': 'literal-set' },
};

const RDF_TYPE = `${RDF}type`;
const TRO_CLASS = `${TROV}TransparentResearchObject`;

export interface FramedBuildTro {
  /** `{"@context": [...], "@graph": [troNode]}`, ready for the canonical writer. */
  readonly document: JsonObject;
  /** The constructed graph: what the document means as RDF (ids under the construct base). */
  readonly graph: readonly Quad[];
}

/**
 * Builds the JSON tree from the quads construct-build-tro.rq returned, ordering artifacts and locations by the
 * request's `breq:order`. Every quad must land in the tree: one the layout cannot place is a bug in the query or
 * the layout, reported as INTERNAL rather than dropped.
 */
export function frameBuildTro(quads: readonly Quad[], request: Store, popNamespace: string): FramedBuildTro {
  const graph = [...quads];
  if (graph.some((q) => q.predicate.value.startsWith(BREQ) || q.object.value.startsWith(BREQ))) fail('request facts leaked into the constructed graph');
  const order = new Map<string, number>();
  for (const q of request.getQuads(null, `${BREQ}order`, null, null)) order.set(termKey(q.subject), Number(q.object.value));
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
  const context = buildContext(popNamespace);
  const framer = new Framer(bySubject, order, context);
  const troNode = framer.node(root.subject);
  if (framer.consumed !== graph.length) fail(`${graph.length - framer.consumed} constructed quads have no place in the build TRO layout`);
  const ctx = newJsonObject();
  for (const [prefix, iri] of Object.entries(context)) ctx[prefix] = iri;
  const document = newJsonObject();
  document['@context'] = [ctx];
  document['@graph'] = [troNode];
  return { document, graph };
}

class Framer {
  consumed = 0;
  constructor(
    private readonly bySubject: ReadonlyMap<string, readonly Quad[]>,
    private readonly order: ReadonlyMap<string, number>,
    private readonly context: Readonly<Record<string, string>>,
  ) {}

  node(subject: Term): JsonObject {
    const out = newJsonObject();
    if (subject.termType === 'NamedNode') out['@id'] = relativeId(subject.value);
    const subjectId = termKey(subject);
    const quads = this.bySubject.get(subjectId) ?? [];
    const types = quads.filter((q) => q.predicate.value === RDF_TYPE).map((q) => this.compact(q.object.value));
    if (types.length === 0) fail(`node ${subjectId} has no rdf:type`);
    types.sort(compareCodePoints);
    out['@type'] = types.length === 1 ? (types[0] ?? '') : types;
    this.consumed += types.length;
    const layout = types.map((t) => LAYOUT[t]).find((l) => l !== undefined) ?? {};

    const byProperty = new Map<string, Quad[]>();
    for (const q of quads) {
      if (q.predicate.value === RDF_TYPE) continue;
      const key = this.compact(q.predicate.value);
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
        return this.ordered(objects, `${property} of ${subjectId}`).map((o) => this.node(o));
      case 'literal-set':
        return objects.map(literalValue).sort((a, b) => compareCodePoints(String(a), String(b)));
      case 'nullable':
      case undefined:
        return literalValue(single(subjectId, property, objects));
    }
  }

  private ordered(objects: readonly Term[], what: string): Term[] {
    if (objects.length === 1) return [...objects];
    const ranked = objects.map((o) => {
      const r = this.order.get(termKey(o));
      if (r === undefined) fail(`${what}: ${termKey(o)} has no order in the request`);
      return { o, r };
    });
    return ranked.sort((a, b) => a.r - b.r).map((x) => x.o);
  }

  /** A predicate or class IRI as a CURIE of the build context; an IRI outside it cannot be written. */
  private compact(iri: string): string {
    for (const [prefix, ns] of Object.entries(this.context)) {
      if (iri.startsWith(ns) && iri.length > ns.length) return `${prefix}:${iri.slice(ns.length)}`;
    }
    return fail(`IRI ${iri} is outside the build TRO context`);
  }
}

function single(subjectId: string, property: string, objects: readonly Term[]): Term {
  const first = objects[0];
  if (first === undefined || objects.length > 1) fail(`${property} of ${subjectId} must have one value, has ${objects.length}`);
  return first;
}

function literalValue(term: Term): JsonValue {
  if (term.termType !== 'Literal') fail(`expected a literal, got ${termKey(term)}`);
  const lit = term as Literal;
  switch (lit.datatype.value) {
    case `${XSD}string`:
      return lit.value;
    case `${XSD}integer`:
      return JsonNumber.ofInt(BigInt(lit.value));
    case `${XSD}boolean`:
      return lit.value === 'true' || lit.value === '1';
    default:
      return fail(`literal ${termKey(term)} has a datatype the build TRO layout does not write`);
  }
}

/** `https://pe-trace.invalid/emitted/composition/1` → `composition/1`; other IRIs stay absolute. */
function relativeId(iri: string): string {
  return iri.startsWith(CONSTRUCT_BASE) ? iri.slice(CONSTRUCT_BASE.length) : iri;
}

function fail(message: string): never {
  throw new PeTraceError('INTERNAL', `framing the build TRO: ${message}`);
}
