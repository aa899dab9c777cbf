// build_country_manifest_payload and the US state overlay (BuildPayload and MergeStates of test_certify_data_release.py).
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/json/parse.js';
import { isJsonObject, toPlainJson } from '../../../src/json/value.js';
import type { JsonObject } from '../../../src/json/value.js';
import { buildBundleDataReleasePayload, buildCountryManifestPayload, releaseDir } from '../../../src/manifest/certify-payload.js';
import { US_STATE_CODES, mergeRegionalManifest } from '../../../src/manifest/certify-regional.js';
import { CertificationError, validateReleaseManifest } from '../../../src/manifest/certify-rules.js';
import { readDataReleaseManifest } from '../../../src/manifest/data-release-manifest.js';
import { ManifestError } from '../../../src/manifest/fields.js';
import { parseManifestUri } from '../../../src/manifest/hf-uri.js';
import type { DataReleaseManifest } from '../../../src/manifest/types.js';
import { SHA_A, SHA_C, TAG, US_MANIFEST_URI, artifact, stateArtifacts, usDrm } from '../../support/manifest-samples.js';
import type { JsonDoc } from '../../support/manifest-samples.js';

function drm(overrides: JsonDoc = {}): DataReleaseManifest {
  return readDataReleaseManifest(parseJson(JSON.stringify(usDrm(overrides))), { label: 'drm.json' }).manifest;
}

function payload(m: DataReleaseManifest, country = 'us'): Record<string, unknown> {
  const v = validateReleaseManifest(m, 'policyengine-us', '1.637.0');
  const out = buildCountryManifestPayload({
    country,
    manifestUri: parseManifestUri(US_MANIFEST_URI),
    drm: m,
    drmLabel: 'drm.json',
    basis: v.basis,
    defaultDataset: v.defaultDataset,
    modelPackage: { name: 'policyengine-us', version: '1.637.0', sha256: SHA_A, wheel_url: 'https://files.example/policyengine_us-1.637.0-py3-none-any.whl' },
    policyengineVersion: '9.9.9',
  });
  return toPlainJson(out) as Record<string, unknown>;
}

const rich = {
  artifacts: {
    populace_us_2024: artifact('populace_us_2024.h5'),
    populace_us_2024_calibration: artifact('populace_us_2024_calibration.npz', { kind: 'calibration' }),
    calibration_diagnostics: artifact('calibration_diagnostics.json', { kind: 'diagnostics' }),
    already_scoped: artifact(`releases/${TAG}/demographics.json`, { kind: 'diagnostics' }),
    other_release: artifact('old_diagnostics.json', { kind: 'diagnostics', revision: 'other-tag' }),
    'states/AK': artifact('states/AK.h5'),
    'districts/CA-01': artifact('districts/CA-01.h5'),
  },
  metadata: {
    region_datasets: {
      state: { path_template: 'states/{state_code}.h5' },
      congressional_district: { path_template: 'districts/{district_code}.h5' },
      national: { path_template: 'populace_us_2024.h5' },
    },
  },
};

