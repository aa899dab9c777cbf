// Barrel of the TRO area: the typed model, dialect detection, reading documents into the model.
export type * from './model.js';
export { detectDialect, analyseDialect, type DialectAnalysis } from './dialect.js';
export { readTroModel, artifactShortId } from './read.js';
export { loadTroFile } from './load.js';
export { TROV_01_NS, TROV_2023_05_NS, KNOWN_TROV_NAMESPACES, PE_NS, POP_NAMESPACES } from './scan.js';
export { remoteContextRefusal } from './jsonld-view.js';
