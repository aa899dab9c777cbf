// Bundle TRO emission: the byte-exact vectors, every interop §10 test_trace_tro.py bundle case, and the round trip.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleTroInput, type PypiLookup, bundleTroReference, emitBundleTro } from '../../../src/emit/index.js';
import { compositionFingerprint } from '../../../src/hash/fingerprint.js';
import { parseJson } from '../../../src/json/parse.js';
import type { JsonObject } from '../../../src/json/value.js';
import { createNodeHttpClient, fetchPypiWheelMetadata, rewriteArtifactRevisions } from '../../../src/manifest/index.js';
import type { CountryRelease } from '../../../src/manifest/types.js';
import { validateJsonSchema } from '../../../src/validate/json-schema.js';
import { verifyTro } from '../../../src/verify/verify.js';
import {
  A64,
  C64,
  D64,
  GENERATED,
  artifactIds,
  artifactsOf,
  fixtureText,
  locationsOf,
  performanceOf,
  roundTrip,
  shippedCountry,
  shippedVectorDrm,
  syntheticDrm,
  troNodeOf,
} from './support.js';

const LOCAL = { 'pe:emittedIn': 'local' };
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/** The §10 "bundle TRO fixture": the bundled US manifest plus the synthetic drm, GITHUB_ACTIONS unset. */
function fixtureInput(overrides: Partial<BundleTroInput> = {}): BundleTroInput {
  return { country: shippedCountry('us'), dataReleaseManifest: syntheticDrm(), emissionContext: LOCAL, ...overrides };
}

function withoutWheelPins(country: CountryRelease): CountryRelease {
  return { ...country, model_package: { name: country.model_package.name, version: country.model_package.version } };
}

