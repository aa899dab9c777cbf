// Text of a several-TRO verify run: one verdict line per TRO, then a summary line.
import type { VerifyReport } from './report.js';
import { statusWords } from './report.js';
import type { VerifiedTro, VerifyRunReport } from './run.js';

/** `verified: FILE`, `failed: FILE — what failed`, … then `N TROs: …`; an error line on stderr unless all verified. */
export function formatVerifyRunText(run: VerifyRunReport): { stdout: string[]; stderr: string[] } {
  const stdout = run.tros.map(verdictLine);
  const c = run.counts;
  const n = run.tros.length;
  stdout.push(`${n} TRO${n === 1 ? '' : 's'}: ${c.verified} verified, ${c.incomplete} incomplete, ${c.failed} failed, ${c.unreadable} unreadable`);
  const stderr = run.verified ? [] : [`error: ${n - c.verified} of ${n} TRO${n === 1 ? '' : 's'} not verified`];
  return { stdout, stderr };
}

function verdictLine(t: VerifiedTro): string {
  const via = t.reachedFrom === undefined ? '' : ` (pinned by ${t.reachedFrom})`;
  const detail = t.report === undefined ? (t.detail ?? '') : problems(t.report);
  return `${t.verdict}: ${t.file}${via}${detail === '' ? '' : ` \u2014 ${detail}`}`;
}

/** What kept a TRO from verifying, briefly: each artifact not ok, then the fingerprint when it is not ok. */
function problems(report: VerifyReport): string {
  const parts = report.artifacts.filter((a) => a.status !== 'ok' && a.status !== 'skipped').map((a) => `${a.id} ${statusWords(a.status)}`);
  if (report.fingerprint.status !== 'ok') parts.push(`fingerprint ${report.fingerprint.status}`);
  return parts.join(', ');
}
