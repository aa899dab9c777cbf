// Lifting manifests through vocab/pe-manifest.context.jsonld: the triples a reader can rely on, dropped keys, determinism.
import { readFileSync } from 'node:fs';
import { Store } from 'n3';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/json/parse.js';
import { countryRelease, parseBundleManifest } from '../../../src/manifest/bundle-manifest.js';
import { liftBundleManifest, liftCountryRelease, liftDataReleaseManifest } from '../../../src/manifest/lift-manifest.js';
import { toNQuads } from '../../../src/rdf/serialize.js';
import { POPULACE_UK_DRM, SHIPPED_MANIFEST, artifact, usDrm } from '../../support/manifest-samples.js';

const PE = 'https://policyengine.org/trace/0.1#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const BASE = 'https://pe-trace.invalid/doc/test/';

function store(quads: Iterable<import('n3').Quad>): Store {
  const s = new Store();
  s.addQuads([...quads]);
  return s;
}

function objects(s: Store, subject: string | import('n3').Term, predicate: string): string[] {
  return s
    .getObjects(subject, predicate, null)
    .map((o) => o.value)
    .sort();
}

describe('liftDataReleaseManifest', () => {
  it('lifts the real populace UK manifest: typed manifest, artifacts by name, the national default linked to its artifact', async () => {
    const doc = parseJson(readFileSync(POPULACE_UK_DRM));
    const lifted = await liftDataReleaseManifest(doc, { base: BASE, label: 'uk.json', sourceSha256: 'f'.repeat(64) });
    const s = store(lifted.quads);
    expect(lifted.graph).toBe(BASE);
    expect(objects(s, BASE, RDF_TYPE)).toEqual([`${PE}DataReleaseManifest`]);
    expect(objects(s, BASE, `${PE}artifact`)).toEqual([
      `${BASE}#artifact/calibration_diagnostics`,
      `${BASE}#artifact/populace_uk_2023`,
      `${BASE}#artifact/populace_uk_2023_calibration`,
    ]);
    const def = `${BASE}#artifact/populace_uk_2023`;
    expect(objects(s, BASE, `${PE}defaultDataset`)).toEqual([def]);
    expect(objects(s, def, `${PE}defaultRole`)).toEqual(['national']);
    expect(objects(s, def, `${PE}artifactKey`)).toEqual(['populace_uk_2023']);
    expect(objects(s, def, `${PE}sha256`)).toEqual(['f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833']);
    const size = s.getObjects(def, `${PE}sizeBytes`, null)[0];
    expect(size?.termType === 'Literal' && [size.value, size.datatype.value]).toEqual(['1315880118', `${XSD}integer`]);
    expect(objects(s, BASE, `${PE}sourceSha256`)).toEqual(['f'.repeat(64)]);
    const build = s.getObjects(BASE, `${PE}build`, null)[0];
    expect(build?.termType).toBe('BlankNode');
    const builtAt = build === undefined ? undefined : s.getObjects(build, `${PE}builtAt`, null)[0];
    expect(builtAt?.termType === 'Literal' && builtAt.datatype.value).toBe(`${XSD}dateTime`);
    // build.metadata is free-form: one rdf:JSON literal.
    const meta = build === undefined ? undefined : s.getObjects(build, `${PE}metadata`, null)[0];
    expect(meta?.termType === 'Literal' && meta.datatype.value).toBe('http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON');
    expect(lifted.warnings).toEqual([]);
    // Every quad is in the manifest's own graph.
    expect(lifted.quads.every((q) => q.graph.value === BASE)).toBe(true);
  });

  it('drops keys the context does not define, @-keys included, and keeps int and float apart', async () => {
    const doc = parseJson(
      JSON.stringify(
        usDrm({
          '@context': 'https://evil.example/context.jsonld',
          'https://evil.example/p': 'x',
          surprise: 1,
          year: 2024,
          artifacts: { 'states/CA': artifact('states/CA.h5', { '@id': 'https://evil.example/node', weight: 1.5 }) },
        }),
      ).replace('"size_bytes":123', '"size_bytes":123,"ratio":2.0'),
    );
    const lifted = await liftDataReleaseManifest(doc, { base: BASE });
    const nq = toNQuads(lifted.quads);
    expect(nq).not.toContain('evil.example');
    expect(nq).not.toContain('surprise');
    expect(nq).toContain(`<${BASE}#artifact/states/CA>`);
    expect(nq).toContain(`"2024"^^<${XSD}integer>`);
    expect(nq).not.toContain('ratio');
  });

  it('is deterministic, and the default base depends on the content only', async () => {
    const doc = parseJson(JSON.stringify(usDrm()));
    const a = await liftDataReleaseManifest(doc);
    const b = await liftDataReleaseManifest(parseJson(JSON.stringify(usDrm())));
    expect(toNQuads(a.quads)).toBe(toNQuads(b.quads));
    expect(a.base).toMatch(/^https:\/\/pe-trace\.invalid\/doc\/[0-9a-f]{64}\/$/);
    const c = await liftDataReleaseManifest(parseJson(JSON.stringify(usDrm({ preservation_dois: ['10.5281/zenodo.1'] }))));
    expect(c.base).not.toBe(a.base);
    expect(toNQuads(c.quads)).toContain(`<${PE}preservationDoi> "10.5281/zenodo.1"`);
  });
});

