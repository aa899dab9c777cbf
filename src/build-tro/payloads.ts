// Content-hashed payloads of a build TRO (pe-data §2.3): canonical JSON bytes, sha256, and the `urn:pop:payload:` location.
import { InputError } from '../errors.js';
import { sha256Hex } from '../hash/digest.js';
import { canonicalJsonBytes } from '../json/canonical.js';
import type { JsonValue } from '../json/value.js';
import { IdentifierError, normaliseSha256 } from './identifiers.js';

/** The three payloads the populace emitter knows, in the order it appends them. */
export const KNOWN_PAYLOADS: readonly string[] = ['build_config', 'gate_report', 'stage_records'];

/** A payload name is also a TRO id segment and a URN segment: lowercase letters, digits and `_`. */
const PAYLOAD_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export interface BuildPayload {
  readonly name: string;
  readonly sha256: string;
  /** `urn:pop:payload:<name>:<sha256>`: content-addressed, not fetchable. */
  readonly location: string;
  /** The canonical bytes that hash to `sha256` (the preimage a verifier recomputes); absent for a declared hash. */
  readonly bytes?: Uint8Array;
  /** Where the payload came from, for reports: `manifest#/gates`, `file gates.json`, `declared`. */
  readonly origin: string;
}

export function checkPayloadName(name: string): string {
  if (!PAYLOAD_NAME.test(name)) {
    throw new InputError('USAGE', `payload name ${JSON.stringify(name)} must be lowercase letters, digits and _ (e.g. gate_report)`);
  }
  return name;
}

export function payloadLocation(name: string, sha256: string): string {
  return `urn:pop:payload:${name}:${sha256}`;
}

/** Hashes a payload value as policyengine.py and populace do: sha256 of `json.dumps(value, indent=2, sort_keys=True) + "\n"`. */
export function payloadFromValue(name: string, value: JsonValue, origin: string): BuildPayload {
  checkPayloadName(name);
  const bytes = canonicalJsonBytes(value);
  const sha256 = sha256Hex(bytes);
  return { name, sha256, location: payloadLocation(name, sha256), bytes, origin };
}

/**
 * A payload bound by a hash whose preimage was not supplied (e.g. the shipped populace TRO's `stage_records`,
 * which nobody published). The TRO can carry it, but nobody can recompute it: the plan reports that.
 */
export function payloadFromDeclaredHash(name: string, sha256: string): BuildPayload {
  checkPayloadName(name);
  let hex: string;
  try {
    hex = normaliseSha256(sha256);
  } catch (e) {
    throw new InputError('USAGE', `payload ${name}: ${e instanceof IdentifierError ? e.message : String(e)}`);
  }
  return { name, sha256: hex, location: payloadLocation(name, hex), origin: 'declared' };
}
