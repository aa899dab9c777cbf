// IRIs the SHACL area uses: the W3C vocabularies, TROv, and pe-trace's own constraint components (ptc:).
import type { Term } from '@rdfjs/types';

export const SH = 'http://www.w3.org/ns/shacl#';
export const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
export const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
export const XSD = 'http://www.w3.org/2001/XMLSchema#';

export const RDF_TYPE = `${RDF}type`;
export const RDF_FIRST = `${RDF}first`;
export const RDF_REST = `${RDF}rest`;
export const RDF_NIL = `${RDF}nil`;
export const RDF_LANG_STRING = `${RDF}langString`;
export const RDFS_SUBCLASS_OF = `${RDFS}subClassOf`;

/**
 * pe-trace's constraint components for the checks done in code (fingerprint, references, locations, warrant
 * chain). A neutral IRI: not under TROv's namespace (w3id.org/trace/…) nor PolicyEngine's, so the shapes and
 * reports can be proposed upstream unchanged. The components are declared in shapes/trov-0.1.shape.ttl.
 */
export const PTC = 'https://w3id.org/pe-trace/constraints#';

export const PTC_FINGERPRINT = `${PTC}FingerprintConstraintComponent`;
export const PTC_REFERENCE_DEFINED = `${PTC}ReferenceDefinedConstraintComponent`;
export const PTC_LOCATION_IN_COMPOSITION = `${PTC}LocationInCompositionConstraintComponent`;
export const PTC_WARRANT_CHAIN = `${PTC}WarrantChainConstraintComponent`;

/** The sh:sourceShape of each code check's results (resources declared beside the components). */
export const PTC_FINGERPRINT_CHECK = `${PTC}FingerprintCheck`;
export const PTC_REFERENCE_CHECK = `${PTC}ReferenceCheck`;
export const PTC_LOCATION_CHECK = `${PTC}LocationCheck`;
export const PTC_WARRANT_CHECK = `${PTC}WarrantCheck`;

/** Prefixes used to print IRIs compactly in text output and Turtle reports (longest namespace wins). */
export const DISPLAY_PREFIXES: Readonly<Record<string, string>> = {
  sh: SH,
  rdf: RDF,
  rdfs: RDFS,
  xsd: XSD,
  schema: 'https://schema.org/',
  trov: 'https://w3id.org/trace/trov/0.1#',
  trov05: 'https://w3id.org/trace/2023/05/trov#',
  pe: 'https://policyengine.org/trace/0.1#',
  pop: 'https://populace.dev/trace/0.1#',
  mic: 'https://microcosm.institute/trace/0.1#',
  ptc: PTC,
  trovsh: 'https://w3id.org/pe-trace/shapes/trov-0.1#',
  pesh: 'https://w3id.org/pe-trace/shapes/pe-0.1#',
  trov05sh: 'https://w3id.org/pe-trace/shapes/trov-2023-05#',
  pexsh: 'https://w3id.org/pe-trace/shapes/pe-extension#',
  bundlesh: 'https://w3id.org/pe-trace/shapes/profile-bundle#',
  runsh: 'https://w3id.org/pe-trace/shapes/profile-run#',
  buildsh: 'https://w3id.org/pe-trace/shapes/profile-build#',
};

/** `trov:hash` style for an IRI under a known prefix, else the IRI itself. */
export function compactIri(iri: string, prefixes: Readonly<Record<string, string>> = DISPLAY_PREFIXES): string {
  let best: [string, string] | undefined;
  for (const [prefix, ns] of Object.entries(prefixes)) {
    if (iri.startsWith(ns) && (best === undefined || ns.length > best[1].length)) best = [prefix, ns];
  }
  if (best === undefined) return iri;
  const local = iri.slice(best[1].length);
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(local) || local === '' ? `${best[0]}:${local}` : iri;
}

/** A string key that identifies an RDF term (IRI, blank node label, or literal with datatype/language). */
export function termKey(t: Term): string {
  switch (t.termType) {
    case 'NamedNode':
      return t.value;
    case 'BlankNode':
      return `_:${t.value}`;
    case 'Literal':
      return `"${t.value}"${t.language ? `@${t.language}` : `^^${t.datatype.value}`}`;
    case 'DefaultGraph':
      return '';
    default:
      return `?${t.value}`;
  }
}
