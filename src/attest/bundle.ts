// The Sigstore bundle v0.3 we write and read: a public-key hint, optional RFC 3161 timestamps, one DSSE envelope.
import { canonicalJsonBytes } from '../json/canonical.js';
import type { PlainJson } from '../json/value.js';
import { decodeBase64, type DsseEnvelope } from './dsse.js';
import { type PlainObject, isPlainObject, readJsonObject } from './json-file.js';
import { PeTraceError } from '../errors.js';

export const SIGSTORE_BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export interface SignatureBundle {
  readonly keyHint: string;
  /** DER RFC 3161 TimeStampResps (Sigstore's `signedTimestamp`: the whole response, not the bare token). */
  readonly timestamps: readonly Uint8Array[];
  readonly envelope: DsseEnvelope;
}

/** Canonical JSON bytes of the bundle (sorted keys, 2-space indent, trailing newline). */
export function bundleBytes(bundle: SignatureBundle): Uint8Array {
  const verificationMaterial: { [key: string]: PlainJson } = { publicKey: { hint: bundle.keyHint } };
  if (bundle.timestamps.length > 0) {
    verificationMaterial['timestampVerificationData'] = {
      rfc3161Timestamps: bundle.timestamps.map((t) => ({ signedTimestamp: Buffer.from(t).toString('base64') })),
    };
  }
  return canonicalJsonBytes({
    mediaType: SIGSTORE_BUNDLE_V03,
    verificationMaterial,
    dsseEnvelope: {
      payloadType: bundle.envelope.payloadType,
      payload: bundle.envelope.payload,
      signatures: bundle.envelope.signatures.map((s) => ({ sig: s.sig, keyid: s.keyid })),
    },
  });
}

/** Reads a bundle; anything not shaped as one is SIGNATURE_MALFORMED (a signature we cannot read does not verify). */
export function parseBundle(bytes: Uint8Array, label: string): SignatureBundle {
  const bad = (pointer: string, why: string): PeTraceError => new PeTraceError('SIGNATURE_MALFORMED', why, { location: { file: label, pointer } });
  const root = readJsonObject(bytes, label, 'SIGNATURE_MALFORMED', 'Sigstore bundle');
  if (root['mediaType'] !== SIGSTORE_BUNDLE_V03) throw bad('/mediaType', `expected mediaType ${SIGSTORE_BUNDLE_V03}`);
  const vm = root['verificationMaterial'];
  if (!isPlainObject(vm)) throw bad('/verificationMaterial', 'expected an object');
  const pk = vm['publicKey'];
  if (!isPlainObject(pk) || typeof pk['hint'] !== 'string') throw bad('/verificationMaterial/publicKey/hint', 'expected a key id string');
  const timestamps: Uint8Array[] = [];
  const tvd = vm['timestampVerificationData'];
  if (tvd !== undefined) {
    const list = isPlainObject(tvd) ? tvd['rfc3161Timestamps'] : undefined;
    if (!Array.isArray(list)) throw bad('/verificationMaterial/timestampVerificationData/rfc3161Timestamps', 'expected an array');
    list.forEach((t, i) => {
      const der = isPlainObject(t) && typeof t['signedTimestamp'] === 'string' ? decodeBase64(t['signedTimestamp']) : undefined;
      if (der === undefined) throw bad(`/verificationMaterial/timestampVerificationData/rfc3161Timestamps/${i}/signedTimestamp`, 'expected base64 DER');
      timestamps.push(der);
    });
  }
  const env = root['dsseEnvelope'];
  if (!isPlainObject(env)) throw bad('/dsseEnvelope', 'expected a DSSE envelope (message signatures are not supported)');
  return { keyHint: pk['hint'], timestamps, envelope: readEnvelope(env, '/dsseEnvelope', bad) };
}

/** A DSSE envelope object at `pointer`, shape-checked. */
export function readEnvelope(env: PlainObject, pointer: string, bad: (pointer: string, why: string) => PeTraceError): DsseEnvelope {
  if (typeof env['payloadType'] !== 'string') throw bad(`${pointer}/payloadType`, 'expected a string');
  if (typeof env['payload'] !== 'string') throw bad(`${pointer}/payload`, 'expected a base64 string');
  const sigs = env['signatures'];
  if (!Array.isArray(sigs) || sigs.length === 0) throw bad(`${pointer}/signatures`, 'expected a non-empty array');
  const signatures = sigs.map((s, i) => {
    if (!isPlainObject(s) || typeof s['sig'] !== 'string' || typeof s['keyid'] !== 'string') throw bad(`${pointer}/signatures/${i}`, 'expected {sig, keyid} strings');
    return { sig: s['sig'], keyid: s['keyid'] };
  });
  return { payloadType: env['payloadType'], payload: env['payload'], signatures };
}
