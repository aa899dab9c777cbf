// Shared fixtures of the emit tests: the shipped bundle manifest, the interop §10 synthetic drm, round-trip checks.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { CONSTRUCT_BASE, type EmittedTro } from '../../../src/emit/index.js';
import { canonicalJsonBytes } from '../../../src/json/canonical.js';
import { parseJson } from '../../../src/json/parse.js';
import type { JsonObject, JsonValue } from '../../../src/json/value.js';
import { countryRelease, parseBundleManifest, parseDataReleaseManifest } from '../../../src/manifest/index.js';
import type { CountryRelease, DataReleaseManifest } from '../../../src/manifest/types.js';
import { liftJsonLd } from '../../../src/rdf/lift.js';
import { toNQuads } from '../../../src/rdf/serialize.js';
import { readTroModel } from '../../../src/tro/read.js';
import { validateJsonSchema } from '../../../src/validate/json-schema.js';
import { FIXTURES } from '../../support/cli.js';

/** rdf-canonize ships no type declarations: the one function used here, typed. */
const canonize = createRequire(import.meta.url)('rdf-canonize') as { canonize(input: string, options: Readonly<Record<string, string>>): Promise<string> };

export const PE = join(FIXTURES, 'policyengine-py');
export const SHIPPED = join(PE, 'shipped');
export const GENERATED = join(PE, 'generated');

export function fixtureText(...parts: string[]): string {
  return readFileSync(join(PE, ...parts), 'utf8');
}

export function fixtureJson(...parts: string[]): JsonValue {
  return parseJson(readFileSync(join(PE, ...parts)));
}

/** A country entry of the shipped manifest.json, read by the manifest area (source_sha256 = the file's hash). */
export function shippedCountry(cc: 'us' | 'uk'): CountryRelease {
  return countryRelease(parseBundleManifest(readFileSync(join(SHIPPED, 'manifest.json')), { label: 'manifest.json' }), cc);
}

/** The interop §3.3 regeneration inputs: the drm facts that reproduce the shipped TROs (bytes unavailable offline). */
export function shippedVectorDrm(cc: 'us' | 'uk') {
  const country = shippedCountry(cc);
  const vector = {
    us: { sha: 'dd949ba3c4c7a56aff8442c6db5a031d2c84c3da59f5d14832f468c358604506', builtAt: '2026-07-28T03:56:03.415544+00:00' },
    uk: { sha: '9bfccac472d74b044596205ee153b0c81fcd8d93e84f5820c7081e30f2cab0c5', builtAt: '2026-08-18T14:20:32.100961Z' },
  }[cc];
  const path = country.datasets[country.default_dataset]?.path ?? '';
  return { source_sha256: vector.sha, build: { built_at: vector.builtAt }, artifacts: { [country.default_dataset]: { path } } };
}

export const C64 = 'c'.repeat(64);
export const A64 = 'a'.repeat(64);
export const D64 = 'd'.repeat(64);

/** The interop §10 "bundle TRO fixture" data release manifest (populace-data 0.1.0, build …aaaaaaa-20260101), as JSON. */
export function syntheticDrmDocument(overrides: { artifactSha?: string | null; preservationDois?: string[]; revision?: string } = {}): JsonObject {
  const artifact: Record<string, unknown> = {
    kind: 'microdata',
    path: 'populace_us_2024.h5',
    repo_id: 'policyengine/populace-us',
    revision: overrides.revision ?? 'populace-us-2024-aaaaaaa-20260101',
    size_bytes: 123,
  };
  if (overrides.artifactSha !== null) artifact['sha256'] = overrides.artifactSha ?? C64;
  const doc: Record<string, unknown> = {
    schema_version: 1,
    data_package: { name: 'populace-data', version: '0.1.0' },
    compatible_model_packages: [{ name: 'policyengine-us', specifier: '>=1.637.0,<2' }],
    default_datasets: { national: 'populace_us_2024' },
    build: {
      build_id: 'populace-us-2024-aaaaaaa-20260101',
      built_at: '2026-04-10T12:00:00Z',
      built_with_model_package: { name: 'policyengine-us', version: '1.637.0', git_sha: 'deadbeef', data_build_fingerprint: 'sha256:build' },
    },
    artifacts: { populace_us_2024: artifact },
  };
  if (overrides.preservationDois !== undefined) doc['preservation_dois'] = overrides.preservationDois;
  return parseJson(JSON.stringify(doc)) as JsonObject;
}

/** The synthetic drm read by the manifest area from its canonical bytes (so source_sha256 is real). */
export function syntheticDrm(overrides: Parameters<typeof syntheticDrmDocument>[0] = {}): DataReleaseManifest {
  return parseDataReleaseManifest(canonicalJsonBytes(syntheticDrmDocument(overrides)), { label: 'release_manifest.json' }).manifest;
}

/** The single TRO node of an emitted pe-0.1 document. */
export function troNodeOf(doc: JsonValue): JsonObject {
  const graph = (doc as JsonObject)['@graph'] as JsonObject[];
  return graph[0] as JsonObject;
}

export function performanceOf(doc: JsonValue): JsonObject {
  return troNodeOf(doc)['trov:hasPerformance'] as JsonObject;
}

export function artifactsOf(doc: JsonValue): JsonObject[] {
  return (troNodeOf(doc)['trov:hasComposition'] as JsonObject)['trov:hasArtifact'] as JsonObject[];
}

export function locationsOf(doc: JsonValue): JsonObject[] {
  return ((troNodeOf(doc)['trov:hasArrangement'] as JsonObject[])[0] as JsonObject)['trov:hasArtifactLocation'] as JsonObject[];
}

export function artifactIds(doc: JsonValue): string[] {
  return artifactsOf(doc).map((a) => String(a['@id']).split('/').pop() ?? '');
}

/** RDFC-1.0 canonical N-Quads of a set of quads, all moved into the default graph. */
export async function canonicalNQuads(quads: readonly Quad[]): Promise<string> {
  const { quad, defaultGraph } = DataFactory;
  const moved = quads.map((q) => quad(q.subject as never, q.predicate as never, q.object as never, defaultGraph()));
  return canonize.canonize(toNQuads(moved), { algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', format: 'application/n-quads' });
}

/**
 * Re-reads an emitted TRO the way any consumer would: parsed from its bytes, read as a pe-0.1 model, schema-
 * validated, and lifted back to RDF (with the construct base, so ids line up) for comparison with the graph
 * the CONSTRUCT query produced.
 */
export async function roundTrip(tro: EmittedTro) {
  const doc = parseJson(tro.bytes);
  const model = readTroModel(doc, { label: 'emitted' });
  const schema = validateJsonSchema(doc, { label: 'emitted', dialect: 'pe-0.1' });
  const lifted = await liftJsonLd(doc, { label: 'emitted', base: CONSTRUCT_BASE });
  const [liftedNq, constructedNq] = await Promise.all([canonicalNQuads(lifted.quads), canonicalNQuads(tro.graph)]);
  return { doc, model, schema, liftedNq, constructedNq };
}