describe('buildCountryManifestPayload', () => {
  it('pins the data package to the manifest URI and the default dataset', () => {
    const p = payload(drm());
    expect(p['bundle_id']).toBe('us-9.9.9');
    expect(p['schema_version']).toBe(1);
    expect(p['data_package']).toEqual({
      name: 'populace-data',
      version: '0.1.0',
      repo_id: 'policyengine/populace-us',
      repo_type: 'dataset',
      release_manifest_path: `releases/${TAG}/release_manifest.json`,
      release_manifest_revision: TAG,
    });
    expect(p['default_dataset']).toBe('populace_us_2024');
    expect(p['model_package']).toEqual({ name: 'policyengine-us', version: '1.637.0', sha256: SHA_A, wheel_url: 'https://files.example/policyengine_us-1.637.0-py3-none-any.whl' });
  });

  it('leaves US populace state and district microdata out of the runtime bundle', () => {
    const datasets = payload(drm(rich))['datasets'] as Record<string, unknown>;
    expect(Object.keys(datasets)).not.toContain('states/AK');
    expect(Object.keys(datasets)).not.toContain('districts/CA-01');
    expect(Object.keys(datasets)).toHaveLength(5);
    // Only US populace-data is filtered: the UK keeps whatever it publishes.
    expect(Object.keys(payload(drm(rich), 'uk')['datasets'] as object)).toContain('states/AK');
  });

  it('gives release-scoped diagnostics the release directory, and nothing else', () => {
    const datasets = payload(drm(rich))['datasets'] as Record<string, { path: string }>;
    expect(datasets['calibration_diagnostics']?.path).toBe(`releases/${TAG}/calibration_diagnostics.json`);
    expect(datasets['already_scoped']?.path).toBe(`releases/${TAG}/demographics.json`);
    expect(datasets['other_release']?.path).toBe('old_diagnostics.json');
    expect(datasets['populace_us_2024']?.path).toBe('populace_us_2024.h5');
    expect(datasets['populace_us_2024_calibration']?.path).toBe('populace_us_2024_calibration.npz');
    expect(datasets['populace_us_2024']).toEqual({ path: 'populace_us_2024.h5', revision: TAG, sha256: SHA_C, repo_id: 'policyengine/populace-us' });
  });

  it('carries only the national region for US populace data', () => {
    expect(payload(drm(rich))['region_datasets']).toEqual({ national: { path_template: 'populace_us_2024.h5' } });
  });

  it('adds the national template when the manifest has no regions', () => {
    expect(payload(drm())['region_datasets']).toEqual({ national: { path_template: 'populace_us_2024.h5' } });
  });

  it('carries the build provenance into the certification and the certified artifact', () => {
    const p = payload(drm());
    expect(p['certification']).toEqual({
      compatibility_basis: 'built_with_model_package',
      certified_for_model_version: '1.637.0',
      certified_by: 'policyengine.py bundle certification',
      data_build_id: TAG,
      built_with_model_version: '1.637.0',
      built_with_model_git_sha: 'deadbeef',
      data_build_fingerprint: 'sha256:build',
    });
    expect(p['certified_data_artifact']).toEqual({
      data_package: { name: 'populace-data', version: '0.1.0' },
      dataset: 'populace_us_2024',
      uri: `hf://policyengine/populace-us/populace_us_2024.h5@${TAG}`,
      sha256: SHA_C,
      build_id: TAG,
    });
  });

  it('rejects malformed region templates with a located error', () => {
    const bad = drm({ metadata: { region_datasets: { national: { path_template: 3 } } } });
    expect(() => payload(bad)).toThrow(ManifestError);
    expect(() => payload(bad)).toThrow(/drm\.json#\/metadata\/region_datasets\/national\/path_template: expected a string path template/);
  });

  it('adds the bundle extras: producer, version and build id, manifest and dataset URIs', () => {
    const country = buildCountryManifestPayload({
      country: 'us',
      manifestUri: parseManifestUri(US_MANIFEST_URI),
      drm: drm(),
      basis: 'built_with_model_package',
      defaultDataset: 'populace_us_2024',
      modelPackage: { name: 'policyengine-us', version: '1.637.0' },
      policyengineVersion: '9.9.9',
    });
    const regionalUri = `hf://dataset/policyengine/populace-us@r2/releases/r2/release_manifest.json`;
    const out = toPlainJson(
      buildBundleDataReleasePayload(country, { dataProducer: 'populace', sourceManifestUri: US_MANIFEST_URI, regional: { sourceManifestUri: regionalUri, manifestUri: parseManifestUri(regionalUri) } }),
    ) as Record<string, unknown>;
    expect(out).toMatchObject({
      data_producer: 'populace',
      version: TAG,
      build_id: TAG,
      source_manifest_uri: US_MANIFEST_URI,
      release_manifest_uri: `https://huggingface.co/datasets/policyengine/populace-us/resolve/${TAG}/releases/${TAG}/release_manifest.json`,
      default_dataset_uri: `hf://policyengine/populace-us/populace_us_2024.h5@${TAG}`,
      regional_source_manifest_uri: regionalUri,
      regional_release_manifest_uri: 'https://huggingface.co/datasets/policyengine/populace-us/resolve/r2/releases/r2/release_manifest.json',
    });
    expect(isJsonObject(country['certification'] as JsonObject)).toBe(true);
  });

  it('falls back to the data package version as the build id', () => {
    const noBuild = drm({ build: null, compatible_model_packages: [{ name: 'policyengine-us', specifier: '>=1' }] });
    const country = buildCountryManifestPayload({
      country: 'us',
      manifestUri: parseManifestUri(US_MANIFEST_URI),
      drm: noBuild,
      basis: 'legacy_compatible_model_package',
      defaultDataset: 'populace_us_2024',
      modelPackage: { name: 'policyengine-us', version: '1.637.0' },
      policyengineVersion: '9.9.9',
    });
    const out = buildBundleDataReleasePayload(country, { dataProducer: 'populace', sourceManifestUri: US_MANIFEST_URI });
    expect(out['version']).toBe('0.1.0');
    expect(toPlainJson(out['certification'] ?? null)).toEqual({
      compatibility_basis: 'legacy_compatible_model_package',
      certified_for_model_version: '1.637.0',
      certified_by: 'policyengine.py bundle certification',
    });
  });

  it('knows the release directory of a manifest path', () => {
    expect(releaseDir('releases/x/release_manifest.json')).toBe('releases/x');
    expect(releaseDir('release_manifest.json')).toBe('');
  });
});

describe('mergeRegionalManifest', () => {
  const regional = (artifacts: JsonDoc): DataReleaseManifest => drm({ default_datasets: {}, artifacts });

  it('validates the 51 states but the payload vendors none of them', () => {
    const merged = mergeRegionalManifest(drm(), regional(stateArtifacts(US_STATE_CODES)));
    expect(Object.keys(merged.manifest.artifacts)).toHaveLength(52);
    expect(merged.warnings).toEqual([]);
    expect(merged.manifest.metadata).toEqual(
      parseJson('{"region_datasets":{"national":{"path_template":"populace_us_2024.h5"},"state":{"path_template":"states/{state_code}.h5"}}}'),
    );
    const p = payload(merged.manifest);
    expect(Object.keys(p['datasets'] as object)).not.toContain('states/CA');
    expect(p['region_datasets']).toEqual({ national: { path_template: 'populace_us_2024.h5' } });
  });

  it('requires every state', () => {
    const withoutCa = US_STATE_CODES.filter((c) => c !== 'CA');
    expect(() => mergeRegionalManifest(drm(), regional(stateArtifacts(withoutCa)))).toThrow('Missing US state artifacts: CA');
  });

  it('requires states/<STATE>.h5 paths', () => {
    const arts = stateArtifacts(US_STATE_CODES);
    arts['states/CA'] = artifact('state/CA.h5', { sha256: SHA_C });
    const e = (() => {
      try {
        mergeRegionalManifest(drm(), regional(arts));
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(CertificationError);
    expect(String(e)).toContain('states/<STATE>.h5');
    expect(String(e)).toContain("got 'state/CA.h5'");
    const unknown = stateArtifacts(US_STATE_CODES);
    unknown['states/XX'] = artifact('states/XX.h5');
    expect(() => mergeRegionalManifest(drm(), regional(unknown))).toThrow(/got 'states\/XX\.h5'/);
  });

  it('requires a sha256 on each state', () => {
    const arts = stateArtifacts(US_STATE_CODES, (c) => (c === 'CA' ? { sha256: null } : {}));
    expect(() => mergeRegionalManifest(drm(), regional(arts))).toThrow(/states\/CA/);
  });

  it('warns about a duplicate state and keeps the first', () => {
    const arts = { ...stateArtifacts(US_STATE_CODES), 'states/CA-copy': artifact('states/CA.h5', { sha256: 'e'.repeat(64) }) };
    const merged = mergeRegionalManifest(drm(), regional(arts));
    expect(merged.warnings).toHaveLength(1);
    expect(merged.warnings[0]).toContain('Duplicate US state artifact for CA');
    expect(merged.manifest.artifacts['states/CA']?.sha256).toBe('d'.repeat(64));
    expect(merged.manifest.artifacts['states/CA-copy']).toBeUndefined();
  });

  it('refuses a state that reuses a primary artifact name, and honours a custom prefix and template', () => {
    const primary = drm({ artifacts: { populace_us_2024: artifact('populace_us_2024.h5'), 'states/AL': artifact('states/AL.h5') } });
    expect(() => mergeRegionalManifest(primary, regional(stateArtifacts(US_STATE_CODES)))).toThrow(/'states\/AL' collides/);
    const custom: JsonDoc = {};
    for (const c of US_STATE_CODES) custom[`area/${c}`] = artifact(`area/${c}.h5`);
    const merged = mergeRegionalManifest(drm(), regional(custom), { prefix: 'area/', pathTemplate: 'area/{state_code}.h5' });
    expect(merged.manifest.metadata).toMatchObject(parseJson('{"region_datasets":{"state":{"path_template":"area/{state_code}.h5"}}}') as object);
  });
});
