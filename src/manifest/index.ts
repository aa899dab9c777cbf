// Barrel of the manifest area: typed manifests, their readers, lifts and certification.
export type * from './types.js';
export { ManifestError, ManifestReader, childPointer, pointerToken, type ManifestFinding } from './fields.js';
export {
  type Pep440Version,
  type Specifier,
  type SpecifierOperator,
  type SpecifierSet,
  type SpecifierMatchOptions,
  parseVersion,
  formatVersion,
  isPrerelease,
  compareVersions,
  parseSpecifier,
  parseSpecifierSet,
  specifierContains,
} from './pep440.js';
export {
  HF_HUB,
  hubBase,
  type ArtifactUriParts,
  type StrictDatasetUri,
  type ManifestUri,
  type ReleaseManifestLocator,
  buildHfUri,
  splitArtifactUri,
  hfToHttps,
  parseDatasetUriStrict,
  pyQuote,
  bundleDownloadUrl,
  parseManifestUri,
  isManifestUri,
  manifestUriToHttps,
  resolveUrl,
  httpsReleaseManifestUri,
  zenodoRepoAndFilename,
} from './hf-uri.js';
export {
  type DrmVariant,
  type DrmProducer,
  type ReadDataReleaseManifest,
  detectDrmVariant,
  drmProducer,
  readDataReleaseManifest,
  parseDataReleaseManifest,
} from './data-release-manifest.js';
export {
  type BundlePackage,
  type BundleManifest,
  type CountryReleaseExtras,
  type ReadCountryRelease,
  bundleManifestSha256,
  parseBundleManifest,
  readBundleManifest,
  mergeDatasetOverlays,
  readCountryRelease,
  readCountryReleaseDocument,
  countryRelease,
} from './bundle-manifest.js';
export {
  type ResolveOptions,
  type ManagedResolveOptions,
  type LocalMirrorOptions,
  resolveDatasetReference,
  defaultDatasetUri,
  resolveManagedDatasetReference,
  formatPathTemplate,
  resolveRegionDatasetPath,
  datasetLogicalName,
  localManagedDatasetSource,
} from './resolve.js';
export { rewriteArtifactRevisions } from './revision-rewrite.js';
export { type DrmFetchOutcome, type DrmFetchOptions, fetchDataReleaseManifest } from './drm-fetch.js';
export {
  type HttpClient,
  type HttpResponse,
  type NodeHttpClientOptions,
  type HttpRequest,
  type HttpExchange,
  type HttpRequester,
  createNodeHttpClient,
  createNodeRequester,
  isLoopbackHost,
  checkFetchable,
} from './http.js';
export { PYPI_BASE, type WheelMetadata, fetchPypiWheelMetadata } from './pypi.js';
export {
  CertificationError,
  type CompatibilityBasis,
  type ReleaseVerdict,
  type VerdictOptions,
  validateReleaseManifest,
  pyStrRepr,
  pyListRepr,
} from './certify-rules.js';
export { US_STATE_CODES, DEFAULT_REGIONAL_PREFIX, DEFAULT_REGIONAL_PATH_TEMPLATE, type RegionalMergeOptions, type RegionalMerge, mergeRegionalManifest } from './certify-regional.js';
export {
  DEFAULT_CERTIFIED_BY,
  type CountryPayloadInput,
  type BundlePayloadInput,
  buildCountryManifestPayload,
  buildBundleDataReleasePayload,
  readRegionTemplates,
  releaseDir,
} from './certify-payload.js';
export {
  MODEL_PACKAGES,
  type CertifyOptions,
  type CertificationResult,
  type CertificationPlan,
  certificationSummary,
  planCertification,
  certifyDataRelease,
  certificationDiff,
} from './certify.js';
export { writeFileAtomic } from './atomic-write.js';
export { type RuntimeModel, type RuntimeDrm, runtimeCompatibility } from './runtime-certification.js';
export { PE_NAMESPACE, MANIFEST_CONTEXT_FILE, type ManifestLiftOptions, liftDataReleaseManifest, liftBundleManifest, liftCountryRelease } from './lift-manifest.js';
export {
  DRM_SCHEMA_FILE,
  DRM_SHAPES_FILE,
  type ShaclSeverity,
  type ShaclResult,
  type DrmValidationReport,
  validateDrmSchema,
  validateDrmShapes,
  validateDataReleaseManifest,
} from './validate-drm.js';