describe('liftBundleManifest and liftCountryRelease', () => {
  it('lifts the shipped bundle: releases per country, their datasets, overlays, packages', async () => {
    const bytes = readFileSync(SHIPPED_MANIFEST);
    const lifted = await liftBundleManifest(parseJson(bytes), { base: BASE, sourceSha256: '6f113d9388d2b3dcc6a073a28ba3d0ae50b0cd32a317a574a38d6a673f96bfa6' });
    const s = store(lifted.quads);
    expect(objects(s, BASE, RDF_TYPE)).toEqual([`${PE}BundleManifest`]);
    expect(objects(s, BASE, `${PE}dataRelease`)).toEqual([`${BASE}#release/uk`, `${BASE}#release/us`]);
    const us = `${BASE}#release/us`;
    expect(objects(s, us, `${PE}releaseCountry`)).toEqual(['us']);
    expect(s.getObjects(us, `${PE}dataset`, null)).toHaveLength(6);
    const cert = s.getObjects(us, `${PE}certification`, null)[0];
    expect(cert === undefined ? [] : objects(s, cert, `${PE}compatibilityBasis`)).toEqual(['built_with_model_package']);
    expect(objects(s, `${BASE}#overlays/uk`, `${PE}dataset`)).toHaveLength(3);
    expect(objects(s, `${BASE}#overlays/uk/dataset/populace_uk_2023`, `${PE}datasetKey`)).toEqual(['populace_uk_2023']);
    expect(objects(s, `${BASE}#package/policyengine-us`, `${PE}installRequirement`)).toEqual(['policyengine-us==1.764.6']);
    // countries.{cc}.model_package is a name here, not a pin: the scoped context maps it apart.
    expect(objects(s, `${BASE}#country/us`, `${PE}modelPackageName`)).toEqual(['policyengine-us']);
    expect(lifted.warnings).toEqual([]);
  });

  it('lifts one merged country release with its source hash', async () => {
    const bundle = parseBundleManifest(readFileSync(SHIPPED_MANIFEST));
    const lifted = await liftCountryRelease(countryRelease(bundle, 'uk'), { base: BASE });
    const s = store(lifted.quads);
    expect(objects(s, BASE, RDF_TYPE)).toEqual([`${PE}CountryRelease`]);
    expect(s.getObjects(BASE, `${PE}dataset`, null)).toHaveLength(10);
    expect(objects(s, BASE, `${PE}sourceSha256`)).toEqual([bundle.source_sha256]);
    expect(objects(s, BASE, `${PE}defaultDatasetName`)).toEqual(['enhanced_frs_2024_25']);
  });
});
