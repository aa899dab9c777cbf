// Barrel of the verify area.
export {
  type VerifyOptions,
  type VerifyProgressEvent,
  DEFAULT_HTTPS_TIMEOUT_MS,
  DEFAULT_HTTPS_DEADLINE_MS,
  DEFAULT_HTTPS_MAX_BYTES,
  verifyTro,
  verifyTroFile,
} from './verify.js';
export { fingerprintInputs, checkFingerprint } from './check-fingerprint.js';
export { type ArtifactSource, type LocateOptions, type OpenedArtifact, locateArtifact, openArtifactFile } from './locate.js';
export { FetchError, type HttpsFetchOptions, fetchHttpsDigests, fetchHttpsBytes } from './fetch-https.js';
export { type LocationMapping, type MappedLocation, parseLocationMapping, mapLocation, checkMappingsUsed } from './map.js';
export { checkSkipIds } from './skip.js';
export { TRO_FILE_SUFFIX, type VerifyRunOptions, type VerifiedTro, type VerifyRunReport, expandVerifyInputs, verifyRun } from './run.js';
export { type VerifyFlagValues, verifyOptionsFromFlags } from './options.js';
export { formatVerifyRunText } from './format-run.js';
export {
  type FingerprintStatus,
  type ArtifactStatus,
  type VerifyVerdict,
  type FingerprintReport,
  type HashCheck,
  type LocationReport,
  type ArtifactReport,
  type VerifyReport,
  formatVerifyText,
  statusWords,
} from './report.js';
export { type VerifyCommandPlan, type VerifyCommand, verifyCommandFor, shellQuote } from './command.js';
