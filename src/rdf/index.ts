// Barrel of the rdf area.
export * from './lift.js';
export * from './document-loader.js';
export * from './store.js';
export * from './serialize.js';
export * from './sparql.js';
export * from './frame-tree.js';
export * from './nquads-text.js';
export { readNQuadsLine, readNQuadsTerm, unescapeNQuadsText } from './nquads-read.js';
