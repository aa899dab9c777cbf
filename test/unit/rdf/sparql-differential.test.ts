// The in-process CONSTRUCT engine (oxigraph, typed literals shielded) against Comunica: same graphs on real requests.
import { createRequire } from 'node:module';
import type { Quad } from '@rdfjs/types';
import type { Quad as N3Quad } from 'n3';
import type { Store } from 'n3';
import { describe, expect, it } from 'vitest';
import { buildRequestGraph, planBundleTro, planSimulationTro, troQueryText, type EmissionRequest, type TroQueryName } from '../../../src/emit/index.js';
import { JsonNumber } from '../../../src/json/value.js';
import { constructQuads } from '../../../src/rdf/sparql.js';
import { toNQuads } from '../../../src/rdf/serialize.js';
import { fixtureJson, shippedCountry, shippedVectorDrm } from '../emit/support.js';

const canonize = createRequire(import.meta.url)('rdf-canonize') as { canonize(input: string, options: Readonly<Record<string, string>>): Promise<string> };

/** Comunica, the design card's named engine, kept as the reference this test compares against. */
async function comunicaConstruct(store: Store, query: string): Promise<Quad[]> {
  const { QueryEngine } = await import('@comunica/query-sparql-rdfjs');
  const result = await new QueryEngine().queryQuads(query, { sources: [store] });
  return (await result.toArray()) as Quad[];
}

async function canonical(quads: readonly Quad[]): Promise<string> {
  // Both engines' quads are RDF/JS quads; n3's Writer reads them as its own (same shape).
  return canonize.canonize(toNQuads(quads as readonly N3Quad[]), { algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', format: 'application/n-quads' });
}

async function compare(request: EmissionRequest, query: TroQueryName): Promise<void> {
  const { store } = buildRequestGraph(request);
  const ours = await constructQuads(store, troQueryText(query), query);
  const reference = await comunicaConstruct(store, troQueryText(query));
  expect(ours.length).toBeGreaterThan(20);
  expect(await canonical(ours)).toBe(await canonical(reference));
}

describe('oxigraph CONSTRUCT = Comunica CONSTRUCT on the shipped queries', () => {
  it.each(['us', 'uk'] as const)('bundle TRO request for %s (full, with drm facts)', async (cc) => {
    const { request } = await planBundleTro({ country: shippedCountry(cc), dataReleaseManifest: shippedVectorDrm(cc), emissionContext: { 'pe:emittedIn': 'repository-bundle' } });
    await compare(request, 'construct-bundle-tro.rq');
  });

  it('simulation TRO request with typed runtime values (ints, floats, booleans survive byte for byte)', async () => {
    const { request } = await planSimulationTro({
      bundleTro: fixtureJson('shipped', 'us.trace.tro.jsonld'),
      results: { budgetary_impact: 1 },
      reform: { 'gov.irs.credits.ctc.amount.base[0].amount': 3000 },
      runtimeEnvironment: { runId: 'r-1', attempt: JsonNumber.ofInt(7), share: JsonNumber.ofFloat(3000), cached: false },
      emissionContext: { 'pe:emittedIn': 'policyengine-api' },
      simulationId: 'sim-1',
      createdAt: '2026-04-18T12:05:00Z',
    });
    await compare(request, 'construct-simulation-tro.rq');
    const { store } = buildRequestGraph(request);
    const out = await constructQuads(store, troQueryText('construct-simulation-tro.rq'));
    const typed = out.filter((q) => q.object.termType === 'Literal' && q.object.datatype.value.endsWith('#double'));
    // oxigraph alone would rewrite "3.0E3"^^xsd:double to its own canonical form; shielding keeps our lexical form.
    expect(typed.map((q) => q.object.value)).toContain('3.0E3');
  });
});