/** A real loopback PyPI JSON endpoint: `/pypi/{name}/{version}/json` lists one wheel with sha a*64. */
let pypi: Server;
let pypiBase = '';
let pypiRequests = 0;
beforeAll(async () => {
  pypi = createServer((req, res) => {
    pypiRequests += 1;
    const m = /^\/pypi\/([^/]+)\/([^/]+)\/json$/.exec(req.url ?? '');
    if (m === null) {
      res.writeHead(404).end();
      return;
    }
    const [, name = '', version = ''] = m;
    const wheel = `https://files.pythonhosted.org/packages/xx/${name.replace(/-/g, '_')}-${version}-py3-none-any.whl`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ urls: [{ packagetype: 'sdist', url: 'https://example.org/x.tar.gz', digests: { sha256: 'f'.repeat(64) } }, { packagetype: 'bdist_wheel', url: wheel, digests: { sha256: A64 } }] }));
  });
  await new Promise<void>((resolve) => pypi.listen(0, '127.0.0.1', resolve));
  pypiBase = `http://127.0.0.1:${(pypi.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => pypi.close(() => resolve())));

function pypiAt(base: string): PypiLookup {
  const http = createNodeHttpClient({ allowLoopbackHttp: true, timeoutMs: 5000 });
  return async (name, version) => {
    const found = await fetchPypiWheelMetadata(http, name, version, { pypiUrl: base });
    if (found.problem !== undefined) throw new Error(found.problem);
    return found;
  };
}

describe('byte-exact vectors', () => {
  for (const cc of ['us', 'uk'] as const) {
    it(`limited ${cc} TRO (no drm, emittedIn local) = generated/${cc}.limited.bundle.trace.tro.jsonld`, async () => {
      const tro = await emitBundleTro({ country: shippedCountry(cc), emissionContext: LOCAL });
      expect(text(tro.bytes)).toBe(fixtureText('generated', `${cc}.limited.bundle.trace.tro.jsonld`));
      expect(tro.fingerprint).toBe(cc === 'us' ? '22fd9f1e888c8d79f6eaf8555d9e9c43c16993d8b44d3090ac849d0faa2036af' : '05d47418db88e75c9ff6b17c0bcf3b4b8df6b999004b7657cb7b3af0be779476');
    });
    it(`shipped ${cc} TRO from the §3.3 regeneration inputs (repository-bundle) = shipped/${cc}.trace.tro.jsonld`, async () => {
      const tro = await emitBundleTro({ country: shippedCountry(cc), dataReleaseManifest: shippedVectorDrm(cc), emissionContext: { 'pe:emittedIn': 'repository-bundle' } });
      expect(text(tro.bytes)).toBe(fixtureText('shipped', `${cc}.trace.tro.jsonld`));
    });
  }
});

describe('bundle TRO (test_trace_tro.py TestBundleTRO)', () => {
  it('uses the public TROv 0.1 namespace in a one-object @context list', async () => {
    const { document } = await emitBundleTro(fixtureInput());
    const context = document['@context'] as JsonObject[];
    expect(context).toHaveLength(1);
    expect(context[0]?.['trov']).toBe('https://w3id.org/trace/trov/0.1#');
  });

  it('has one root node of type trov:TransparentResearchObject with id tro', async () => {
    const { document } = await emitBundleTro(fixtureInput());
    expect(document['@graph']).toHaveLength(1);
    expect(troNodeOf(document)['@type']).toBe('trov:TransparentResearchObject');
    expect(troNodeOf(document)['@id']).toBe('tro');
  });

  it('is assembled by a trov:TransparentResearchSystem', async () => {
    const { document } = await emitBundleTro(fixtureInput());
    expect((troNodeOf(document)['trov:wasAssembledBy'] as JsonObject)['@type']).toBe('trov:TransparentResearchSystem');
  });

  it('has a trov:TransparentResearchPerformance that accessed arrangement/1', async () => {
    const perf = performanceOf((await emitBundleTro(fixtureInput())).document);
    expect(perf['@type']).toBe('trov:TransparentResearchPerformance');
    expect(perf['trov:accessedArrangement']).toEqual({ '@id': 'arrangement/1' });
    expect(perf['trov:wasConductedBy']).toEqual({ '@id': 'trs' });
  });

  it('gives every artifact a flat 64-hex trov:sha256 and no trov:hash', async () => {
    for (const a of artifactsOf((await emitBundleTro(fixtureInput())).document)) {
      expect(a['trov:sha256']).toMatch(/^[0-9a-f]{64}$/);
      expect(a['trov:hash']).toBeUndefined();
    }
  });

  it('places artifacts with trov:hasLocation / trov:hasArtifact, never trov:path / trov:artifact', async () => {
    for (const l of locationsOf((await emitBundleTro(fixtureInput())).document)) {
      expect(typeof l['trov:hasLocation']).toBe('string');
      expect(l['trov:hasArtifact']).toHaveProperty('@id');
      expect(l['trov:path']).toBeUndefined();
      expect(l['trov:artifact']).toBeUndefined();
    }
  });

  it('names PolicyEngine as the creator organisation', async () => {
    expect(troNodeOf((await emitBundleTro(fixtureInput())).document)['schema:creator']).toEqual({
      '@type': 'schema:Organization',
      'schema:name': 'PolicyEngine',
      'schema:url': 'https://policyengine.org',
    });
  });

  it('includes exactly one model wheel with the manifest sha256 and URL', async () => {
    const country = shippedCountry('us');
    const { document } = await emitBundleTro(fixtureInput());
    const wheels = artifactsOf(document).filter((a) => String(a['@id']).endsWith('/model_wheel'));
    expect(wheels).toHaveLength(1);
    expect(wheels[0]?.['trov:sha256']).toBe(country.model_package.sha256);
    expect(locationsOf(document).find((l) => String(l['@id']).endsWith('/model_wheel'))?.['trov:hasLocation']).toBe(country.model_package.wheel_url);
  });

  it('does not ask PyPI when the manifest pins the wheel sha256 and URL', async () => {
    const before = pypiRequests;
    const tro = await emitBundleTro(fixtureInput({ pypi: pypiAt(pypiBase) }));
    expect(pypiRequests).toBe(before);
    expect(tro.artifacts.find((a) => a.shortId === 'model_wheel')?.sha256).toBe(shippedCountry('us').model_package.sha256);
  });

  it('fills a missing wheel sha256 and URL from a PyPI JSON endpoint (loopback), first bdist_wheel', async () => {
    const before = pypiRequests;
    const tro = await emitBundleTro(fixtureInput({ country: withoutWheelPins(shippedCountry('us')), pypi: pypiAt(pypiBase) }));
    expect(pypiRequests).toBe(before + 1);
    const wheel = tro.artifacts.find((a) => a.shortId === 'model_wheel');
    expect(wheel?.sha256).toBe(A64);
    expect(wheel?.location).toMatch(/^https:\/\/files\.pythonhosted\.org\/.*policyengine_us-1\.764\.6-py3-none-any\.whl$/);
    expect(wheel?.mimeType).toBe('application/zip');
  });

  it('omits the wheel (and says so) when PyPI is unreachable and the manifest has no sha256', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const tro = await emitBundleTro(fixtureInput({ country: withoutWheelPins(shippedCountry('us')), pypi: pypiAt(`http://127.0.0.1:${port}`) }));
    expect(artifactIds(tro.document)).not.toContain('model_wheel');
    expect(tro.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['PYPI_UNAVAILABLE', 'WHEEL_OMITTED']));
  });

  it('uses the certified dataset sha256 even when the drm artifact has none', async () => {
    const us = shippedCountry('us');
    const country: CountryRelease = { ...us, certified_data_artifact: { ...(us.certified_data_artifact ?? { dataset: '', uri: '' }), sha256: D64 } };
    const tro = await emitBundleTro(fixtureInput({ country, dataReleaseManifest: syntheticDrm({ artifactSha: null }) }));
    expect(tro.artifacts.find((a) => a.shortId === 'dataset')?.sha256).toBe(D64);
  });

  it('falls back to the drm artifact sha256 when the certified artifact has none', async () => {
    const us = shippedCountry('us');
    const { sha256: _dropped, ...ca } = us.certified_data_artifact ?? { dataset: '', uri: '' };
    const tro = await emitBundleTro(fixtureInput({ country: { ...us, certified_data_artifact: ca } }));
    expect(tro.artifacts.find((a) => a.shortId === 'dataset')?.sha256).toBe(C64);
  });

  it('emits a limited, schema-valid TRO without a drm', async () => {
    const tro = await emitBundleTro({ country: shippedCountry('us'), emissionContext: LOCAL });
    expect(artifactIds(tro.document)).toEqual(['bundle_manifest', 'dataset', 'model_wheel']);
    expect(performanceOf(tro.document)['pe:dataReleaseManifestStatus']).toBe('unavailable');
    expect(tro.artifacts.find((a) => a.shortId === 'dataset')?.location.startsWith('https://huggingface.co/')).toBe(true);
    expect(validateJsonSchema(tro.document, { dialect: 'pe-0.1' }).valid).toBe(true);
  });

  it('locates the bundle manifest locally and everything else over https', async () => {
    const where = locationsOf((await emitBundleTro(fixtureInput())).document).map((l) => String(l['trov:hasLocation']));
    expect(where[0]).toBe('data/bundle/manifest.json');
    for (const w of where.slice(1)) expect(w.startsWith('https://')).toBe(true);
  });

  it('derives the dataset location from the certified URI, not from the drm artifact revision', async () => {
    const tro = await emitBundleTro(fixtureInput({ dataReleaseManifest: syntheticDrm({ revision: '1.113.1' }) }));
    const location = tro.artifacts.find((a) => a.shortId === 'dataset')?.location ?? '';
    expect(location).toContain('/datasets/policyengine/populace-us/');
    expect(location).not.toContain('/resolve/1.113.1/');
  });

  it('hashes the drm source bytes even after its artifact revisions were rewritten', async () => {
    const drm = syntheticDrm();
    const rewritten = rewriteArtifactRevisions(drm, { repo_id: 'policyengine/populace-us', version: 'populace-us-2024-aaaaaaa-20260101', release_manifest_revision: 'deadbeefcafe' });
    expect(rewritten.artifacts['populace_us_2024']?.revision).toBe('deadbeefcafe');
    const tro = await emitBundleTro(fixtureInput({ dataReleaseManifest: rewritten }));
    expect(tro.artifacts.find((a) => a.shortId === 'data_release_manifest')?.sha256).toBe(drm.source_sha256);
  });

  it('drops a drm that lacks the certified dataset when the certified sha256 exists, and warns (fixes §11.9)', async () => {
    const drm = { ...syntheticDrm(), artifacts: {} };
    const tro = await emitBundleTro(fixtureInput({ dataReleaseManifest: drm }));
    expect(artifactIds(tro.document)).toEqual(['bundle_manifest', 'dataset', 'model_wheel']);
    expect(performanceOf(tro.document)['pe:dataReleaseManifestStatus']).toBe('unavailable');
    const dropped = tro.findings.find((f) => f.code === 'DRM_DROPPED');
    expect(dropped?.severity).toBe('warning');
    expect(dropped?.message).toContain("'populace_us_2024'");
  });

  it('refuses when neither the certified artifact nor the drm gives the dataset sha256', async () => {
    const us = shippedCountry('us');
    const { sha256: _dropped, ...ca } = us.certified_data_artifact ?? { dataset: '', uri: '' };
    const run = emitBundleTro(fixtureInput({ country: { ...us, certified_data_artifact: ca }, dataReleaseManifest: { ...syntheticDrm(), artifacts: {} } }));
    await expect(run).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
    await expect(run).rejects.toThrow(/does not include the certified dataset 'populace_us_2024'/);
  });

  it('refuses a country release without a certified artifact', async () => {
    const { certified_data_artifact: _dropped, ...country } = shippedCountry('us');
    await expect(emitBundleTro({ country, emissionContext: LOCAL })).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
  });

  it('records the certification as machine-readable pe: fields', async () => {
    const cert = shippedCountry('us').certification;
    const perf = performanceOf((await emitBundleTro(fixtureInput())).document);
    expect(perf['pe:certifiedForModelVersion']).toBe(cert?.certified_for_model_version);
    expect(perf['pe:compatibilityBasis']).toBe(cert?.compatibility_basis);
    expect(perf['pe:builtWithModelVersion']).toBe(cert?.built_with_model_version);
    expect(perf['pe:dataBuildId']).toBe(cert?.data_build_id);
    expect(perf['pe:certifiedBy']).toBe('policyengine.py bundle certification');
  });

  it('leaves out pe:preservationDoi when the drm lists none', async () => {
    expect(performanceOf((await emitBundleTro(fixtureInput())).document)).not.toHaveProperty('pe:preservationDoi');
  });

  it('records the drm preservation DOIs as a list, in order', async () => {
    const dois = ['10.5281/zenodo.20678518', '10.5281/zenodo.1'];
    const tro = await emitBundleTro(fixtureInput({ dataReleaseManifest: syntheticDrm({ preservationDois: dois }) }));
    expect(performanceOf(tro.document)['pe:preservationDoi']).toEqual(dois);
    const one = await emitBundleTro(fixtureInput({ dataReleaseManifest: syntheticDrm({ preservationDois: ['10.5281/zenodo.20678518'] }) }));
    expect(performanceOf(one.document)['pe:preservationDoi']).toEqual(['10.5281/zenodo.20678518']);
  });

  it('takes the dates from the drm build (and notes that they are the build time, §11.10)', async () => {
    const tro = await emitBundleTro(fixtureInput());
    expect(troNodeOf(tro.document)['schema:dateCreated']).toBe('2026-04-10T12:00:00Z');
    expect(performanceOf(tro.document)['trov:startedAtTime']).toBe('2026-04-10T12:00:00Z');
    expect(performanceOf(tro.document)).not.toHaveProperty('trov:endedAtTime');
    expect(tro.findings.map((f) => f.code)).toContain('DATES_ARE_BUILD_TIME');
  });

  it('writes the emission context it is given, and nothing from the environment', async () => {
    const perf = performanceOf((await emitBundleTro(fixtureInput({ emissionContext: { 'pe:emittedIn': 'github-actions', 'pe:ciGitSha': 'abc123' } }))).document);
    expect(perf['pe:emittedIn']).toBe('github-actions');
    expect(perf['pe:ciGitSha']).toBe('abc123');
    const local = performanceOf((await emitBundleTro(fixtureInput())).document);
    expect(local['pe:emittedIn']).toBe('local');
    expect(local).not.toHaveProperty('pe:ciRunUrl');
    expect(local).not.toHaveProperty('pe:ciGitSha');
  });

  it('refuses an emission context that would overwrite the TRO (fixes §11.11)', async () => {
    await expect(emitBundleTro(fixtureInput({ emissionContext: {} }))).rejects.toMatchObject({ code: 'USAGE' });
    await expect(emitBundleTro(fixtureInput({ emissionContext: { 'pe:emittedIn': 'local', '@type': 'x' } }))).rejects.toMatchObject({ code: 'USAGE' });
    await expect(emitBundleTro(fixtureInput({ emissionContext: { 'pe:emittedIn': 'local', 'pe:compatibilityBasis': 'x' } }))).rejects.toThrow(/pe:compatibilityBasis would be set twice/);
  });

  it('gives identical bytes for fresh manifest instances (determinism)', async () => {
    const a = await emitBundleTro(fixtureInput());
    const b = await emitBundleTro(fixtureInput());
    expect(text(b.bytes)).toBe(text(a.bytes));
  });

  it('records pe:selfUrl on the TRO node when given', async () => {
    const tro = await emitBundleTro(fixtureInput({ selfUrl: 'https://example.org/us.trace.tro.jsonld' }));
    expect(troNodeOf(tro.document)['pe:selfUrl']).toBe('https://example.org/us.trace.tro.jsonld');
  });

  it('finds the TRO node after a decoy node (extract_bundle_tro_reference)', async () => {
    const doc = parseJson(fixtureText('shipped', 'us.trace.tro.jsonld')) as JsonObject;
    const graph = doc['@graph'] as JsonObject[];
    doc['@graph'] = [parseJson('{"@id":"decoy","@type":"schema:Thing"}') as JsonObject, ...graph];
    const ref = bundleTroReference(doc);
    expect(ref.fingerprint).toBe('66ceaf4c12243f1f6ccb5b01e10fd1cd0a6e1e2fc6a9915ae5bde114353a4377');
    expect(ref.name).toBe('policyengine us certified bundle TRO');
    expect(ref.policyengineVersion).toBe('5.0.3');
  });

  it('fingerprints the artifact hashes regardless of their order', async () => {
    const tro = await emitBundleTro(fixtureInput());
    const hashes = tro.artifacts.map((a) => a.sha256);
    expect(tro.fingerprint).toBe(compositionFingerprint([...hashes].reverse(), 'sha256-newline'));
    expect((troNodeOf(tro.document)['trov:hasComposition'] as JsonObject)['trov:hasFingerprint']).toMatchObject({ 'trov:sha256': tro.fingerprint });
  });

  it('separates hashes so that hex-length ambiguity cannot collide', () => {
    expect(compositionFingerprint(['ab', 'cdef'], 'sha256-newline')).not.toBe(compositionFingerprint(['abcd', 'ef'], 'sha256-newline'));
  });

  it('validates against the pe-0.1 JSON Schema', async () => {
    const report = validateJsonSchema((await emitBundleTro(fixtureInput())).document, { dialect: 'pe-0.1' });
    expect(report.errors).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it('fails the schema once a location leaks a file:// path', async () => {
    const doc = parseJson((await emitBundleTro(fixtureInput())).bytes);
    (locationsOf(doc)[2] as JsonObject)['trov:hasLocation'] = 'file:///tmp/leak.h5';
    expect(validateJsonSchema(doc, { dialect: 'pe-0.1' }).valid).toBe(false);
  });

  it('emits a runtime bundle TRO with a runtime certification (TaxBenefitModelVersion.trace_tro)', async () => {
    const runtime = { compatibility_basis: 'exact_build_model_version', certified_for_model_version: '1.764.6', built_with_model_version: '1.764.6' };
    const tro = await emitBundleTro(fixtureInput({ certification: runtime, pypi: pypiAt(pypiBase) }));
    expect(troNodeOf(tro.document)['schema:creator']).toMatchObject({ 'schema:name': 'PolicyEngine' });
    expect(performanceOf(tro.document)['pe:compatibilityBasis']).toBe('exact_build_model_version');
    expect(performanceOf(tro.document)).not.toHaveProperty('pe:dataBuildId');
    expect(validateJsonSchema(tro.document, { dialect: 'pe-0.1' }).valid).toBe(true);
  });

  it('falls back to the limited TRO when the runtime drm is unavailable (trace_tro without drm)', async () => {
    const tro = await emitBundleTro(fixtureInput({ dataReleaseManifest: undefined }));
    expect(artifactIds(tro.document)).toContain('dataset');
    expect(artifactIds(tro.document)).not.toContain('data_release_manifest');
    expect(validateJsonSchema(tro.document, { dialect: 'pe-0.1' }).valid).toBe(true);
  });
});

