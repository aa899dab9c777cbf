// Typed views of policyengine.py's manifests (bundle manifest v2 country entry, data release manifest), field names as published.

/** `{name, version, sha256?, wheel_url?}` as in `model_package` / `data_package` / `build.built_with_*`. */
export interface PackagePin {
  readonly name: string;
  readonly version: string;
  readonly sha256?: string;
  readonly wheel_url?: string;
}

export interface DataPackagePin extends PackagePin {
  readonly repo_id: string;
  /** `model` (default) or `dataset`: decides the `datasets/` segment of Hugging Face URLs. */
  readonly repo_type: string;
  readonly release_manifest_path: string;
  readonly release_manifest_revision?: string;
}

export interface DatasetRef {
  readonly path: string;
  readonly revision?: string;
  readonly sha256?: string;
  readonly metadata_sha256?: string;
  readonly repo_id?: string;
  readonly repo_type?: string;
}

export interface CertifiedDataArtifact {
  readonly data_package?: PackagePin;
  readonly dataset: string;
  /** `hf://owner/repo/path@revision`. */
  readonly uri: string;
  readonly sha256?: string;
  readonly build_id?: string;
}

export interface Certification {
  readonly compatibility_basis: string;
  readonly certified_for_model_version: string;
  readonly data_build_id?: string;
  readonly built_with_model_version?: string;
  readonly built_with_model_git_sha?: string;
  readonly data_build_fingerprint?: string;
  readonly certified_by?: string;
}

/** One `data_releases.{cc}` entry of the bundle manifest with `dataset_overlays.{cc}` merged in. */
export interface CountryRelease {
  readonly schema_version: number;
  readonly bundle_id?: string;
  readonly published_at?: string;
  readonly country_id: string;
  readonly policyengine_version: string;
  readonly model_package: PackagePin;
  readonly data_package: DataPackagePin;
  readonly default_dataset: string;
  readonly datasets: Readonly<Record<string, DatasetRef>>;
  readonly region_datasets: Readonly<Record<string, { readonly path_template: string }>>;
  readonly certified_data_artifact?: CertifiedDataArtifact;
  readonly certification?: Certification;
  /** sha256 of the whole bundle manifest file bytes (CRLF normalised to LF), the bundle_manifest artifact hash. */
  readonly source_sha256?: string;
}

export interface PreservationMirror {
  readonly kind: string;
  readonly url: string;
  readonly doi?: string;
  readonly sha256?: string;
  readonly deposited_at?: string;
}

export interface ReleaseArtifact {
  readonly kind: string;
  readonly path: string;
  readonly repo_id: string;
  readonly revision: string;
  readonly sha256?: string;
  readonly size_bytes?: number;
  readonly preservation_mirrors?: readonly PreservationMirror[];
}

export interface BuildInfo {
  readonly build_id?: string;
  readonly built_at?: string;
  readonly built_with_core_package?: PackagePin;
  readonly built_with_model_package?: PackagePin & { readonly git_sha?: string; readonly data_build_fingerprint?: string };
}

/** A data release manifest as published by a data repository (pydantic `DataReleaseManifest`). */
export interface DataReleaseManifest {
  readonly schema_version: number;
  readonly data_package: PackagePin;
  readonly compatible_model_packages: readonly { readonly name: string; readonly specifier: string }[];
  readonly compatible_core_packages: readonly { readonly name: string; readonly specifier: string }[];
  readonly default_datasets: Readonly<Record<string, string>>;
  readonly build?: BuildInfo;
  readonly artifacts: Readonly<Record<string, ReleaseArtifact>>;
  readonly preservation_dois: readonly string[];
  readonly metadata?: unknown;
  /** sha256 of the raw bytes the manifest was read from (HTTP body or file), the data_release_manifest artifact hash. */
  readonly source_sha256?: string;
}
