// SAFE-JSON: UTF-8 bytes holding one JSON value with nothing in it that JSON parsers read differently.
import type { Expectation } from '../expectation.js';
import type { ScanProblem } from '../scan.js';
import type { Finding } from '../types.js';

function located(p: ScanProblem): Finding {
  return { pointer: p.pointer, message: p.message, line: p.line, column: p.column };
}

export const utf8Encoded: Expectation = {
  id: 'utf8-encoded',
  summary: 'The bytes are valid UTF-8.',
  check: (doc) => (doc.scan.utf8Error === null ? [] : [located(doc.scan.utf8Error)]),
};

export const jsonParses: Expectation = {
  id: 'json-parses',
  summary: 'The text is exactly one JSON value, with nothing but whitespace around it.',
  requires: ['utf8-encoded'],
  check: (doc) => (doc.scan.syntaxError === null ? [] : [located(doc.scan.syntaxError)]),
};

export const unicodeEscapesSpellWholeCharacters: Expectation = {
  id: 'unicode-escapes-spell-whole-characters',
  summary: 'No \\u escape spells half of a surrogate pair.',
  requires: ['json-parses'],
  check: (doc) => doc.scan.halfSurrogates.map(located),
};

export const duplicateMemberNamesAbsent: Expectation = {
  id: 'duplicate-member-names-absent',
  summary: 'Member names are unique within each object (parsers disagree about which duplicate wins).',
  requires: ['json-parses'],
  check: (doc) => doc.scan.duplicates.map(located),
};

export const numbersWithinRange: Expectation = {
  id: 'numbers-within-range',
  summary: 'Every number fits a double and every integer lies within ±(2^53−1).',
  requires: ['json-parses'],
  check: (doc) => doc.scan.numbersOutOfRange.map(located),
};
