// Barrel of the conformance area: TRACE conformance tiers and expectations, implemented by pe-trace.
export { checkConformance, checkConformanceFile, type ConformanceOptions } from './check.js';
export { formatConformanceText, tierOrdinal } from './format.js';
export { DEFAULT_TRACE_VERSION, TRACE_VERSION_DEFINITIONS, traceVersion, type TierDefinition, type TraceVersion } from './tiers.js';
export { TIER_IDS, TRACE_VERSIONS } from './types.js';
export type { ConformanceReport, ExpectationResult, ExpectationStatus, Finding as ConformanceFinding, TierId, TierResult, TraceVersionId } from './types.js';
export type { Expectation as ConformanceExpectation } from './expectation.js';
export { scanJson as scanJsonTolerantly, type ScanResult as JsonScan, type ScanProblem as JsonScanProblem } from './scan.js';
export { KNOWN_TERMS_2026_04_19, KNOWN_TERMS_MAIN, HASH_HEX_LENGTHS, PREDEFINED_CAPABILITIES } from './terms.js';
