// Barrel of the verify area.
export {
  type VerifyOptions,
  type VerifyProgressEvent,
  DEFAULT_HTTPS_TIMEOUT_MS,
  DEFAULT_HTTPS_MAX_BYTES,
  verifyTro,
  verifyTroFile,
} from './verify.js';
export { fingerprintInputs, checkFingerprint } from './check-fingerprint.js';
export { type ArtifactSource, type LocateOptions, type OpenedArtifact, locateArtifact, openArtifactFile } from './locate.js';
export { FetchError, type HttpsFetchOptions, fetchHttpsDigests } from './fetch-https.js';
export {
  type FingerprintStatus,
  type ArtifactStatus,
  type FingerprintReport,
  type HashCheck,
  type ArtifactReport,
  type VerifyReport,
  formatVerifyText,
} from './report.js';
