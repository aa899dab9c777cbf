// The shapes of a conformance report: TRACE versions, tiers, expectations, findings.

export const TRACE_VERSIONS = ['trace-2026-04-19', 'trace-0.1', 'trace-main'] as const;
export type TraceVersionId = (typeof TRACE_VERSIONS)[number];

export const TIER_IDS = [
  'SAFE-JSON',
  'SAFE-JSON-LD',
  'TRACE-PERMISSIBLE-JSON-LD',
  'USES-TROV-CORRECTLY',
  'DEFINES-TRS',
  'STANDALONE-TRO',
  'LINKABLE-TRO',
] as const;
export type TierId = (typeof TIER_IDS)[number];

/** One place where a document misses an expectation. */
export interface Finding {
  /** JSON pointer of the offending value or member ('' = the whole document). */
  readonly pointer: string;
  readonly message: string;
  /** Source position, given by the byte-level and parse-level expectations (1-based; columns count code points). */
  readonly line?: number;
  readonly column?: number;
}

/**
 * `met`: assessed and holds. `unmet`: assessed and has findings. `not-assessed`: skipped because an
 * expectation it relies on is not met, or because a lower tier that blocks higher ones is not met.
 */
export type ExpectationStatus = 'met' | 'unmet' | 'not-assessed';

export interface ExpectationResult {
  readonly id: string;
  readonly met: boolean;
  readonly status: ExpectationStatus;
  readonly findings: readonly Finding[];
  /** For `not-assessed`: the expectations (or the blocking tier) that were not met. */
  readonly notAssessedBecause?: readonly string[];
}

export interface TierResult {
  readonly id: TierId;
  readonly met: boolean;
  /** False when a lower blocking tier was not met, so nothing in this tier was assessed. */
  readonly assessed: boolean;
  readonly expectations: readonly ExpectationResult[];
}

export interface ConformanceReport {
  readonly file: string;
  readonly traceVersion: TraceVersionId;
  /** The highest tier met together with every tier below it; null when SAFE-JSON is not met. */
  readonly tierMet: TierId | null;
  readonly tiers: readonly TierResult[];
}
