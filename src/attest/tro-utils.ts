// The tro-utils signing convention: an armored detached OpenPGP signature over json.dumps(tro, indent=2,
// sort_keys=True) as `<base>.sig`, and an RFC 3161 reply (sha512 imprint) over tro-utils' digest object as `<base>.tsr`.
import { createHash } from 'node:crypto';
import { canonicalJsonBytes } from '../json/canonical.js';
import type { JsonValue } from '../json/value.js';
import type { SigningKey } from './keys.js';
import { armoredDetachedSignature, armoredPublicKey, openPgpKey } from './openpgp.js';

export interface TroUtilsSignInput {
  readonly tro: JsonValue;
  readonly key: SigningKey;
  /** OpenPGP user id of the exported public key, e.g. `PolicyEngine <trace@policyengine.org>`. */
  readonly userId: string;
  /** Signature creation time, unix seconds (passed in: the library reads no clock). */
  readonly now: number;
  /** Returns a full TimeStampResp for sha512(data) from a TSA, when a timestamp is wanted. */
  readonly timestamp?: (data: Uint8Array) => Promise<Uint8Array>;
}

export interface TroUtilsSignature {
  /** The bytes tro-utils signs and hashes: the TRO as json.dumps(indent=2, sort_keys=True), no trailing newline. */
  readonly declaration: Uint8Array;
  readonly signature: string;
  readonly publicKey: string;
  readonly fingerprint: string;
  /** The data the `.tsr` imprint covers (tro-utils: json.dumps of {tro_declaration, trs_signature} sha512 hex digests). */
  readonly timestampData: Uint8Array;
  readonly tsr?: Uint8Array;
}

export async function signTroUtils(input: TroUtilsSignInput): Promise<TroUtilsSignature> {
  const key = openPgpKey(input.key);
  const declaration = canonicalJsonBytes(input.tro, 'trov');
  const signature = armoredDetachedSignature(key, declaration, input.now);
  const timestampData = canonicalJsonBytes(
    {
      tro_declaration: createHash('sha512').update(declaration).digest('hex'),
      trs_signature: createHash('sha512').update(signature, 'utf8').digest('hex'),
    },
    'trov',
  );
  const tsr = input.timestamp === undefined ? undefined : await input.timestamp(timestampData);
  return {
    declaration, signature, publicKey: armoredPublicKey(key, input.userId, input.now), fingerprint: key.fingerprint, timestampData,
    ...(tsr === undefined ? {} : { tsr }),
  };
}

/** tro-utils' file names: `<base>.sig` / `<base>.tsr` beside `<base>.jsonld` (the `.jsonld` extension dropped). */
export function troUtilsBase(troPath: string): string {
  return troPath.replace(/\.jsonld$/, '');
}
