// Verifying a signed TRO: keychain chain and root anchor, key, DSSE signature, subject digest, timestamps, key validity.
import type { X509Certificate } from 'node:crypto';
import { createHash } from 'node:crypto';
import { PeTraceError } from '../errors.js';
import { parseBundle } from './bundle.js';
import { decodeBase64, envelopeSignedBy } from './dsse.js';
import { isPlainObject, readJsonObject } from './json-file.js';
import { type KeychainKey, keychainHead, keychainRoots, readKeychain } from './keychain.js';
import { loadPublicKey } from './keys.js';
import { IN_TOTO_PAYLOAD_TYPE, IN_TOTO_STATEMENT_TYPE, TRO_PREDICATE_TYPE } from './statement.js';
import { verifyTimestampResponse } from './timestamp.js';

export interface SignatureCheckInput {
  readonly troBytes: Uint8Array;
  readonly troLabel: string;
  readonly bundleBytes: Uint8Array;
  readonly bundleLabel: string;
  readonly keychainBytes: Uint8Array;
  readonly keychainLabel: string;
  /** Trusted root KEYIDs (from --root, or the DNS TXT record). */
  readonly rootKeyIds: readonly string[];
  /** Trusted TSA certificates (the TSA's own and/or its chain). */
  readonly tsaCertificates: readonly X509Certificate[];
  /** The time used when no timestamp is verified ("now", passed in by the caller). */
  readonly now: Date;
}

export interface SignatureReport {
  readonly verified: true;
  readonly keyid: string;
  readonly keyName: string;
  /** The verified RFC 3161 signing time; null when none was verified (the key was then checked against "now"). */
  readonly signingTime: string | null;
  /** Where the signing time comes from: a verified RFC 3161 timestamp, or the verifier's clock. */
  readonly timeSource: 'rfc3161' | 'now';
  readonly tsa: string | null;
  readonly root: string;
  readonly keychainVersion: number;
  readonly keychainHead: string;
  /** When the key was revoked after the signing time (the signature still stands), that revocation. */
  readonly revokedLater: { readonly at: string; readonly reason: string } | null;
  readonly warnings: readonly string[];
}

export function verifyTroSignature(input: SignatureCheckInput): SignatureReport {
  const chain = readKeychain(input.keychainBytes, input.keychainLabel);
  const roots = keychainRoots(chain);
  const anchor = roots.find((r) => input.rootKeyIds.includes(r));
  if (anchor === undefined) {
    throw new PeTraceError('ROOT_MISMATCH', `keychain root ${keychainHead(chain).root.keyid} is not the trusted root ${input.rootKeyIds.join(' or ')}`, { location: { file: input.keychainLabel } });
  }
  const bundle = parseBundle(input.bundleBytes, input.bundleLabel);
  const sigLocation = { file: input.bundleLabel };
  const env = bundle.envelope;
  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) throw new PeTraceError('SIGNATURE_MALFORMED', `payloadType is not ${IN_TOTO_PAYLOAD_TYPE}`, { location: { ...sigLocation, pointer: '/dsseEnvelope/payloadType' } });
  const keyid = env.signatures[0]!.keyid;
  if (bundle.keyHint !== keyid) throw new PeTraceError('SIGNATURE_MALFORMED', `key hint ${bundle.keyHint} is not the envelope's key id ${keyid}`, { location: { ...sigLocation, pointer: '/verificationMaterial/publicKey/hint' } });
  const head = keychainHead(chain);
  const entry = head.keys.find((k) => k.keyid === keyid);
  if (entry === undefined) throw new PeTraceError('SIGNATURE_KEY_UNKNOWN', `key ${keyid} is not in the keychain (version ${head.version})`, { location: sigLocation });
  const key = loadPublicKey(entry.publicKey, input.keychainLabel);
  if (!envelopeSignedBy({ ...env, signatures: [env.signatures[0]!] }, key)) {
    throw new PeTraceError('SIGNATURE_INVALID', `DSSE signature does not verify with key ${keyid}`, { location: sigLocation });
  }
  const payload = decodeBase64(env.payload)!;
  const statement = readJsonObject(payload, `${input.bundleLabel}#/dsseEnvelope/payload`, 'SIGNATURE_MALFORMED', 'in-toto statement');
  const subject = Array.isArray(statement['subject']) ? statement['subject'][0] : undefined;
  const digest = isPlainObject(subject) && isPlainObject(subject['digest']) ? subject['digest']['sha256'] : undefined;
  if (statement['_type'] !== IN_TOTO_STATEMENT_TYPE || statement['predicateType'] !== TRO_PREDICATE_TYPE || typeof digest !== 'string') {
    throw new PeTraceError('SIGNATURE_MALFORMED', `payload is not an in-toto Statement v1 with predicateType ${TRO_PREDICATE_TYPE} and a sha256 subject`, { location: sigLocation });
  }
  const actual = createHash('sha256').update(input.troBytes).digest('hex');
  if (digest !== actual) {
    throw new PeTraceError('SIGNATURE_SUBJECT_MISMATCH', `signed subject sha256 ${digest} is not the TRO's sha256 ${actual}`, { location: { file: input.troLabel } });
  }
  const warnings: string[] = [];
  let signingTime = input.now;
  let timeSource: SignatureReport['timeSource'] = 'now';
  let tsa: string | null = null;
  if (bundle.timestamps.length > 0 && input.tsaCertificates.length === 0) {
    warnings.push(`${bundle.timestamps.length} RFC 3161 timestamp(s) not checked (no --tsa-cert given): the signing time is taken as now`);
  } else {
    const signature = decodeBase64(env.signatures[0]!.sig)!;
    for (const token of bundle.timestamps) {
      const t = verifyTimestampResponse(token, signature, input.tsaCertificates, input.bundleLabel);
      if (timeSource === 'now' || t.time < signingTime) {
        signingTime = t.time;
        tsa = t.tsa;
      }
      timeSource = 'rfc3161';
    }
  }
  const revokedLater = checkValidity(entry, signingTime, timeSource, sigLocation.file);
  return {
    verified: true, keyid, keyName: entry.name, signingTime: timeSource === 'rfc3161' ? signingTime.toISOString() : null, timeSource, tsa, root: anchor,
    keychainVersion: head.version, keychainHead: chain.headHash, revokedLater, warnings,
  };
}

/** The key's window and revocation at the signing time; returns a revocation that came later. */
function checkValidity(entry: KeychainKey, time: Date, source: SignatureReport['timeSource'], file: string): SignatureReport['revokedLater'] {
  const when = `${source === 'rfc3161' ? 'timestamped signing time' : 'now (no verified timestamp)'} ${time.toISOString()}`;
  if (entry.notBefore !== null && time.getTime() < Date.parse(entry.notBefore)) {
    throw new PeTraceError('SIGNATURE_KEY_EXPIRED', `key ${entry.keyid} is not valid before ${entry.notBefore}; ${when}`, { location: { file } });
  }
  if (entry.notAfter !== null && time.getTime() >= Date.parse(entry.notAfter)) {
    throw new PeTraceError('SIGNATURE_KEY_EXPIRED', `key ${entry.keyid} expired at ${entry.notAfter}; ${when}`, { location: { file } });
  }
  if (entry.revoked === null) return null;
  if (Date.parse(entry.revoked.at) <= time.getTime()) {
    throw new PeTraceError('SIGNATURE_KEY_REVOKED', `key ${entry.keyid} was revoked at ${entry.revoked.at} (${entry.revoked.reason}); ${when}`, { location: { file } });
  }
  return entry.revoked;
}
