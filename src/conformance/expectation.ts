// What one conformance expectation is: an id, a one-line summary, what it relies on, and a check that returns findings.
import type { ConformanceDocument } from './document.js';
import type { Finding } from './types.js';

export interface Expectation {
  /** The TRACE expectation name (trace-trov.md §5), so reports line up with tro-checks'. */
  readonly id: string;
  /** What holds when the expectation is met, in one sentence. */
  readonly summary: string;
  /** Expectations that must be met before this one is assessed (it reads what they guarantee). */
  readonly requires?: readonly string[];
  /** Every place the document misses the expectation; empty when it is met. */
  check(doc: ConformanceDocument): Finding[];
}

/** A finding at a JSON pointer. */
export function at(pointer: string, message: string): Finding {
  return { pointer, message };
}
