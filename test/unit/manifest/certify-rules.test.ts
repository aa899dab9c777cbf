// validate_release_manifest: hard failures in order with their messages, the three bases, Python reprs in messages.
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/json/parse.js';
import { CertificationError, pyListRepr, pyStrRepr, validateReleaseManifest } from '../../../src/manifest/certify-rules.js';
import { readDataReleaseManifest } from '../../../src/manifest/data-release-manifest.js';
import type { DataReleaseManifest } from '../../../src/manifest/types.js';
import { artifact, usDrm } from '../../support/manifest-samples.js';
import type { JsonDoc } from '../../support/manifest-samples.js';

function drm(overrides: JsonDoc = {}): DataReleaseManifest {
  return readDataReleaseManifest(parseJson(JSON.stringify(usDrm(overrides)))).manifest;
}

function refusal(fn: () => unknown): CertificationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CertificationError) return e;
    throw e;
  }
  throw new Error('expected a CertificationError');
}

const claimOnly = {
  compatible_model_packages: [{ name: 'policyengine-us', specifier: '>=1.724.0,<2' }],
  build: { build_id: 'b', built_with_model_package: { name: 'policyengine-us', version: '1.723.0' } },
};

describe('validateReleaseManifest', () => {
  it('certifies on the build-time model with no warnings', () => {
    const v = validateReleaseManifest(drm(), 'policyengine-us', '1.637.0');
    expect(v).toEqual({ basis: 'built_with_model_package', defaultDataset: 'populace_us_2024', warnings: [] });
  });

  it('certifies on a publisher claim only with a warning naming the build version', () => {
    const v = validateReleaseManifest(drm(claimOnly), 'policyengine-us', '1.730.0');
    expect(v.basis).toBe('legacy_compatible_model_package');
    expect(v.warnings).toEqual([
      "certifying policyengine-us 1.730.0 on the publisher's compatibility claim ['>=1.724.0,<2']; the data was built with 1.723.0 — the test suite is the arbiter",
    ]);
    expect(v.warnings[0]).toContain('built with 1.723.0');
  });

  it('refuses when neither the build nor a claim covers the version (exit 4)', () => {
    const e = refusal(() => validateReleaseManifest(drm(claimOnly), 'policyengine-us', '2.0.0'));
    expect(e.message).toBe(
      "policyengine-us 2.0.0 matches neither the build-time model (1.723.0) nor any publisher compatibility claim ['>=1.724.0,<2']; a new data build or a published compatibility claim is required.",
    );
    expect(e.code).toBe('CERTIFICATION_REFUSED');
    expect(e.exitCode).toBe(4);
    const none = refusal(() => validateReleaseManifest(drm({ compatible_model_packages: [], build: null }), 'policyengine-us', '1.0.0'));
    expect(none.message).toContain('build-time model (unrecorded) nor any publisher compatibility claim (none declared)');
  });

  it('refuses a manifest with no national default', () => {
    expect(refusal(() => validateReleaseManifest(drm({ default_datasets: {} }), 'policyengine-us', '1.637.0')).message).toBe(
      'Release manifest declares no national default dataset.',
    );
  });

  it('refuses a default that is not an artifact', () => {
    expect(refusal(() => validateReleaseManifest(drm({ default_datasets: { national: 'ghost' } }), 'policyengine-us', '1.637.0')).message).toBe(
      "Default dataset 'ghost' is not among the manifest artifacts.",
    );
  });

  it('refuses an unpinned artifact and only warns about a missing sha256', () => {
    const unpinned = drm({ artifacts: { populace_us_2024: artifact('populace_us_2024.h5'), extra: artifact('e.h5', { revision: '' }) } });
    expect(refusal(() => validateReleaseManifest(unpinned, 'policyengine-us', '1.637.0')).message).toBe("Artifact 'extra' has no revision pin.");
    const unhashed = drm({ artifacts: { populace_us_2024: artifact('populace_us_2024.h5'), extra: artifact('e.h5', { sha256: null }) } });
    expect(validateReleaseManifest(unhashed, 'policyengine-us', '1.637.0').warnings).toEqual(["artifact 'extra' has no sha256"]);
  });

  it('checks in order: a missing default beats an unpinned artifact', () => {
    const both = drm({ default_datasets: {}, artifacts: { a: artifact('a.h5', { revision: '' }) } });
    expect(refusal(() => validateReleaseManifest(both, 'policyengine-us', '1.637.0')).message).toContain('national');
  });

  it('certifies on a matching data-build fingerprint (the planned basis) and not on a different one', () => {
    const v = validateReleaseManifest(drm(), 'policyengine-us', '1.640.0', { dataBuildFingerprint: 'sha256:build' });
    expect(v).toEqual({ basis: 'matching_data_build_fingerprint', defaultDataset: 'populace_us_2024', warnings: [] });
    const e = refusal(() => validateReleaseManifest(drm({ compatible_model_packages: [] }), 'policyengine-us', '1.640.0', { dataBuildFingerprint: 'sha256:other' }));
    expect(e.message).toContain("the runtime data build fingerprint sha256:other differs from the build's sha256:build");
  });

  it('does not take another package as the build-time model', () => {
    const other = drm({ build: { built_with_model_package: { name: 'policyengine-uk', version: '1.637.0', data_build_fingerprint: 'sha256:build' } } });
    const e = refusal(() => validateReleaseManifest({ ...other, compatible_model_packages: [] }, 'policyengine-us', '1.637.0', { dataBuildFingerprint: 'sha256:build' }));
    expect(e.message).toContain('build-time model (policyengine-uk 1.637.0)');
  });

  it('treats an invalid specifier or version as no match', () => {
    const bad = drm({ compatible_model_packages: [{ name: 'policyengine-us', specifier: 'not a spec' }] });
    expect(() => validateReleaseManifest(bad, 'policyengine-us', '1.2.3')).toThrow(CertificationError);
    const range = drm({ compatible_model_packages: [{ name: 'policyengine-us', specifier: '>=1' }] });
    expect(() => validateReleaseManifest(range, 'policyengine-us', 'latest')).toThrow(CertificationError);
  });
});

describe('Python reprs', () => {
  it('quotes like repr()', () => {
    expect(pyStrRepr('a')).toBe("'a'");
    expect(pyStrRepr("it's")).toBe('"it\'s"');
    expect(pyStrRepr('a\'b"c')).toBe("'a\\'b\"c'");
    expect(pyStrRepr('x\ny\\')).toBe("'x\\ny\\\\'");
    expect(pyListRepr(['==1', '>=2,<3'])).toBe("['==1', '>=2,<3']");
    expect(pyListRepr([])).toBe('[]');
  });
});
