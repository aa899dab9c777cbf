// DSSE v1 envelopes: the pre-authentication encoding (PAE), signing, reading and verifying one envelope.
import { type PublicKeyInfo, type SigningKey, signBytes, verifyBytes } from './keys.js';

export interface DsseSignature {
  readonly sig: string;
  readonly keyid: string;
}

/** The DSSE envelope as JSON: payload and signatures base64 (standard alphabet, padded). */
export interface DsseEnvelope {
  readonly payloadType: string;
  readonly payload: string;
  readonly signatures: readonly DsseSignature[];
}

/** PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body, lengths as ASCII decimal byte counts. */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

/** An envelope over `payload`, signed by each key in order. */
export function signEnvelope(payloadType: string, payload: Uint8Array, keys: readonly SigningKey[]): DsseEnvelope {
  const message = pae(payloadType, payload);
  return {
    payloadType,
    payload: Buffer.from(payload).toString('base64'),
    signatures: keys.map((k) => ({ sig: Buffer.from(signBytes(k, message)).toString('base64'), keyid: k.publicKey.keyid })),
  };
}

/** Strict standard base64 (what we write); anything else is not a byte string we signed. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

/** Whether the envelope carries a valid signature by `key` (matched by keyid) over PAE(payloadType, payload). */
export function envelopeSignedBy(envelope: DsseEnvelope, key: PublicKeyInfo): boolean {
  const payload = decodeBase64(envelope.payload);
  if (payload === undefined) return false;
  const message = pae(envelope.payloadType, payload);
  return envelope.signatures.some((s) => {
    if (s.keyid !== key.keyid) return false;
    const sig = decodeBase64(s.sig);
    return sig !== undefined && verifyBytes(key, message, sig);
  });
}
