// Runtime compatibility of the bundled release with the running model version (the runtime tests of test_release_manifests.py).
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/json/parse.js';
import { countryRelease, parseBundleManifest } from '../../../src/manifest/bundle-manifest.js';
import { CertificationError } from '../../../src/manifest/certify-rules.js';
import { readDataReleaseManifest } from '../../../src/manifest/data-release-manifest.js';
import { runtimeCompatibility } from '../../../src/manifest/runtime-certification.js';
import type { RuntimeDrm } from '../../../src/manifest/runtime-certification.js';
import type { CountryRelease } from '../../../src/manifest/types.js';
import { shippedManifestBytes, usDrm } from '../../support/manifest-samples.js';
import type { JsonDoc } from '../../support/manifest-samples.js';

const bundle = parseBundleManifest(shippedManifestBytes());
const us = countryRelease(bundle, 'us');
const uk = countryRelease(bundle, 'uk');
const unavailable: RuntimeDrm = { status: 'unavailable', reason: 'timed out' };

function available(overrides: JsonDoc = {}): RuntimeDrm {
  return { status: 'available', manifest: readDataReleaseManifest(parseJson(JSON.stringify(usDrm(overrides)))).manifest };
}

describe('runtimeCompatibility', () => {
  it('accepts a version inside the publisher range (legacy compatible basis)', () => {
    const drm = available({ compatible_model_packages: [{ name: 'policyengine-us', specifier: '>=1.600,<2' }] });
    expect(runtimeCompatibility(us, drm, { modelVersion: '1.700.0' }).compatibility_basis).toBe('legacy_compatible_model_package');
  });

  it('allows reuse when the data-build fingerprints match', () => {
    const c = runtimeCompatibility(us, available(), { modelVersion: '1.700.0', dataBuildFingerprint: 'sha256:build' });
    expect(c).toMatchObject({ compatibility_basis: 'matching_data_build_fingerprint', certified_for_model_version: '1.700.0', data_build_fingerprint: 'sha256:build' });
  });

  it('takes the exact build version first', () => {
    expect(runtimeCompatibility(us, available(), { modelVersion: '1.637.0', dataBuildFingerprint: 'sha256:other' }).compatibility_basis).toBe('exact_build_model_version');
  });

  it('refuses a mismatched version and fingerprint, and a build with another package', () => {
    expect(() => runtimeCompatibility(us, available(), { modelVersion: '1.700.0', dataBuildFingerprint: 'sha256:other' })).toThrow(/not certified for the runtime model version/);
    const other = available({ build: { built_with_model_package: { name: 'policyengine-uk', version: '1' } } });
    expect(() => runtimeCompatibility(us, other, { modelVersion: '1' })).toThrow(CertificationError);
  });

  it('uses the bundled certification when the manifest is unavailable (private, timed out)', () => {
    expect(runtimeCompatibility(us, unavailable, { modelVersion: '1.764.6' })).toBe(us.certification);
  });

  it('marks the fallback unverified when the runtime version moved on', () => {
    expect(runtimeCompatibility(us, unavailable, { modelVersion: '1.765.0' })).toMatchObject({
      compatibility_basis: 'unverified_data_release_manifest_unavailable',
      certified_for_model_version: '1.765.0',
      data_build_id: us.certification?.data_build_id,
    });
  });

  it('fails when the bundled fingerprint contradicts the runtime, except for a legacy compatible certification', () => {
    const fp: CountryRelease = { ...us, certification: { compatibility_basis: 'built_with_model_package', certified_for_model_version: '1.764.6', data_build_fingerprint: 'sha256:bundled' } };
    expect(() => runtimeCompatibility(fp, unavailable, { modelVersion: '1.764.6', dataBuildFingerprint: 'sha256:runtime' })).toThrow(/does not match the bundled data certification/);
    expect(runtimeCompatibility(uk, unavailable, { modelVersion: '2.90.2', dataBuildFingerprint: 'sha256:runtime' }).compatibility_basis).toBe('legacy_compatible_model_package');
  });

  it('re-raises the unavailability without a bundled certification', () => {
    const { certification: _c, ...bare } = us;
    expect(() => runtimeCompatibility(bare, unavailable, { modelVersion: '1' })).toThrow('timed out');
  });
});
