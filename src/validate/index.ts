// Barrel of the validate area: structural (JSON Schema) validation and its report types.
export { validateJsonSchema, isBuildTroDocument, KNOWN_EMITTED_IN } from './json-schema.js';
export { describeAjvErrors, jsonPointer, pointerSegments } from './report.js';
export type { SchemaIssue, SchemaReport, SchemaWarning } from './report.js';
