// The example TROs of the TRACE organisation (trace-model, trov-demos, the spec): the tier each reaches and the expectations it stops at.
import { describe, expect, it } from 'vitest';
import type { TierId, TraceVersionId } from '../../../src/conformance/types.js';
import { TIER_IDS, TRACE_VERSIONS } from '../../../src/conformance/types.js';
import { CANDIDATE_01, checkFile, fixtureFiles } from './support.js';

interface Expected {
  readonly tierMet: TierId;
  /** The unmet expectations of the tier just above `tierMet`: why the document stops there. */
  readonly stopsAt: readonly string[];
  /** Where trace-main differs (trs-id-absolute is the only tier-5 addition that bites here). */
  readonly main?: { readonly tierMet: TierId; readonly stopsAt: readonly string[] };
}

const PRE_RELEASE: Expected = { tierMet: 'TRACE-PERMISSIBLE-JSON-LD', stopsAt: ['core-prefixes-pinned'] };
const BAD_BASE_SEGMENT: Expected = { tierMet: 'SAFE-JSON-LD', stopsAt: ['base-simple-url'] };
const NOT_A_TRO_ENVELOPE: Expected = { tierMet: 'SAFE-JSON-LD', stopsAt: ['root-context-and-graph-only'] };

/** Keyed by the end of the file name; each reason comes from the file's content (trace-trov.md §4.1, §7). */
const EXPECTED: ReadonlyArray<readonly [string, Expected]> = [
  // trace-model, TROV 0.1 namespace. No vocabularyVersion in the TROs (§5 table, trace-model 02).
  ['trace-model/demo__02-tro-examples__01-two-artifacts-no-trp__tro__tro.jsonld', { tierMet: 'TRACE-PERMISSIBLE-JSON-LD', stopsAt: ['trov-version-known'] }],
  ['trace-model/demo__02-tro-examples__02-three-artifacts-one-trp__tro__tro.jsonld', { tierMet: 'TRACE-PERMISSIBLE-JSON-LD', stopsAt: ['trov-version-known'] }],
  // A TRS description defines a TRS but is no TRO; under trace-main its relative @id "trs" is not enough.
  [
    'trace-model/demo__02-tro-examples__01-two-artifacts-no-trp__trs__trs.jsonld',
    { tierMet: 'DEFINES-TRS', stopsAt: ['tro-top-level-in-graph'], main: { tierMet: 'USES-TROV-CORRECTLY', stopsAt: ['trs-id-absolute'] } },
  ],
  // The typo trov:InternetIsolationCapability (§1.3) is neither a TROV term nor a predefined capability.
  ['trace-model/demo__02-tro-examples__02-three-artifacts-one-trp__trs__trs.jsonld', { tierMet: 'TRACE-PERMISSIBLE-JSON-LD', stopsAt: ['trov-terms-known', 'trov-capabilities-predefined'] }],
  // "…/03-skope-/" in the @base: a path segment ending in '-' is not a portable name.
  ['trace-model/demo__02-tro-examples__03-skope-lbda-processing__tro__tro.jsonld', BAD_BASE_SEGMENT],
  ['trace-model/demo__03-trace-explorations__06-json2jsonld__data__tro.jsonld', BAD_BASE_SEGMENT],
  ['trace-model/demo__03-trace-explorations__06-json2jsonld__products__tro.jsonld', BAD_BASE_SEGMENT],
  // Pre-release (2023/05) or older (2023/04) namespace bound to "trov".
  ...[1, 2, 3, 4, 5].map((i) => [`trace-model/demo__03-trace-explorations__05-validate-tro-declaration__data__tro${i}.jsonld`, PRE_RELEASE] as const),
  ['trace-model/demo__03-trace-explorations__common__tro__tro.jsonld', PRE_RELEASE],
  ['trace-model/exports__trace-extensions.jsonld', PRE_RELEASE],
  // The vocabulary export uses language-tagged labels ({"@language": …}), a value form TRACE excludes.
  ['trace-model/exports__trace-vocab.jsonld', { tierMet: 'SAFE-JSON-LD', stopsAt: ['disallowed-node-keywords-absent'] }],
  // Plain JSON support files, not JSON-LD TRO envelopes.
  ['trace-model/demo__02-tro-examples__03-skope-lbda-processing__mappings.json', NOT_A_TRO_ENVELOPE],
  ['trace-model/demo__03-trace-explorations__05-validate-tro-declaration__data__mappings.json', NOT_A_TRO_ENVELOPE],
  ['trace-model/demo__03-trace-explorations__06-json2jsonld__data__tro.json', NOT_A_TRO_ENVELOPE],
  // trov-demos: everything is in the 2023/05 namespace; the SKOPE pair also has a bad @base segment and "schema" without '/'.
  ...['01-two-artifacts-no-trp__tro__tro', '01-two-artifacts-no-trp__trs__trs', '02-three-artifacts-one-trp__tro__tro', '02-three-artifacts-one-trp__trs__trs'].map(
    (n) => [`trov-demos/demo__02-tro-examples__${n}.jsonld`, PRE_RELEASE] as const,
  ),
  ...[1, 2, 3, 4, 5].map((i) => [`trov-demos/demo__03-validate-tro-declaration__data__tro${i}.jsonld`, PRE_RELEASE] as const),
  ['trov-demos/exports__trov.jsonld', PRE_RELEASE],
  ['trov-demos/exports__trs.jsonld', PRE_RELEASE],
  ...['tro__tro', 'trs__trs'].map(
    (n) =>
      [`trov-demos/demo__02-tro-examples__03-skope-lbda-processing__${n}.jsonld`, { tierMet: 'SAFE-JSON-LD', stopsAt: ['base-simple-url', 'prefix-namespaces-terminated'] }] as const,
  ),
];

function stopsAt(file: string, version: TraceVersionId): { tierMet: TierId | null; stopsAt: string[] } {
  const report = checkFile(file, version);
  const next = report.tiers[report.tierMet === null ? 0 : TIER_IDS.indexOf(report.tierMet) + 1];
  return { tierMet: report.tierMet, stopsAt: next?.expectations.filter((e) => e.status === 'unmet').map((e) => e.id) ?? [] };
}

describe('TRACE organisation examples', () => {
  const files = [...fixtureFiles('trace/trace-model', '.json'), ...fixtureFiles('trace/trace-model', '.jsonld'), ...fixtureFiles('trace/trov-demos', '.jsonld')];

  it('covers every JSON example file of trace-model and trov-demos', () => {
    const table = EXPECTED.map(([name]) => `fixtures/trace/${name}`);
    expect([...files].sort()).toEqual([...table].sort());
  });

  describe.each(TRACE_VERSIONS)('under %s', (version) => {
    it.each(EXPECTED.map(([name, e]) => [name, e] as const))('%s', (name, e) => {
      const want = version === 'trace-main' && e.main !== undefined ? e.main : e;
      expect(stopsAt(`fixtures/trace/${name}`, version)).toEqual({ tierMet: want.tierMet, stopsAt: want.stopsAt });
    });
  });

  it.each(TRACE_VERSIONS)("the specification's Complete Example gets exactly the verbatim candidate's verdicts under %s", (version) => {
    const example = checkFile('fixtures/trace/trace-specification/docs__tro-declaration-format.md__complete-example.jsonld', version);
    expect(example.tiers).toEqual(checkFile(CANDIDATE_01, version).tiers);
  });
});
