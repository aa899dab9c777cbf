// The text report: the tier line, one ✗ line per finding, one "not assessed" line per skipped expectation or blocked tier.
import { describe, expect, it } from 'vitest';
import { formatConformanceText } from '../../../src/conformance/format.js';
import { CANDIDATE_01, CANDIDATE_03, checkFile, checkText } from './support.js';

describe('formatConformanceText', () => {
  it('is one line when the document meets the top tier', () => {
    expect(formatConformanceText(checkFile(CANDIDATE_03))).toEqual([`${CANDIDATE_03}: meets LINKABLE-TRO (tier 7 of 7) under trace-2026-04-19`]);
  });

  it('lists each finding with its tier, expectation and pointer, and each skipped expectation with what it needs', () => {
    const report = checkFile(CANDIDATE_01, 'trace-main');
    const lines = formatConformanceText(report);
    expect(lines[0]).toBe(`${CANDIDATE_01}: meets TRACE-PERMISSIBLE-JSON-LD (tier 3 of 7) under trace-main`);
    const findings = report.tiers.flatMap((t) => t.expectations.flatMap((e) => e.findings));
    expect(lines.filter((l) => l.startsWith('  ✗ '))).toHaveLength(findings.length);
    expect(lines).toContain(
      '  ✗ DEFINES-TRS trs-id-absolute: the TRS @id "trs" is relative to the document; name the TRS by an IRI it owns, e.g. "https://trs.example.org/" at /@graph/0/trov:wasAssembledBy/@id',
    );
    expect(lines).toContain('  - LINKABLE-TRO base-has-path: not assessed (needs base-declared)');
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
  });

  it('names a blocked tier once and gives parse findings a line and column', () => {
    const lines = formatConformanceText(checkText('{"@context": {},\n "@context": {}}'));
    expect(lines).toEqual([
      'test.jsonld: meets no tier (not even SAFE-JSON) under trace-2026-04-19',
      '  ✗ SAFE-JSON duplicate-member-names-absent: member name "@context" appears again in the same object (first at line 1, column 2) at /@context (line 2, column 2)',
      '  - SAFE-JSON-LD: not assessed (SAFE-JSON is not met)',
      '  - TRACE-PERMISSIBLE-JSON-LD: not assessed (SAFE-JSON is not met)',
      '  - USES-TROV-CORRECTLY: not assessed (SAFE-JSON is not met)',
      '  - DEFINES-TRS: not assessed (SAFE-JSON is not met)',
      '  - STANDALONE-TRO: not assessed (SAFE-JSON is not met)',
      '  - LINKABLE-TRO: not assessed (SAFE-JSON is not met)',
    ]);
  });

  it('shows the document root as (document)', () => {
    const lines = formatConformanceText(checkText('[]'));
    expect(lines).toContain('  ✗ TRACE-PERMISSIBLE-JSON-LD root-context-and-graph-only: the document must be a JSON object, found an empty array at (document)');
  });
});
