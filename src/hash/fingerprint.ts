// Composition fingerprints: a hash over the sorted artifact hash values (newline-joined for pe, concatenated for TROv 0.1).
import type { FingerprintAlgorithm } from '../tro/model.js';
import { compareCodePoints } from '../json/canonical.js';
import { type HashAlgorithm, hashBytes, sha256Hex } from './digest.js';


/** The separator each fingerprint algorithm puts between the sorted values. */
export function fingerprintSeparator(algorithm: FingerprintAlgorithm): string {
  return algorithm === 'sha256-newline' ? '\n' : '';
}

/** The exact text that is hashed: the values sorted by code point (duplicates kept: a multiset) and joined. */
export function fingerprintText(values: readonly string[], algorithm: FingerprintAlgorithm): string {
  return [...values].sort(compareCodePoints).join(fingerprintSeparator(algorithm));
}

/**
 * `sha256-newline`: sha256(utf8(sorted.join("\n"))) — policyengine.py, populace, us-data.
 * `sha256-concat`:  sha256(utf8(sorted.join("")))  — TROv 0.1 spec, tro-utils.
 * Values are used exactly as written (not re-cased, not validated).
 */
export function compositionFingerprint(values: readonly string[], algorithm: FingerprintAlgorithm): string {
  return sha256Hex(fingerprintText(values, algorithm));
}

/**
 * The same joining rule with another hash function, for TROv 0.1 fingerprints that declare a
 * non-sha256 `trov:hashAlgorithm` (the spec lets the fingerprint algorithm differ from sha256).
 */
export async function compositionFingerprintWith(
  values: readonly string[],
  algorithm: FingerprintAlgorithm,
  hash: HashAlgorithm,
): Promise<string> {
  return hashBytes(fingerprintText(values, algorithm), hash);
}
