// Barrel of the JSON area: lossless values, the lossless reader, the canonical writer.
export * from './value.js';
export * from './parse.js';
export * from './canonical.js';
export * from './py-float.js';
