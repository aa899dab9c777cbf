// Composition fingerprints: a hash over the sorted artifact hash values (newline-joined for pe, concatenated for TROv 0.1).
import type { FingerprintAlgorithm } from '../tro/model.js';
import { type HashAlgorithm, hashBytes, sha256Hex } from './digest.js';

/** Code-point order (Python's `sorted` on str). JS `<` compares UTF-16 units, which differs above U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done === true) return y.done === true ? 0 : -1;
    if (y.done === true) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

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
