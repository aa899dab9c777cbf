// Barrel of the audit area: the restricted-input audit over a loaded corpus, and its text form.
export * from './restricted-inputs.js';
export { formatAuditText } from './format.js';
