// Frames constructed TRO quads into one JSON-LD `@graph` node by a per-type layout table: shared by the pe-0.1 and build emitters.
import type { Literal, Quad, Term } from '@rdfjs/types';
import { PeTraceError } from '../errors.js';
import { compareCodePoints } from '../json/canonical.js';
import { JsonNumber, type JsonObject, type JsonValue, newJsonObject } from '../json/value.js';
import { termKey } from './sparql.js';

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const XSD = 'http://www.w3.org/2001/XMLSchema#';

/** How a property is written under a node of a given type. Unlisted properties hold one literal. */
export type Placement =
  /** The object node is written inline (its `@id` kept when it has one). */
  | 'embed'
  /** Every object node is written inline, in a list ordered by `rankNode`. */
  | 'embed-list'
  /** The object node is written as `{"@id": …}`. */
  | 'ref'
  /** Literal values in a list ordered by `rankLiteral`. */
  | 'literal-list'
  /** Literal values as an array sorted by code point (multi-valued facts with no order of their own). */
  | 'literal-set'
  /** One literal, written as `null` when absent. */
  | 'nullable';

/** Placements keyed by a subject's compact type, then by compact property. */
export type FrameLayout = Readonly<Record<string, Readonly<Record<string, Placement>>>>;

/**
 * The TROv 0.1 tree both producers write (pe-0.1 and populace alike): the trs inline under `trov:wasAssembledBy`
 * but a reference under `trov:wasConductedBy`, `trov:hasArrangement` a list, `trov:hasPerformance` an object.
 * `extra` adds a producer's own placements per type.
 */
export function trovLayout(extra: FrameLayout): FrameLayout {
  const base: FrameLayout = {
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
    'trov:TransparentResearchPerformance': { 'trov:wasConductedBy': 'ref', 'trov:accessedArrangement': 'ref' },
  };
  const merged: Record<string, Readonly<Record<string, Placement>>> = { ...base };
  for (const [type, placements] of Object.entries(extra)) merged[type] = { ...(base[type] ?? {}), ...placements };
  return merged;
}

export interface FrameTreeOptions {
  readonly layout: FrameLayout;
  /** The document's one `@context` object: prefix → namespace; every predicate and class must compact against it. */
  readonly context: Readonly<Record<string, string>>;
  /** Named nodes under this base are written with relative `@id`s. */
  readonly constructBase: string;
  /** The IRI of the one root node's class. */
  readonly rootClass: string;
  /** true: a node may have several types (sorted, an array when more than one); false: exactly one. */
  readonly multipleTypes: boolean;
  /** Whether xsd:double literals may be written (as JSON floats). */
  readonly doubles: boolean;
  /** Words for INTERNAL messages: `framing the <tro>`, `the <layout>`, `outside the <context>`. */
  readonly names: { readonly tro: string; readonly layout: string; readonly context: string };
  /** The emission rank of a list member node; undefined when it has none (then `unranked` names it). */
  readonly rankNode: (node: Term) => number | undefined;
  /** The rank of one literal value of `property` (full IRI) under `subjectId`, for 'literal-list'. */
  readonly rankLiteral?: (subjectId: string, property: string, value: Term) => number | undefined;
  /** The message for a list member without a rank, given what list it is in and its term key. */
  readonly unranked: (what: string, key: string) => string;
}

export interface FramedTree {
  /** `{"@context": [...], "@graph": [rootNode]}`, ready for the canonical writer. */
  readonly document: JsonObject;
  /** The constructed graph: what the document means as RDF. */
  readonly graph: readonly Quad[];
}

/**
 * Builds the JSON tree from constructed quads. Every quad must land in the tree: one the layout cannot place is a
 * bug in the query or the layout, reported as INTERNAL rather than silently dropped.
 */
export function frameTree(quads: readonly Quad[], options: FrameTreeOptions): FramedTree {
  const graph = [...quads];
  const fail: Fail = failer(options);
  const bySubject = new Map<string, Quad[]>();
  for (const q of graph) {
    const key = termKey(q.subject);
    const list = bySubject.get(key);
    if (list === undefined) bySubject.set(key, [q]);
    else list.push(q);
  }
  const roots = graph.filter((q) => q.predicate.value === RDF_TYPE && q.object.value === options.rootClass);
  const root = roots[0];
  if (root === undefined || roots.length > 1) fail(`expected one ${options.rootClass} node, found ${roots.length}`);
  const framer = new Framer(bySubject, options, fail);
  const rootNode = framer.node(root.subject);
  if (framer.consumed !== graph.length) fail(`${graph.length - framer.consumed} constructed quads have no place in the ${options.names.layout}`);
  const context = newJsonObject();
  for (const [prefix, iri] of Object.entries(options.context)) context[prefix] = iri;
  const document = newJsonObject();
  document['@context'] = [context];
  document['@graph'] = [rootNode];
  return { document, graph };
}

