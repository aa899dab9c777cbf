// The keychain: root-signed (DSSE), hash-chained versions of the signing keys' history; reading refuses a broken chain whole.
import { createHash } from 'node:crypto';
import { PeTraceError } from '../errors.js';
import { canonicalJsonBytes } from '../json/canonical.js';
import type { PlainJson } from '../json/value.js';
import { readEnvelope } from './bundle.js';
import { type DsseEnvelope, decodeBase64, envelopeSignedBy, signEnvelope } from './dsse.js';
import { isPlainObject, readJsonObject } from './json-file.js';
import { type KeyAlgorithm, type PublicKeyInfo, type SigningKey, loadPublicKey } from './keys.js';
import { isIsoInstant } from './time.js';

export const KEYCHAIN_MEDIA_TYPE = 'application/vnd.pe-trace.keychain+json';
/** The DSSE payload type of one keychain version. */
export const KEYCHAIN_VERSION_PAYLOAD_TYPE = 'application/vnd.pe-trace.keychain-version+json';

export interface KeychainKey {
  readonly keyid: string;
  readonly algorithm: KeyAlgorithm;
  readonly publicKey: string;
  readonly name: string;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  readonly revoked: { readonly at: string; readonly reason: string } | null;
}

export interface KeychainRoot {
  readonly keyid: string;
  readonly algorithm: KeyAlgorithm;
  readonly publicKey: string;
}

/** One version's content: the whole key state after one change. */
export interface KeychainVersion {
  readonly version: number;
  /** sha256 hex of the previous version's payload bytes (null for version 1). */
  readonly previous: string | null;
  readonly change: string;
  readonly root: KeychainRoot;
  readonly keys: readonly KeychainKey[];
}

export interface Keychain {
  readonly versions: readonly KeychainVersion[];
  readonly envelopes: readonly DsseEnvelope[];
  /** sha256 hex of the head version's payload: what a DNS record or a paper can cite. */
  readonly headHash: string;
}

export function keychainHead(chain: Keychain): KeychainVersion {
  return chain.versions[chain.versions.length - 1]!;
}

function versionJson(v: KeychainVersion): { [key: string]: PlainJson } {
  return {
    version: v.version,
    previous: v.previous,
    change: v.change,
    root: { keyid: v.root.keyid, algorithm: v.root.algorithm, publicKey: v.root.publicKey },
    keys: v.keys.map((k) => ({
      keyid: k.keyid, algorithm: k.algorithm, publicKey: k.publicKey, name: k.name, notBefore: k.notBefore, notAfter: k.notAfter,
      revoked: k.revoked === null ? null : { at: k.revoked.at, reason: k.revoked.reason },
    })),
  };
}

function rootOf(key: PublicKeyInfo): KeychainRoot {
  return { keyid: key.keyid, algorithm: key.algorithm, publicKey: key.pem };
}

/** A new keychain: version 1, no keys, self-signed by the root. */
export function initKeychain(rootKey: SigningKey): Keychain {
  return appendVersion(undefined, { change: 'init', root: rootOf(rootKey.publicKey), keys: [] }, [rootKey]);
}

function appendVersion(chain: Keychain | undefined, next: Pick<KeychainVersion, 'change' | 'root' | 'keys'>, signers: readonly SigningKey[]): Keychain {
  const prevEnvelope = chain?.envelopes[chain.envelopes.length - 1];
  const version: KeychainVersion = {
    version: (chain?.versions.length ?? 0) + 1,
    previous: prevEnvelope === undefined ? null : payloadHash(prevEnvelope),
    ...next,
  };
  const payload = canonicalJsonBytes(versionJson(version));
  const envelope = signEnvelope(KEYCHAIN_VERSION_PAYLOAD_TYPE, payload, signers);
  return {
    versions: [...(chain?.versions ?? []), version],
    envelopes: [...(chain?.envelopes ?? []), envelope],
    headHash: createHash('sha256').update(payload).digest('hex'),
  };
}

function payloadHash(env: DsseEnvelope): string {
  return createHash('sha256').update(Buffer.from(env.payload, 'base64')).digest('hex');
}

function requireRootKey(chain: Keychain, rootKey: SigningKey, label: string): void {
  const head = keychainHead(chain);
  if (rootKey.publicKey.keyid !== head.root.keyid) {
    throw new PeTraceError('ROOT_MISMATCH', `--root-key is ${rootKey.publicKey.keyid}, but the keychain's current root is ${head.root.keyid}`, { location: { file: label } });
  }
}

export interface AddKeyOptions {
  readonly name: string;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
}

