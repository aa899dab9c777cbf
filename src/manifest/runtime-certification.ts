// Runtime compatibility of a bundled country release with the model version actually running (interop §4.3, the DataCertification bases).
import { CertificationError } from './certify-rules.js';
import { specifierContains } from './pep440.js';
import type { Certification, CountryRelease, DataReleaseManifest } from './types.js';

/** The model the caller is running: its version and, when known, its data-build fingerprint. */
export interface RuntimeModel {
  readonly modelVersion: string;
  readonly dataBuildFingerprint?: string;
}

/** The drm as fetched: present, or unavailable with the reason (see `fetchDataReleaseManifest`). */
export type RuntimeDrm = { readonly status: 'available'; readonly manifest: DataReleaseManifest } | { readonly status: 'unavailable'; readonly reason: string };

/**
 * Decides the certification the runtime carries, in policyengine.py's order:
 * unavailable drm → the bundled certification (refused when fingerprints contradict it; basis
 * `unverified_data_release_manifest_unavailable` when the version moved on); then a build-model name
 * mismatch is refused; `exact_build_model_version`; `matching_data_build_fingerprint`;
 * `legacy_compatible_model_package`; otherwise refused (CertificationError).
 */
export function runtimeCompatibility(release: CountryRelease, drm: RuntimeDrm, runtime: RuntimeModel): Certification {
  const pkg = release.model_package.name;
  const version = runtime.modelVersion;
  if (drm.status === 'unavailable') {
    const bundled = release.certification;
    if (bundled === undefined) throw new CertificationError(drm.reason);
    const runtimeFp = runtime.dataBuildFingerprint;
    const bundledFp = bundled.data_build_fingerprint;
    if (runtimeFp !== undefined && bundledFp !== undefined && bundled.compatibility_basis !== 'legacy_compatible_model_package' && runtimeFp !== bundledFp) {
      throw new CertificationError(
        `${pkg} ${version} has data build fingerprint ${runtimeFp}, which does not match the bundled data certification (${bundledFp}), and the data release manifest is unavailable: ${drm.reason}`,
      );
    }
    if (bundled.certified_for_model_version === version) return bundled;
    return { ...bundled, compatibility_basis: 'unverified_data_release_manifest_unavailable', certified_for_model_version: version };
  }
  const m = drm.manifest;
  const bw = m.build?.built_with_model_package;
  if (bw !== undefined && bw.name !== pkg) {
    throw new CertificationError(`The data release was built with ${bw.name}, not ${pkg}.`);
  }
  const base: Certification = {
    compatibility_basis: '',
    certified_for_model_version: version,
    ...(m.build?.build_id === undefined ? {} : { data_build_id: m.build.build_id }),
    ...(bw === undefined ? {} : { built_with_model_version: bw.version }),
    ...(bw?.git_sha === undefined ? {} : { built_with_model_git_sha: bw.git_sha }),
    ...(bw?.data_build_fingerprint === undefined ? {} : { data_build_fingerprint: bw.data_build_fingerprint }),
    ...(release.certification?.certified_by === undefined ? {} : { certified_by: release.certification.certified_by }),
  };
  if (bw !== undefined && bw.version === version) return { ...base, compatibility_basis: 'exact_build_model_version' };
  if (bw?.data_build_fingerprint !== undefined && runtime.dataBuildFingerprint !== undefined && bw.data_build_fingerprint === runtime.dataBuildFingerprint) {
    return { ...base, compatibility_basis: 'matching_data_build_fingerprint' };
  }
  const specs = m.compatible_model_packages.filter((c) => c.name === pkg).map((c) => c.specifier);
  if (specs.some((s) => specifierContains(s, version))) return { ...base, compatibility_basis: 'legacy_compatible_model_package' };
  throw new CertificationError(
    `The data release ${m.build?.build_id ?? m.data_package.name + ' ' + m.data_package.version} is not certified for the runtime model version ${pkg} ${version}: ` +
      `built with ${bw?.version ?? 'an unrecorded version'}, fingerprint ${runtime.dataBuildFingerprint === undefined ? 'not measured' : 'differs'}, no compatibility claim matches.`,
  );
}
