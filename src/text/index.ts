// Text helpers for user-facing output: terminal-safe escaping and did-you-mean suggestions.
export * from './terminal-escape.js';
export * from './near-matches.js';