export function addKey(chain: Keychain, rootKey: SigningKey, key: PublicKeyInfo, options: AddKeyOptions, label: string): Keychain {
  requireRootKey(chain, rootKey, label);
  const head = keychainHead(chain);
  if (head.keys.some((k) => k.keyid === key.keyid)) throw new PeTraceError('USAGE', `key ${key.keyid} is already in the keychain`);
  if (options.notBefore !== null && options.notAfter !== null && Date.parse(options.notAfter) <= Date.parse(options.notBefore)) {
    throw new PeTraceError('USAGE', '--not-after must be later than --not-before');
  }
  const entry: KeychainKey = { keyid: key.keyid, algorithm: key.algorithm, publicKey: key.pem, name: options.name, notBefore: options.notBefore, notAfter: options.notAfter, revoked: null };
  return appendVersion(chain, { change: `add-key ${key.keyid}`, root: head.root, keys: [...head.keys, entry] }, [rootKey]);
}

export function revokeKey(chain: Keychain, rootKey: SigningKey, keyid: string, at: string, reason: string, label: string): Keychain {
  requireRootKey(chain, rootKey, label);
  const head = keychainHead(chain);
  const target = head.keys.find((k) => k.keyid === keyid);
  if (target === undefined) throw new PeTraceError('USAGE', `key ${keyid} is not in the keychain`);
  if (target.revoked !== null) throw new PeTraceError('USAGE', `key ${keyid} was already revoked at ${target.revoked.at}`);
  const keys = head.keys.map((k) => (k.keyid === keyid ? { ...k, revoked: { at, reason } } : k));
  return appendVersion(chain, { change: `revoke ${keyid}`, root: head.root, keys }, [rootKey]);
}

/** A new root: the version is signed by the current root (authorising the change) and the new one (possession). */
export function rotateRoot(chain: Keychain, rootKey: SigningKey, newRoot: SigningKey, label: string): Keychain {
  requireRootKey(chain, rootKey, label);
  if (newRoot.publicKey.keyid === rootKey.publicKey.keyid) throw new PeTraceError('USAGE', 'the new root key is the current root key');
  const head = keychainHead(chain);
  return appendVersion(chain, { change: `rotate-root ${newRoot.publicKey.keyid}`, root: rootOf(newRoot.publicKey), keys: head.keys }, [rootKey, newRoot]);
}

export function keychainBytes(chain: Keychain): Uint8Array {
  return canonicalJsonBytes({
    mediaType: KEYCHAIN_MEDIA_TYPE,
    versions: chain.envelopes.map((e) => ({ payloadType: e.payloadType, payload: e.payload, signatures: e.signatures.map((s) => ({ sig: s.sig, keyid: s.keyid })) })),
  });
}

/**
 * Reads and checks a keychain as a whole: each version's hash link to the one before, its number, its root's
 * signature (version 1: its own root; later: the previous root, and the new root too when it rotates), and every
 * key id against its key. Any break is KEYCHAIN_BROKEN: a chain is trusted entirely or not at all.
 */
export function readKeychain(bytes: Uint8Array, label: string): Keychain {
  const broken = (pointer: string, why: string): PeTraceError => new PeTraceError('KEYCHAIN_BROKEN', why, { location: { file: label, pointer } });
  const root = readJsonObject(bytes, label, 'KEYCHAIN_BROKEN', 'keychain');
  if (root['mediaType'] !== KEYCHAIN_MEDIA_TYPE) throw broken('/mediaType', `expected mediaType ${KEYCHAIN_MEDIA_TYPE}`);
  const list = root['versions'];
  if (!Array.isArray(list) || list.length === 0) throw broken('/versions', 'expected a non-empty array of signed versions');
  const versions: KeychainVersion[] = [];
  const envelopes: DsseEnvelope[] = [];
  let prevRoot: PublicKeyInfo | undefined;
  let prevHash: string | null = null;
  list.forEach((item, i) => {
    const at = `/versions/${i}`;
    if (!isPlainObject(item)) throw broken(at, 'expected a DSSE envelope');
    const env = readEnvelope(item, at, broken);
    if (env.payloadType !== KEYCHAIN_VERSION_PAYLOAD_TYPE) throw broken(`${at}/payloadType`, `expected ${KEYCHAIN_VERSION_PAYLOAD_TYPE}`);
    const payload = decodeBase64(env.payload);
    if (payload === undefined) throw broken(`${at}/payload`, 'not base64');
    const version = readVersion(payload, `${label}${at}/payload`, broken, at);
    if (version.version !== i + 1) throw broken(`${at}/payload`, `version number ${version.version} where ${i + 1} belongs`);
    if (version.previous !== prevHash) throw broken(`${at}/payload`, `hash link broken: previous is ${String(version.previous)}, expected ${String(prevHash)}`);
    const ownRoot = loadRoot(version.root, broken, at);
    const authoriser = prevRoot ?? ownRoot;
    if (!envelopeSignedBy(env, authoriser)) throw broken(`${at}/signatures`, `root signature by ${authoriser.keyid} does not verify`);
    if (ownRoot.keyid !== authoriser.keyid && !envelopeSignedBy(env, ownRoot)) throw broken(`${at}/signatures`, `new root ${ownRoot.keyid} did not sign its rotation`);
    versions.push(version);
    envelopes.push(env);
    prevRoot = ownRoot;
    prevHash = createHash('sha256').update(payload).digest('hex');
  });
  return { versions, envelopes, headHash: prevHash ?? '' };
}

