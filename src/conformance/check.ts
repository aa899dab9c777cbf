// Runs a TRACE version's tiers over a document: expectations in order, skipping those whose prerequisites or blocking tiers are unmet.
import { readDocumentFile } from '../io/read-file.js';
import { readConformanceDocument } from './document.js';
import { DEFAULT_TRACE_VERSION, traceVersion } from './tiers.js';
import type { ConformanceReport, ExpectationResult, TierId, TierResult, TraceVersionId } from './types.js';

export interface ConformanceOptions {
  /** How the document is named in the report (the path as the user gave it); default `<input>`. */
  readonly label?: string;
  /** Default trace-2026-04-19, the first (and so far only) tagged release. */
  readonly traceVersion?: TraceVersionId;
}

/**
 * Assesses `bytes` against every tier of a TRACE version. Non-conformance is data: nothing here throws
 * for a bad document (not UTF-8, not JSON, not a TRO all come back as unmet expectations).
 *
 * Rules (trace-trov.md §5): tiers are cumulative; when a blocking tier (1–3) is not met, every tier above
 * it is not assessed; an expectation whose `requires` are not all met is not assessed. `tierMet` is the
 * highest tier that is met together with every tier below it.
 */
export function checkConformance(bytes: Uint8Array, options: ConformanceOptions = {}): ConformanceReport {
  const version = traceVersion(options.traceVersion ?? DEFAULT_TRACE_VERSION);
  const doc = readConformanceDocument(bytes);
  const status = new Map<string, ExpectationResult>();
  const tiers: TierResult[] = [];
  let blockedBy: TierId | undefined;
  for (const tier of version.tiers) {
    const expectations: ExpectationResult[] = [];
    for (const e of tier.expectations) {
      let result: ExpectationResult;
      if (blockedBy !== undefined) {
        result = { id: e.id, met: false, status: 'not-assessed', findings: [], notAssessedBecause: [blockedBy] };
      } else {
        const missing = (e.requires ?? []).filter((r) => status.get(r)?.status !== 'met');
        if (missing.length > 0) result = { id: e.id, met: false, status: 'not-assessed', findings: [], notAssessedBecause: missing };
        else {
          const findings = e.check(doc);
          result = { id: e.id, met: findings.length === 0, status: findings.length === 0 ? 'met' : 'unmet', findings };
        }
      }
      status.set(e.id, result);
      expectations.push(result);
    }
    const met = expectations.every((x) => x.met);
    tiers.push({ id: tier.id, met, assessed: blockedBy === undefined, expectations });
    if (tier.blocksHigherTiers && !met && blockedBy === undefined) blockedBy = tier.id;
  }
  let tierMet: TierId | null = null;
  for (const t of tiers) {
    if (!t.met) break;
    tierMet = t.id;
  }
  return { file: options.label ?? '<input>', traceVersion: version.id, tierMet, tiers };
}

/** Reads a file (unreadable input throws a coded InputError, exit 3) and assesses it. */
export async function checkConformanceFile(path: string, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const label = options.label ?? path;
  const bytes = await readDocumentFile(path, { label });
  return checkConformance(bytes, { ...options, label });
}
