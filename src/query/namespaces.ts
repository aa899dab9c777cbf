// IRIs the query area mints or reads: the ptq: link vocabulary, the special graphs, and the namespaces it normalises.
import { PE_NS, POP_NAMESPACES, TROV_01_NS, TROV_2023_05_NS } from '../tro/scan.js';

/** pe-trace's own query/link vocabulary (defined in vocab/links.ttl). */
export const PTQ_NS = 'https://w3id.org/pe-trace/query#';
const ptqTerms = new Map<string, string>();
/** A ptq: IRI; one flat string per name, so the millions of index and links triples share (and hash) it once. */
export const ptq = (local: string): string => {
  let iri = ptqTerms.get(local);
  if (iri === undefined) ptqTerms.set(local, (iri = `${PTQ_NS}${local}`));
  return iri;
};

/** Graphs the loader adds next to each document's own graph (`.invalid` can never resolve: RFC 2606). */
export const INDEX_GRAPH = 'https://pe-trace.invalid/graph/index';
export const LINKS_GRAPH = 'https://pe-trace.invalid/graph/links';
/** A document's TROv 0.1 view graph: this prefix + the sha256 of its bytes + `/`. */
export const VIEW_GRAPH_PREFIX = 'https://pe-trace.invalid/view/';
/** Derived link resources: this prefix + a content hash of what the link states. */
export const LINK_IRI_PREFIX = 'https://pe-trace.invalid/link/';

export { PE_NS, TROV_01_NS, TROV_2023_05_NS };
/** The canonical pop: namespace (the shipped populace TRO's); the microcosm.institute one is an alias of it. */
export const POP_NS = 'https://populace.dev/trace/0.1#';
export const POP_ALIASES: readonly string[] = POP_NAMESPACES;

export const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
export const XSD = 'http://www.w3.org/2001/XMLSchema#';
export const SCHEMA_NAME = ['https://schema.org/name', 'http://schema.org/name'];

export function viewGraphIri(sha256: string): string {
  return `${VIEW_GRAPH_PREFIX}${sha256}/`;
}
