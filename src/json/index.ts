// Barrel of the JSON area: lossless values, the lossless reader, the canonical writer.
export * from './value.js';
export * from './parse.js';
export { CANONICAL_MAX_DEPTH, compareCodePoints, type CanonicalFlavour, canonicalJsonBytes, canonicalJsonText, pyJsonString } from './canonical.js';
export * from './py-float.js';
