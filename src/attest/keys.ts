// Signing keys: PKCS#8 / SPKI PEM loading (Ed25519, ECDSA P-256), KEYID, and raw sign/verify with node:crypto.
import { type KeyObject, createHash, createPrivateKey, createPublicKey, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { InputError, type Location } from '../errors.js';

/** The two key types we sign with. `ecdsa-p256` signatures are DER (as DSSE and Sigstore expect), over sha256. */
export type KeyAlgorithm = 'ed25519' | 'ecdsa-p256';

export interface PublicKeyInfo {
  readonly algorithm: KeyAlgorithm;
  /** Lowercase hex sha256 of the DER SubjectPublicKeyInfo. */
  readonly keyid: string;
  /** SPKI PEM, as written into keychains and bundles. */
  readonly pem: string;
  readonly key: KeyObject;
}

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: PublicKeyInfo;
}

function algorithmOf(key: KeyObject, location: Location): KeyAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ecdsa-p256';
  const what = key.asymmetricKeyType === 'ec' ? `EC curve ${key.asymmetricKeyDetails?.namedCurve ?? '?'}` : (key.asymmetricKeyType ?? 'unknown');
  throw new InputError('KEY_INVALID', `unsupported key type ${what}: use Ed25519 or ECDSA P-256`, { location });
}

/** KEYID of a public key: lowercase hex sha256 of its DER SubjectPublicKeyInfo. */
export function keyIdOf(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function publicKeyInfo(key: KeyObject, location: Location = {}): PublicKeyInfo {
  const algorithm = algorithmOf(key, location);
  return { algorithm, keyid: keyIdOf(key), pem: key.export({ type: 'spki', format: 'pem' }).toString(), key };
}

/** A private key from PKCS#8 PEM bytes (an unencrypted `BEGIN PRIVATE KEY` block). */
export function loadSigningKey(pem: Uint8Array | string, label: string): SigningKey {
  const text = typeof pem === 'string' ? pem : Buffer.from(pem).toString('utf8');
  const location = { file: label };
  if (!text.includes('-----BEGIN PRIVATE KEY-----')) {
    throw new InputError('KEY_INVALID', 'not an unencrypted PKCS#8 PEM private key (expected -----BEGIN PRIVATE KEY-----)', { location });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new InputError('KEY_INVALID', 'the PKCS#8 PEM private key cannot be read', { location });
  }
  return { privateKey, publicKey: publicKeyInfo(createPublicKey(privateKey), location) };
}

/** A public key from SPKI PEM bytes (`BEGIN PUBLIC KEY`). */
export function loadPublicKey(pem: Uint8Array | string, label: string): PublicKeyInfo {
  const text = typeof pem === 'string' ? pem : Buffer.from(pem).toString('utf8');
  const location = { file: label };
  if (!text.includes('-----BEGIN PUBLIC KEY-----')) {
    throw new InputError('KEY_INVALID', 'not an SPKI PEM public key (expected -----BEGIN PUBLIC KEY-----)', { location });
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    throw new InputError('KEY_INVALID', 'the SPKI PEM public key cannot be read', { location });
  }
  return publicKeyInfo(key, location);
}

/** Signs `message` (Ed25519 over the bytes; P-256 ECDSA over sha256 of the bytes, DER signature). */
export function signBytes(key: SigningKey, message: Uint8Array): Uint8Array {
  return cryptoSign(key.publicKey.algorithm === 'ed25519' ? null : 'sha256', message, key.privateKey);
}

/** Whether `signature` is a valid signature of `message` by `key`; never throws on malformed signatures. */
export function verifyBytes(key: PublicKeyInfo, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return cryptoVerify(key.algorithm === 'ed25519' ? null : 'sha256', message, key.key, signature);
  } catch {
    return false;
  }
}
