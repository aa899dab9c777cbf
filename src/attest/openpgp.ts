// A minimal OpenPGP v4 writer (RFC 4880, EdDSA as in RFC 9580's legacy Ed25519): an armored public key with a
// self-signed user id, and armored detached binary signatures, for the tro-utils `.sig` convention (`gpg --verify`).
import { createHash, sign as cryptoSign } from 'node:crypto';
import { PeTraceError } from '../errors.js';
import type { SigningKey } from './keys.js';

const ALGO_EDDSA_LEGACY = 22;
const HASH_SHA256 = 8;
/** OID 1.3.6.1.4.1.11591.15.1 (Ed25519), as OpenPGP writes it: a length byte, then the DER contents. */
const ED25519_CURVE_OID = Uint8Array.of(0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01);
/**
 * The key's creation time is part of its fingerprint, so it is fixed (1970-01-01T00:00:01Z) to give one key one
 * OpenPGP fingerprint across runs; signature times are real.
 */
const KEY_CREATED = 1;

function u16(n: number): Uint8Array {
  return Uint8Array.of((n >>> 8) & 0xff, n & 0xff);
}
function u32(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/** An OpenPGP MPI: bit count, then the big-endian magnitude without leading zero bytes. */
function mpi(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const m = bytes.subarray(start);
  const bits = (m.length - 1) * 8 + (m[0] === 0 ? 0 : 32 - Math.clz32(m[0]!));
  return Buffer.concat([u16(bits), m]);
}

/** A new-format packet: tag, length (1, 2 or 5 bytes), body. */
function packet(tag: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  let len: Uint8Array;
  if (n < 192) len = Uint8Array.of(n);
  else if (n < 8384) len = Uint8Array.of(((n - 192) >> 8) + 192, (n - 192) & 0xff);
  else len = Buffer.concat([Uint8Array.of(0xff), u32(n)]);
  return Buffer.concat([Uint8Array.of(0xc0 | tag), len, body]);
}

function subpacket(type: number, data: Uint8Array): Uint8Array {
  return Buffer.concat([Uint8Array.of(data.length + 1), Uint8Array.of(type), data]);
}

export interface OpenPgpKey {
  readonly publicKeyBody: Uint8Array;
  /** 40 uppercase hex digits. */
  readonly fingerprint: string;
  readonly keyId: Uint8Array;
  readonly signing: SigningKey;
}

/** The OpenPGP view of an Ed25519 signing key (P-256 is not offered: tro-utils users run GnuPG with Ed25519 keys). */
export function openPgpKey(signing: SigningKey): OpenPgpKey {
  if (signing.publicKey.algorithm !== 'ed25519') {
    throw new PeTraceError('KEY_INVALID', '--format tro-utils needs an Ed25519 key (OpenPGP EdDSA)');
  }
  const raw = Buffer.from(signing.publicKey.key.export({ format: 'jwk' }).x ?? '', 'base64url');
  const publicKeyBody = Buffer.concat([Uint8Array.of(4), u32(KEY_CREATED), Uint8Array.of(ALGO_EDDSA_LEGACY), ED25519_CURVE_OID, mpi(Buffer.concat([Uint8Array.of(0x40), raw]))]);
  const fpr = createHash('sha1').update(Buffer.concat([Uint8Array.of(0x99), u16(publicKeyBody.length), publicKeyBody])).digest();
  return { publicKeyBody, fingerprint: fpr.toString('hex').toUpperCase(), keyId: fpr.subarray(12), signing };
}

/** A v4 signature packet of `type` over `prefix` (the signed data or key material), made at `created` (unix seconds). */
function signaturePacket(key: OpenPgpKey, type: number, prefix: Uint8Array, created: number, extraHashed: readonly Uint8Array[]): Uint8Array {
  const fpr = Buffer.from(key.fingerprint, 'hex');
  const hashedSub = Buffer.concat([subpacket(2, u32(created)), subpacket(33, Buffer.concat([Uint8Array.of(4), fpr])), ...extraHashed]);
  const hashedPart = Buffer.concat([Uint8Array.of(4, type, ALGO_EDDSA_LEGACY, HASH_SHA256), u16(hashedSub.length), hashedSub]);
  const trailer = Buffer.concat([Uint8Array.of(4, 0xff), u32(hashedPart.length)]);
  const digest = createHash('sha256').update(prefix).update(hashedPart).update(trailer).digest();
  const sig = cryptoSign(null, digest, key.signing.privateKey);
  const unhashed = subpacket(16, key.keyId);
  return packet(2, Buffer.concat([hashedPart, u16(unhashed.length), unhashed, digest.subarray(0, 2), mpi(sig.subarray(0, 32)), mpi(sig.subarray(32))]));
}

/** CRC-24 of RFC 4880 §6.1, for the armor checksum. */
function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

function armor(kind: 'PUBLIC KEY BLOCK' | 'SIGNATURE', data: Uint8Array): string {
  const b64 = Buffer.from(data).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  const crc = Buffer.from(u32(crc24(data)).subarray(1)).toString('base64');
  return `-----BEGIN PGP ${kind}-----\n\n${b64}\n=${crc}\n-----END PGP ${kind}-----\n`;
}

/** The armored public key: key packet, user id, positive self-certification (flags: certify, sign). */
export function armoredPublicKey(key: OpenPgpKey, userId: string, created: number): string {
  const uid = Buffer.from(userId, 'utf8');
  const keyPrefix = Buffer.concat([Uint8Array.of(0x99), u16(key.publicKeyBody.length), key.publicKeyBody]);
  const uidPrefix = Buffer.concat([Uint8Array.of(0xb4), u32(uid.length), uid]);
  const selfSig = signaturePacket(key, 0x13, Buffer.concat([keyPrefix, uidPrefix]), Math.max(created, KEY_CREATED), [subpacket(27, Uint8Array.of(0x03))]);
  return armor('PUBLIC KEY BLOCK', Buffer.concat([packet(6, key.publicKeyBody), packet(13, uid), selfSig]));
}

/** An armored detached signature (binary document, type 0x00) over `data`, made at `created` (unix seconds). */
export function armoredDetachedSignature(key: OpenPgpKey, data: Uint8Array, created: number): string {
  return armor('SIGNATURE', signaturePacket(key, 0x00, data, created, []));
}
