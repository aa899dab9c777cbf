// The verification report (JSON-safe, no absolute paths) and its rendering as policyengine.py's trace-tro-verify lines.
import type { HashAlgorithm } from '../hash/digest.js';
import type { DialectId, FingerprintAlgorithm } from '../tro/model.js';

export type FingerprintStatus = 'ok' | 'mismatch' | 'missing';
export type ArtifactStatus = 'ok' | 'mismatch' | 'unfetchable' | 'skipped' | 'unverifiable';

export interface FingerprintReport {
  readonly algorithm: FingerprintAlgorithm;
  /** Present only when the claimed fingerprint declares a hash function other than sha256. */
  readonly hashAlgorithm?: HashAlgorithm;
  readonly claimed: string | null;
  readonly computed: string;
  readonly status: FingerprintStatus;
}

/** One claimed hash of an artifact checked against the bytes (listed when an artifact has several). */
export interface HashCheck {
  /** The algorithm name as written in the TRO. */
  readonly algorithm: string;
  readonly expected: string;
  readonly actual?: string;
}

export interface ArtifactReport {
  /** The short id (text after the first `/artifact/`), the key `--skip` takes. */
  readonly id: string;
  /** The first location recorded for the artifact, as written. */
  readonly location: string | null;
  readonly status: ArtifactStatus;
  /** The primary claimed hash value (the sha256 one when there is one). */
  readonly expected: string | null;
  readonly actual?: string;
  readonly detail?: string;
  readonly hashes?: readonly HashCheck[];
}

export interface VerifyReport {
  /** The fingerprint is ok and every artifact is ok or skipped. */
  readonly verified: boolean;
  readonly dialect: DialectId;
  readonly fingerprint: FingerprintReport;
  readonly artifacts: readonly ArtifactReport[];
  /** Observations that do not change the verdict (fragment stripped, another implementation's rule differs, …). */
  readonly notes: readonly string[];
}

/**
 * The lines of `policyengine trace-tro-verify`: one per artifact in composition order, the fingerprint line, then
 * `ok: PATH` (stdout) or `error: PATH failed verification` (stderr). Notes, which the reference never has, go to
 * stderr as `note: …` lines before the verdict.
 */
export function formatVerifyText(report: VerifyReport, displayPath: string): { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  for (const a of report.artifacts) {
    if (a.status === 'ok') stdout.push(`ok: ${a.id} (${a.location ?? ''})`);
    else if (a.status === 'skipped') stdout.push(`skipped: ${a.id}`);
    else stdout.push(`${a.status}: ${a.id} \u2014 ${a.detail ?? ''}`);
  }
  stdout.push(`fingerprint: ${report.fingerprint.status}`);
  const stderr = report.notes.map((n) => `note: ${n}`);
  if (report.verified) stdout.push(`ok: ${displayPath}`);
  else stderr.push(`error: ${displayPath} failed verification`);
  return { stdout, stderr };
}
