// Barrel of the JSON area: lossless values, the lossless reader, the canonical writer.
export * from './value.js';
