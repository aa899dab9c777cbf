// Namespace IRIs of the vocabularies pe-trace defines or maps (pe:, pop:, the term-map vocabulary) and the standard ones it writes.
import { PE_NS, POP_NAMESPACES, TROV_01_NS, TROV_2023_05_NS } from '../tro/scan.js';

export { PE_NS, TROV_01_NS, TROV_2023_05_NS };

export const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
export const RDFS_NS = 'http://www.w3.org/2000/01/rdf-schema#';
export const OWL_NS = 'http://www.w3.org/2002/07/owl#';
export const XSD_NS = 'http://www.w3.org/2001/XMLSchema#';
export const SCHEMA_NS = 'https://schema.org/';
export const DCTERMS_NS = 'http://purl.org/dc/terms/';
export const VANN_NS = 'http://purl.org/vocab/vann/';
/** The W3C vocabulary-status namespace (`vs:term_status`). */
export const VS_NS = 'http://www.w3.org/2003/06/sw-vocab-status/ns#';
export const SH_NS = 'http://www.w3.org/ns/shacl#';

/** Populace's namespace, the one in the shipped TRO: pop: terms are defined here. */
export const POP_NS = POP_NAMESPACES[0] ?? 'https://populace.dev/trace/0.1#';
/** The namespace Microcosm's code writes since the rename: an alias of POP_NS, term for term. */
export const MICROCOSM_NS = POP_NAMESPACES[1] ?? 'https://microcosm.institute/trace/0.1#';

/** The small vocabulary term-map.ttl is written in (ptm:): mappings, changes, conditions. */
export const PTM_NS = 'https://policyengine.org/trace/term-map/0.1#';
/** Where the individual mappings of term-map.ttl are named (`map:v01-sha256`, …). */
export const PTM_MAPPING_NS = 'https://policyengine.org/trace/term-map/0.1/mapping#';

/** The prefixes our vocabulary files and exports use, in the order they are written. */
export const VOCAB_PREFIXES: Readonly<Record<string, string>> = {
  pe: PE_NS,
  pop: POP_NS,
  mic: MICROCOSM_NS,
  trov: TROV_01_NS,
  trov2305: TROV_2023_05_NS,
  ptm: PTM_NS,
  map: PTM_MAPPING_NS,
  schema: SCHEMA_NS,
  rdf: RDF_NS,
  rdfs: RDFS_NS,
  owl: OWL_NS,
  xsd: XSD_NS,
  dcterms: DCTERMS_NS,
  vann: VANN_NS,
  vs: VS_NS,
  sh: SH_NS,
};

/** `https://w3id.org/trace/trov/0.1#hash` → `trov:hash` with VOCAB_PREFIXES (longest namespace wins), else `<iri>`. */
export function compactIri(iri: string, prefixes: Readonly<Record<string, string>> = VOCAB_PREFIXES): string {
  let best: [string, string] | undefined;
  for (const [p, ns] of Object.entries(prefixes)) {
    if (iri.startsWith(ns) && iri.length > ns.length && /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(iri.slice(ns.length))) {
      if (best === undefined || ns.length > best[1].length) best = [p, ns];
    }
  }
  return best === undefined ? `<${iri}>` : `${best[0]}:${iri.slice(best[1].length)}`;
}

/** The namespace part of an IRI (up to and including the last `#` or `/`). */
export function namespaceOf(iri: string): string {
  const cut = Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/'));
  return iri.slice(0, cut + 1);
}

/** The local name of an IRI (after the last `#` or `/`). */
export function localNameOf(iri: string): string {
  const cut = Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/'));
  return iri.slice(cut + 1);
}