describe('bundle TRO round trip', () => {
  it('re-reads as pe-0.1, validates, and lifts back to the CONSTRUCT graph (RDFC-1.0)', async () => {
    const tro = await emitBundleTro(fixtureInput({ dataReleaseManifest: syntheticDrm({ preservationDois: ['10.1/a', '10.1/b'] }) }));
    const back = await roundTrip(tro);
    expect(back.model.dialect.id).toBe('pe-0.1');
    expect(back.model.artifacts.map((a) => a.shortId)).toEqual(['bundle_manifest', 'data_release_manifest', 'dataset', 'model_wheel']);
    expect(back.model.fingerprint?.value).toBe(tro.fingerprint);
    expect(back.schema.valid).toBe(true);
    expect(back.liftedNq).toBe(back.constructedNq);
    expect(back.liftedNq.split('\n').length).toBeGreaterThan(60);
  });

  it('round-trips the limited and shipped vectors too', async () => {
    for (const tro of [
      await emitBundleTro({ country: shippedCountry('uk'), emissionContext: LOCAL }),
      await emitBundleTro({ country: shippedCountry('uk'), dataReleaseManifest: shippedVectorDrm('uk'), emissionContext: { 'pe:emittedIn': 'repository-bundle' } }),
    ]) {
      const back = await roundTrip(tro);
      expect(back.liftedNq).toBe(back.constructedNq);
    }
  });

  it('verifies offline against the package-root layout (https artifacts skipped)', async () => {
    const tro = await emitBundleTro({ country: shippedCountry('us'), dataReleaseManifest: shippedVectorDrm('us'), emissionContext: LOCAL });
    const { model } = await roundTrip(tro);
    const report = await verifyTro(model, {
      baseDir: join(GENERATED, 'package-root'),
      skip: ['data_release_manifest', 'dataset', 'model_wheel'],
      fetchHttps: false,
    });
    expect(report.fingerprint.status).toBe('ok');
    expect(report.artifacts.map((a) => [a.id, a.status])).toEqual([
      ['bundle_manifest', 'ok'],
      ['data_release_manifest', 'skipped'],
      ['dataset', 'skipped'],
      ['model_wheel', 'skipped'],
    ]);
    expect(report.verified).toBe(true);
  });
});
