// The JSON shape policyengine.py's pydantic models dump to (every field, absent ones as null): the bytes its Zenodo mirror uploads.
import type { JsonInput } from '../json/index.js';
import type { CountryRelease, DataReleaseManifest, PackagePin, PreservationMirror, ReleaseArtifact } from '../manifest/index.js';

type Dump = { readonly [key: string]: JsonInput };

/** `PackageVersion`: name, version, sha256, wheel_url. */
function pinDump(p: PackagePin): Dump {
  return { name: p.name, version: p.version, sha256: p.sha256 ?? null, wheel_url: p.wheel_url ?? null };
}

/**
 * `CountryReleaseManifest.model_dump()` of one country entry (overlays merged, nulls included,
 * `source_sha256` excluded): what `policyengine release-manifest CC` prints and what the mirror uploads
 * as `{cc}.bundle_manifest.json`. Field set of policyengine.py 5.0.3 (checked against its generated vector).
 */
export function countryReleaseDump(r: CountryRelease): Dump {
  const datasets: Record<string, Dump> = {};
  for (const [name, d] of Object.entries(r.datasets)) {
    datasets[name] = {
      path: d.path,
      revision: d.revision ?? null,
      sha256: d.sha256 ?? null,
      metadata_sha256: d.metadata_sha256 ?? null,
      repo_id: d.repo_id ?? null,
      repo_type: d.repo_type ?? null,
    };
  }
  const regions: Record<string, Dump> = {};
  for (const [name, t] of Object.entries(r.region_datasets)) regions[name] = { path_template: t.path_template };
  const cda = r.certified_data_artifact;
  const cert = r.certification;
  const dp = r.data_package;
  return {
    schema_version: r.schema_version,
    bundle_id: r.bundle_id ?? null,
    published_at: r.published_at ?? null,
    country_id: r.country_id,
    policyengine_version: r.policyengine_version,
    model_package: pinDump(r.model_package),
    data_package: {
      ...pinDump(dp),
      repo_id: dp.repo_id,
      repo_type: dp.repo_type,
      release_manifest_path: dp.release_manifest_path,
      release_manifest_revision: dp.release_manifest_revision ?? null,
    },
    default_dataset: r.default_dataset,
    datasets,
    region_datasets: regions,
    certified_data_artifact:
      cda === undefined
        ? null
        : {
            data_package: cda.data_package === undefined ? null : pinDump(cda.data_package),
            dataset: cda.dataset,
            uri: cda.uri,
            sha256: cda.sha256 ?? null,
            build_id: cda.build_id ?? null,
          },
    certification:
      cert === undefined
        ? null
        : {
            compatibility_basis: cert.compatibility_basis,
            certified_for_model_version: cert.certified_for_model_version,
            data_build_id: cert.data_build_id ?? null,
            built_with_model_version: cert.built_with_model_version ?? null,
            built_with_model_git_sha: cert.built_with_model_git_sha ?? null,
            data_build_fingerprint: cert.data_build_fingerprint ?? null,
            certified_by: cert.certified_by ?? null,
          },
  };
}

function mirrorDump(m: PreservationMirror): Dump {
  return { kind: m.kind, url: m.url, doi: m.doi ?? null, sha256: m.sha256 ?? null, deposited_at: m.deposited_at ?? null };
}

function artifactDump(a: ReleaseArtifact): Dump {
  return {
    kind: a.kind,
    path: a.path,
    repo_id: a.repo_id,
    revision: a.revision,
    sha256: a.sha256 ?? null,
    size_bytes: a.size_bytes ?? null,
    preservation_mirrors: (a.preservation_mirrors ?? []).map(mirrorDump),
  };
}

/**
 * `DataReleaseManifest.model_dump()` (unknown keys dropped, defaults filled: lists and maps empty, `build`
 * null, `metadata` {}; `source_sha256` excluded). Pass the manifest after the revision rewrite (§4.5), as
 * the mirror does.
 */
export function dataReleaseManifestDump(m: DataReleaseManifest): Dump {
  const b = m.build;
  const artifacts: Record<string, Dump> = {};
  for (const [name, a] of Object.entries(m.artifacts)) artifacts[name] = artifactDump(a);
  const bwm = b?.built_with_model_package;
  return {
    schema_version: m.schema_version,
    data_package: pinDump(m.data_package),
    compatible_model_packages: m.compatible_model_packages.map((c) => ({ name: c.name, specifier: c.specifier })),
    compatible_core_packages: m.compatible_core_packages.map((c) => ({ name: c.name, specifier: c.specifier })),
    default_datasets: { ...m.default_datasets },
    build:
      b === undefined
        ? null
        : {
            build_id: b.build_id ?? null,
            built_at: b.built_at ?? null,
            built_with_core_package: b.built_with_core_package === undefined ? null : pinDump(b.built_with_core_package),
            built_with_model_package:
              bwm === undefined ? null : { ...pinDump(bwm), git_sha: bwm.git_sha ?? null, data_build_fingerprint: bwm.data_build_fingerprint ?? null },
          },
    artifacts,
    preservation_dois: [...m.preservation_dois],
    metadata: (m.metadata ?? {}) as JsonInput,
  };
}
