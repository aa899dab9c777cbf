// Namespaces of the emitted pe-0.1 TROs and of the private emission-request vocabulary, and the construct base IRI.

export const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
export const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
export const XSD = 'http://www.w3.org/2001/XMLSchema#';
export const TROV = 'https://w3id.org/trace/trov/0.1#';
export const SCHEMA = 'https://schema.org/';
export const PE = 'https://policyengine.org/trace/0.1#';

/**
 * The emission-request vocabulary: facts the CONSTRUCT queries read, and ordering hints they pass to the
 * framer. It is private to pe-trace (the `.invalid` domain cannot resolve) and never reaches an emitted TRO.
 */
export const REQ = 'https://pe-trace.invalid/emit-request#';

/**
 * The base the queries resolve the TRO's relative ids against (`<tro>`, `<composition/1>`, …). The framer
 * strips it again, so emitted `@id`s are the relative strings policyengine.py writes.
 */
export const CONSTRUCT_BASE = 'https://pe-trace.invalid/emitted/';

/** The one `@context` object of every pe-0.1 TRO (interop §2.0): prefix → namespace, no `@vocab`, no `@base`. */
export const PE_CONTEXT: Readonly<Record<string, string>> = {
  pe: PE,
  rdf: RDF,
  rdfs: RDFS,
  schema: SCHEMA,
  trov: TROV,
};
