// The 219 historical policyengine.py TROs: conforming pe-0.1 documents, and non-conforming TROv 0.1 with the exact dialect differences.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shaclValidateDocument } from '../../../src/shacl/index.js';
import { HISTORY_VERSIONS, historyTro } from '../../support/history.js';



const versions = HISTORY_VERSIONS;
const troOf = historyTro;

/** What TROv 0.1 says about a pe-0.1 document, per node kind (message → how many times). */
function differences(artifacts: number): Map<string, number> {
  return new Map([
    ['uses trov:sha256; TROv 0.1 requires trov:hash {trov:hashAlgorithm, trov:hashValue}', artifacts + 1],
    ['uses trov:hasLocation; TROv 0.1 gives a location\'s path as trov:path', artifacts],
    ['uses trov:hasArtifact on an artifact location; TROv 0.1 places the artifact with trov:artifact', artifacts],
    ['is typed trov:TransparentResearchSystem; TROv 0.1 names the class trov:TrustedResearchSystem', 1],
    ['is typed trov:TransparentResearchPerformance; TROv 0.1 names the class trov:TrustedResearchPerformance', 1],
    ['the TRO must state trov:vocabularyVersion exactly once (TROv 0.1 requires "0.1")', 1],
  ]);
}

describe('historical policyengine.py TROs under SHACL', () => {
  it('has all 219 versions', () => {
    expect(versions).toHaveLength(219);
  });

  it.each(versions)('%s: conforms under pe-0.1 and auto; under trov-0.1 each dialect difference is reported, the fingerprint rule included', async (version) => {
    const bytes = readFileSync(troOf(version));
    const label = `${version}.trace.tro.jsonld`;
    const pe = await shaclValidateDocument(bytes, { label, profile: 'pe-0.1' });
    expect(pe.results.map((r) => `${r.display.focus}: ${r.messages.join('; ')}`)).toEqual([]);
    const auto = await shaclValidateDocument(bytes, { label });
    expect(auto.kind).toBe('bundle');
    expect(auto.conforms).toBe(true);

    const trov = await shaclValidateDocument(bytes, { label, profile: 'trov-0.1' });
    expect(trov.conforms).toBe(false);
    const artifacts = JSON.parse(new TextDecoder().decode(bytes))['@graph'][0]['trov:hasComposition']['trov:hasArtifact'].length as number;
    const seen = new Map<string, number>();
    for (const r of trov.results) for (const m of r.messages) seen.set(m, (seen.get(m) ?? 0) + 1);
    for (const [message, count] of differences(artifacts)) expect([message, seen.get(message)]).toEqual([message, count]);
    // The one integrity finding is the fingerprint rule itself: PolicyEngine joins the sorted hashes with newlines, TROv does not.
    const integrity = trov.results.filter((r) => r.display.component.startsWith('ptc:'));
    expect(integrity.map((r) => `${r.display.focus} | ${r.display.path} | ${r.display.component}`)).toEqual(['composition/1/fingerprint | trov:sha256 | ptc:FingerprintConstraintComponent']);
    expect(integrity[0]?.messages[0]).toMatch(/concatenated without a separator .* — the claimed value follows the other rule: hash values joined with newlines/);
  });
});
