// Renders a conformance report as text lines: the tier met, then one line per unmet finding and per skipped expectation.
import { shownPointer } from './pointer.js';
import { TIER_IDS } from './types.js';
import type { ConformanceReport, Finding, TierId } from './types.js';

function where(f: Finding): string {
  if (f.line === undefined) return shownPointer(f.pointer);
  const pos = `line ${f.line}, column ${f.column ?? 1}`;
  return f.pointer === '' ? pos : `${f.pointer} (${pos})`;
}

/** `tier N of 7` for a tier id. */
export function tierOrdinal(id: TierId): string {
  return `tier ${TIER_IDS.indexOf(id) + 1} of ${TIER_IDS.length}`;
}

/**
 * The human report. First line: `FILE: meets TIER (tier N of 7) under VERSION` (or `meets no tier`); then,
 * tier by tier, `  ✗ TIER expectation: message at POINTER` for each finding, `  - TIER expectation: not
 * assessed (needs …)` for each expectation skipped for an unmet prerequisite, and one `  - TIER: not
 * assessed` line for each tier above an unmet blocking tier.
 */
export function formatConformanceText(report: ConformanceReport): string[] {
  const lines: string[] = [];
  const met = report.tierMet;
  const first = report.tiers[0]?.id ?? 'SAFE-JSON';
  lines.push(
    met === null
      ? `${report.file}: meets no tier (not even ${first}) under ${report.traceVersion}`
      : `${report.file}: meets ${met} (${tierOrdinal(met)}) under ${report.traceVersion}`,
  );
  for (const tier of report.tiers) {
    if (!tier.assessed) {
      const because = tier.expectations[0]?.notAssessedBecause?.[0] ?? 'a lower tier';
      lines.push(`  - ${tier.id}: not assessed (${because} is not met)`);
      continue;
    }
    for (const e of tier.expectations) {
      if (e.status === 'unmet') for (const f of e.findings) lines.push(`  ✗ ${tier.id} ${e.id}: ${f.message} at ${where(f)}`);
      else if (e.status === 'not-assessed') lines.push(`  - ${tier.id} ${e.id}: not assessed (needs ${(e.notAssessedBecause ?? []).join(', ')})`);
    }
  }
  return lines;
}
