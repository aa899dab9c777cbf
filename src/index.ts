// The public API of pe-trace: the only module commands and outside callers import from.
export * from './errors.js';
export * from './io/read-file.js';
export * from './json/index.js';
export * from './hash/index.js';
export * from './tro/index.js';
export * from './rdf/index.js';
export * from './verify/index.js';
export * from './validate/index.js';
export * from './manifest/index.js';
export * from './emit/index.js';
export * from './vocab/index.js';
export * from './shacl/index.js';
export * from './conformance/index.js';
export * from './convert/index.js';
export * from './query/index.js';
export * from './audit/index.js';
export * from './build/index.js';
