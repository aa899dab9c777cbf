// Runtime fetch of a country's data release manifest from a loopback hub: URL, revision rewrite, raw-byte hash, unavailable cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/hash/digest.js';
import { countryRelease, parseBundleManifest } from '../../../src/manifest/bundle-manifest.js';
import { fetchDataReleaseManifest } from '../../../src/manifest/drm-fetch.js';
import { createNodeHttpClient } from '../../../src/manifest/http.js';
import type { CountryRelease } from '../../../src/manifest/types.js';
import { LoopbackHub, hubPath } from '../../support/loopback-hub.js';
import { artifact, shippedManifestBytes, usDrm } from '../../support/manifest-samples.js';

const US_REV = 'populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z';
const us = countryRelease(parseBundleManifest(shippedManifestBytes()), 'us');
const http = createNodeHttpClient({ allowLoopbackHttp: true });
let hub: LoopbackHub;

beforeAll(async () => {
  hub = await LoopbackHub.start();
});
afterAll(async () => {
  await hub.close();
});

/** The US entry pointing at a manifest path of its own, so tests do not share routes. */
function releaseAt(path: string, revision?: string): CountryRelease {
  const { release_manifest_revision: _r, ...dp } = us.data_package;
  return { ...us, data_package: { ...dp, release_manifest_path: path, ...(revision === undefined ? {} : { release_manifest_revision: revision }) } };
}

describe('fetchDataReleaseManifest', () => {
  it('GETs the datasets/ URL at the release revision and parses build, packages, specifiers and artifact URIs', async () => {
    const doc = usDrm({
      compatible_core_packages: [{ name: 'policyengine-core', specifier: '==3.30.1' }],
      build: {
        build_id: US_REV,
        built_at: '2026-07-28T03:56:03.415544+00:00',
        built_with_core_package: { name: 'policyengine-core', version: '3.30.1' },
        built_with_model_package: { name: 'policyengine-us', version: '1.764.6' },
      },
      artifacts: { populace_us_2024: artifact('populace_us_2024.h5', { revision: US_REV }) },
    });
    const body = JSON.stringify(doc, null, 1);
    hub.file(hubPath('dataset', 'policyengine/populace-us', US_REV, us.data_package.release_manifest_path), body);
    const out = await fetchDataReleaseManifest(us, { http, hubUrl: hub.url });
    expect(out.status).toBe('available');
    if (out.status !== 'available') return;
    expect(out.url).toBe(`${hub.url}/datasets/policyengine/populace-us/resolve/${US_REV}/releases/${US_REV}/release_manifest.json`);
    expect(out.manifest.build?.built_with_core_package).toEqual({ name: 'policyengine-core', version: '3.30.1' });
    expect(out.manifest.compatible_core_packages).toEqual([{ name: 'policyengine-core', specifier: '==3.30.1' }]);
    expect(out.manifest.compatible_model_packages[0]?.specifier).toBe('==1.637.0');
    const art = out.manifest.artifacts['populace_us_2024'];
    expect(art && `hf://${art.repo_id}/${art.path}@${art.revision}`).toBe(us.certified_data_artifact?.uri);
  });

  it('uses the data version when there is no release revision, and sends the token', async () => {
    hub.set(hubPath('dataset', 'policyengine/populace-us', '0.1.0', 'v/release_manifest.json'), { body: JSON.stringify(usDrm()), token: 'secret' });
    const denied = await fetchDataReleaseManifest(releaseAt('v/release_manifest.json'), { http, hubUrl: hub.url });
    expect(denied).toMatchObject({ status: 'unavailable', httpStatus: 401 });
    expect(denied.status === 'unavailable' && denied.reason).toContain('HUGGING_FACE_TOKEN');
    const ok = await fetchDataReleaseManifest(releaseAt('v/release_manifest.json'), { http, hubUrl: hub.url, token: 'secret' });
    expect(ok.status).toBe('available');
    expect(hub.requests.at(-1)?.authorization).toBe('Bearer secret');
  });

  it('rewrites artifacts pinned to the data version to the release revision; source_sha256 is of the raw body', async () => {
    const doc = usDrm({
      artifacts: {
        populace_us_2024: artifact('populace_us_2024.h5', { revision: '0.1.0' }),
        elsewhere: artifact('x.h5', { revision: '0.1.0', repo_id: 'policyengine/other' }),
        pinned: artifact('y.h5', { revision: 'some-tag' }),
      },
    });
    const body = JSON.stringify(doc);
    hub.file(hubPath('dataset', 'policyengine/populace-us', 'abc123', 'rw/release_manifest.json'), body);
    const out = await fetchDataReleaseManifest(releaseAt('rw/release_manifest.json', 'abc123'), { http, hubUrl: hub.url });
    if (out.status !== 'available') throw new Error(out.reason);
    expect(out.manifest.artifacts['populace_us_2024']?.revision).toBe('abc123');
    expect(out.manifest.artifacts['elsewhere']?.revision).toBe('0.1.0');
    expect(out.manifest.artifacts['pinned']?.revision).toBe('some-tag');
    expect(out.manifest.source_sha256).toBe(sha256Hex(body));
    expect(out.read.manifest.artifacts['populace_us_2024']?.revision).toBe('0.1.0');
  });

  it('reports a missing manifest (404) and other failures as unavailable', async () => {
    const missing = await fetchDataReleaseManifest(releaseAt('none/release_manifest.json'), { http, hubUrl: hub.url });
    expect(missing).toMatchObject({ status: 'unavailable', httpStatus: 404 });
    expect(missing.status === 'unavailable' && missing.reason).toBe('No data release manifest was published for this data package.');
    hub.set(hubPath('dataset', 'policyengine/populace-us', '0.1.0', 'err/release_manifest.json'), { status: 500 });
    expect(await fetchDataReleaseManifest(releaseAt('err/release_manifest.json'), { http, hubUrl: hub.url })).toMatchObject({ httpStatus: 500 });
    const closed = await LoopbackHub.start();
    const url = closed.url;
    await closed.close();
    const refused = await fetchDataReleaseManifest(releaseAt('x/release_manifest.json'), { http, hubUrl: url });
    expect(refused.status === 'unavailable' && refused.reason).toMatch(/Could not reach .*ECONNREFUSED/);
  });

  it('throws (exit 3) on a body that is not a manifest', async () => {
    hub.file(hubPath('dataset', 'policyengine/populace-us', '0.1.0', 'bad/release_manifest.json'), '{"schema_version": 1}');
    await expect(fetchDataReleaseManifest(releaseAt('bad/release_manifest.json'), { http, hubUrl: hub.url })).rejects.toThrow(/#\/data_package: required field is missing/);
  });
});
