// Barrel of the citation area: a citation keyed by the composition fingerprint, in six formats.
export { type CitationFacts, type CitationOptions, citationFacts } from './facts.js';
export { CITATION_FORMATS, CITATION_MEDIA, type CitationFormat, renderCitation, citationText, datacite, cslJson } from './formats.js';
