// Barrel of the manifest area: typed manifests, their readers, lifts and certification.
export type * from './types.js';
