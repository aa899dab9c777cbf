// The dialect term registry: TERM_MAP and vocab/term-map.ttl say the same thing, resolution follows the brief's mappings, and it covers every trov: spelling in the fixtures.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  KNOWN_TERMS_2026_04_19,
  KNOWN_TERMS_MAIN,
  PTM_MAPPING_NS,
  TERM_MAP,
  TROV_01_NS,
  TROV_2023_05_NS,
  knownTrov01Terms,
  normaliseTermMap,
  parseTurtle,
  resolveTerm,
  termMapFromQuads,
  termMapTurtle,
} from '../../../src/index.js';
import { FIXTURES, REPO_ROOT } from '../../support/cli.js';

const T1 = TROV_01_NS;
const T5 = TROV_2023_05_NS;
const SCHEMA = 'https://schema.org/';
const TERM_MAP_FILE = join(REPO_ROOT, 'vocab', 'term-map.ttl');

describe('vocab/term-map.ttl and TERM_MAP', () => {
  const text = readFileSync(TERM_MAP_FILE, 'utf8');
  const { quads } = parseTurtle(text, 'vocab/term-map.ttl');

  it('say the same thing: every mapping, namespace rule and conversion rule, field by field', () => {
    expect(normaliseTermMap(termMapFromQuads(quads))).toEqual(normaliseTermMap(TERM_MAP));
  });

  it('the file is exactly what termMapTurtle writes from TERM_MAP (regenerate it after editing the registry)', () => {
    // If this fails after a registry edit: write termMapTurtle(parseTurtle(file).quads, TERM_MAP) back to vocab/term-map.ttl.
    expect(termMapTurtle(quads, TERM_MAP)).toBe(text);
  });

  it('has one entry per (spelling, condition) and unique ids', () => {
    const ids = [...TERM_MAP.terms, ...TERM_MAP.namespaces, ...TERM_MAP.rules].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const keys = TERM_MAP.terms.map((t) => `${t.from} ${t.subjectClass ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(quads.filter((q) => q.subject.value.startsWith(PTM_MAPPING_NS) && q.predicate.value.endsWith('#type'))).toHaveLength(ids.length);
  });

  it('lists the TROv 0.1 terms tro-checks trace-main knows, and the five pre-release TRS properties trace-2026-04-19 adds', () => {
    const unchanged = [...knownTrov01Terms()].map((iri) => iri.slice(T1.length)).sort();
    expect(unchanged).toHaveLength(74);
    expect(unchanged).toEqual([...KNOWN_TERMS_MAIN].sort());
    const extra = TERM_MAP.terms.filter((t) => t.from.startsWith(T1) && t.to.every((x) => x.startsWith(SCHEMA))).map((t) => t.from.slice(T1.length));
    expect([...unchanged, ...extra].sort()).toEqual([...KNOWN_TERMS_2026_04_19].sort());
  });
});

describe('resolveTerm', () => {
  it('restructures trov:sha256 (0.1 and 2023/05) into a hash object', () => {
    for (const ns of [T1, T5]) {
      expect(resolveTerm(`${ns}sha256`)).toMatchObject({ change: 'restructured', to: [`${T1}hash`, `${T1}hashAlgorithm`, `${T1}hashValue`] });
    }
  });

  it('renames hasLocation to path and, only on a location, hasArtifact to artifact', () => {
    expect(resolveTerm(`${T1}hasLocation`)).toMatchObject({ change: 'renamed', to: [`${T1}path`], by: 'v01-hasLocation' });
    expect(resolveTerm(`${T1}hasArtifact`, [`${T1}ArtifactLocation`])).toMatchObject({ change: 'renamed', to: [`${T1}artifact`] });
    expect(resolveTerm(`${T1}hasArtifact`, [`${T1}ArtifactComposition`])).toMatchObject({ change: 'unchanged', to: [`${T1}hasArtifact`] });
    expect(resolveTerm(`${T5}hasArtifact`, [`${T1}ArtifactLocation`])).toMatchObject({ change: 'renamed', to: [`${T1}artifact`] });
    expect(resolveTerm(`${T5}hasArtifact`, [`${T1}ArtifactComposition`])).toMatchObject({ change: 'namespace-moved', to: [`${T1}hasArtifact`] });
  });

  it('renames Transparent* system, performance and element classes to Trusted*, but not the research object', () => {
    for (const ns of [T1, T5]) {
      for (const local of ['ResearchSystem', 'ResearchPerformance', 'ResearchElement']) {
        expect(resolveTerm(`${ns}Transparent${local}`)).toMatchObject({ change: 'renamed', to: [`${T1}Trusted${local}`] });
      }
    }
    expect(resolveTerm(`${T1}TransparentResearchObject`)).toMatchObject({ change: 'unchanged', to: [`${T1}TransparentResearchObject`] });
    expect(resolveTerm(`${T5}TransparentResearchObject`)).toMatchObject({ change: 'namespace-moved', to: [`${T1}TransparentResearchObject`], by: 'ns-2023-05' });
  });

  it('maps loci, stale link spellings and the pre-release TRS properties', () => {
    expect(resolveTerm(`${T5}ArtifactLocus`).to).toEqual([`${T1}ArtifactLocation`]);
    expect(resolveTerm(`${T5}hasLocus`).to).toEqual([`${T1}hasArtifactLocation`]);
    expect(resolveTerm(`${T1}ArtifactLocus`).to).toEqual([`${T1}ArtifactLocation`]);
    expect(resolveTerm(`${T5}modifiedArrangement`).to).toEqual([`${T1}contributedToArrangement`]);
    expect(resolveTerm(`${T5}hadPerformanceAttribute`).to).toEqual([`${T1}hasPerformanceAttribute`]);
    expect(resolveTerm(`${T5}name`).to).toEqual([`${SCHEMA}name`]);
    expect(resolveTerm(`${T5}owner`).to).toEqual([`${SCHEMA}maintainer`]);
    expect(resolveTerm(`${T1}contact`).to).toEqual([`${SCHEMA}email`]);
  });

  it('moves every other 2023/05 term to 0.1 only when the name exists there', () => {
    expect(resolveTerm(`${T5}wasAssembledBy`)).toMatchObject({ change: 'namespace-moved', to: [`${T1}wasAssembledBy`] });
    expect(resolveTerm(`${T5}CanEnforceInternetIsolation`)).toMatchObject({ change: 'namespace-moved', to: [`${T1}CanEnforceInternetIsolation`] });
    expect(resolveTerm(`${T5}NoSuchTerm`)).toMatchObject({ change: 'dropped', to: [], by: 'ns-2023-05' });
    expect(resolveTerm(`${T5}DataArtifact`)).toMatchObject({ change: 'generalised', to: [`${T1}ResearchArtifact`] });
  });

  it('drops unknown 0.1 terms, keeps pe:/pop: as extensions and leaves other vocabularies alone', () => {
    expect(resolveTerm(`${T1}InternetIsolationCapability`)).toMatchObject({ change: 'dropped', to: [], by: 'ns-0.1-unknown' });
    expect(resolveTerm('https://policyengine.org/trace/0.1#emittedIn')).toMatchObject({ change: 'kept-as-extension', by: 'ns-pe' });
    expect(resolveTerm('https://populace.dev/trace/0.1#buildId')).toMatchObject({ change: 'kept-as-extension', by: 'ns-pop' });
    expect(resolveTerm('https://microcosm.institute/trace/0.1#buildId')).toMatchObject({ change: 'kept-as-extension', by: 'ns-microcosm' });
    expect(resolveTerm(`${SCHEMA}name`)).toEqual({ from: `${SCHEMA}name`, to: [`${SCHEMA}name`], change: 'unchanged' });
  });
});

/** Every `trov:` key and `@type` value (as written, with the file's trov namespace) in the fixture TROs. */
function fixtureTrovTerms(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.jsonld$/.test(e.name)) scan(p);
    }
  };
  const scan = (file: string): void => {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { '@context'?: unknown };
    const ctx = JSON.stringify(doc['@context'] ?? '');
    const ns = ctx.includes('2023/05/trov') ? T5 : ctx.includes('trov/0.1') ? T1 : undefined;
    if (ns === undefined) return;
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(visit);
      else if (typeof v === 'object' && v !== null) {
        for (const [k, x] of Object.entries(v)) {
          if (k === '@context') continue;
          if (k.startsWith('trov:')) out.set(ns + k.slice(5), file);
          if (k === '@type') for (const t of [x].flat()) if (typeof t === 'string' && t.startsWith('trov:')) out.set(ns + t.slice(5), file);
          visit(x);
        }
      }
    };
    visit(doc);
  };
  walk(FIXTURES);
  return out;
}

describe('coverage of the fixtures', () => {
  it('resolves every trov: spelling found in any fixture; only the known misspelling is dropped', () => {
    const terms = fixtureTrovTerms();
    expect(terms.size).toBeGreaterThan(80);
    const dropped = [...terms.keys()].filter((iri) => resolveTerm(iri, [`${T1}ArtifactLocation`]).change === 'dropped').sort();
    expect(dropped).toEqual([`${T5}InternetIsolationCapability`, `${T1}InternetIsolationCapability`].sort());
    // The 2023/05 misspelling has its own entry; the 0.1 one falls to the 0.1 namespace rule.
    expect(resolveTerm(`${T5}InternetIsolationCapability`).by).toBe('v2305-InternetIsolationCapability');
    expect(resolveTerm(`${T1}InternetIsolationCapability`).by).toBe('ns-0.1-unknown');
  });
});
