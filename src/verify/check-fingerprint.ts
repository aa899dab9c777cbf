// Recomputes a TRO's composition fingerprint from its artifact hash values and compares it with the claimed one.
import { type HashAlgorithm, parseHashAlgorithm } from '../hash/digest.js';
import { compositionFingerprint, compositionFingerprintWith } from '../hash/fingerprint.js';
import type { FingerprintAlgorithm, TroArtifact, TroModel } from '../tro/model.js';
import type { FingerprintReport } from './report.js';

/** The pe dialects feed the fingerprint one sha256 per artifact; the TROv dialects feed every hash value (spec rule). */
function isPeDialect(model: TroModel): boolean {
  return model.dialect.id === 'pe-0.1' || model.dialect.id === 'pe-0.1-hash';
}

function firstSha256(artifact: TroArtifact): string | undefined {
  return artifact.hashes.find((h) => parseHashAlgorithm(h.algorithm) === 'sha256')?.value;
}

/** The values the fingerprint is computed from, with notes about artifacts that contribute nothing. */
export function fingerprintInputs(model: TroModel): { values: string[]; notes: string[] } {
  const values: string[] = [];
  const notes: string[] = [];
  for (const a of model.artifacts) {
    if (a.hashes.length === 0) {
      notes.push(`${a.shortId}: artifact has no hash, so it contributes nothing to the recomputed fingerprint`);
    } else if (isPeDialect(model)) {
      const v = firstSha256(a);
      if (v === undefined) notes.push(`${a.shortId}: artifact has no sha256, so it contributes nothing to the recomputed fingerprint`);
      else values.push(v);
    } else {
      for (const h of a.hashes) values.push(h.value);
    }
  }
  return { values, notes };
}

/** tro-utils keeps one hash per artifact, preferring sha256; the TROv spec text uses them all. */
function troUtilsInputs(model: TroModel): string[] {
  const values: string[] = [];
  for (const a of model.artifacts) {
    const v = firstSha256(a) ?? a.hashes[0]?.value;
    if (v !== undefined) values.push(v);
  }
  return values;
}

async function compute(values: readonly string[], algorithm: FingerprintAlgorithm, hash: HashAlgorithm): Promise<string> {
  return hash === 'sha256' ? compositionFingerprint(values, algorithm) : compositionFingerprintWith(values, algorithm, hash);
}

export async function checkFingerprint(model: TroModel): Promise<{ report: FingerprintReport; notes: string[] }> {
  const algorithm = model.dialect.fingerprintAlgorithm;
  const { values, notes } = fingerprintInputs(model);
  const claimed = model.fingerprint;
  let hash: HashAlgorithm = 'sha256';
  if (claimed !== undefined) {
    const parsed = parseHashAlgorithm(claimed.algorithm);
    if (parsed === undefined) notes.push(`fingerprint: unsupported hash algorithm ${claimed.algorithm}; recomputed with sha256`);
    else hash = parsed;
  }
  const computed = await compute(values, algorithm, hash);
  const status = claimed === undefined ? 'missing' : claimed.value === computed ? 'ok' : 'mismatch';
  if (claimed !== undefined && status === 'mismatch' && claimed.value.toLowerCase() === computed) {
    notes.push('fingerprint: the claimed value differs from the computed one only in letter case (hex must be lowercase)');
  }

  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const [v, n] of counts) {
    if (n > 1) notes.push(`fingerprint: hash value ${v} appears ${n} times in the composition and is counted each time`);
  }

  if (!isPeDialect(model) && model.artifacts.some((a) => a.hashes.length > 1)) {
    const alt = await compute(troUtilsInputs(model), algorithm, hash);
    if (alt !== computed) {
      const matches = claimed?.value === alt ? '; the claimed fingerprint matches that rule' : '';
      notes.push(
        `fingerprint: tro-utils' rule (one hash value per artifact, preferring sha256) gives ${alt}, ` +
          `not the spec rule's ${computed} used here${matches}`,
      );
    }
  }

  const report: FingerprintReport = {
    algorithm,
    ...(hash === 'sha256' ? {} : { hashAlgorithm: hash }),
    claimed: claimed?.value ?? null,
    computed,
    status,
  };
  return { report, notes };
}
