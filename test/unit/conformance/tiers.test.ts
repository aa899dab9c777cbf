// The TRACE versions as data: seven tiers each, prerequisites that come first, the differences §5 names between versions.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRACE_VERSION, TRACE_VERSION_DEFINITIONS, traceVersion } from '../../../src/conformance/tiers.js';
import { HASH_HEX_LENGTHS, KNOWN_TERMS_2026_04_19, KNOWN_TERMS_MAIN, PREDEFINED_CAPABILITIES } from '../../../src/conformance/terms.js';
import { TIER_IDS, TRACE_VERSIONS, type TraceVersionId } from '../../../src/conformance/types.js';
import { isPeTraceError } from '../../../src/errors.js';

const ids = (v: TraceVersionId, tier: number): string[] => traceVersion(v).tiers[tier]?.expectations.map((e) => e.id) ?? [];

describe('TRACE versions', () => {
  it('knows the three versions tro-checks knows, defaulting to the first tagged release', () => {
    expect([...TRACE_VERSION_DEFINITIONS.keys()]).toEqual([...TRACE_VERSIONS]);
    expect(DEFAULT_TRACE_VERSION).toBe('trace-2026-04-19');
  });

  it.each(TRACE_VERSIONS)('%s has the seven tiers in order, and only tiers 1-3 block', (v) => {
    const tiers = traceVersion(v).tiers;
    expect(tiers.map((t) => t.id)).toEqual([...TIER_IDS]);
    expect(tiers.map((t) => t.blocksHigherTiers)).toEqual([true, true, true, false, false, false, false]);
  });

  it.each(TRACE_VERSIONS)('%s: every expectation is listed once and every prerequisite is assessed before it', (v) => {
    const seen = new Set<string>();
    for (const tier of traceVersion(v).tiers) {
      for (const e of tier.expectations) {
        expect(seen.has(e.id)).toBe(false);
        for (const r of e.requires ?? []) expect(seen.has(r), `${e.id} requires ${r}`).toBe(true);
        seen.add(e.id);
      }
    }
  });

  it('trace-2026-04-19 has the expectations §5 lists for it (5, 13, 11, 15, 1, 9, 6)', () => {
    expect(traceVersion('trace-2026-04-19').tiers.map((t) => t.expectations.length)).toEqual([5, 13, 11, 15, 1, 9, 6]);
  });

  it('trace-0.1 and trace-main add what §5 marks ⊕, and differ only in tier 5 and the known terms', () => {
    for (const v of ['trace-0.1', 'trace-main'] as const) {
      const added = (tier: number): string[] => ids(v, tier).filter((id) => !ids('trace-2026-04-19', tier).includes(id));
      expect(added(3)).toEqual(['times-zoned', 'creators-person-or-organization']);
      expect(added(5)).toEqual(['performance-attribute-warrants-absolute']);
      expect(added(6)).toEqual([]);
    }
    expect(ids('trace-0.1', 4)).toEqual(['trs-defined', 'capability-terms-known']);
    expect(ids('trace-main', 4)).toEqual(['trs-defined', 'trs-id-absolute']);
  });

  it('refuses an unknown version with a usage error', () => {
    let caught: unknown;
    try {
      traceVersion('trace-9' as TraceVersionId);
    } catch (e) {
      caught = e;
    }
    expect(isPeTraceError(caught) && caught.code).toBe('USAGE');
  });
});

describe('TROV term data (trace-trov.md §1, §5, §9)', () => {
  it('knows 74 terms at trace-main and 79 at the first release, the five extra being the pre-release TRS properties', () => {
    expect(KNOWN_TERMS_MAIN.size).toBe(74);
    expect(KNOWN_TERMS_2026_04_19.size).toBe(79);
    expect([...KNOWN_TERMS_2026_04_19].filter((t) => !KNOWN_TERMS_MAIN.has(t)).sort()).toEqual(['contact', 'description', 'name', 'owner', 'url']);
  });

  it('predefines 17 capabilities, all of them known terms', () => {
    expect(PREDEFINED_CAPABILITIES.size).toBe(17);
    for (const c of PREDEFINED_CAPABILITIES) expect(KNOWN_TERMS_MAIN.has(c)).toBe(true);
  });

  it('does not know the tro-utils attribute names nor the pre-release spellings', () => {
    for (const t of ['EnvironmentIsolation', 'NonInteractiveExecution', 'sha256', 'hasLocation', 'ArtifactLocus', 'TransparentResearchSystem']) expect(KNOWN_TERMS_2026_04_19.has(t)).toBe(false);
  });

  it('permits nine hash algorithms with their hex lengths', () => {
    expect(Object.fromEntries(HASH_HEX_LENGTHS)).toEqual({ sha256: 64, sha384: 96, sha512: 128, 'sha3-256': 64, 'sha3-384': 96, 'sha3-512': 128, blake2b: 128, blake2s: 64, blake3: 64 });
  });
});
