// Barrel of the audit area: the restricted-input audit over a loaded corpus, its answer, filters and text forms.
export * from './restricted-inputs.js';
export * from './answer.js';
export { formatAuditText } from './format.js';
