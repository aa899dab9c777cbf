// The in-toto Statement v1 a TRO signature carries: the TRO file as first subject, and our TRO attestation predicate.
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import type { TroModel } from '../tro/model.js';
import type { PlainJson } from '../json/value.js';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** Defined in vocab/pe.ttl as pe:TroAttestation. */
export const TRO_PREDICATE_TYPE = 'https://policyengine.org/trace/0.1#TroAttestation';

export interface StatementInput {
  /** The exact bytes of the TRO file. */
  readonly troBytes: Uint8Array;
  /** The TRO's path or file name; only its base name is written. */
  readonly troPath: string;
  readonly model: TroModel;
  readonly signerName: string;
  readonly keyid: string;
}

/** The artifact that carries a run's runtime binding (policyengine.py's `runtime` artifact), when the TRO has one. */
function runtimeBinding(model: TroModel): { [key: string]: PlainJson } | undefined {
  const artifact = model.artifacts.find((a) => a.shortId === 'runtime');
  const hash = artifact?.hashes.find((h) => h.algorithm === 'sha256');
  if (artifact === undefined || hash === undefined) return undefined;
  return { artifact: artifact.id, sha256: hash.value };
}

/** The statement as a JSON value (written with canonical bytes by the caller). */
export function buildStatement(input: StatementInput): { [key: string]: PlainJson } {
  const predicate: { [key: string]: PlainJson } = {
    dialect: input.model.dialect.id,
    compositionFingerprint:
      input.model.fingerprint === undefined ? null : { algorithm: input.model.fingerprint.algorithm, value: input.model.fingerprint.value },
    signer: { name: input.signerName, keyid: input.keyid },
  };
  const runtime = runtimeBinding(input.model);
  if (runtime !== undefined) predicate['runtime'] = runtime;
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: basename(input.troPath), digest: { sha256: createHash('sha256').update(input.troBytes).digest('hex') } }],
    predicateType: TRO_PREDICATE_TYPE,
    predicate,
  };
}
