// Barrel of the diff area: what changed between two records, classified as rules, data, reform, inputs, results, runtime, metadata.
export { DIFF_CATEGORIES, type DiffCategory, type FieldChange, type ArtifactChange, type RecordDiff, diffRecords } from './classify.js';
export { diffVerdict, formatDiffText } from './format.js';
