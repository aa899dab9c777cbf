// The published tier outcomes of the spec-tro-checks candidates and the tro-utils output, as trace-trov.md §5 states them.
import { describe, expect, it } from 'vitest';
import type { TierId, TraceVersionId } from '../../../src/conformance/types.js';
import { CANDIDATE_01, CANDIDATE_02, CANDIDATE_03, TRACE_MODEL_02, TRO_UTILS, checkFile, unmet } from './support.js';

/**
 * Transcribed from the outcome table at the end of trace-trov.md §5 ("spec-tro-checks … Published outcomes"),
 * not from running pe-trace. Reading rules applied to the table:
 * - a "+ x" cell adds x to the trace-2026-04-19 cell of the same row; "same with x" replaces the 0.1-only
 *   capability-terms-known by x;
 * - LINKABLE-TRO is the same in all three versions (§5 marks no ⊕ in tier 7), so the tier-7 failures of the
 *   trace-2026-04-19 cell hold in the other two ("T7 fails base/node ids" = base-declared and node-ids-present;
 *   base-has-path, -host-lowercase and -host-ownable need a declared base and are not assessed);
 * - `tierMet` is the tier below the lowest tier with a failure ("meets T6" → STANDALONE-TRO).
 */
interface Row {
  readonly file: string;
  readonly version: TraceVersionId;
  readonly tierMet: TierId;
  readonly unmet: readonly string[];
}

const T7_01 = ['base-declared', 'node-ids-present'];
const ROWS: readonly Row[] = [
  // 01 verbatim example: "T4 fails hash-values-correct-form (placeholders); T7 fails base/node ids".
  { file: CANDIDATE_01, version: 'trace-2026-04-19', tierMet: 'TRACE-PERMISSIBLE-JSON-LD', unmet: ['hash-values-correct-form', ...T7_01] },
  {
    file: CANDIDATE_01,
    version: 'trace-0.1',
    tierMet: 'TRACE-PERMISSIBLE-JSON-LD',
    unmet: ['hash-values-correct-form', 'times-zoned', 'capability-terms-known', 'performance-attribute-warrants-absolute', ...T7_01],
  },
  {
    file: CANDIDATE_01,
    version: 'trace-main',
    tierMet: 'TRACE-PERMISSIBLE-JSON-LD',
    unmet: ['hash-values-correct-form', 'times-zoned', 'trs-id-absolute', 'performance-attribute-warrants-absolute', ...T7_01],
  },
  // 02 + @base + hashes: "meets T6; T7 fails node-ids-present" / "fails T4 times-zoned, T5, T6 warrants" / "3 unmet".
  { file: CANDIDATE_02, version: 'trace-2026-04-19', tierMet: 'STANDALONE-TRO', unmet: ['node-ids-present'] },
  {
    file: CANDIDATE_02,
    version: 'trace-0.1',
    tierMet: 'TRACE-PERMISSIBLE-JSON-LD',
    unmet: ['times-zoned', 'capability-terms-known', 'performance-attribute-warrants-absolute', 'node-ids-present'],
  },
  {
    file: CANDIDATE_02,
    version: 'trace-main',
    tierMet: 'TRACE-PERMISSIBLE-JSON-LD',
    unmet: ['times-zoned', 'trs-id-absolute', 'performance-attribute-warrants-absolute', 'node-ids-present'],
  },
  // 03 + node ids + Z: "meets T7" / "fails capability-terms-known, warrants" / "fails trs-id-absolute, warrants (2 unmet)".
  { file: CANDIDATE_03, version: 'trace-2026-04-19', tierMet: 'LINKABLE-TRO', unmet: [] },
  { file: CANDIDATE_03, version: 'trace-0.1', tierMet: 'USES-TROV-CORRECTLY', unmet: ['capability-terms-known', 'performance-attribute-warrants-absolute'] },
  { file: CANDIDATE_03, version: 'trace-main', tierMet: 'USES-TROV-CORRECTLY', unmet: ['trs-id-absolute', 'performance-attribute-warrants-absolute'] },
  // tro-utils v0.4.5 output: "meets T6; T7 fails base-declared, node-ids-present" / "+ times-zoned,
  // creators-person-or-organization, capability-terms-known, warrants" / "same with trs-id-absolute".
  { file: TRO_UTILS, version: 'trace-2026-04-19', tierMet: 'STANDALONE-TRO', unmet: ['base-declared', 'node-ids-present'] },
  {
    file: TRO_UTILS,
    version: 'trace-0.1',
    tierMet: 'TRACE-PERMISSIBLE-JSON-LD',
    unmet: ['times-zoned', 'creators-person-or-organization', 'capability-terms-known', 'performance-attribute-warrants-absolute', 'base-declared', 'node-ids-present'],
  },
  {
    file: TRO_UTILS,
    version: 'trace-main',
    tierMet: 'TRACE-PERMISSIBLE-JSON-LD',
    unmet: ['times-zoned', 'creators-person-or-organization', 'trs-id-absolute', 'performance-attribute-warrants-absolute', 'base-declared', 'node-ids-present'],
  },
  // trace-model 02: "T4 trov-version-known (no vocabularyVersion), T7 node ids".
  { file: TRACE_MODEL_02, version: 'trace-2026-04-19', tierMet: 'TRACE-PERMISSIBLE-JSON-LD', unmet: ['trov-version-known', 'node-ids-present'] },
];

describe('published outcomes (trace-trov.md §5)', () => {
  it.each(ROWS.map((r) => [r.file.split('/').pop() ?? r.file, r.version, r] as const))('%s under %s', (_name, _version, row) => {
    const report = checkFile(row.file, row.version);
    expect(report.traceVersion).toBe(row.version);
    expect(report.tierMet).toBe(row.tierMet);
    expect([...unmet(report)].sort()).toEqual([...row.unmet].sort());
  });

  it('the placeholder hashes of the verbatim example are what tier 4 catches, one finding per placeholder', () => {
    const e = checkFile(CANDIDATE_01).tiers[3]?.expectations.find((x) => x.id === 'hash-values-correct-form');
    expect(e?.findings.map((f) => f.pointer)).toEqual([
      '/@graph/0/trov:hasComposition/trov:hasFingerprint/trov:hash/trov:hashValue',
      '/@graph/0/trov:hasComposition/trov:hasArtifact/0/trov:hash/trov:hashValue',
      '/@graph/0/trov:hasComposition/trov:hasArtifact/1/trov:hash/trov:hashValue',
      '/@graph/0/trov:hasComposition/trov:hasArtifact/2/trov:hash/trov:hashValue',
    ]);
    expect(e?.findings[0]?.message).toContain('"a1b2c3d4..."');
  });

  it('candidate 03 meets LINKABLE-TRO with a fake fingerprint, as §5 says tro-checks cannot tell', () => {
    // §3: the declared fingerprint 44863b03… is sha256("fingerprint"), not the composition's 0dfa6508….
    expect(checkFile(CANDIDATE_03).tierMet).toBe('LINKABLE-TRO');
  });
});
