// Reading key, certificate and keychain files for the attest commands, with coded, located errors.
import type { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { type Keychain, readKeychain } from './keychain.js';
import { type PublicKeyInfo, type SigningKey, loadPublicKey, loadSigningKey } from './keys.js';
import { parseCertificates } from './timestamp.js';

/** Largest key, certificate, bundle or keychain file read (they are kilobytes). */
const MAX_ATTEST_FILE_BYTES = 16 * 1024 * 1024;

/** A small file's bytes; `label` names it in errors (the path as the user typed it). */
export async function readAttestFile(path: string, label: string, what: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    throw new InputError('INPUT_UNREADABLE', `cannot read the ${what}`, { location: { file: label } });
  }
  if (bytes.length > MAX_ATTEST_FILE_BYTES) throw new InputError('JSON_LIMIT', `the ${what} is over ${MAX_ATTEST_FILE_BYTES} bytes`, { location: { file: label } });
  return bytes;
}

export async function readSigningKeyFile(path: string, label: string): Promise<SigningKey> {
  return loadSigningKey(await readAttestFile(path, label, 'private key file'), label);
}

export async function readPublicKeyFile(path: string, label: string): Promise<PublicKeyInfo> {
  return loadPublicKey(await readAttestFile(path, label, 'public key file'), label);
}

export async function readCertificateFile(path: string, label: string): Promise<X509Certificate[]> {
  return parseCertificates(Buffer.from(await readAttestFile(path, label, 'certificate file')).toString('utf8'), label);
}

/** A keychain file, checked whole: a broken link or root signature refuses all of it (KEYCHAIN_BROKEN). */
export async function readKeychainFile(path: string, label: string): Promise<Keychain> {
  return readKeychain(await readAttestFile(path, label, 'keychain'), label);
}
