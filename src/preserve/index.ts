// Barrel of the preservation area: the Zenodo mirror (policyengine.py zenodo-mirror and beyond) and the content-addressed record store.
export { countryReleaseDump, dataReleaseManifestDump } from './model-dump.js';
export { ZENODO_API, ZENODO_SANDBOX_API, type RetryPolicy, type ZenodoCall, type ZenodoAnswer, ZenodoError, ZenodoApi, textMember, linkMember } from './zenodo-api.js';
export { type FetchedDataset, assertSourceRepoPublic, fetchCertifiedDataset } from './licence-gate.js';
export { type DepositFile, type DepositionMetadata, type PlannedRequest, depositFile, depositFiles, depositionMetadata, bundleIdOf, plannedRequests } from './zenodo-plan.js';
export {
  type DepositState,
  type DepositStateStore,
  type ZenodoMirrorInput,
  type ZenodoDeposit,
  type ZenodoPlan,
  type ZenodoRunOptions,
  planZenodoMirror,
  mirrorToZenodo,
  requireZenodoToken,
  pythonUtcIso,
} from './zenodo-mirror.js';
export { depositStateFile } from './deposit-state-file.js';
export { troBindingWarnings } from './tro-binding.js';
export { type DrmSourceOptions, loadDataReleaseManifestSource } from './drm-source.js';
export { STORE_FORMAT, STORE_INDEX, type StoredFile, type StoreEntry, readIndex, findRecord } from './store-index.js';
export {
  type PutResult,
  type StoreFinding,
  type StoreVerifyReport,
  putRecord,
  readStoredRecord,
  exportRecord,
  verifyStore,
} from './store.js';
