// Barrel of the attest area: keys, DSSE, in-toto statements, Sigstore bundles, keychains, RFC 3161, DNS root anchor.
export { type KeyAlgorithm, type PublicKeyInfo, type SigningKey, keyIdOf, loadSigningKey, loadPublicKey, signBytes, verifyBytes } from './keys.js';
export { type DsseEnvelope, type DsseSignature, pae, signEnvelope, envelopeSignedBy } from './dsse.js';
export { IN_TOTO_STATEMENT_TYPE, IN_TOTO_PAYLOAD_TYPE, TRO_PREDICATE_TYPE, buildStatement } from './statement.js';
export { SIGSTORE_BUNDLE_V03, type SignatureBundle, bundleBytes, parseBundle } from './bundle.js';
export {
  KEYCHAIN_MEDIA_TYPE, KEYCHAIN_VERSION_PAYLOAD_TYPE, type Keychain, type KeychainKey, type KeychainRoot, type KeychainVersion, type AddKeyOptions,
  initKeychain, addKey, revokeKey, rotateRoot, keychainBytes, readKeychain, keychainHead, keychainRoots,
} from './keychain.js';
export { type VerifiedTimestamp, type ImprintHash, buildTimestampRequest, requestTimestamp, requestTimestampReply, tokenFromResponse, verifyTimestampToken, verifyTimestampResponse, timestampGenTime, parseCertificates } from './timestamp.js';
export { ROOT_DNS_LABEL, type RootDnsOptions, resolveRootKeyIds } from './root-dns.js';
export { type SignTroInput, type SignedTro, signTro } from './sign.js';
export { type SignatureCheckInput, type SignatureReport, verifyTroSignature } from './verify-signature.js';
export { isIsoInstant, parseIsoInstant } from './time.js';
export { readAttestFile, readSigningKeyFile, readPublicKeyFile, readCertificateFile, readKeychainFile } from './files.js';
export { type KeychainSummary, summariseKeychain, formatKeychainText } from './keychain-summary.js';
export { type SignatureFlags, checkSignatureFiles, formatSignatureLine } from './verify-files.js';
export { type RuntimeHost, RUNTIME_HOSTS, type RuntimeBinding, type MeasuredRuntime, detectRuntimeHost, runtimeFromEnvironment, mergeRuntimeBinding } from './runtime.js';
export { type TroUtilsSignInput, type TroUtilsSignature, signTroUtils, troUtilsBase } from './tro-utils.js';
export { type OpenPgpKey, openPgpKey, armoredPublicKey, armoredDetachedSignature } from './openpgp.js';
