// Barrel of the hash area.
export {
  type HashAlgorithm,
  HASH_ALGORITHMS,
  parseHashAlgorithm,
  hexLength,
  type Hasher,
  createHasher,
  sha256Hex,
  hashBytes,
  type HashStreamOptions,
  ByteLimitError,
  type MultiDigest,
  hashStreamMany,
  hashStream,
  FILE_CHUNK_BYTES,
  type HashFileOptions,
  hashFileMany,
  hashFileHandleMany,
  hashFile,
  fsErrorText,
} from './digest.js';
export {
  fingerprintSeparator,
  fingerprintText,
  compositionFingerprint,
  compositionFingerprintWith,
} from './fingerprint.js';
