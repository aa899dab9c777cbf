// The verification report (JSON-safe, no absolute paths) and its rendering as policyengine.py's trace-tro-verify lines.
import type { HashAlgorithm } from '../hash/digest.js';
import type { DialectId, FingerprintAlgorithm } from '../tro/model.js';

export type FingerprintStatus = 'ok' | 'mismatch' | 'missing';
/**
 * `not-fetched`: nothing was read because reading needs something not given (an https location without `--fetch`,
 * a payload URN without `--payload-dir`): not a mismatch, but the TRO is not fully checked (verdict `incomplete`).
 */
export type ArtifactStatus = 'ok' | 'mismatch' | 'unfetchable' | 'skipped' | 'unverifiable' | 'not-fetched';

/** `verified` (exit 0); `incomplete`: nothing failed but an artifact was not fetched (exit 5); `failed` (exit 5). */
export type VerifyVerdict = 'verified' | 'incomplete' | 'failed';

/** One of several locations of an artifact, each checked (listed when an artifact has more than one). */
export interface LocationReport {
  readonly location: string;
  readonly status: ArtifactStatus;
  readonly actual?: string;
  readonly detail?: string;
  readonly hashes?: readonly HashCheck[];
}

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
  /** Every location checked, when the artifact has several (each must hold the claimed bytes). */
  readonly locations?: readonly LocationReport[];
}

export interface VerifyReport {
  /** The fingerprint is ok and every artifact is ok or skipped. */
  readonly verified: boolean;
  readonly verdict: VerifyVerdict;
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
    if (a.status === 'ok') stdout.push(`ok: ${a.id} (${(a.locations ?? []).map((l) => l.location).join(', ') || (a.location ?? '')})`);
    else if (a.status === 'skipped') stdout.push(`skipped: ${a.id}`);
    else stdout.push(`${statusWords(a.status)}: ${a.id} \u2014 ${a.detail ?? ''}`);
  }
  stdout.push(`fingerprint: ${report.fingerprint.status}`);
  const stderr = report.notes.map((n) => `note: ${n}`);
  if (report.verified) stdout.push(`ok: ${displayPath}`);
  else if (report.verdict === 'incomplete') stderr.push(`error: ${displayPath} not fully verified: ${notFetchedCount(report)} not fetched (nothing failed)`);
  else stderr.push(`error: ${displayPath} failed verification`);
  return { stdout, stderr };
}

/** How a status is written at the start of a report line. */
export function statusWords(status: ArtifactStatus): string {
  return status === 'not-fetched' ? 'not fetched' : status;
}

/** "1 artifact" / "3 artifacts" not fetched. */
export function notFetchedCount(report: VerifyReport): string {
  const n = report.artifacts.filter((a) => a.status === 'not-fetched').length;
  return `${n} artifact${n === 1 ? '' : 's'}`;
}
