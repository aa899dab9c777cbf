// Barrel of the vocab area: the pe:/pop: vocabularies, the dialect term registry, contexts, vocabulary export.
export {
  RDF_NS,
  RDFS_NS,
  OWL_NS,
  XSD_NS,
  SCHEMA_NS,
  DCTERMS_NS,
  VANN_NS,
  VS_NS,
  SH_NS,
  MICROCOSM_NS,
  PTM_NS,
  PTM_MAPPING_NS,
  VOCAB_PREFIXES,
  compactIri,
  namespaceOf,
  localNameOf,
} from './namespaces.js';
export {
  TERM_MAP,
  resolveTerm,
  knownTrov01Terms,
  type TermChange,
  type TermKind,
  type TrovSource,
  type TermMapping,
  type NamespaceMapping,
  type ConversionRule,
  type TermMap,
  type TermResolution,
} from './term-registry.js';
export { termMapQuads, termMapFromQuads, normaliseTermMap, termMapTurtle, TERM_MAP_HEADER, CHANGE_IRIS } from './term-map-rdf.js';
export { parseTurtle, canonicalNQuads, canonicalQuads, isomorphic, type ParsedTurtle } from './graph.js';
export { writeTurtle, type TurtleOptions } from './turtle-writer.js';
export { writeVocabularyJsonLd } from './jsonld-writer.js';
export { renderVocabularyHtml, type HtmlOptions } from './html.js';
export { TERM_TYPES, vocabFileNames, loadVocabFile, loadVocabularies, vocabularyIdOf, definedTerms, knownTerms, type VocabFile, type Vocabulary } from './load.js';
export { CONTEXT_URLS, CONTEXT_FILES, contextDocument, contextPrefixes, pinnedContexts, type ContextId } from './contexts.js';
export { buildVocabExport, writeVocabExport, VOCAB_FORMATS, type VocabFormat, type ExportFile, type VocabExportOptions } from './export.js';
