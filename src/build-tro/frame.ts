// Frames constructed build-TRO quads into populace's JSON tree (pe-data §2.3): one @graph node, lists ordered by the request.
import type { Quad } from '@rdfjs/types';
import type { Store } from 'n3';
import { PeTraceError } from '../errors.js';
import { type FrameLayout, frameTree, trovLayout } from '../rdf/frame-tree.js';
import { termKey } from '../rdf/sparql.js';
import type { JsonObject } from '../json/value.js';
import { BREQ, CONSTRUCT_BASE, TROV, buildContext } from './vocab.js';

/** populace's additions to the TROv tree: multi-valued pop: literals (restriction bases, gate names) as sorted arrays. */
const LAYOUT: FrameLayout = trovLayout({
  'trov:ArtifactLocation': { 'pop:restrictionBasis': 'literal-set' },
  'trov:TransparentResearchPerformance': { 'pop:gateNames': 'literal-set' },
});

export interface FramedBuildTro {
  /** `{"@context": [...], "@graph": [troNode]}`, ready for the canonical writer. */
  readonly document: JsonObject;
  /** The constructed graph: what the document means as RDF (ids under the construct base). */
  readonly graph: readonly Quad[];
}

/**
 * Builds the JSON tree from the quads construct-build-tro.rq returned, ordering artifacts and locations by the
 * request's `breq:order`. A node may carry several types (e.g. an artifact that is also a `pop:RestrictedInput`).
 */
export function frameBuildTro(quads: readonly Quad[], request: Store, popNamespace: string): FramedBuildTro {
  if (quads.some((q) => q.predicate.value.startsWith(BREQ) || q.object.value.startsWith(BREQ))) {
    throw new PeTraceError('INTERNAL', 'framing the build TRO: request facts leaked into the constructed graph');
  }
  const order = new Map<string, number>();
  for (const q of request.getQuads(null, `${BREQ}order`, null, null)) order.set(termKey(q.subject), Number(q.object.value));
  return frameTree(quads, {
    layout: LAYOUT,
    context: buildContext(popNamespace),
    constructBase: CONSTRUCT_BASE,
    rootClass: `${TROV}TransparentResearchObject`,
    multipleTypes: true,
    doubles: false,
    names: { tro: 'build TRO', layout: 'build TRO layout', context: 'build TRO context' },
    rankNode: (node) => order.get(termKey(node)),
    unranked: (what, key) => `${what}: ${key} has no order in the request`,
  });
}
