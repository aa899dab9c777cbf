// Text helpers for user-facing output: terminal-safe escaping, did-you-mean suggestions, unified diffs.
export * from './terminal-escape.js';
export * from './near-matches.js';
export * from './unified-diff.js';
