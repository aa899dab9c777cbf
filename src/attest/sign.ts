// Signing a TRO: the in-toto statement over its exact bytes, a DSSE envelope, optional RFC 3161 timestamps, the bundle.
import type { TroModel } from '../tro/model.js';
import { canonicalJsonBytes } from '../json/canonical.js';
import { type SignatureBundle, bundleBytes } from './bundle.js';
import { decodeBase64, signEnvelope } from './dsse.js';
import type { SigningKey } from './keys.js';
import { IN_TOTO_PAYLOAD_TYPE, buildStatement } from './statement.js';

export interface SignTroInput {
  readonly troBytes: Uint8Array;
  readonly troPath: string;
  readonly model: TroModel;
  readonly key: SigningKey;
  readonly signerName: string;
  /** Fetches one RFC 3161 TimeStampResp over sha256(signature bytes) per TSA (the caller decides the transport). */
  readonly timestamp?: (signature: Uint8Array) => Promise<readonly Uint8Array[]>;
}

export interface SignedTro {
  readonly bundle: SignatureBundle;
  readonly bytes: Uint8Array;
  readonly keyid: string;
  readonly subjectSha256: string;
}

export async function signTro(input: SignTroInput): Promise<SignedTro> {
  const statement = buildStatement({ troBytes: input.troBytes, troPath: input.troPath, model: input.model, signerName: input.signerName, keyid: input.key.publicKey.keyid });
  const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, canonicalJsonBytes(statement), [input.key]);
  const signature = decodeBase64(envelope.signatures[0]!.sig)!;
  const timestamps = input.timestamp === undefined ? [] : await input.timestamp(signature);
  const bundle: SignatureBundle = { keyHint: input.key.publicKey.keyid, timestamps, envelope };
  const subject = (statement['subject'] as { digest: { sha256: string } }[])[0]!;
  return { bundle, bytes: bundleBytes(bundle), keyid: input.key.publicKey.keyid, subjectSha256: subject.digest.sha256 };
}