function loadRoot(r: KeychainRoot, broken: (p: string, w: string) => PeTraceError, at: string): PublicKeyInfo {
  let key: PublicKeyInfo;
  try {
    key = loadPublicKey(r.publicKey, at);
  } catch {
    throw broken(`${at}/payload`, 'root public key cannot be read');
  }
  if (key.keyid !== r.keyid) throw broken(`${at}/payload`, `root key id ${r.keyid} is not the sha256 of its key`);
  return key;
}

function readVersion(payload: Uint8Array, label: string, broken: (p: string, w: string) => PeTraceError, at: string): KeychainVersion {
  const v = readJsonObject(payload, label, 'KEYCHAIN_BROKEN', 'keychain version');
  const bad = (why: string): PeTraceError => broken(`${at}/payload`, why);
  const str = (o: { [key: string]: PlainJson }, k: string): string => {
    const x = o[k];
    if (typeof x !== 'string') throw bad(`${k} must be a string`);
    return x;
  };
  const time = (o: { [key: string]: PlainJson }, k: string): string | null => {
    const x = o[k];
    if (x === null) return null;
    if (typeof x !== 'string' || !isIsoInstant(x)) throw bad(`${k} must be null or an ISO 8601 time with a zone`);
    return x;
  };
  const alg = (o: { [key: string]: PlainJson }): KeyAlgorithm => {
    const a = o['algorithm'];
    if (a !== 'ed25519' && a !== 'ecdsa-p256') throw bad('algorithm must be ed25519 or ecdsa-p256');
    return a;
  };
  if (typeof v['version'] !== 'number' || !Number.isInteger(v['version'])) throw bad('version must be an integer');
  const previous = v['previous'];
  if (previous !== null && typeof previous !== 'string') throw bad('previous must be null or a sha256 hex string');
  const r = v['root'];
  if (!isPlainObject(r)) throw bad('root must be an object');
  const keysJson = v['keys'];
  if (!Array.isArray(keysJson)) throw bad('keys must be an array');
  const keys = keysJson.map((k): KeychainKey => {
    if (!isPlainObject(k)) throw bad('each key must be an object');
    const revoked = k['revoked'];
    let rev: KeychainKey['revoked'] = null;
    if (revoked !== null) {
      if (!isPlainObject(revoked)) throw bad('revoked must be null or {at, reason}');
      const atTime = time(revoked, 'at');
      if (atTime === null) throw bad('revoked.at is required');
      rev = { at: atTime, reason: str(revoked, 'reason') };
    }
    const entry: KeychainKey = { keyid: str(k, 'keyid'), algorithm: alg(k), publicKey: str(k, 'publicKey'), name: str(k, 'name'), notBefore: time(k, 'notBefore'), notAfter: time(k, 'notAfter'), revoked: rev };
    let parsed: PublicKeyInfo;
    try {
      parsed = loadPublicKey(entry.publicKey, label);
    } catch {
      throw bad(`key ${entry.keyid} cannot be read`);
    }
    if (parsed.keyid !== entry.keyid || parsed.algorithm !== entry.algorithm) throw bad(`key id ${entry.keyid} does not match its key`);
    return entry;
  });
  return { version: v['version'], previous, change: str(v, 'change'), root: { keyid: str(r, 'keyid'), algorithm: alg(r), publicKey: str(r, 'publicKey') }, keys };
}

/** The roots the chain has had, oldest first: any of them authenticates the whole chain (each link is root-signed). */
export function keychainRoots(chain: Keychain): string[] {
  return [...new Set(chain.versions.map((v) => v.root.keyid))];
}