type Fail = (message: string) => never;

function failer(options: FrameTreeOptions): Fail {
  return (message) => {
    throw new PeTraceError('INTERNAL', `framing the ${options.names.tro}: ${message}`);
  };
}

class Framer {
  consumed = 0;
  constructor(
    private readonly bySubject: ReadonlyMap<string, readonly Quad[]>,
    private readonly options: FrameTreeOptions,
    private readonly fail: Fail,
  ) {}

  node(subject: Term): JsonObject {
    const out = newJsonObject();
    if (subject.termType === 'NamedNode') out['@id'] = this.relativeId(subject.value);
    const subjectId = termKey(subject);
    const quads = this.bySubject.get(subjectId) ?? [];
    const types = quads.filter((q) => q.predicate.value === RDF_TYPE).map((q) => this.compact(q.object.value));
    if (this.options.multipleTypes) {
      if (types.length === 0) this.fail(`node ${subjectId} has no rdf:type`);
    } else if (types.length !== 1) {
      this.fail(`node ${subjectId} must have exactly one rdf:type, has ${types.length}`);
    }
    types.sort(compareCodePoints);
    out['@type'] = types.length === 1 ? (types[0] ?? '') : types;
    this.consumed += types.length;
    const layout = types.map((t) => this.options.layout[t]).find((l) => l !== undefined) ?? {};

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
    const what = `${property} of ${subjectId}`;
    switch (placement) {
      case 'embed':
        return this.node(this.single(subjectId, property, objects));
      case 'ref': {
        const target = this.single(subjectId, property, objects);
        if (target.termType !== 'NamedNode') this.fail(`${property} of ${subjectId} must reference a named node`);
        const ref = newJsonObject();
        ref['@id'] = this.relativeId(target.value);
        return ref;
      }
      case 'embed-list':
        return this.sorted(objects, this.options.rankNode, what).map((o) => this.node(o));
      case 'literal-list': {
        const rankLiteral = this.options.rankLiteral ?? ((): undefined => undefined);
        const iri = this.expand(property);
        return this.sorted(objects, (o) => rankLiteral(subjectId, iri, o), what).map((o) => this.literalValue(o));
      }
      case 'literal-set':
        return objects.map((o) => this.literalValue(o)).sort((a, b) => compareCodePoints(String(a), String(b)));
      case 'nullable':
      case undefined:
        return this.literalValue(this.single(subjectId, property, objects));
    }
  }

  private sorted(objects: readonly Term[], rank: (o: Term) => number | undefined, what: string): Term[] {
    // A one-element list has nothing to order (e.g. `trov:hasArrangement`), so it needs no rank.
    if (objects.length === 1) return [...objects];
    const ranked = objects.map((o) => {
      const r = rank(o);
      if (r === undefined) this.fail(this.options.unranked(what, termKey(o)));
      return { o, r };
    });
    return ranked.sort((a, b) => a.r - b.r).map((x) => x.o);
  }

  private single(subjectId: string, property: string, objects: readonly Term[]): Term {
    const first = objects[0];
    if (first === undefined || objects.length > 1) this.fail(`${property} of ${subjectId} must have one value, has ${objects.length}`);
    return first;
  }

  /** A literal as the JSON value the producer would have written: strings, ints, (optionally) floats, booleans. */
  private literalValue(term: Term): JsonValue {
    if (term.termType !== 'Literal') this.fail(`expected a literal, got ${termKey(term)}`);
    const lit = term as Literal;
    switch (lit.datatype.value) {
      case `${XSD}string`:
        return lit.value;
      case `${XSD}integer`:
        return JsonNumber.ofInt(BigInt(lit.value));
      case `${XSD}double`:
        if (this.options.doubles) return JsonNumber.ofFloat(Number(lit.value));
        break;
      case `${XSD}boolean`:
        return lit.value === 'true' || lit.value === '1';
    }
    return this.fail(`literal ${termKey(term)} has a datatype the ${this.options.names.layout} does not write`);
  }

  /** `https://pe-trace.invalid/emitted/composition/1` → `composition/1`; other IRIs stay absolute. */
  private relativeId(iri: string): string {
    const base = this.options.constructBase;
    return iri.startsWith(base) ? iri.slice(base.length) : iri;
  }

  /** A predicate or class IRI as a CURIE of the context; an IRI outside it cannot be written. */
  private compact(iri: string): string {
    for (const [prefix, ns] of Object.entries(this.options.context)) {
      if (iri.startsWith(ns) && iri.length > ns.length) return `${prefix}:${iri.slice(ns.length)}`;
    }
    return this.fail(`IRI ${iri} is outside the ${this.options.names.context}`);
  }

  private expand(curie: string): string {
    const colon = curie.indexOf(':');
    return `${this.options.context[curie.slice(0, colon)] ?? ''}${curie.slice(colon + 1)}`;
  }
}
