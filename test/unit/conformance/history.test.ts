// The 219 historical policyengine.py TROs: where they stop on the TRACE ladder, and why.
import { describe, expect, it } from 'vitest';
import { TRACE_VERSIONS } from '../../../src/conformance/types.js';
import { checkFile, expectation, fixtureFiles, unmet } from './support.js';

const FILES = fixtureFiles('policyengine-py/history', '.trace.tro.jsonld');

/**
 * policyengine.py writes the TROV 0.1 namespace with pre-release spellings (trace-trov.md §1.3, pe-data.md):
 * `trov:TransparentResearchSystem/-Performance`, `trov:sha256` strings instead of hash objects, and
 * `trov:hasLocation` instead of `trov:path`, and it declares no `trov:vocabularyVersion`. So every one is
 * clean JSON-LD (tiers 1-3) and stops at USES-TROV-CORRECTLY. Further up, the same spellings mean no node is
 * a `trov:TrustedResearchSystem` (DEFINES-TRS; tro-assembled-by-trs) and neither the fingerprint nor the
 * artifacts carry `trov:hash` (STANDALONE-TRO); the context has no `@base` and the creator and createdWith
 * nodes no `@id` (LINKABLE-TRO). Nothing version-specific applies: no performance times, an Organization
 * creator, no capabilities or warrants.
 */
const EXPECTED_UNMET = [
  'trov-terms-known',
  'trov-version-known',
  'trs-defined',
  'tro-assembled-by-trs',
  'composition-has-fingerprint',
  'artifact-hashes-present',
  'base-declared',
  'node-ids-present',
];
const PRE_RELEASE_SPELLINGS = ['trov:TransparentResearchPerformance', 'trov:TransparentResearchSystem', 'trov:hasLocation', 'trov:sha256'];

describe('historical policyengine.py TROs', () => {
  it('are all here', () => {
    expect(FILES).toHaveLength(219);
  });

  describe.each(TRACE_VERSIONS)('under %s', (version) => {
    it.each(FILES)('%s meets TRACE-PERMISSIBLE-JSON-LD and stops at the pre-release spellings', (file) => {
      const report = checkFile(file, version);
      expect(report.tierMet).toBe('TRACE-PERMISSIBLE-JSON-LD');
      expect(unmet(report)).toEqual(EXPECTED_UNMET);
      const spellings = new Set(expectation(report, 'trov-terms-known').findings.map((f) => f.message.split(' ')[0]));
      expect([...spellings].sort()).toEqual(PRE_RELEASE_SPELLINGS);
      expect(expectation(report, 'trov-version-known').findings).toEqual([
        { pointer: '/@graph/0', message: 'the TRO does not declare trov:vocabularyVersion (expected "0.1")' },
      ]);
    });
  });
});
