// Frames constructed TRO quads into policyengine.py's pe-0.1 JSON tree (interop §2.0), lists ordered by request hints.
import type { Quad, Term } from '@rdfjs/types';
import type { Store } from 'n3';
import { PeTraceError } from '../errors.js';
import { type FrameLayout, frameTree, trovLayout } from '../rdf/frame-tree.js';
import { termKey } from '../rdf/sparql.js';
import type { JsonObject } from '../json/value.js';
import { CONSTRUCT_BASE, PE_CONTEXT, REQ, TROV } from './vocab.js';

/** pe-0.1's addition to the TROv tree: `pe:preservationDoi`, a list ordered by hint nodes (`req:hintFor`, `req:property`, `req:value`, `req:order`). */
const LAYOUT: FrameLayout = trovLayout({ 'trov:TransparentResearchPerformance': { 'pe:preservationDoi': 'literal-list' } });

const REQ_ORDER = `${REQ}order`;
const REQ_HINT_FOR = `${REQ}hintFor`;
const REQ_PROPERTY = `${REQ}property`;
const REQ_VALUE = `${REQ}value`;

export interface FramedTro {
  /** `{"@context": [...], "@graph": [troNode]}`, ready for the canonical writer. */
  readonly document: JsonObject;
  /** The constructed TRO graph: what the document means as RDF. */
  readonly graph: readonly Quad[];
}

/**
 * Builds the pe-0.1 document from the quads a construct-*-tro.rq query returned, ordering list members by the
 * hints of the emission request (`request`, see request-graph.ts). Ids under CONSTRUCT_BASE become the relative
 * strings policyengine.py writes; every node has exactly one type.
 */
export function framePeTro(quads: readonly Quad[], request: Store): FramedTro {
  if (quads.some((q) => q.predicate.value.startsWith(REQ))) fail('request facts leaked into the constructed graph');
  const order = orderHints(request.getQuads(null, null, null, null).filter((q) => q.predicate.value.startsWith(REQ)));
  return frameTree(quads, {
    layout: LAYOUT,
    context: PE_CONTEXT,
    constructBase: CONSTRUCT_BASE,
    rootClass: `${TROV}TransparentResearchObject`,
    multipleTypes: false,
    doubles: true,
    names: { tro: 'pe-0.1 TRO', layout: 'pe-0.1 layout', context: 'pe-0.1 context' },
    rankNode: (node) => order.nodes.get(termKey(node)),
    rankLiteral: (subjectId, property, value) => order.literals.get(literalKey(subjectId, property, value)),
    unranked: (what, key) => `${what}: value ${key} has no ordering hint`,
  });
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

function fail(message: string): never {
  throw new PeTraceError('INTERNAL', `framing the pe-0.1 TRO: ${message}`);
}
