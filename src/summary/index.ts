// Barrel of the summary area: what a human wants to know about a TRO, a run record or a bundle manifest.
export type * from './types.js';
export { summarizeTro, type TroSummaryOptions } from './tro-summary.js';
export { summarizeBundleManifest, looksLikeBundleManifest, manifestCitation, manifestReleases } from './manifest-summary.js';
export { loadRecord, type LoadedRecord, type LoadRecordOptions } from './record.js';
export { formatSummaryText, clip } from './format.js';
